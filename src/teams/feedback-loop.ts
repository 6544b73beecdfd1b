import type { Activity, InvokeResponse } from 'botbuilder';
import { z } from 'zod';
import type { TeamsBotDeps } from './teams-bot-deps.ts';
import { tenantOf, userOf } from './teams-activity.ts';

/** The invoke Teams sends when someone uses the feedback buttons of a message the bot enabled them on. */
export const FEEDBACK_INVOKE = 'message/submitAction';

/**
 * Its value: the reaction, and what the person wrote as JSON text (`{"feedbackText": "…"}`).
 * @see https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-ai-bot-messages
 */
const feedbackSchema = z.looseObject({
  actionName: z.literal('feedback'),
  actionValue: z.looseObject({ reaction: z.enum(['like', 'dislike']), feedback: z.string().optional() }),
});
const commentSchema = z.looseObject({ feedbackText: z.string() });

/** The comment in a feedback's JSON text, trimmed and capped; undefined when there is none. */
function commentOf(feedback: string | undefined): string | undefined {
  if (feedback === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(feedback);
  } catch {
    return undefined;
  }
  const text = commentSchema.safeParse(parsed).data?.feedbackText.trim();
  return text === undefined || text === '' ? undefined : text.slice(0, 2000);
}

/**
 * Teams' feedback loop on section messages and answers: the vote (and its comment) goes into the
 * same votes as Slack's buttons, found by the message it was given on. A malformed value is a
 * client fault (400); a vote on a message that shows no section or answer is accepted, not kept.
 */
export async function receiveFeedback(deps: TeamsBotDeps, activity: Partial<Activity>): Promise<InvokeResponse> {
  const parsed = feedbackSchema.safeParse(activity.value);
  if (!parsed.success) return { status: 400, body: { error: 'not a feedback action' } };
  const workspaceId = tenantOf(activity);
  const messageId = activity.replyToId;
  if (workspaceId === undefined || messageId === undefined) return { status: 200, body: {} };
  const { reaction, feedback } = parsed.data.actionValue;
  const target = await deps.feedback.voteOnMessage({
    workspaceId,
    messageId,
    userId: userOf(activity),
    helpful: reaction === 'like',
    comment: commentOf(feedback),
  });
  deps.logger.info({ messageId, reaction, target: target ?? 'none' }, 'Teams feedback received');
  return { status: 200, body: {} };
}
