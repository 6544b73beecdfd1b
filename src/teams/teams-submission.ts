import type { Activity } from 'botbuilder';
import type { Language } from '../prompts/section-keys.ts';
import { submitPlanForm } from '../plans/form-submission.ts';
import { SHARED_TEXTS } from '../render/shared-texts.ts';
import type { PlanRecord } from '../store/plan-records.ts';
import type { AdaptiveCard } from './adaptive-card.ts';
import { planCard, storedState } from './plan-card.ts';
import { buildPlanFormCard, formDataSchema, readPlanForm, SPEC_URL_FIELD } from './plan-form-card.ts';
import { workingCard } from './teams-cards.ts';
import { referenceOf } from './teams-connector.ts';
import { tenantOf, userOf } from './teams-activity.ts';
import type { TeamsBotDeps } from './teams-bot-deps.ts';
import { TEAMS_TEXTS } from './teams-texts.ts';

/** What a submitted form turns into: the card to show in its place, and whether a plan was queued. */
export interface SubmitOutcome {
  readonly card: AdaptiveCard;
  readonly accepted: boolean;
  readonly language: Language;
}

/**
 * A submitted plan form (card or dialog) through the shared use case, keyed by the activity id (a
 * repeated delivery makes one plan). Problems come back as the form with everything typed kept.
 */
export async function submitPlanFormCard(
  deps: TeamsBotDeps,
  activity: Partial<Activity>,
  data: Readonly<Record<string, unknown>>,
  style: 'execute' | 'submit' = 'execute',
): Promise<SubmitOutcome> {
  const { formLanguage: language, planNumber, fromRevision } = formDataSchema.parse(data);
  const values = readPlanForm(data);
  const shown = { language, prompts: deps.prompts, values, planNumber, fromRevision, submit: style };
  const form = (errors: Readonly<Record<string, string>>, notice?: string): SubmitOutcome => ({
    card: buildPlanFormCard({ ...shown, errors, ...(notice ? { notice } : {}) }),
    accepted: false,
    language,
  });
  const workspaceId = tenantOf(activity);
  const origin = referenceOf(activity);
  if (workspaceId === undefined || origin === undefined) return form({}, TEAMS_TEXTS[language].noTenant);
  const outcome = await submitPlanForm(
    deps.service,
    {
      values,
      language,
      planNumber,
      workspaceId,
      platform: 'teams',
      requestedBy: userOf(activity),
      idempotencyKey: `teams:${activity.id ?? ''}`,
      // Where revision 1 posts: the conversation the form came from (a chat, or a channel for a new thread).
      origin: { platform: 'teams', v: 1, conversation: origin },
    },
    deps.logger,
  );
  if (outcome.kind === 'invalid') return form(outcome.fieldErrors);
  if (outcome.kind === 'refused') return form({}, outcome.message);
  if (outcome.kind === 'failed') return form({}, SHARED_TEXTS[language].saveFailed);
  if (outcome.kind === 'bad-spec') return form({ [SPEC_URL_FIELD]: outcome.message });
  const { plan, revision, created } = outcome.submitted;
  deps.logger.info(
    { activityId: activity.id, planNumber: plan.number, revision: revision.number, created },
    'Teams plan submitted',
  );
  return {
    card: await acceptedCard(deps, workspaceId, plan, planNumber, fromRevision, language),
    accepted: true,
    language,
  };
}

/** "Working on it" in place of the form; for a re-run, the card of the revision it came from. */
async function acceptedCard(
  deps: TeamsBotDeps,
  workspaceId: string,
  plan: PlanRecord,
  planNumber: number | undefined,
  fromRevision: number | undefined,
  language: Language,
): Promise<AdaptiveCard> {
  if (planNumber === undefined) return workingCard(language, plan.title);
  const shown =
    fromRevision === undefined ? undefined : await deps.store.getRevision(workspaceId, planNumber, fromRevision);
  return shown === undefined
    ? workingCard(language, plan.title, planNumber)
    : planCard(plan, shown, storedState(shown, ''));
}
