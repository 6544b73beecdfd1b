import { z } from 'zod';
import { RERUN_FIELD_ORDER } from '../core/field-changes.ts';
import { FIELD_LIMITS, MAX_CALLS_PER_SECOND, planRequestSchema } from '../core/plan-request.ts';
import { LANGUAGES, type Language } from '../prompts/section-keys.ts';
import type { PromptLibrary } from '../prompts/load-prompts.ts';
import { FORM_TEXTS } from '../render/form-texts.ts';
import {
  adaptiveCard,
  heading,
  text,
  type AdaptiveCard,
  type CardAction,
  type CardElement,
  type InputChoiceSet,
  type InputNumber,
  type InputText,
} from './adaptive-card.ts';
import { TEAMS_TEXTS } from './teams-texts.ts';

/** Verbs of the plan's Action.Execute buttons (and `action` of Action.Submit data). */
export const VERBS = {
  submit: 'plan.submit',
  rerun: 'plan.rerun',
  cancel: 'plan.cancel',
  show: 'plan.show',
  openForm: 'plan.form',
  approve: 'plan.approve',
  requestChanges: 'plan.requestChanges',
  sendChanges: 'plan.sendChanges',
} as const;

/** The request's fields in the schema's order, which is the form's (a re-run's: RERUN_FIELD_ORDER). */
const FORM_FIELDS = planRequestSchema.keyof().options;
type FormField = (typeof FORM_FIELDS)[number];

/** What the form carries besides its inputs (Teams merges inputs into the action's data); English when malformed. */
export const formDataSchema = z
  .looseObject({
    action: z.literal(VERBS.submit).optional(),
    formLanguage: z.enum(LANGUAGES).default('en'),
    /** Set for a re-run: the plan whose next revision this is, and the revision whose card the form replaced. */
    planNumber: z.coerce.number().int().positive().optional(),
    fromRevision: z.coerce.number().int().positive().optional(),
  })
  .catch({ formLanguage: 'en' });

export interface FormOptions {
  readonly language: Language;
  readonly prompts: PromptLibrary;
  /** Values to show (pre-fill, or what was typed before an error). */
  readonly values?: Readonly<Record<string, unknown>>;
  /** Server-side errors per field, shown under the field. */
  readonly errors?: Readonly<Record<string, string>>;
  readonly planNumber?: number | undefined;
  readonly fromRevision?: number | undefined;
  /** A problem with the whole form (no model configured, a plan limit …), shown above the fields. */
  readonly notice?: string;
  /** Dialogs (task modules) submit with Action.Submit; messages with Action.Execute. */
  readonly submit?: 'execute' | 'submit';
}

const asText = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;

function textField(field: keyof typeof FIELD_LIMITS, options: FormOptions): InputText {
  const t = FORM_TEXTS[options.language][field];
  const value = asText(options.values?.[field]);
  const required = field !== 'scaleNotes';
  return {
    type: 'Input.Text',
    id: field,
    label: t.label,
    isRequired: required,
    ...(required ? { errorMessage: TEAMS_TEXTS[options.language].form.required } : {}),
    maxLength: FIELD_LIMITS[field],
    isMultiline: MULTILINE.has(field),
    ...('placeholder' in t ? { placeholder: t.placeholder } : {}),
    ...(value === undefined || value === '' ? {} : { value }),
  };
}

const MULTILINE: ReadonlySet<FormField> = new Set(['existingSystem', 'useCase', 'scaleNotes']);

function callsField({ language, values }: FormOptions): InputNumber {
  const calls = asText(values?.callsPerSecond);
  const callsNumber = calls === undefined ? Number.NaN : Number(calls.replace(',', '.'));
  return {
    type: 'Input.Number',
    id: 'callsPerSecond',
    label: FORM_TEXTS[language].callsPerSecond.label,
    placeholder: FORM_TEXTS[language].callsPerSecond.hint,
    isRequired: true,
    errorMessage: TEAMS_TEXTS[language].form.callsRange(MAX_CALLS_PER_SECOND),
    min: 0,
    max: MAX_CALLS_PER_SECOND,
    ...(Number.isFinite(callsNumber) ? { value: callsNumber } : {}),
  };
}

/** Focus and language: compact drop-downs. */
function choiceField(field: 'variation' | 'language', { language, values, prompts }: FormOptions): InputChoiceSet {
  const choices =
    field === 'variation'
      ? prompts.variations(language).map((variation) => ({ title: variation.label, value: variation.id }))
      : LANGUAGES.map((value) => ({ title: FORM_TEXTS[language].languages[value], value }));
  return {
    type: 'Input.ChoiceSet',
    id: field,
    label: FORM_TEXTS[language][field].label,
    style: 'compact',
    isRequired: true,
    errorMessage: TEAMS_TEXTS[language].form.choose,
    choices,
    value: asText(values?.[field]) ?? (field === 'variation' ? 'general' : language),
  };
}

function formInput(field: FormField, options: FormOptions): InputText | InputNumber | InputChoiceSet {
  switch (field) {
    case 'callsPerSecond':
      return callsField(options);
    case 'variation':
    case 'language':
      return choiceField(field, options);
    default:
      return textField(field, options);
  }
}

/** Form id of the optional spec URL (a spec file comes as a file sent to the bot in a 1:1 chat). */
export const SPEC_URL_FIELD = 'specUrl';

/** The target API's spec by URL; a re-run keeps the last revision's spec when it is left empty. */
function specUrlField({ language, values }: FormOptions): InputText {
  const t = FORM_TEXTS[language];
  const value = asText(values?.[SPEC_URL_FIELD]);
  return {
    type: 'Input.Text',
    id: SPEC_URL_FIELD,
    label: t.specUrl.label,
    style: 'Url',
    maxLength: 2000,
    placeholder: t.specUrl.placeholder,
    ...(value === undefined || value === '' ? {} : { value }),
  };
}

/** Under the spec URL: what a spec does, that a file goes to the 1:1 chat, and (re-run) that empty keeps it. */
function specHint({ language, planNumber }: FormOptions): CardElement {
  const hint = TEAMS_TEXTS[language].form.specHint;
  const shown = planNumber === undefined ? hint : `${hint} ${FORM_TEXTS[language].specKept}`;
  return text(shown, { isSubtle: true, size: 'small', spacing: 'none' });
}

/** A field with its server-side error under it, when there is one. */
function withError(input: CardElement & { id: string }, errors: FormOptions['errors']): CardElement[] {
  const message = errors?.[input.id];
  return message === undefined
    ? [input]
    : [input, text(message, { id: `${input.id}Error`, color: 'attention', size: 'small', spacing: 'none' })];
}

/** Submit (Action.Submit in dialogs), and for a re-run in a message, Cancel: back to the plan's card. */
function formActions({ language, planNumber, fromRevision, submit }: FormOptions): CardAction[] {
  const data = {
    action: VERBS.submit,
    formLanguage: language,
    ...(planNumber === undefined ? {} : { planNumber }),
    ...(fromRevision === undefined ? {} : { fromRevision }),
  };
  const title = FORM_TEXTS[language].submit;
  if (submit === 'submit') return [{ type: 'Action.Submit', title, style: 'positive', data }];
  const actions: CardAction[] = [{ type: 'Action.Execute', title, verb: VERBS.submit, style: 'positive', data }];
  if (planNumber !== undefined && fromRevision !== undefined) {
    actions.push({
      type: 'Action.Execute',
      title: TEAMS_TEXTS[language].cancel,
      verb: VERBS.cancel,
      associatedInputs: 'none',
      data: { planNumber, fromRevision },
    });
  }
  return actions;
}

/**
 * The plan form: the Slack modal's fields, limits and order, with `isRequired`/`maxLength` for the
 * client's own checks and server-side errors under their fields; a re-run puts scale first.
 */
export function buildPlanFormCard(options: FormOptions): AdaptiveCard {
  const t = FORM_TEXTS[options.language];
  const rerun = options.planNumber !== undefined;
  const hasErrors = options.errors !== undefined && Object.keys(options.errors).length > 0;
  const attention = { color: 'attention', weight: 'bolder' } as const;
  const body: CardElement[] = [
    heading(rerun ? t.titleRerun : t.title, 'large'),
    text(rerun ? t.introRerun(options.planNumber ?? 0) : t.intro, { isSubtle: true }),
    ...(options.notice === undefined ? [] : [text(options.notice, { id: 'formNotice', ...attention })]),
    ...(hasErrors ? [text(TEAMS_TEXTS[options.language].formError, attention)] : []),
    ...(rerun ? RERUN_FIELD_ORDER : FORM_FIELDS).flatMap((field) => [
      ...withError(formInput(field, options), options.errors),
      ...(field === 'useCase' ? [...withError(specUrlField(options), options.errors), specHint(options)] : []),
    ]),
  ];
  return adaptiveCard(body, formActions(options));
}

/** The spec URL as typed, trimmed; undefined when left empty. */
export function readSpecUrl(data: Readonly<Record<string, unknown>>): string | undefined {
  const value = data[SPEC_URL_FIELD];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The raw form values (strings as typed, numbers as sent) from submitted data, keyed by field. */
export function readPlanForm(data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    FORM_FIELDS.flatMap((field) => {
      const value = data[field];
      if (value === undefined || value === null) return [];
      // Input.Number arrives as a number or a numeric string; an emptied one as "".
      return [[field, typeof value === 'number' ? String(value) : value]];
    }),
  );
}
