import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger.ts';
import type { AnswerPoster, AnswerStream, AnswerTarget, ShownAnswer } from '../plans/answer-poster.ts';
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

function answerBlocks(markdown: string, footer: string): KnownBlock[] {
  const body = slackLength(markdown) > MAX_ANSWER_CHARS ? `${markdown.slice(0, MAX_ANSWER_CHARS)}…` : markdown;
  return [
    ...(body.trim() === '' ? [] : [{ type: 'markdown' as const, text: body }]),
    { type: 'context', block_id: 'answer_sources', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(footer) }] },
  ] as KnownBlock[];
}

function payloadOf(text: string, footer: string) {
  const neutral = neutralizeSlackText(text);
  const fallback = truncateMrkdwn(mrkdwnFallback(text), 3000) || footer;
  return { text: fallback, blocks: answerBlocks(neutral, footer) };
}

const sourcesFooter = (target: AnswerTarget, answer: ShownAnswer) =>
  answerFooter(target.language, target.revision, answer.sources);

/**
 * One answer in a Slack thread. Streamed with chat.startStream / appendStream / stopStream to
 * the person who asked; where Slack refuses streaming (an error answer, an older workspace, a
 * stream that expired) or the model starts over, the same message (or a posted one) is edited
 * with chat.update instead. A retried attempt continues in the message the first one started.
 */
function createSlackAnswer(
  deps: SlackAnswerDeps,
  target: AnswerTarget,
  place: Place,
  existing: SlackMessageRef | undefined,
  onMessage: (ref: SlackMessageRef) => Promise<void>,
): AnswerStream {
  const { client, logger } = deps;
  const streamed = createSlackStreamText();
  const t = QUESTION_TEXTS[target.language];
  let ts = existing?.ts;
  // An earlier attempt's message may still be streaming: it is stopped and edited from now on.
  let mode: 'stream' | 'update' = existing === undefined ? 'stream' : 'update';
  let stopPending = existing !== undefined;
  let text = '';
  let pending = '';
  let chain: Promise<void> = Promise.resolve();
  let lastSent = 0;
  let timer: NodeJS.Timeout | undefined;

  const enqueue = (work: () => Promise<void>) => {
    chain = chain.then(work).catch((error: unknown) => {
      logger.warn(
        { err: error, code: platformErrorOf(error) },
        'answer streaming call failed; editing the message instead',
      );
      mode = 'update';
    });
  };
  const remember = async (newTs: string) => {
    ts = newTs;
    await onMessage({ platform: 'slack', v: 1, channel: place.channel, ts: newTs });
  };
  const stopStream = async () => {
    if (ts === undefined) return;
    await client.chat.stopStream({ channel: place.channel, ts }).catch((error: unknown) => {
      // Already stopped (or expired): that is what we wanted.
      logger.debug({ code: platformErrorOf(error) }, 'stopping the answer stream');
    });
  };
  const post = async (payload: { text: string; blocks: KnownBlock[] }) => {
    if (ts === undefined) {
      const posted = await client.chat.postMessage({ channel: place.channel, thread_ts: place.threadTs, ...payload });
      await remember(posted.ts ?? '');
      return;
    }
    if (stopPending) {
      stopPending = false;
      await stopStream();
    }
    await client.chat.update({ channel: place.channel, ts, ...payload });
  };
  const writing = () => payloadOf(`${text}\n\n_${t.writing}_`, t.writing);

  const flushStream = async () => {
    if (mode !== 'stream' || pending === '') return;
    const chunk = pending.slice(0, MAX_STREAM_CHUNK);
    pending = pending.slice(chunk.length);
    if (ts === undefined) {
      const started = await client.chat
        .startStream({
          channel: place.channel,
          thread_ts: place.threadTs,
          recipient_user_id: target.question.askedBy,
          recipient_team_id: target.plan.workspaceId,
          markdown_text: chunk,
        })
        .catch((error: unknown) => {
          logger.info({ code: platformErrorOf(error) }, 'Slack refused streaming; the answer is posted and edited');
          mode = 'update';
          return undefined;
        });
      if (started === undefined) return post(writing());
      await remember(started.ts ?? '');
    } else {
      await client.chat.appendStream({ channel: place.channel, ts, markdown_text: chunk });
    }
    if (pending !== '') await flushStream();
  };
  /** The next call with what arrived: at once when the last one is long enough ago. */
  const schedule = () => {
    if (timer !== undefined) return;
    const send = () => {
      timer = undefined;
      lastSent = Date.now();
      enqueue(() => (mode === 'stream' ? flushStream() : post(writing())));
    };
    const wait = lastSent + EVERY_MS[mode] - Date.now();
    if (wait <= 0) send();
    else timer = setTimeout(send, wait);
  };

  return {
    append(delta) {
      text += delta;
      if (mode === 'stream') pending += streamed.push(delta);
      schedule();
    },
    restart() {
      text = '';
      pending = '';
      streamed.reset();
      if (mode === 'stream' && ts !== undefined) stopPending = true;
      mode = 'update';
    },
    async finish(answer) {
      clearTimeout(timer);
      await chain;
      const footer = sourcesFooter(target, answer);
      const after = streamed.rest(answer.text);
      // What was made sendable but not sent yet goes with the rest.
      const rest = after === undefined ? undefined : pending + after;
      if (mode === 'stream' && ts !== undefined && rest !== undefined && rest.length <= MAX_STREAM_CHUNK) {
        const closing = await client.chat
          .stopStream({
            channel: place.channel,
            ts,
            ...(rest === '' ? {} : { markdown_text: rest }),
            blocks: answerBlocks('', footer),
          })
          .then(() => true)
          .catch((error: unknown) => {
            logger.warn({ code: platformErrorOf(error) }, 'the answer stream could not be closed; editing it');
            return false;
          });
        if (closing) return;
      }
      if (mode === 'stream' && ts !== undefined) stopPending = true;
      await post(payloadOf(answer.text, footer));
    },
    async fail(message) {
      clearTimeout(timer);
      await chain;
      if (mode === 'stream' && ts !== undefined) stopPending = true;
      await post(payloadOf(`${text === '' ? '' : `${text}\n\n`}**${t.failed}** ${message}`, t.failed));
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
      return Promise.resolve(createSlackAnswer(deps, target, place, own, onMessage));
    },
  };
}
