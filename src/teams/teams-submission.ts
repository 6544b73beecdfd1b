import type { Activity } from 'botbuilder';
import { AppError, InputError } from '../errors.ts';
import { parsePlanRequest } from '../core/plan-request.ts';
import type { Language } from '../core/section-keys.ts';
import type { AdaptiveCard } from './adaptive-card.ts';
import { planCard, storedState } from './plan-card.ts';
import { buildPlanFormCard, formDataSchema, readPlanForm } from './plan-form-card.ts';
import { workingCard } from './teams-cards.ts';
import { referenceOf } from './teams-connector.ts';
import { errorText, tenantOf, userOf, type TeamsBotDeps } from './teams-context.ts';
import { TEAMS_TEXTS } from './teams-texts.ts';

/** What a submitted form turns into: the card to show in its place, and whether a plan was queued. */
export interface SubmitOutcome {
  readonly card: AdaptiveCard;
  readonly accepted: boolean;
  readonly language: Language;
}

/**
 * A submitted plan form (Action.Execute, Action.Submit, or a dialog's submit), validated on our
 * side: errors come back as the same form with everything typed kept and a message under each
 * field; a valid form is saved and queued with the activity id as idempotency key (a repeated
 * delivery of the same activity makes one plan) and answered with a "working on it" card, or
 * for a re-run with the plan's finished card restored.
 */
export async function submitPlanForm(
  deps: TeamsBotDeps,
  activity: Partial<Activity>,
  data: Readonly<Record<string, unknown>>,
  style: 'execute' | 'submit' = 'execute',
): Promise<SubmitOutcome> {
  const meta = formDataSchema.safeParse(data);
  const language = meta.success ? meta.data.formLanguage : 'en';
  const planNumber = meta.success ? meta.data.planNumber : undefined;
  const fromRevision = meta.success ? meta.data.fromRevision : undefined;
  const raw = readPlanForm(data);
  const form = (errors: Record<string, string>, notice?: string) => ({
    card: buildPlanFormCard({
      language,
      prompts: deps.prompts,
      values: raw,
      errors,
      planNumber,
      fromRevision,
      submit: style,
      ...(notice ? { notice } : {}),
    }),
    accepted: false,
    language,
  });
  const t = TEAMS_TEXTS[language];
  const workspaceId = tenantOf(activity);
  const origin = referenceOf(activity);
  if (workspaceId === undefined || origin === undefined) return form({}, t.noTenant);
  if (deps.service === undefined) return form({}, t.noModel);
  let request;
  try {
    request = parsePlanRequest(raw, language);
  } catch (error) {
    if (error instanceof InputError)
      return form(Object.fromEntries(error.issues.map((issue) => [issue.field, issue.message])));
    throw error;
  }
  const idempotencyKey = `teams:${activity.id ?? ''}`;
  const requestedBy = userOf(activity);
  try {
    if (planNumber === undefined) {
      const made = await deps.service.submit(request, {
        workspaceId,
        platform: 'teams',
        requestedBy,
        idempotencyKey,
        // Where revision 1 posts: the conversation the form came from (a chat, or a channel for a new thread).
        origin: { platform: 'teams', v: 1, conversation: origin },
      });
      deps.logger.info(
        { activityId: activity.id, planNumber: made.plan.number, created: made.created },
        'Teams plan submitted',
      );
      return { card: workingCard(language, made.plan.title), accepted: true, language };
    }
    const made = await deps.service.rerun({
      workspaceId,
      planNumber,
      changes: { ...request },
      requestedBy,
      idempotencyKey,
      language,
    });
    if (made === undefined) return form({}, t.noPlan(String(planNumber)));
    deps.logger.info(
      { activityId: activity.id, planNumber, revision: made.revision.number, created: made.created },
      'Teams re-run submitted',
    );
    const shown =
      fromRevision === undefined ? undefined : await deps.store.getRevision(workspaceId, planNumber, fromRevision);
    const card =
      shown === undefined
        ? workingCard(language, made.plan.title, planNumber)
        : planCard(made.plan, shown, storedState(shown, ''));
    return { card, accepted: true, language };
  } catch (error) {
    if (error instanceof InputError)
      return form(Object.fromEntries(error.issues.map((issue) => [issue.field, issue.message])));
    if (error instanceof AppError && error.code !== 'INTERNAL') return form({}, errorText(error, language));
    deps.logger.error({ err: error, activityId: activity.id }, 'saving a submitted Teams plan failed');
    return form({}, t.saveFailed);
  }
}
