import { changeHeadline } from '../core/field-changes.ts';
import { computeScaleFigures, describeScaleFigures } from '../core/scale-figures.ts';
import type { Language } from '../prompts/section-keys.ts';
import { specSourceLabel } from '../store/api-specs.ts';
import type { DecisionRecord } from '../store/decisions.ts';
import { reviewLine } from './review-texts.ts';
import type { PlanRecord, RevisionRecord, RevisionWithSections, SectionRecord } from '../store/plan-records.ts';

/** Headings of a plan document, in both languages. */
const TEXT = {
  en: {
    plan: 'Plan',
    revision: 'revision',
    missing: 'Still missing from this section',
    notInSpec: 'Not in the API spec',
    spec: (title: string, version: string, source: string) => `API spec: ${title} ${version} (${source})`,
    changed: 'Changed',
    figures: 'Scale figures (computed)',
    whatChanged: (previous: number) => `What changed since revision ${previous}`,
    review: 'Review',
  },
  de: {
    plan: 'Plan',
    revision: 'Revision',
    missing: 'In diesem Abschnitt fehlt noch',
    notInSpec: 'Nicht in der API-Spezifikation',
    spec: (title: string, version: string, source: string) => `API-Spezifikation: ${title} ${version} (${source})`,
    changed: 'Geändert',
    figures: 'Skalierungswerte (berechnet)',
    whatChanged: (previous: number) => `Was sich seit Revision ${previous} geändert hat`,
    review: 'Prüfung',
  },
} as const;

/** A section as Markdown, with what it still misses. */
export function sectionMarkdown(section: SectionRecord, language: Language): string {
  let text = `## ${section.position}. ${section.title}\n\n${section.markdown}\n`;
  if (section.missingItems.length > 0) {
    text += `\n> **${TEXT[language].missing}:** ${section.missingItems.map((item) => item.label).join('; ')}\n`;
  }
  if (section.notInSpec.length > 0) text += `\n> **${TEXT[language].notInSpec}:** ${section.notInSpec.join('; ')}\n`;
  return `${text}\n`;
}

/** The revision's header: title, plan number and revision, what changed, the computed figures. */
export function revisionHeader(target: { plan: PlanRecord; revision: RevisionRecord }): string {
  const { plan, revision } = target;
  const language = revision.request.language;
  const text = TEXT[language];
  let header = `# ${plan.title}\n\n${text.plan} ${plan.number}, ${text.revision} ${revision.number}\n`;
  if (revision.changes.length > 0) header += `\n${text.changed}: ${changeHeadline(revision.changes, language)}\n`;
  const { spec } = revision;
  if (spec !== undefined) header += `\n${text.spec(spec.title, spec.version, specSourceLabel(spec.source))}\n`;
  const figures = describeScaleFigures(computeScaleFigures(revision.request), language);
  header += `\n## ${text.figures}\n\n${figures.map((figure) => `- ${figure.label}: ${figure.value}`).join('\n')}\n`;
  return `${header}\n`;
}

/** "What changed" after a re-run's sections. */
export function changeSummaryMarkdown(revision: RevisionRecord): string {
  if (revision.changeSummary === undefined) return '';
  return `## ${TEXT[revision.request.language].whatChanged(revision.number - 1)}\n\n${revision.changeSummary}\n`;
}

/** The revision's review: its decisions in order ("In review" before the first). */
export function decisionsMarkdown(decisions: readonly DecisionRecord[], language: Language): string {
  const lines =
    decisions.length === 0
      ? [`- ${reviewLine(undefined, language, (id) => id)}`]
      : decisions.map((decision) => `- ${reviewLine(decision, language, (id) => id)}`);
  return `## ${TEXT[language].review}

${lines.join('\n')}
`;
}

/** A whole stored revision as one Markdown document, with its review decisions when given. */
export function revisionMarkdown(
  plan: PlanRecord,
  revision: RevisionWithSections,
  decisions?: readonly DecisionRecord[],
): string {
  const language = revision.request.language;
  const review = decisions === undefined ? '' : `\n${decisionsMarkdown(decisions, language)}`;
  return `${revisionHeader({ plan, revision })}${revision.sections.map((section) => sectionMarkdown(section, language)).join('')}${changeSummaryMarkdown(revision)}${review}`;
}
