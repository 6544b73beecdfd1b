import type { PlanRequest } from './plan-request.ts';
import { fieldLabel } from './plan-request.ts';
import type { Language } from '../prompts/section-keys.ts';
import { clip } from './text.ts';
import type { PromptChange } from '../prompts/prompt-context.ts';

/** An input that differs between two revisions, as stored with the newer one. */
export interface FieldChange {
  readonly field: string;
  readonly from: string;
  readonly to: string;
}

/** The order re-run users care about, scale first: how changes are listed and the re-run form is laid out. */
export const RERUN_FIELD_ORDER = [
  'callsPerSecond',
  'dataVolume',
  'scaleNotes',
  'existingSystem',
  'targetApi',
  'useCase',
  'budget',
  'variation',
  'language',
] as const satisfies readonly (keyof PlanRequest)[];

const show = (value: PlanRequest[keyof PlanRequest]) => (value === undefined ? '' : String(value));

/** What changed from one request to the next, field by field. */
export function diffRequests(before: PlanRequest, after: PlanRequest): FieldChange[] {
  return RERUN_FIELD_ORDER.filter((field) => show(before[field]) !== show(after[field])).map((field) => ({
    field,
    from: show(before[field]),
    to: show(after[field]),
  }));
}

/** How an emptied field reads in a change list. */
const EMPTY_VALUE = { en: '(empty)', de: '(leer)' } as const satisfies Record<Language, string>;

/** The change entry of a revision whose API spec differs from the previous one's (`from`/`to`: specLabel). */
export const SPEC_CHANGE_FIELD = 'apiSpec';
const SPEC_LABEL = { en: 'API spec', de: 'API-Spezifikation' } as const satisfies Record<Language, string>;

/** What identifies a spec in a change list; the hash tells two documents of the same version apart. */
export interface SpecIdentity {
  readonly title: string;
  readonly version: string;
  readonly sha256: string;
}

/**
 * "2024-04-10 · sha256 1a2b3c4d", with the title first when it is news ("Stripe API 2024-04-10 · …"):
 * version and hash lead, so a clipped one-line header still tells the two documents apart.
 */
export const specLabel = (spec: SpecIdentity, withTitle: boolean) =>
  `${withTitle ? `${spec.title} ` : ''}${spec.version} · sha256 ${spec.sha256.slice(0, 8)}`;

/** The spec's entry for a change list when the document changed (by content), else nothing. */
export function diffSpecs(before: SpecIdentity | undefined, after: SpecIdentity | undefined): FieldChange[] {
  if (before?.sha256 === after?.sha256) return [];
  const withTitle = before?.title !== after?.title;
  const show = (spec: SpecIdentity | undefined) => (spec === undefined ? '' : specLabel(spec, withTitle));
  return [{ field: SPEC_CHANGE_FIELD, from: show(before), to: show(after) }];
}

const changeLabel = (field: string, language: Language) =>
  field === SPEC_CHANGE_FIELD ? SPEC_LABEL[language] : fieldLabel(field, language);

/** Changes with labels in the user's language and long texts clipped, for prompts and headers. */
export function describeChanges(changes: readonly FieldChange[], language: Language, maxLength = 80): PromptChange[] {
  const empty = EMPTY_VALUE[language];
  return changes.map((change) => ({
    label: changeLabel(change.field, language),
    from: change.from === '' ? empty : clip(change.from, maxLength),
    to: change.to === '' ? empty : clip(change.to, maxLength),
  }));
}

/** "calls/s 50 → 500, data volume 2 GB/day → 20 GB/day" for a one-line header. */
export function changeHeadline(changes: readonly FieldChange[], language: Language): string {
  return describeChanges(changes, language, 40)
    .map((change) => `${change.label} ${change.from} → ${change.to}`)
    .join(', ');
}
