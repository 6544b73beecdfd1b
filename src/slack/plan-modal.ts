import type { InputBlock, KnownBlock, PlainTextOption, View } from '@slack/types';
import { z } from 'zod';
import { FIELD_LIMITS, type PlanRequest, type TextField } from '../core/plan-request.ts';
import { FORM_TEXTS } from '../render/form-texts.ts';
import { escapeMrkdwn } from './slack-markdown-neutralize.ts';
import { SLACK_TEXTS } from './slack-texts.ts';
import { uploadedFileSchema, type UploadedFile } from './slack-spec-file.ts';

export const PLAN_MODAL_CALLBACK = 'plan_modal';
const ACTION = 'value';

/** What the modal carries from opening to submission (Slack returns it untouched). */
export const modalMetadataSchema = z.strictObject({
  channelId: z.string().min(1),
  language: z.enum(['de', 'en']),
  /** Set for "Re-run with new scale": the plan whose next revision this is. */
  planNumber: z.number().int().positive().optional(),
});
export type ModalMetadata = z.infer<typeof modalMetadataSchema>;

const plain = (text: string) => ({ type: 'plain_text' as const, text });

function textInput(
  field: TextField,
  texts: { label: string; placeholder?: string; hint?: string },
  options: { multiline: boolean; optional: boolean; initial: string | undefined },
): InputBlock {
  return {
    type: 'input',
    block_id: field,
    optional: options.optional,
    label: plain(texts.label),
    ...(texts.hint ? { hint: plain(texts.hint) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: ACTION,
      multiline: options.multiline,
      max_length: FIELD_LIMITS[field],
      ...(texts.placeholder ? { placeholder: plain(texts.placeholder) } : {}),
      ...(options.initial ? { initial_value: options.initial } : {}),
    },
  };
}

function select(
  blockId: 'variation' | 'language',
  label: string,
  choices: Record<string, string>,
  initial: string,
): InputBlock {
  const options: PlainTextOption[] = Object.entries(choices).map(([value, text]) => ({ text: plain(text), value }));
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label),
    element: {
      type: 'static_select',
      action_id: ACTION,
      options,
      initial_option: options.find((option) => option.value === initial) ?? options[0],
    },
  };
}

/** Block ids of the optional spec inputs: a file uploaded in the form, or a URL. */
export const SPEC_BLOCKS = { file: 'specFile', url: 'specUrl' } as const;

/** What the spec part of the form shows besides its inputs after a spec could not be used. */
export interface SpecPrefill {
  /** Why the last spec could not be used, shown above the spec inputs. */
  readonly problem?: string | undefined;
  readonly url?: string | undefined;
}

/** The spec inputs: one JSON/YAML file (Slack's 10 MB upload limit) or an https URL; both optional. */
function specBlocks(language: ModalMetadata['language'], rerun: boolean, prefill: SpecPrefill): KnownBlock[] {
  const t = FORM_TEXTS[language];
  const problem: KnownBlock[] =
    prefill.problem === undefined
      ? []
      : [
          {
            type: 'context',
            elements: [
              { type: 'mrkdwn', text: SLACK_TEXTS[language].specForm.specAgain(escapeMrkdwn(prefill.problem)) },
            ],
          },
        ];
  const file: InputBlock = {
    type: 'input',
    block_id: SPEC_BLOCKS.file,
    optional: true,
    label: plain(t.specFile.label),
    hint: plain(rerun ? `${t.specFile.hint} ${t.specKept}` : t.specFile.hint),
    element: { type: 'file_input', action_id: ACTION, filetypes: ['json', 'yaml', 'yml'], max_files: 1 },
  };
  const url: InputBlock = {
    type: 'input',
    block_id: SPEC_BLOCKS.url,
    optional: true,
    label: plain(t.specUrl.label),
    hint: plain(t.specUrl.hint),
    element: {
      type: 'url_text_input',
      action_id: ACTION,
      placeholder: plain(t.specUrl.placeholder),
      ...(prefill.url === undefined ? {} : { initial_value: prefill.url }),
    },
  };
  return [...problem, file, url];
}

/**
 * The plan form as a Block Kit modal: the seed's five context fields (scale split into peak
 * calls/s, data volume and notes), the target API's spec (file or URL), focus and language, in
 * the user's language, with Slack's own length limits set to ours. A re-run puts the scale
 * fields first.
 */
export function buildPlanModal(
  metadata: ModalMetadata,
  prefill: Partial<PlanRequest> = {},
  spec: SpecPrefill = {},
): View {
  const t = FORM_TEXTS[metadata.language];
  const rerun = metadata.planNumber !== undefined;
  const calls: InputBlock = {
    type: 'input',
    block_id: 'callsPerSecond',
    label: plain(t.callsPerSecond.label),
    hint: plain(t.callsPerSecond.hint),
    element: {
      type: 'number_input',
      action_id: ACTION,
      is_decimal_allowed: true,
      min_value: '0.001',
      max_value: '1000000',
      ...(prefill.callsPerSecond === undefined ? {} : { initial_value: String(prefill.callsPerSecond) }),
    },
  };
  const input = (field: TextField, multiline: boolean, optional = false) =>
    textInput(field, t[field], { multiline, optional, initial: prefill[field] });
  const scale = [calls, input('dataVolume', false), input('scaleNotes', true, true)];
  const context: KnownBlock[] = [
    input('existingSystem', true),
    input('targetApi', false),
    input('useCase', true),
    ...specBlocks(metadata.language, rerun, spec),
  ];
  const rest = [
    input('budget', false),
    select('variation', t.variation.label, t.variations, prefill.variation ?? 'general'),
    select('language', t.language.label, t.languages, prefill.language ?? metadata.language),
  ];
  const intro: KnownBlock = {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: rerun ? t.introRerun(metadata.planNumber ?? 0) : t.intro }],
  };
  return {
    type: 'modal',
    callback_id: PLAN_MODAL_CALLBACK,
    private_metadata: JSON.stringify(metadata),
    title: plain(rerun ? t.titleRerun : t.title),
    submit: plain(t.submit),
    close: plain(t.close),
    blocks: [intro, ...(rerun ? [...scale, ...context] : [...context, ...scale]), ...rest],
  };
}

const stateSchema = z.record(
  z.string(),
  z.record(
    z.string(),
    z.looseObject({
      value: z.string().nullish(),
      selected_option: z.looseObject({ value: z.string() }).nullish(),
      files: z.array(uploadedFileSchema).nullish(),
    }),
  ),
);

const stateValues = (state: unknown) => stateSchema.parse((state as { values?: unknown } | undefined)?.values ?? {});

/** The spec inputs of a submitted view: the uploaded file (at most one) and the URL, each if given. */
export function readSpecFields(state: unknown): { file: UploadedFile | undefined; url: string | undefined } {
  const values = stateValues(state);
  const url = values[SPEC_BLOCKS.url]?.[ACTION]?.value?.trim();
  return { file: values[SPEC_BLOCKS.file]?.[ACTION]?.files?.[0], url: url === '' ? undefined : url };
}

/** The raw form values from a submitted view's state, keyed by our field names. */
export function readPlanModal(state: unknown): Record<string, string | undefined> {
  const values = stateValues(state);
  const read = (blockId: string) => {
    const element = values[blockId]?.[ACTION];
    return element?.selected_option?.value ?? element?.value ?? undefined;
  };
  const fields = [...Object.keys(FIELD_LIMITS), 'callsPerSecond', 'variation', 'language'];
  return Object.fromEntries(fields.map((field) => [field, read(field)]));
}
