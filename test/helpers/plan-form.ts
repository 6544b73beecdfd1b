import type { PlanRequest } from '../../src/core/plan-request.ts';
import { PLAN_MODAL_CALLBACK } from '../../src/slack/plan-modal.ts';
import { samplePlanRequest } from './plan-fixtures.ts';
import { interactionBody, viewSubmissionPayload } from './slack-signing.ts';

/** What a user typed into the plan form, by field (block id); numbers and choices as text. */
export type PlanForm = Readonly<Record<string, string>>;

/** The form a user fills in for {@link samplePlanRequest} with `overrides`: every field, as text. */
export function samplePlanForm(overrides: Partial<PlanRequest> = {}): PlanForm {
  const request = samplePlanRequest(overrides);
  return {
    existingSystem: request.existingSystem,
    targetApi: request.targetApi,
    useCase: request.useCase,
    callsPerSecond: String(request.callsPerSecond),
    dataVolume: request.dataVolume,
    scaleNotes: request.scaleNotes ?? '',
    budget: request.budget,
    variation: request.variation,
    language: request.language,
  };
}

/** A complete, valid plan form: {@link samplePlanRequest} as typed. */
export const SAMPLE_PLAN_FORM: PlanForm = samplePlanForm();

/** The form as Slack's `view.state.values` carries it (block id = field, action id `value`). */
export function planFormState(form: PlanForm): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(form).map(([field, value]) => [
      field,
      {
        value:
          field === 'variation' || field === 'language'
            ? { type: 'static_select', selected_option: { value } }
            : { type: field === 'callsPerSecond' ? 'number_input' : 'plain_text_input', value },
      },
    ]),
  );
}

export interface PlanSubmission {
  readonly viewId: string;
  /** Where the form was opened (its private metadata). */
  readonly channelId: string;
  readonly teamId: string;
  readonly userId?: string;
  readonly form?: PlanForm;
  /** The form's own language (metadata), default English. */
  readonly language?: 'de' | 'en';
  /** Set for "Re-run with new scale". */
  readonly planNumber?: number;
  /** The spec inputs as Slack carries them: a `file_input`'s file object (FakeSlackApi.userUpload), a URL. */
  readonly spec?: { readonly file?: Record<string, unknown>; readonly url?: string };
}

/** The spec blocks' state: `files` of the file_input (empty when none), `value` of the URL input (null when empty). */
function specState(spec: PlanSubmission['spec']): Record<string, Record<string, unknown>> {
  return {
    specFile: { value: { type: 'file_input', files: spec?.file === undefined ? [] : [spec.file] } },
    specUrl: { value: { type: 'url_text_input', value: spec?.url ?? null } },
  };
}

/** A `view_submission` of the plan modal, with its input blocks, as Slack sends it. */
export function planSubmissionPayload(submission: PlanSubmission): Record<string, unknown> {
  const form = submission.form ?? SAMPLE_PLAN_FORM;
  const metadata = {
    channelId: submission.channelId,
    language: submission.language ?? 'en',
    ...(submission.planNumber === undefined ? {} : { planNumber: submission.planNumber }),
  };
  return viewSubmissionPayload(
    {
      callbackId: PLAN_MODAL_CALLBACK,
      viewId: submission.viewId,
      privateMetadata: JSON.stringify(metadata),
      values: { ...planFormState(form), ...specState(submission.spec) },
      blocks: [...Object.keys(form), 'specFile', 'specUrl'].map((field) => ({ type: 'input', block_id: field })),
    },
    { teamId: submission.teamId, ...(submission.userId === undefined ? {} : { userId: submission.userId }) },
  );
}

/** The same, as the form-encoded body Slack posts to /slack/events. */
export function planSubmissionBody(submission: PlanSubmission): string {
  return interactionBody(planSubmissionPayload(submission));
}
