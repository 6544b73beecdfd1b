/**
 * chat.startStream / chat.appendStream / chat.stopStream of the Slack fake: a streamed reply is a
 * message in the streaming state until it is stopped (or expires after a while without appends),
 * with the argument checks and error codes Slack documents for these methods.
 * @see https://docs.slack.dev/reference/methods/chat.startStream
 */
import { charCount } from './fake-slack-blocks.ts';
import type { MethodHandler } from './fake-slack-chat.ts';
import { missingArguments, postingChannelError, type FakeSlackState, type MutableMessage } from './fake-slack-state.ts';
import { argString, slackError, type SlackReply } from './fake-slack-wire.ts';

/** markdown_text takes at most this many characters per call. */
export const MAX_STREAM_MARKDOWN = 12_000;

/** A message's streaming state, by channel and ts. */
export interface StreamState {
  streaming: boolean;
  lastActivity: number;
  readonly recipientUserId: string | undefined;
  /** Each call's markdown_text in order: start, appends, stop. */
  readonly chunks: string[];
}

const key = (channel: string, ts: string) => `${channel}/${ts}`;

function markdownProblem(args: Record<string, unknown>, required: boolean) {
  const markdown = args['markdown_text'];
  const chunks = args['chunks'];
  if (markdown === undefined && chunks === undefined)
    return required ? slackError('invalid_arguments', ['markdown_text or chunks is required']) : undefined;
  if (markdown !== undefined && typeof markdown !== 'string')
    return slackError('invalid_arguments', ['markdown_text must be a string']);
  if (typeof markdown === 'string' && charCount(markdown) > MAX_STREAM_MARKDOWN)
    return slackError('msg_too_long', [`markdown_text must be no longer than ${MAX_STREAM_MARKDOWN} characters`]);
  return undefined;
}

/** The stream of a message, if it is one and still streaming (expired streams stop here). */
function liveStream(state: FakeSlackState, channel: string, ts: string): StreamState | undefined {
  const stream = state.streams.get(key(channel, ts));
  if (stream === undefined || !stream.streaming) return undefined;
  if (Date.now() - stream.lastActivity > state.streamExpiryMs) stream.streaming = false;
  return stream.streaming ? stream : undefined;
}

const startStream: MethodHandler = (args, state) => {
  if (state.streamingError !== undefined) return slackError(state.streamingError);
  const problem = missingArguments(args, ['channel', 'thread_ts']) ?? markdownProblem(args, false);
  if (problem !== undefined) return problem;
  const channel = argString(args, 'channel') ?? '';
  const channelProblem = postingChannelError(state, channel);
  if (channelProblem !== undefined) return channelProblem;
  // Outside a DM the stream goes to one person, who must be named with their team.
  if (!channel.startsWith('D')) {
    if (argString(args, 'recipient_user_id') === undefined) return slackError('missing_recipient_user_id');
    if (argString(args, 'recipient_team_id') === undefined) return slackError('missing_recipient_team_id');
  }
  const text = argString(args, 'markdown_text') ?? '';
  const message = state.addMessage(channel, {
    text,
    blocks: undefined,
    files: [],
    thread_ts: argString(args, 'thread_ts'),
  });
  state.streams.set(key(channel, message.ts), {
    streaming: true,
    lastActivity: Date.now(),
    recipientUserId: argString(args, 'recipient_user_id'),
    chunks: text === '' ? [] : [text],
  });
  return { ok: true, channel, ts: message.ts };
};

/** appendStream and stopStream: the message must exist and still be streaming. */
function streamed(
  args: Record<string, unknown>,
  state: FakeSlackState,
):
  | { readonly problem: SlackReply }
  | { readonly message: MutableMessage; readonly stream: StreamState; readonly channel: string; readonly ts: string } {
  const problem = missingArguments(args, ['channel', 'ts']);
  if (problem !== undefined) return { problem };
  const channel = argString(args, 'channel') ?? '';
  if (state.config.missingChannels.has(channel)) return { problem: slackError('channel_not_found') };
  const ts = argString(args, 'ts') ?? '';
  const message = state.findMessage(channel, ts);
  if (message === undefined) return { problem: slackError('message_not_found') };
  const stream = liveStream(state, channel, ts);
  if (stream === undefined) return { problem: slackError('message_not_in_streaming_state') };
  return { message, stream, channel, ts };
}

const appendStream: MethodHandler = (args, state) => {
  const found = streamed(args, state);
  if ('problem' in found) return found.problem;
  const problem = markdownProblem(args, true);
  if (problem !== undefined) return problem;
  const text = argString(args, 'markdown_text') ?? '';
  found.message.text += text;
  found.stream.chunks.push(text);
  found.stream.lastActivity = Date.now();
  return { ok: true, channel: found.channel, ts: found.ts };
};

const stopStream: MethodHandler = (args, state) => {
  const found = streamed(args, state);
  if ('problem' in found) return found.problem;
  const problem = markdownProblem(args, false);
  if (problem !== undefined) return problem;
  const text = argString(args, 'markdown_text') ?? '';
  found.message.text += text;
  if (text !== '') found.stream.chunks.push(text);
  const blocks = args['blocks'];
  if (Array.isArray(blocks)) found.message.blocks = blocks;
  found.stream.streaming = false;
  found.message.edits.push(state.clock.next());
  return { ok: true, channel: found.channel, ts: found.ts, message: state.messageJson(found.message) };
};

/** Is this message still streaming? chat.update refuses it until the stream is stopped. */
export function isStreaming(state: FakeSlackState, channel: string, ts: string): boolean {
  return liveStream(state, channel, ts) !== undefined;
}

export const STREAM_METHODS: Readonly<Record<string, MethodHandler>> = {
  'chat.startStream': startStream,
  'chat.appendStream': appendStream,
  'chat.stopStream': stopStream,
};
