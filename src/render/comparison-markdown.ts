import type { TextDiff } from '../core/text-diff.ts';
import type { Language } from '../prompts/section-keys.ts';
import type { RevisionComparison } from './revision-comparison.ts';

const TEXTS = {
  en: {
    title: (plan: number, from: number, to: number) => `Plan ${plan}: revision ${from} → ${to}`,
    inputs: 'Changed inputs',
    noInputs: 'No input changed.',
    figures: 'Changed figures',
    decisions: 'Decisions',
    counts: (added: number, removed: number) => `+${added} −${removed} lines`,
    added: 'new in this revision',
    removed: 'not in this revision',
    unchanged: 'Unchanged',
    allUnchanged: 'No section changed.',
    more: (lines: number) => `… ${lines} more changed lines`,
    empty: '(empty)',
  },
  de: {
    title: (plan: number, from: number, to: number) => `Plan ${plan}: Revision ${from} → ${to}`,
    inputs: 'Geänderte Eingaben',
    noInputs: 'Keine Eingabe geändert.',
    figures: 'Geänderte Kennzahlen',
    decisions: 'Entscheidungen',
    counts: (added: number, removed: number) => `+${added} −${removed} Zeilen`,
    added: 'neu in dieser Revision',
    removed: 'nicht mehr in dieser Revision',
    unchanged: 'Unverändert',
    allUnchanged: 'Kein Abschnitt geändert.',
    more: (lines: number) => `… ${lines} weitere geänderte Zeilen`,
    empty: '(leer)',
  },
} as const satisfies Record<Language, unknown>;

/** A fenced `diff` block whose fence no line inside can close. */
function diffBlock(diff: TextDiff, language: Language): string {
  const body = diff.lines.map((line) => `${line.kind} ${line.text}`);
  const longest = Math.max(
    0,
    ...body.map((line) => Math.max(0, ...[...line.matchAll(/`+/gu)].map((m) => m[0].length))),
  );
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const more = diff.omitted > 0 ? `\n${TEXTS[language].more(diff.omitted)}` : '';
  return `${fence}diff\n${body.join('\n')}\n${fence}${more}`;
}

/** "Plan 42: revision 1 → 3", in the comparison's language. */
export function comparisonTitle(comparison: RevisionComparison): string {
  return TEXTS[comparison.language].title(comparison.planNumber, comparison.from, comparison.to);
}

/**
 * Two revisions compared as Markdown for every surface (under {@link comparisonTitle}): changed inputs and figures, the
 * decisions' diff, and a diff per changed section; unchanged sections collapsed into one line.
 */
export function comparisonMarkdown(comparison: RevisionComparison): string {
  const { language } = comparison;
  const t = TEXTS[language];
  const parts: string[] = [];
  const show = (value: string) => (value === '' ? t.empty : value);
  parts.push(
    comparison.inputs.length === 0
      ? t.noInputs
      : `**${t.inputs}**\n${comparison.inputs.map((change) => `- ${change.label}: ${show(change.from)} → ${show(change.to)}`).join('\n')}`,
  );
  if (comparison.figures.length > 0) {
    const lines = comparison.figures.map((figure) => `- ${figure.label}: ${show(figure.from)} → ${show(figure.to)}`);
    parts.push(`**${t.figures}**\n${lines.join('\n')}`);
  }
  const { decisions } = comparison;
  if (decisions !== undefined && decisions.added + decisions.removed > 0) {
    parts.push(
      `**${t.decisions}** (${t.counts(decisions.added, decisions.removed)})\n${diffBlock(decisions, language)}`,
    );
  }
  for (const section of comparison.sections) {
    const heading = `**${section.number}. ${section.title}**`;
    if (section.status === 'changed') {
      parts.push(
        `${heading} (${t.counts(section.diff.added, section.diff.removed)})\n${diffBlock(section.diff, language)}`,
      );
    } else if (section.status !== 'unchanged') {
      parts.push(`${heading} — ${section.status === 'added' ? t.added : t.removed}`);
    }
  }
  const unchanged = comparison.sections.filter((section) => section.status === 'unchanged');
  if (unchanged.length === comparison.sections.length) parts.push(`_${t.allUnchanged}_`);
  else if (unchanged.length > 0) {
    parts.push(`_${t.unchanged}: ${unchanged.map((section) => `${section.number}. ${section.title}`).join(', ')}_`);
  }
  return parts.join('\n\n');
}
