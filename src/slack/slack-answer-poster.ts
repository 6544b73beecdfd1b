import { answerFeedbackBlock } from './answer-votes.ts';
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger.ts';
import type { AnswerPoster, AnswerStream, AnswerTarget } from '../plans/answer-poster.ts';
import { createPacedSender } from '../plans/paced-sender.ts';
import { answerFooter, QUESTION_TEXTS } from '../render/question-texts.ts';
import type { SlackMessageRef } from '../store/message-refs.ts';
import { platformErrorOf } from './slack-client.ts';
import { escapeMrkdwn, mrkdwnFallback, neutralizeSlackText, slackLength, truncateMrkdwn } from './slack-markdown.ts';
import { slackThreadOf } from './slack-refs.ts';
import { createSlackStreamText } from './streamed-markdown.ts';

/**
 * How often a message being written gets more text: chat.appendStream is Tier 4 (100+ a minute),
 * chat.update Tier 3 (about 50). What arrives in between goes with the next call; the first
 * text goes at once.
 */
const EVERY_MS = { stream: 1000, update: 1200 } as const;
/** markdown_text takes 12,000 characters per call. */
const MAX_STREAM_CHUNK = 11_000;
/** A markdown block holds 12,000 characters; answers are far shorter. */
const MAX_ANSWER_CHARS = 11_500;

export interface SlackAnswerDeps {
  readonly client: WebClient;
  readonly logger: Logger;
}

interface Place {
  readonly channel: string;
  readonly threadTs: string;
}

/**
 * The line under an answer, by what it says: the sources of a finished answer, that it is being
 * written, or that it failed (a finished answer is recognisable by its block).
 */
type FooterKind = 'answer_sources' | 'answer_writing' | 'answer_failed';

/** The answer's text, the line under it and, once it is finished, its feedback buttons (`extra`). */
function answerBlocks(
  markdown: string,
  footer: string,
  kind: FooterKind = 'answer_sources',
  extra: readonly KnownBlock[] = [],
): KnownBlock[] {
  const body = slackLength(markdown) > MAX_ANSWER_CHARS ? `${markdown.slice(0, MAX_ANSWER_CHARS)}…` : markdown;
  return [
    ...(body.trim() === '' ? [] : [{ type: 'markdown' as const, text: body }]),
    { type: 'context', block_id: kind, elements: [{ type: 'mrkdwn', text: escapeMrkdwn(footer) }] },
    ...extra,
  ] as KnownBlock[];
}

function payloadOf(
  text: string,
  footer: string,
  kind: FooterKind = 'answer_sources',
  extra: readonly KnownBlock[] = [],
) {
  const neutral = neutralizeSlackText(text);
  const fallback = truncateMrkdwn(mrkdwnFallback(text), 3000) || footer;
  return { text: fallback, blocks: answerBlocks(neutral, footer, kind, extra) };
}

/** chat.startStream to the person who asked, in the plan's thread: the new message's ts, or undefined where Slack refuses. */
async function startStream(
  deps: SlackAnswerDeps,
  target: AnswerTarget,
  place: Place,
  markdown: string,
): Promise<string | undefined> {
  try {
    const started = await deps.client.chat.startStream({
      channel: place.channel,
      thread_ts: place.threadTs,
      recipient_user_id: target.question.askedBy,
      recipient_team_id: target.plan.workspaceId,
      markdown_text: markdown,
    });
    return started.ts ?? '';
  } catch (error) {
    deps.logger.info({ code: platformErrorOf(error) }, 'Slack refused streaming; the answer is posted and edited');
    return undefined;
  }
}

/**
 * The one message of an answer: started as a stream (to the person who asked), or posted; edited
 * with chat.update once any stream in it is stopped. `existing`: an earlier attempt's message,
 * perhaps still streaming.
 */
function answerMessage(
  deps: SlackAnswerDeps,
  target: AnswerTarget,
  place: Place,
  existing: SlackMessageRef | undefined,
  onMessage: (ref: SlackMessageRef) => Promise<void>,
) {
  const { client, logger } = deps;
  let ts = existing?.ts;
  let live = existing !== undefined;
  const remember = async (newTs: string) => {
    ts = newTs;
    await onMessage({ platform: 'slack', v: 1, channel: place.channel, ts: newTs });
  };
  /** Ends the stream, with its last text and blocks; false when Slack did not take them. */
  const stop = async (end: { markdown_text?: string; blocks?: KnownBlock[] } = {}): Promise<boolean> => {
    if (ts === undefined || !live) return false;
    live = false;
    return client.chat
      .stopStream({ channel: place.channel, ts, ...end })
      .then(() => true)
      .catch((error: unknown) => {
        // Already stopped or expired: the message is edited instead.
        logger.debug({ code: platformErrorOf(error) }, 'stopping the answer stream');
        return false;
      });
  };
  return {
    /** Whether the message streams now (a stream this attempt started and did not stop). */
    streaming: () => ts !== undefined && live,
    started: () => ts !== undefined,
    /** Starts the stream with its first text; false where Slack refuses streaming. */
    async start(markdown: string): Promise<boolean> {
      const started = await startStream(deps, target, place, markdown);
      if (started === undefined) return false;
      live = true;
      await remember(started);
      return true;
    },
    async append(markdown: string): Promise<void> {
      await client.chat.appendStream({ channel: place.channel, ts: ts ?? '', markdown_text: markdown });
    },
    stop,
    /** The whole message as `payload`: posted if there is none yet, else edited (its stream stopped first). */
    async show(payload: { text: string; blocks: KnownBlock[] }): Promise<void> {
      if (ts === undefined) {
        const posted = await client.chat.postMessage({ channel: place.channel, thread_ts: place.threadTs, ...payload });
        await remember(posted.ts ?? '');
        return;
      }
      if (live) await stop();
      await client.chat.update({ channel: place.channel, ts, ...payload });
    },
  };
}

/**
 * Closes a stream with the rest of the answer (what was made sendable but not sent yet first)
 * and the footer; false when it cannot be (the model started over, Slack stopped streaming):
 * the message is then edited.
 */
async function closeStream(
  message: ReturnType<typeof answerMessage>,
  pending: string,
  streamed: ReturnType<typeof createSlackStreamText>,
  answer: string,
  footer: string,
  feedback: readonly KnownBlock[],
): Promise<boolean> {
  const after = streamed.rest(answer);
  const rest = after === undefined ? undefined : pending + after;
  if (rest === undefined || rest.length > MAX_STREAM_CHUNK) return false;
  const blocks = answerBlocks('', footer, 'answer_sources', feedback);
  return message.stop({ ...(rest === '' ? {} : { markdown_text: rest }), blocks });
}

/**
 * One answer in a Slack thread. Streamed with chat.startStream / appendStream / stopStream to
 * the person who asked; where Slack refuses streaming (an error answer, an older workspace, a
 * stream that expired) or the model starts over, the same message (or a posted one) is edited
 * with chat.update instead. A retried attempt continues in the message the first one started.
 */
function createSlackAnswer(
  deps: SlackAnswerDeps,
  target: AnswerTarget,
  message: ReturnType<typeof answerMessage>,
  resumed: boolean,
): AnswerStream {
  const t = QUESTION_TEXTS[target.language];
  const feedback = [answerFeedbackBlock(target.question.id, target.language)];
  const streamed = createSlackStreamText();
  // A resumed answer edits the message its earlier attempt started.
  let mode: 'stream' | 'update' = resumed ? 'update' : 'stream';
  let text = '';
  let pending = '';
  const sender = createPacedSender({
    everyMs: () => EVERY_MS[mode],
    onError: (error) => {
      deps.logger.warn({ err: error, code: platformErrorOf(error) }, 'answer stream call failed; editing instead');
      mode = 'update';
    },
  });
  const writing = () => payloadOf(`${text}\n\n_${t.writing}_`, t.writing, 'answer_writing');
  const flush = async (): Promise<void> => {
    if (mode !== 'stream') return message.show(writing());
    const chunk = pending.slice(0, MAX_STREAM_CHUNK);
    pending = pending.slice(chunk.length);
    if (chunk === '') return;
    if (message.started()) await message.append(chunk);
    else if (!(await message.start(chunk))) {
      mode = 'update';
      return message.show(writing());
    }
    if (pending !== '') await flush();
  };
  return {
    append(delta) {
      text += delta;
      if (mode === 'stream') pending += streamed.push(delta);
      sender.request(flush);
    },
    restart() {
      text = '';
      pending = '';
      streamed.reset();
      mode = 'update';
    },
    async finish(answer) {
      await sender.settle();
      const footer = answerFooter(target.language, target.revision, answer.sources);
      const streaming = mode === 'stream' && message.streaming();
      if (streaming && (await closeStream(message, pending, streamed, answer.text, footer, feedback))) return;
      await message.show(payloadOf(answer.text, footer, 'answer_sources', feedback));
    },
    async fail(reason) {
      await sender.settle();
      const shown = text === '' ? '' : `${text}\n\n`;
      await message.show(payloadOf(`${shown}**${t.failed}** ${reason}`, t.failed, 'answer_failed'));
    },
  };
}

/** Answers in Slack plan threads (see createSlackAnswer). */
export function createSlackAnswerPoster(deps: SlackAnswerDeps): AnswerPoster {
  return {
    open(target, existing, onMessage) {
      const thread = slackThreadOf(target.plan);
      if (thread === undefined) throw new Error(`plan ${target.plan.id} has no Slack thread to answer in`);
      const own = existing?.platform === 'slack' ? existing : undefined;
      const place = { channel: thread.channel, threadTs: thread.ts };
      const message = answerMessage(deps, target, place, own, onMessage);
      return Promise.resolve(createSlackAnswer(deps, target, message, own !== undefined));
    },
  };
}
