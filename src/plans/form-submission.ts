import { AppError, InputError } from '../errors.ts';
import { parsePlanRequest, type PlanRequest } from '../core/plan-request.ts';
import type { Language } from '../prompts/section-keys.ts';
import { userMessage } from '../core/user-messages.ts';
import type { Logger } from '../logger.ts';
import { SHARED_TEXTS } from '../render/shared-texts.ts';
import type { ConversationRef } from '../store/message-refs.ts';
import type { CreatedRevision, Platform } from '../store/plan-records.ts';
import type { PlanService } from './plan-service.ts';
import { checkSpecInput, receiveSpec, type SpecInput } from './spec-input.ts';
import { SpecError } from '../grounding/spec-error.ts';
import { specErrorText } from '../grounding/spec-texts.ts';

/** A submitted plan form as every surface reads it: raw values, who, where, and for what. */
export interface PlanForm {
  /** The form's values as typed (strings, numbers), checked here. */
  readonly values: Readonly<Record<string, unknown>>;
  /** The form's language: error texts are written in it. */
  readonly language: Language;
  /** A re-run of this plan; absent for a new plan. */
  readonly planNumber: number | undefined;
  readonly workspaceId: string;
  readonly platform: Platform;
  readonly requestedBy: string;
  /** Platform-prefixed and unique per submission (Slack view id, Teams activity id). */
  readonly idempotencyKey: string;
  /** Where a new plan's thread starts. */
  readonly origin: ConversationRef;
  /** The target API's spec, given with the form: downloaded and read before anything is saved. */
  readonly spec?: SpecInput | undefined;
}

/** What became of a submitted form; the surface shows it in its own way. */
export type FormOutcome =
  | { readonly kind: 'accepted'; readonly submitted: CreatedRevision }
  /** Taken at the door (acceptPlanForm): a worker creates the plan of this request. */
  | { readonly kind: 'taken'; readonly request: PlanRequest }
  /** Messages by field name, in the form's language: the form stays open with everything typed. */
  | { readonly kind: 'invalid'; readonly fieldErrors: Readonly<Record<string, string>> }
  /** Refused as a whole (a plan limit, no model configured, no such plan): the text says why. */
  | { readonly kind: 'refused'; readonly message: string }
  /** The spec cannot be used (download, format, size …): the text names the problem; nothing was saved. */
  | { readonly kind: 'bad-spec'; readonly message: string }
  /** Not saved for a reason of ours (logged); the user may submit again. */
  | { readonly kind: 'failed' };

/** What submitPlanForm answers: the plan is saved when it is accepted. */
export type SubmitOutcome = Exclude<FormOutcome, { kind: 'taken' }>;

/** Every outcome but success: what the surface shows in or next to the form. */
export type FormProblem = Exclude<FormOutcome, { kind: 'accepted' } | { kind: 'taken' }>;

/** The one submission use case of every surface: validate (field errors, nothing lost), then save and queue. */
export async function submitPlanForm(
  service: PlanService | undefined,
  form: PlanForm,
  logger: Logger,
): Promise<SubmitOutcome> {
  const { language } = form;
  if (service === undefined) return { kind: 'refused', message: SHARED_TEXTS[language].noModel };
  try {
    const request = parsePlanRequest(form.values, language);
    // Fields first: a typo is reported before a download is waited for.
    const spec = form.spec === undefined ? undefined : await receiveSpec(form.spec, service.specFetch);
    const who = { workspaceId: form.workspaceId, requestedBy: form.requestedBy, idempotencyKey: form.idempotencyKey };
    if (form.planNumber === undefined) {
      const submitted = await service.submit(request, { ...who, platform: form.platform, origin: form.origin, spec });
      return { kind: 'accepted', submitted };
    }
    const changes = { ...request };
    const submitted = await service.rerun({ ...who, planNumber: form.planNumber, changes, language, spec });
    if (submitted === undefined)
      return { kind: 'refused', message: SHARED_TEXTS[language].noPlan(String(form.planNumber)) };
    return { kind: 'accepted', submitted };
  } catch (error) {
    return failedOutcome(error, form, logger);
  }
}

/**
 * A new plan without a spec from a chat platform, taken at the door (PlanService.accept): field
 * errors and limits are said in the form at once, as with submitPlanForm, but the answer never
 * waits behind other plans being saved. Re-runs and forms with a spec go through submitPlanForm.
 */
export async function acceptPlanForm(
  service: PlanService | undefined,
  form: PlanForm & { readonly platform: 'slack' | 'teams' },
  logger: Logger,
): Promise<FormOutcome> {
  if (form.planNumber !== undefined || form.spec !== undefined) return submitPlanForm(service, form, logger);
  if (service === undefined) return { kind: 'refused', message: SHARED_TEXTS[form.language].noModel };
  try {
    const request = parsePlanRequest(form.values, form.language);
    const { workspaceId, platform, requestedBy, idempotencyKey, origin } = form;
    await service.accept(request, { workspaceId, platform, requestedBy, idempotencyKey, origin });
    return { kind: 'taken', request };
  } catch (error) {
    return failedOutcome(error, form, logger);
  }
}

/** A submission's failure as the surface shows it; a fault of ours is logged. */
function failedOutcome(error: unknown, form: PlanForm, logger: Pick<Logger, 'error'>): FormProblem {
  const { language } = form;
  if (error instanceof InputError) {
    const fieldErrors = Object.fromEntries(error.issues.map((issue) => [issue.field, issue.message]));
    return { kind: 'invalid', fieldErrors };
  }
  if (error instanceof SpecError) return { kind: 'bad-spec', message: specErrorText(error, language) };
  if (error instanceof AppError && error.code !== 'INTERNAL') {
    return { kind: 'refused', message: userMessage(error, language) };
  }
  logger.error({ err: error, idempotencyKey: form.idempotencyKey }, 'saving a submitted plan failed');
  return { kind: 'failed' };
}

/**
 * What can be said of a form before its spec is downloaded (surfaces that must answer at once
 * check this, answer, then submit): field errors, a URL that cannot work, a plan limit.
 * Undefined: submit it.
 */
export async function checkPlanForm(
  service: PlanService | undefined,
  form: PlanForm,
  logger: Logger,
): Promise<FormProblem | undefined> {
  const { language } = form;
  if (service === undefined) return { kind: 'refused', message: SHARED_TEXTS[language].noModel };
  try {
    parsePlanRequest(form.values, language);
    if (form.spec !== undefined) checkSpecInput(form.spec, service.specFetch);
  } catch (error) {
    if (error instanceof InputError || error instanceof SpecError) return failedOutcome(error, form, logger);
    throw error;
  }
  const refusal = await formRefusal(service, form.workspaceId, form.requestedBy, language);
  return refusal === undefined ? undefined : { kind: 'refused', message: refusal };
}

/**
 * Why `userId` cannot start a plan now (no model configured, a plan limit reached), in their
 * language, said before the form opens so nobody fills it in for nothing; submitting checks again.
 */
export async function formRefusal(
  service: PlanService | undefined,
  workspaceId: string,
  userId: string,
  language: Language,
): Promise<string | undefined> {
  if (service === undefined) return SHARED_TEXTS[language].noModel;
  const limited = await service.limitFor(workspaceId, userId);
  return limited === undefined ? undefined : userMessage(limited, language);
}
