import { z } from 'zod';
import { RERUN_FIELD_ORDER } from '../core/field-changes.ts';
import { FIELD_LIMITS, MAX_CALLS_PER_SECOND, type PlanField } from '../core/plan-request.ts';
import { LANGUAGES, type Language } from '../prompts/section-keys.ts';
import type { PromptLibrary } from '../prompts/load-prompts.ts';
import { FORM_TEXTS } from '../render/form-texts.ts';
import {
  adaptiveCard,
  text,
  type AdaptiveCard,
  type CardAction,
  type CardElement,
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
} as const;

const FORM_FIELDS = [
  'existingSystem',
  'targetApi',
  'useCase',
  'callsPerSecond',
  'dataVolume',
  'scaleNotes',
  'budget',
  'variation',
  'language',
] as const satisfies readonly PlanField[];

/** What the form carries besides its inputs (Teams merges inputs into the action's data). */
export const formDataSchema = z.looseObject({
  action: z.literal(VERBS.submit).optional(),
  formLanguage: z.enum(LANGUAGES).default('en'),
  /** Set for a re-run: the plan whose next revision this is, and the revision whose card the form replaced. */
  planNumber: z.coerce.number().int().positive().optional(),
  fromRevision: z.coerce.number().int().positive().optional(),
});
export type FormData = z.infer<typeof formDataSchema>;

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

function textField(
  field: keyof typeof FIELD_LIMITS,
  options: FormOptions,
  multiline: boolean,
  required = true,
): InputText {
  const t = FORM_TEXTS[options.language][field];
  const value = asText(options.values?.[field]);
  return {
    type: 'Input.Text',
    id: field,
    label: t.label,
    isRequired: required,
    ...(required ? { errorMessage: TEAMS_TEXTS[options.language].form.required } : {}),
    maxLength: FIELD_LIMITS[field],
    isMultiline: multiline,
    ...('placeholder' in t ? { placeholder: t.placeholder } : {}),
    ...(value === undefined || value === '' ? {} : { value }),
  };
}

/** A field with its server-side error under it, when there is one. */
function withError(input: CardElement & { id: string }, errors: FormOptions['errors']): CardElement[] {
  const message = errors?.[input.id];
  return message === undefined
    ? [input]
    : [input, text(message, { id: `${input.id}Error`, color: 'attention', size: 'small', spacing: 'none' })];
}

/**
 * The plan form as an Adaptive Card (schema 1.5): the same fields, limits and order as the Slack
 * modal, labels in the user's language, `isRequired`/`errorMessage`/`maxLength` for the client's
 * own checks. Server-side errors come back as this card with the typed values and a message
 * under each field. A re-run puts the scale fields first and carries the plan number.
 * Longer than our aim on purpose: it is one declarative card, field by field, read top to bottom.
 */
export function buildPlanFormCard(options: FormOptions): AdaptiveCard {
  const { language } = options;
  const t = FORM_TEXTS[language];
  const rerun = options.planNumber !== undefined;
  const calls = asText(options.values?.callsPerSecond);
  const callsNumber = calls === undefined ? Number.NaN : Number(calls.replace(',', '.'));
  const choose = TEAMS_TEXTS[language].form.choose;
  const inputs: Record<(typeof FORM_FIELDS)[number], CardElement & { id: string }> = {
    existingSystem: textField('existingSystem', options, true),
    targetApi: textField('targetApi', options, false),
    useCase: textField('useCase', options, true),
    callsPerSecond: {
      type: 'Input.Number',
      id: 'callsPerSecond',
      label: t.callsPerSecond.label,
      placeholder: t.callsPerSecond.hint,
      isRequired: true,
      errorMessage: TEAMS_TEXTS[language].form.callsRange(MAX_CALLS_PER_SECOND),
      min: 0,
      max: MAX_CALLS_PER_SECOND,
      ...(Number.isFinite(callsNumber) ? { value: callsNumber } : {}),
    },
    dataVolume: textField('dataVolume', options, false),
    scaleNotes: textField('scaleNotes', options, true, false),
    budget: textField('budget', options, false),
    variation: {
      type: 'Input.ChoiceSet',
      id: 'variation',
      label: t.variation.label,
      style: 'compact',
      isRequired: true,
      errorMessage: choose,
      choices: options.prompts
        .variations(language)
        .map((variation) => ({ title: variation.label, value: variation.id })),
      value: asText(options.values?.variation) ?? 'general',
    },
    language: {
      type: 'Input.ChoiceSet',
      id: 'language',
      label: t.language.label,
      style: 'compact',
      isRequired: true,
      errorMessage: choose,
      choices: LANGUAGES.map((value) => ({ title: t.languages[value], value })),
      value: asText(options.values?.language) ?? language,
    },
  };
  const order: readonly (typeof FORM_FIELDS)[number][] = rerun ? RERUN_FIELD_ORDER : FORM_FIELDS;
  const hasErrors = options.errors !== undefined && Object.keys(options.errors).length > 0;
  const body: CardElement[] = [
    text(rerun ? t.titleRerun : t.title, { size: 'large', weight: 'bolder', style: 'heading' }),
    text(rerun ? t.introRerun(options.planNumber ?? 0) : t.intro, { isSubtle: true }),
    ...(options.notice === undefined
      ? []
      : [text(options.notice, { id: 'formNotice', color: 'attention', weight: 'bolder' })]),
    ...(hasErrors ? [text(TEAMS_TEXTS[language].formError, { color: 'attention', weight: 'bolder' })] : []),
    ...order.flatMap((field) => withError(inputs[field], options.errors)),
  ];
  const data = {
    action: VERBS.submit,
    formLanguage: language,
    ...(options.planNumber === undefined ? {} : { planNumber: options.planNumber }),
    ...(options.fromRevision === undefined ? {} : { fromRevision: options.fromRevision }),
  };
  const actions: CardAction[] =
    options.submit === 'submit'
      ? [{ type: 'Action.Submit', title: t.submit, style: 'positive', data }]
      : [{ type: 'Action.Execute', title: t.submit, verb: VERBS.submit, style: 'positive', data }];
  if (rerun && options.submit !== 'submit' && options.fromRevision !== undefined) {
    actions.push({
      type: 'Action.Execute',
      title: TEAMS_TEXTS[language].cancel,
      verb: VERBS.cancel,
      associatedInputs: 'none',
      data: { planNumber: options.planNumber, fromRevision: options.fromRevision },
    });
  }
  return adaptiveCard(body, actions);
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
