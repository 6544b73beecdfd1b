import { changeHeadline } from '../core/field-changes.ts';
import { clip } from '../core/text.ts';
import type { ParentState } from '../plans/thread-poster.ts';
import type { PlanRecord, RevisionRecord } from '../store/plan-records.ts';
import { adaptiveCard, text, type AdaptiveCard, type CardAction, type CardElement } from './adaptive-card.ts';
import { VERBS } from './plan-form-card.ts';
import { neutralizeTeamsText } from './teams-neutralize.ts';
import { TEAMS_TEXTS } from './teams-texts.ts';

function statusText(revision: RevisionRecord, state: ParentState): string {
  const t = TEAMS_TEXTS[revision.request.language];
  switch (state.kind) {
    case 'writing':
      return t.writing(state.done, state.total);
    case 'failed':
      return `${t.failed} ${state.message}`;
    case 'done': {
      const usage = revision.usage;
      const tokens = (usage.inputTokens + usage.cacheReadTokens + usage.outputTokens).toLocaleString('en-US');
      return t.done(
        ((revision.durationMs ?? 0) / 1000).toFixed(1),
        revision.model,
        tokens,
        revision.costUsd.toFixed(4),
      );
    }
  }
}

/** The state a stored revision is in, for re-posting its card (`show`). */
export function storedState(revision: RevisionRecord, failedMessage: string): ParentState {
  if (revision.status === 'done') return { kind: 'done' };
  if (revision.status === 'failed') return { kind: 'failed', message: failedMessage };
  return { kind: 'writing', done: 0, total: 7 };
}

/** The re-run button: answered with the pre-filled form in place of this card. */
export function rerunAction(plan: PlanRecord, revision: RevisionRecord): CardAction {
  return {
    type: 'Action.Execute',
    title: TEAMS_TEXTS[revision.request.language].rerun,
    verb: VERBS.rerun,
    style: 'positive',
    data: { planNumber: plan.number, fromRevision: revision.number },
  };
}

/**
 * The plan's parent card: title, the inputs, what changed (re-runs), plan and revision, the
 * status; when done, the time, model, tokens and cost, and "Re-run with new scale".
 */
export function planCard(plan: PlanRecord, revision: RevisionRecord, state: ParentState): AdaptiveCard {
  const t = TEAMS_TEXTS[revision.request.language];
  const request = revision.request;
  const fact = (title: string, value: string) => ({ title, value: neutralizeTeamsText(clip(value, 280)) });
  const body: CardElement[] = [
    text(neutralizeTeamsText(clip(`${t.plan}: ${plan.title}`, 200)), {
      size: 'large',
      weight: 'bolder',
      style: 'heading',
    }),
    {
      type: 'FactSet',
      facts: [
        fact(t.inputs.existingSystem, request.existingSystem),
        fact(t.inputs.targetApi, request.targetApi),
        fact(t.inputs.useCase, request.useCase),
        fact(t.inputs.scale, t.scale(String(request.callsPerSecond), request.dataVolume)),
        fact(t.inputs.budget, request.budget),
      ],
    },
  ];
  if (revision.changes.length > 0) {
    body.push(text(neutralizeTeamsText(`**${t.changed}:** ${changeHeadline(revision.changes, request.language)}`)));
  }
  body.push(text(t.planRevision(plan.number, revision.number), { isSubtle: true, size: 'small' }));
  body.push(
    text(statusText(revision, state), {
      id: 'status',
      ...(state.kind === 'failed' ? { color: 'attention' as const } : {}),
    }),
  );
  return adaptiveCard(body, state.kind === 'done' ? [rerunAction(plan, revision)] : []);
}

/** The short text notifications and chat lists show for the card. */
export function planCardSummary(plan: PlanRecord, revision: RevisionRecord): string {
  return clip(`${TEAMS_TEXTS[revision.request.language].plan}: ${plan.title}`, 200);
}
