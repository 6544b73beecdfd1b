import type { App, BlockButtonAction } from '@slack/bolt';
import { revisionMarkdown } from '../render/plan-markdown.ts';
import { buildPlanModal } from './plan-modal.ts';
import type { SlackAppDeps } from './slack-app-deps.ts';
import { EXPORT_ACTION, RERUN_ACTION } from './action-ids.ts';
import { slackOriginOf, slackThreadOf } from './slack-refs.ts';
import { SLACK_TEXTS } from './slack-texts.ts';

/** The plan and revision a button names ("12:2"), read in the clicking workspace only; `latest` reads the newest. */
async function clickedPlan(deps: SlackAppDeps, body: BlockButtonAction, value: string | undefined, latest: boolean) {
  const match = /^(\d+):(\d+)$/u.exec(value ?? '');
  if (match === null) return undefined;
  const workspaceId = body.team?.id ?? body.user.team_id ?? '';
  const number = Number(match[1]);
  const [plan, revision] = await Promise.all([
    deps.store.findPlan(workspaceId, number),
    deps.store.getRevision(workspaceId, number, latest ? undefined : Number(match[2])),
  ]);
  return plan === undefined || revision === undefined ? undefined : { plan, revision };
}

/**
 * The parent message's buttons. "Re-run with new scale" opens the form pre-filled from the
 * plan's latest revision (scale first); "Export" uploads the revision as Markdown into the thread.
 */
export function registerPlanActions(app: App, deps: SlackAppDeps): void {
  app.action<BlockButtonAction>(RERUN_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const clicked = await clickedPlan(deps, body, action.value, true);
    if (clicked === undefined) return;
    const { plan, revision } = clicked;
    const channelId = slackThreadOf(plan)?.channel ?? slackOriginOf(plan) ?? body.channel?.id ?? body.user.id;
    await client.views.open({
      trigger_id: body.trigger_id,
      view: buildPlanModal(
        { channelId, language: revision.request.language, planNumber: plan.number },
        revision.request,
      ),
    });
  });

  app.action<BlockButtonAction>(EXPORT_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const clicked = await clickedPlan(deps, body, action.value, false);
    if (clicked === undefined) return;
    const { plan, revision } = clicked;
    const channel = slackThreadOf(plan)?.channel ?? body.channel?.id;
    const threadTs = slackThreadOf(plan)?.ts;
    if (channel === undefined || threadTs === undefined) return;
    await client.files.uploadV2({
      channel_id: channel,
      thread_ts: threadTs,
      filename: `integration-plan-${plan.number}-r${revision.number}.md`,
      title: SLACK_TEXTS[revision.request.language].exported(plan.number, revision.number),
      content: revisionMarkdown(plan, revision, await deps.store.decisionsOf(plan.workspaceId, revision.id)),
    });
  });
}
