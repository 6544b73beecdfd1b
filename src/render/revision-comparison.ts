import { describeChanges, diffRequests, diffSpecs, type FieldChange } from '../core/field-changes.ts';
import { diffText, type TextDiff } from '../core/text-diff.ts';
import type { Language } from '../prompts/section-keys.ts';
import type { RevisionWithSections } from '../store/plan-records.ts';

/** One section of two revisions: unchanged, changed (with its diff), or only in one of them. */
export interface SectionComparison {
  readonly key: string;
  readonly number: number;
  readonly title: string;
  readonly status: 'unchanged' | 'changed' | 'added' | 'removed';
  readonly diff: TextDiff;
}

/** A figure derived from the inputs (calls per day, data per month …) that differs. */
export interface FigureChange {
  readonly label: string;
  readonly from: string;
  readonly to: string;
}

/** What differs between two revisions of a plan, in the later revision's language. */
export interface RevisionComparison {
  readonly planNumber: number;
  readonly from: number;
  readonly to: number;
  readonly language: Language;
  /** Inputs (and the API spec) as "label: from → to". */
  readonly inputs: readonly { readonly label: string; readonly from: string; readonly to: string }[];
  readonly figures: readonly FigureChange[];
  /** The decisions the sections were written from (the parallel strategy's skeleton), when either has them. */
  readonly decisions: TextDiff | undefined;
  /** Every section of either revision, in plan order. */
  readonly sections: readonly SectionComparison[];
}

function figureChanges(before: RevisionWithSections, after: RevisionWithSections): FigureChange[] {
  const old = new Map(before.figures.map((figure) => [figure.label, figure.value]));
  return after.figures
    .filter((figure) => old.get(figure.label) !== figure.value)
    .map((figure) => ({ label: figure.label, from: old.get(figure.label) ?? '', to: figure.value }));
}

function sectionComparisons(before: RevisionWithSections, after: RevisionWithSections): SectionComparison[] {
  const keys = [...new Set([...after.sections, ...before.sections].map((section) => section.key))];
  const find = (revision: RevisionWithSections, key: string) => revision.sections.find((s) => s.key === key);
  return keys
    .map((key) => {
      const old = find(before, key);
      const now = find(after, key);
      const shown = now ?? old;
      const diff = diffText(old?.markdown ?? '', now?.markdown ?? '');
      const status =
        old === undefined
          ? 'added'
          : now === undefined
            ? 'removed'
            : diff.added + diff.removed === 0
              ? 'unchanged'
              : 'changed';
      return { key, number: shown?.position ?? 0, title: shown?.title ?? key, status, diff } as const;
    })
    .sort((a, b) => a.number - b.number);
}

/** Compares two revisions of one plan: changed inputs and figures, decisions, and each section's text. */
export function compareRevisions(
  planNumber: number,
  before: RevisionWithSections,
  after: RevisionWithSections,
): RevisionComparison {
  const language = after.request.language;
  const changes: FieldChange[] = [
    ...diffRequests(before.request, after.request),
    ...diffSpecs(before.spec, after.spec),
  ];
  const decisions =
    before.skeleton === undefined && after.skeleton === undefined
      ? undefined
      : diffText(before.skeleton ?? '', after.skeleton ?? '');
  return {
    planNumber,
    from: before.number,
    to: after.number,
    language,
    inputs: describeChanges(changes, language, 120),
    figures: figureChanges(before, after),
    decisions,
    sections: sectionComparisons(before, after),
  };
}
