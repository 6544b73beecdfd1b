import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { questionLanguage } from '../core/question-language.ts';
import { askOutcomeText, type AskOutcome } from '../plans/question-service.ts';
import { QUESTION_TEXTS } from '../render/question-texts.ts';
import type { SlackAppDeps } from './slack-app-deps.ts';
import { localeOf } from './slack-locale.ts';

/** The parts of an `app_mention` event we read; anything else is ignored. */
const mentionSchema = z.looseObject({
  user: z.string().min(1),
  text: z.string(),
  ts: z.string().min(1),
  channel: z.string().min(1),
  thread_ts: z.string().optional(),
});

/** The question without the mentions of the bot (`<@U…>`, with or without a label). */
export function questionText(text: string, botUserId: string | undefined): string {
  const mention =
    botUserId === undefined ? /<@[UW][A-Z0-9]+(?:\|[^>]*)?>/gu : new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, 'gu');
  return text.replace(mention, ' ').replace(/\s+/gu, ' ').trim();
}

async function say(client: WebClient, channel: string, threadTs: string, text: string): Promise<void> {
  await client.chat.postMessage({ channel, thread_ts: threadTs, text, unfurl_links: false, unfurl_media: false });
}

/**
 * A mention of the bot in a plan's thread asks a question about that plan (answered in the thread
 * by an answer job); a mention anywhere else gets a short note on what the bot can do. Bolt
 * acknowledges the event at once. A delivery Slack repeats (`x-slack-retry-num`) asks nothing new
 * and says nothing twice.
 */
export function registerThreadQuestions(app: App, deps: SlackAppDeps): void {
  app.event('app_mention', async ({ event, body, client, context }) => {
    const parsed = mentionSchema.safeParse(event);
    const teamId = typeof body.team_id === 'string' ? body.team_id : context.teamId;
    if (!parsed.success || teamId === undefined) {
      deps.logger.warn({ issues: parsed.error?.issues.length }, 'app_mention without the fields we need; ignored');
      return;
    }
    const mention = parsed.data;
    const botUserId = context.botUserId;
    const text = questionText(mention.text, botUserId);
    const replyTs = mention.thread_ts ?? mention.ts;
    const language = async () => questionLanguage(text, await localeOf(client, mention.user));
    const botMention = botUserId === undefined ? '@integration-planner' : `<@${botUserId}>`;
    if (deps.questions === undefined) {
      await say(client, mention.channel, replyTs, QUESTION_TEXTS[await language()].unavailable);
      return;
    }
    const outcome: AskOutcome =
      mention.thread_ts === undefined
        ? { kind: 'no-plan' }
        : await deps.questions.ask({
            workspaceId: teamId,
            platform: 'slack',
            thread: { platform: 'slack', channel: mention.channel, threadTs: mention.thread_ts },
            askedBy: mention.user,
            text,
            eventKey: `slack:${body.event_id}`,
          });
    deps.logger.info({ outcome: outcome.kind, channel: mention.channel, threadTs: replyTs }, 'question in a thread');
    // A repeated delivery was answered by its first one.
    if (outcome.kind === 'queued' || outcome.kind === 'repeated' || (context.retryNum ?? 0) > 0) return;
    const reply = askOutcomeText(outcome, await language(), botMention);
    if (reply !== undefined) await say(client, mention.channel, replyTs, reply);
  });
}
