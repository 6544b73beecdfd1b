import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import { decideRevision, decisionRefusal, MAX_REASON_CHARS } from '../plans/plan-review.ts';
import { REVIEW_TEXTS } from '../render/review-texts.ts';
import type { PlanRecord, RevisionRecord } from '../store/plan-records.ts';
import { adaptiveCard, heading, text, type AdaptiveCard } from './adaptive-card.ts';
import { cardResponse, messageResponse } from './invoke-responses.ts';
import { planCard } from './plan-card.ts';
import { VERBS } from './plan-form-card.ts';
import { tenantOf, userOf } from './teams-activity.ts';
import type { TeamsBotDeps } from './teams-bot-deps.ts';
import { neutralizeTeamsText } from './teams-neutralize.ts';
import { TEAMS_TEXTS } from './teams-texts.ts';

/** The verbs answered here. */
export const REVIEW_VERBS: ReadonlySet<string> = new Set([VERBS.approve, VERBS.requestChanges, VERBS.sendChanges]);
const REASON_INPUT = 'reason';

/** The reason form in place of the plan card; Cancel brings the plan card back. */
function changesCard(plan: PlanRecord, revision: RevisionRecord, error?: string): AdaptiveCard {
  const t = REVIEW_TEXTS[revision.request.language];
  const data = { planNumber: plan.number, fromRevision: revision.number };
  return adaptiveCard(
    [
      heading(neutralizeTeamsText(`${t.changesTitle}: ${plan.title}`), 'medium'),
      {
        type: 'Input.Text',
        id: REASON_INPUT,
        label: t.reasonLabel,
        placeholder: t.reasonPlaceholder,
        isMultiline: true,
        isRequired: true,
        errorMessage: t.reasonNeeded,
        maxLength: MAX_REASON_CHARS,
      },
      ...(error === undefined ? [] : [text(error, { id: 'reasonError', color: 'attention', size: 'small' })]),
    ],
    [
      { type: 'Action.Execute', title: t.send, verb: VERBS.sendChanges, style: 'positive', data },
      {
        type: 'Action.Execute',
        title: t.cancel,
        verb: VERBS.cancel,
        associatedInputs: 'none',
        data,
      },
    ],
  );
}

/**
 * "Approve", "Request changes" and sending the reason, from a plan card: recorded through the
 * shared review use case (PLAN_APPROVERS decides who may); the card then shows the decision.
 * Someone not allowed is told so in a message, and the card stays as it is.
 */
export async function answerReview(
  deps: TeamsBotDeps,
  context: TurnContext,
  verb: string,
  target: { planNumber: number | undefined; revisionNumber: number | undefined; reason: unknown },
): Promise<AdaptiveCardInvokeResponse> {
  const workspaceId = tenantOf(context.activity);
  const { planNumber, revisionNumber } = target;
  const decidedBy = userOf(context.activity);
  if (workspaceId === undefined || planNumber === undefined || revisionNumber === undefined) {
    return messageResponse(TEAMS_TEXTS.en.noTenant);
  }
  const plan = await deps.store.findPlan(workspaceId, planNumber);
  const revision = plan && (await deps.store.getRevision(workspaceId, planNumber, revisionNumber));
  const language = revision?.request.language ?? 'en';
  if (plan === undefined || revision === undefined) return messageResponse(REVIEW_TEXTS[language].gone);
  if (deps.approvers !== undefined && !deps.approvers.has(decidedBy)) {
    return messageResponse(REVIEW_TEXTS[language].notAllowed);
  }
  if (verb === VERBS.requestChanges) return cardResponse(changesCard(plan, revision));
  const reason = typeof target.reason === 'string' ? target.reason : undefined;
  const outcome = await decideRevision(
    { store: deps.store, approvers: deps.approvers },
    {
      workspaceId,
      planNumber,
      revisionNumber,
      kind: verb === VERBS.approve ? 'approved' : 'changes_requested',
      reason,
      decidedBy,
      platform: 'teams',
    },
  );
  const refused = decisionRefusal(outcome, language);
  if (refused !== undefined || outcome.kind !== 'recorded') {
    return verb === VERBS.sendChanges
      ? cardResponse(changesCard(plan, revision, refused))
      : messageResponse(refused ?? '');
  }
  const reviewer = { id: decidedBy, name: context.activity.from.name || decidedBy };
  return cardResponse(planCard(plan, revision, { kind: 'done', review: outcome.decision, reviewer }));
}
