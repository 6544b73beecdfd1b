import type { App, BlockButtonAction } from '@slack/bolt';
import type { View } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import {
  decideRevision,
  decisionRefusal,
  MAX_REASON_CHARS,
  type DecisionOutcome,
  type DecisionRequest,
} from '../plans/plan-review.ts';
import { LANGUAGES } from '../prompts/section-keys.ts';
import { REVIEW_TEXTS } from '../render/review-texts.ts';
import { APPROVE_ACTION, CHANGES_ACTION } from './action-ids.ts';
import { syncPlanCanvas } from './plan-canvas.ts';
import { slackThreadRenderer } from './plan-thread-blocks.ts';
import type { SlackAppDeps } from './slack-app-deps.ts';

/** The "request changes" form's callback id. */
export const CHANGES_MODAL_CALLBACK = 'plan_changes';
const REASON_BLOCK = 'reason';
const REASON_ACTION = 'value';

const changesMetadataSchema = z.strictObject({
  planNumber: z.number().int().positive(),
  revisionNumber: z.number().int().positive(),
  language: z.enum(LANGUAGES),
});

/** "12:2" of a parent's buttons: plan and revision. */
function clicked(value: string | undefined): { planNumber: number; revisionNumber: number } | undefined {
  const match = /^(\d+):(\d+)$/u.exec(value ?? '');
  return match === null ? undefined : { planNumber: Number(match[1]), revisionNumber: Number(match[2]) };
}

/** The revision's parent message again, with the decision under its status; the canvas gets it too. */
async function showDecision(
  deps: SlackAppDeps,
  client: WebClient,
  outcome: Extract<DecisionOutcome, { kind: 'recorded' }>,
) {
  const { revision, decision } = outcome;
  const canvas = await syncPlanCanvas({ client, store: deps.store, logger: deps.logger }, outcome.plan, revision);
  const plan = { ...outcome.plan, canvas };
  const ref = revision.messageRef;
  if (ref?.platform !== 'slack') return;
  const parent = slackThreadRenderer.parent({ plan, revision }, revision, { kind: 'done', review: decision });
  await client.chat.update({ channel: ref.channel, ts: ref.ts, ...parent });
}

function changesModal(metadata: z.infer<typeof changesMetadataSchema>): View {
  const t = REVIEW_TEXTS[metadata.language];
  return {
    type: 'modal',
    callback_id: CHANGES_MODAL_CALLBACK,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: t.changesTitle },
    submit: { type: 'plain_text', text: t.send },
    close: { type: 'plain_text', text: t.cancel },
    blocks: [
      {
        type: 'input',
        block_id: REASON_BLOCK,
        label: { type: 'plain_text', text: t.reasonLabel },
        element: {
          type: 'plain_text_input',
          action_id: REASON_ACTION,
          multiline: true,
          max_length: MAX_REASON_CHARS,
          placeholder: { type: 'plain_text', text: t.reasonPlaceholder },
        },
      },
    ],
  };
}

/**
 * "Approve" and "Request changes" on a finished revision's parent message: recorded through the
 * shared review use case (PLAN_APPROVERS decides who may), the parent then shows the decision.
 * "Request changes" asks for the reason in a form first. Someone not allowed is told so, and
 * nothing changes.
 */
export function registerReviewActions(app: App, deps: SlackAppDeps): void {
  const decide = (request: Omit<DecisionRequest, 'platform'>) =>
    decideRevision({ store: deps.store, approvers: deps.approvers }, { ...request, platform: 'slack' });

  app.action<BlockButtonAction>(APPROVE_ACTION, async ({ ack, body, action, client, respond }) => {
    await ack();
    const target = clicked(action.value);
    if (target === undefined) return;
    const workspaceId = body.team?.id ?? body.user.team_id ?? '';
    const outcome = await decide({ ...target, workspaceId, kind: 'approved', decidedBy: body.user.id });
    const revision = await deps.store.getRevision(workspaceId, target.planNumber, target.revisionNumber);
    const refusal = decisionRefusal(outcome, revision?.request.language ?? 'en');
    if (refusal !== undefined) await respond({ response_type: 'ephemeral', replace_original: false, text: refusal });
    if (outcome.kind === 'recorded') await showDecision(deps, client, outcome);
  });

  app.action<BlockButtonAction>(CHANGES_ACTION, async ({ ack, body, action, client, respond }) => {
    await ack();
    const target = clicked(action.value);
    if (target === undefined) return;
    const workspaceId = body.team?.id ?? body.user.team_id ?? '';
    const revision = await deps.store.getRevision(workspaceId, target.planNumber, target.revisionNumber);
    const language = revision?.request.language ?? 'en';
    // Said before the form opens, so nobody writes a reason for nothing.
    if (deps.approvers !== undefined && !deps.approvers.has(body.user.id)) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: REVIEW_TEXTS[language].notAllowed });
      return;
    }
    await client.views.open({ trigger_id: body.trigger_id, view: changesModal({ ...target, language }) });
  });

  app.view(CHANGES_MODAL_CALLBACK, async ({ ack, body, view, client }) => {
    const metadata = changesMetadataSchema.safeParse(JSON.parse(view.private_metadata || 'null'));
    if (!metadata.success) {
      await ack();
      return;
    }
    const reason = view.state.values[REASON_BLOCK]?.[REASON_ACTION]?.value ?? '';
    const workspaceId = body.team?.id ?? body.user.team_id ?? '';
    const { planNumber, revisionNumber, language } = metadata.data;
    const outcome = await decide({
      workspaceId,
      planNumber,
      revisionNumber,
      kind: 'changes_requested',
      reason,
      decidedBy: body.user.id,
    });
    const refusal = decisionRefusal(outcome, language);
    if (refusal !== undefined) {
      await ack({ response_action: 'errors', errors: { [REASON_BLOCK]: refusal } });
      return;
    }
    await ack();
    if (outcome.kind === 'recorded') await showDecision(deps, client, outcome);
  });
}
