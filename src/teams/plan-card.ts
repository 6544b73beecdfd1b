import { changeHeadline } from '../core/field-changes.ts';
import { clip } from '../core/text.ts';
import { revisionFacts, parentStatus, type ParentState } from '../render/plan-facts.ts';
import { REVIEW_TEXTS, reviewLine } from '../render/review-texts.ts';
import type { PlanRecord, RevisionRecord } from '../store/plan-records.ts';
import { adaptiveCard, heading, text, type AdaptiveCard, type CardAction, type CardElement } from './adaptive-card.ts';
import { VERBS } from './plan-form-card.ts';
import { neutralizeTeamsText } from './teams-neutralize.ts';
import { TEAMS_TEXTS } from './teams-texts.ts';

/** The state a stored revision is in, for re-posting its card (`show`). */
export function storedState(revision: RevisionRecord, failedMessage: string): ParentState {
  if (revision.status === 'done') return { kind: 'done' };
  if (revision.status === 'failed') return { kind: 'failed', message: failedMessage };
  return { kind: 'writing', done: 0, total: 7 };
}

/** The re-run button: answered with the pre-filled form in place of this card. */
function rerunAction(plan: PlanRecord, revision: RevisionRecord): CardAction {
  return {
    type: 'Action.Execute',
    title: TEAMS_TEXTS[revision.request.language].rerun,
    verb: VERBS.rerun,
    style: 'positive',
    data: { planNumber: plan.number, fromRevision: revision.number },
  };
}

/** The plan's parent card: title, inputs, what changed, plan and revision, status; when done, "Re-run". */
export function planCard(plan: PlanRecord, revision: RevisionRecord, state: ParentState): AdaptiveCard {
  const t = TEAMS_TEXTS[revision.request.language];
  const request = revision.request;
  const body: CardElement[] = [
    heading(neutralizeTeamsText(planCardSummary(plan, revision)), 'large'),
    {
      type: 'FactSet',
      facts: revisionFacts(revision).map((fact) => ({ title: fact.label, value: neutralizeTeamsText(fact.value) })),
    },
  ];
  if (revision.changes.length > 0) {
    body.push(text(neutralizeTeamsText(`**${t.changed}:** ${changeHeadline(revision.changes, request.language)}`)));
  }
  body.push(
    text(t.planRevision(plan.number, revision.number), { isSubtle: true, size: 'small' }),
    text(parentStatus(revision, state, t), {
      id: 'status',
      ...(state.kind === 'failed' ? { color: 'attention' as const } : {}),
    }),
  );
  if (state.kind !== 'done') return adaptiveCard(body, []);
  const who = (id: string) => (id === state.reviewer?.id ? state.reviewer.name : id);
  body.push(
    text(neutralizeTeamsText(reviewLine(state.review, request.language, who)), { id: 'review', weight: 'bolder' }),
  );
  return adaptiveCard(body, [rerunAction(plan, revision), ...reviewActions(plan, revision)]);
}

/** "Approve" and "Request changes": answered with this card showing the decision, or the reason form. */
function reviewActions(plan: PlanRecord, revision: RevisionRecord): CardAction[] {
  const t = REVIEW_TEXTS[revision.request.language];
  const data = { planNumber: plan.number, fromRevision: revision.number };
  return [
    { type: 'Action.Execute', title: t.approve, verb: VERBS.approve, data },
    { type: 'Action.Execute', title: t.requestChanges, verb: VERBS.requestChanges, data },
  ];
}

/** The short text notifications and chat lists show for the card. */
export function planCardSummary(plan: PlanRecord, revision: RevisionRecord): string {
  return clip(`${TEAMS_TEXTS[revision.request.language].plan}: ${plan.title}`, 200);
}
