import type { Activity } from 'botbuilder';
import type { Language } from '../prompts/section-keys.ts';
import { acceptPlanForm, checkPlanForm, type FormOutcome, type PlanForm } from '../plans/form-submission.ts';
import { planTitle } from '../core/plan-title.ts';
import type { SpecInput } from '../plans/spec-input.ts';
import { SHARED_TEXTS } from '../render/shared-texts.ts';
import type { PendingSpec } from '../store/pending-specs.ts';
import type { PlanRecord } from '../store/plan-records.ts';
import type { AdaptiveCard } from './adaptive-card.ts';
import { planCard, storedState } from './plan-card.ts';
import { buildPlanFormCard, formDataSchema, readPlanForm, readSpecUrl, SPEC_URL_FIELD } from './plan-form-card.ts';
import { PENDING_SPEC_MAX_AGE_MS } from './spec-attachment.ts';
import { noticeCard, workingCard } from './teams-cards.ts';
import { referenceOf } from './teams-connector.ts';
import { tenantOf, userOf } from './teams-activity.ts';
import type { TeamsBotDeps } from './teams-bot-deps.ts';
import { neutralizeTeamsText } from './teams-neutralize.ts';
import { TEAMS_TEXTS } from './teams-texts.ts';

/** What a submitted form turns into: the card to show in its place, and whether a plan was queued. */
export interface SubmitOutcome {
  readonly card: AdaptiveCard;
  readonly accepted: boolean;
  readonly language: Language;
  /**
   * Set while a spec URL is downloaded after the answer (Teams gives an invoke 5 seconds):
   * `card` then says so, and this is the outcome to show in its place once the spec is read.
   */
  readonly later?: Promise<SubmitOutcome>;
}

type FormData = ReturnType<typeof formDataSchema.parse>;

/** The spec the form grounds its plan in: the URL typed, else a file sent in the 1:1 chat. */
function specOf(url: string | undefined, pending: PendingSpec | undefined): SpecInput | undefined {
  if (url !== undefined) return { kind: 'url', url };
  if (pending === undefined) return undefined;
  return { kind: 'file', name: pending.name, download: () => Promise.resolve(pending.body) };
}

/**
 * A submitted plan form (card or dialog) through the shared use case, keyed by the activity id (a
 * repeated delivery makes one plan). Problems come back as the form with everything typed kept.
 * A spec URL is checked at once and downloaded after the answer (`later`); a spec file the
 * person sent in the 1:1 chat is used when no URL is given, and forgotten once a plan has it.
 */
export async function submitPlanFormCard(
  deps: TeamsBotDeps,
  activity: Partial<Activity>,
  data: Readonly<Record<string, unknown>>,
  style: 'execute' | 'submit' = 'execute',
): Promise<SubmitOutcome> {
  const formData = formDataSchema.parse(data);
  const { formLanguage: language } = formData;
  const url = readSpecUrl(data);
  const values = readPlanForm(data);
  const shown = { values: { ...values, [SPEC_URL_FIELD]: url }, style, formData };
  const workspaceId = tenantOf(activity);
  const origin = referenceOf(activity);
  if (workspaceId === undefined || origin === undefined) {
    return formCard(deps, shown, {}, TEAMS_TEXTS[language].noTenant);
  }
  const requestedBy = userOf(activity);
  const pending =
    url === undefined ? await deps.store.findPendingSpec(workspaceId, requestedBy, PENDING_SPEC_MAX_AGE_MS) : undefined;
  const form: PlanForm & { platform: 'teams' } = {
    values,
    language,
    planNumber: formData.planNumber,
    workspaceId,
    platform: 'teams',
    requestedBy,
    idempotencyKey: `teams:${activity.id ?? ''}`,
    // Where revision 1 posts: the conversation the form came from (a chat, or a channel for a new thread).
    origin: { platform: 'teams', v: 1, conversation: origin },
    spec: specOf(url, pending),
  };
  const finish = async (): Promise<SubmitOutcome> => {
    // A new plan without a spec is taken at the door; re-runs and plans with a spec are saved here.
    const outcome = await acceptPlanForm(deps.service, form, deps.logger);
    if (outcome.kind === 'accepted' && pending !== undefined) {
      await deps.store.dropPendingSpec(workspaceId, requestedBy, pending.sha256);
    }
    return shownOutcome(deps, outcome, { activity, shown, workspaceId });
  };
  if (url === undefined || deps.connector === undefined) return finish();
  const problem = await checkPlanForm(deps.service, form, deps.logger);
  if (problem !== undefined) return shownOutcome(deps, problem, { activity, shown, workspaceId });
  const reading = noticeCard(neutralizeTeamsText(TEAMS_TEXTS[language].specFile.reading(url)));
  return { card: reading, accepted: false, language, later: finish() };
}

interface Shown {
  readonly values: Readonly<Record<string, unknown>>;
  readonly style: 'execute' | 'submit';
  readonly formData: FormData;
}

/** The form again, with everything typed, errors under their fields and a notice above them. */
function formCard(
  deps: TeamsBotDeps,
  shown: Shown,
  errors: Readonly<Record<string, string>>,
  notice?: string,
): SubmitOutcome {
  const { formLanguage: language, planNumber, fromRevision } = shown.formData;
  const card = buildPlanFormCard({
    language,
    prompts: deps.prompts,
    values: shown.values,
    planNumber,
    fromRevision,
    submit: shown.style,
    errors,
    ...(notice === undefined ? {} : { notice }),
  });
  return { card, accepted: false, language };
}

/** What the person sees of a submission's outcome. */
async function shownOutcome(
  deps: TeamsBotDeps,
  outcome: FormOutcome,
  context: { activity: Partial<Activity>; shown: Shown; workspaceId: string },
): Promise<SubmitOutcome> {
  const { shown } = context;
  const { formLanguage: language, planNumber, fromRevision } = shown.formData;
  if (outcome.kind === 'invalid') return formCard(deps, shown, outcome.fieldErrors);
  if (outcome.kind === 'refused') return formCard(deps, shown, {}, outcome.message);
  if (outcome.kind === 'failed') return formCard(deps, shown, {}, SHARED_TEXTS[language].saveFailed);
  if (outcome.kind === 'bad-spec') return formCard(deps, shown, { [SPEC_URL_FIELD]: outcome.message });
  if (outcome.kind === 'taken') {
    deps.logger.info({ activityId: context.activity.id }, 'Teams plan taken');
    return { card: workingCard(language, planTitle(outcome.request)), accepted: true, language };
  }
  const { plan, revision, created } = outcome.submitted;
  deps.logger.info(
    { activityId: context.activity.id, planNumber: plan.number, revision: revision.number, created },
    'Teams plan submitted',
  );
  return {
    card: await acceptedCard(deps, context.workspaceId, plan, planNumber, fromRevision, language),
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
