import type { App, BlockButtonAction } from '@slack/bolt';
import { revisionMarkdown } from '../render/plan-markdown.ts';
import { buildPlanModal } from './plan-modal.ts';
import type { SlackAppDeps } from './slack-app-deps.ts';
import { EXPORT_ACTION, RERUN_ACTION } from './action-ids.ts';
import { slackOriginOf, slackThreadOf } from './slack-refs.ts';
import { SLACK_TEXTS } from './slack-texts.ts';

/** "12:2" → plan 12, revision 2, as the buttons carry them. */
function parseValue(value: string | undefined): { plan: number; revision: number } | undefined {
  const match = /^(\d+):(\d+)$/u.exec(value ?? '');
  return match === null ? undefined : { plan: Number(match[1]), revision: Number(match[2]) };
}

/**
 * The parent message's buttons. "Re-run with new scale" opens the form pre-filled from the
 * plan's latest revision (scale first); "Export" uploads the revision as Markdown into the thread.
 * Both read only the clicking workspace's plans.
 */
export function registerPlanActions(app: App, deps: SlackAppDeps): void {
  app.action<BlockButtonAction>(RERUN_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const ids = parseValue(action.value);
    const workspaceId = body.team?.id ?? body.user.team_id ?? '';
    const latest = ids === undefined ? undefined : await deps.store.getRevision(workspaceId, ids.plan);
    const plan = ids === undefined ? undefined : await deps.store.findPlan(workspaceId, ids.plan);
    if (latest === undefined || plan === undefined) return;
    const { request } = latest;
    await client.views.open({
      trigger_id: body.trigger_id,
      view: buildPlanModal(
        {
          channelId: slackThreadOf(plan)?.channel ?? slackOriginOf(plan) ?? body.channel?.id ?? body.user.id,
          language: request.language,
          planNumber: plan.number,
        },
        { ...request, scaleNotes: request.scaleNotes },
      ),
    });
  });

  app.action<BlockButtonAction>(EXPORT_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const ids = parseValue(action.value);
    const workspaceId = body.team?.id ?? body.user.team_id ?? '';
    if (ids === undefined) return;
    const [plan, revision] = await Promise.all([
      deps.store.findPlan(workspaceId, ids.plan),
      deps.store.getRevision(workspaceId, ids.plan, ids.revision),
    ]);
    if (plan === undefined || revision === undefined) return;
    const channel = slackThreadOf(plan)?.channel ?? body.channel?.id;
    const threadTs = slackThreadOf(plan)?.ts;
    if (channel === undefined || threadTs === undefined) return;
    await client.files.uploadV2({
      channel_id: channel,
      thread_ts: threadTs,
      filename: `integration-plan-${plan.number}-r${revision.number}.md`,
      title: SLACK_TEXTS[revision.request.language].exported(plan.number, revision.number),
      content: revisionMarkdown(plan, revision),
    });
  });
}
