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

/** task_update and plan_update texts (title, details, output) take at most this many characters. */
export const MAX_TASK_TEXT = 256;
const TASK_STATUSES = new Set(['pending', 'in_progress', 'complete', 'error']);
const DISPLAY_MODES = new Set(['timeline', 'plan']);

/** A task as the stream shows it now, with every status it went through. */
export interface StreamTask {
  readonly id: string;
  title: string;
  status: string;
  details: string | undefined;
  output: string | undefined;
  sources: unknown[] | undefined;
  /** Every status in the order the updates set them. */
  readonly statuses: string[];
}

/** A message's streaming state, by channel and ts. */
export interface StreamState {
  streaming: boolean;
  lastActivity: number;
  readonly recipientUserId: string | undefined;
  /** `timeline` (Slack's default) or `plan`, as started. */
  readonly displayMode: string;
  /** The plan block's title (plan_update), if one was set. */
  planTitle: string | undefined;
  /** Tasks by id, in the order they first appeared. */
  readonly tasks: Map<string, StreamTask>;
  /** Each call's markdown_text in order: start, appends, stop. */
  readonly chunks: string[];
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** What Slack refuses in a `chunks` argument, if anything: its type, and each chunk's fields. */
function chunksProblem(chunks: unknown): SlackReply | undefined {
  if (chunks === undefined) return undefined;
  if (!Array.isArray(chunks)) return slackError('invalid_arguments', ['chunks must be an array']);
  for (const [index, value] of chunks.entries()) {
    const chunk = record(value);
    const at = `[json-pointer:/chunks/${index}]`;
    const text = (field: string, required: boolean) => {
      const found = chunk?.[field];
      if (found === undefined) return required ? `missing required field: ${field} ${at}` : undefined;
      if (typeof found !== 'string') return `${field} must be a string ${at}`;
      return charCount(found) > MAX_TASK_TEXT
        ? `${field} must be at most ${MAX_TASK_TEXT} characters ${at}`
        : undefined;
    };
    let problems: (string | undefined)[];
    switch (chunk?.['type']) {
      case 'markdown_text':
        problems = [typeof chunk['text'] === 'string' ? undefined : `missing required field: text ${at}`];
        break;
      case 'plan_update':
        problems = [text('title', true)];
        break;
      case 'task_update':
        problems = [
          text('id', true),
          text('title', true),
          text('details', false),
          text('output', false),
          TASK_STATUSES.has(String(chunk['status']))
            ? undefined
            : `status must be one of pending, in_progress, complete, error ${at}`,
          chunk['sources'] === undefined || Array.isArray(chunk['sources'])
            ? undefined
            : `sources must be an array ${at}`,
        ];
        break;
      case 'blocks':
        problems = [Array.isArray(chunk['blocks']) ? undefined : `missing required field: blocks ${at}`];
        break;
      default:
        problems = [`unsupported chunk type ${at}`];
    }
    const found = problems.filter((problem) => problem !== undefined);
    if (found.length > 0) return slackError('invalid_arguments', found);
  }
  return undefined;
}

/** Applies a call's chunks to the stream: text appended, tasks and the plan title updated. */
function applyChunks(stream: StreamState, message: MutableMessage, chunks: unknown): void {
  if (!Array.isArray(chunks)) return;
  for (const value of chunks) {
    const chunk = record(value) ?? {};
    if (chunk['type'] === 'markdown_text') {
      message.text += String(chunk['text']);
      stream.chunks.push(String(chunk['text']));
    }
    if (chunk['type'] === 'plan_update') stream.planTitle = String(chunk['title']);
    if (chunk['type'] !== 'task_update') continue;
    const id = String(chunk['id']);
    const status = String(chunk['status']);
    const task = stream.tasks.get(id) ?? {
      id,
      title: '',
      status,
      details: undefined,
      output: undefined,
      sources: undefined,
      statuses: [],
    };
    task.title = String(chunk['title']);
    task.status = status;
    task.statuses.push(status);
    if (typeof chunk['details'] === 'string') task.details = chunk['details'];
    if (typeof chunk['output'] === 'string') task.output = chunk['output'];
    if (Array.isArray(chunk['sources'])) task.sources = chunk['sources'];
    stream.tasks.set(id, task);
  }
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
  const problem =
    missingArguments(args, ['channel', 'thread_ts']) ?? markdownProblem(args, false) ?? chunksProblem(args['chunks']);
  if (problem !== undefined) return problem;
  const displayMode = argString(args, 'task_display_mode') ?? 'timeline';
  if (!DISPLAY_MODES.has(displayMode))
    return slackError('invalid_arguments', ['task_display_mode must be timeline or plan']);
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
  const stream: StreamState = {
    streaming: true,
    lastActivity: Date.now(),
    recipientUserId: argString(args, 'recipient_user_id'),
    displayMode,
    planTitle: undefined,
    tasks: new Map(),
    chunks: text === '' ? [] : [text],
  };
  applyChunks(stream, message, args['chunks']);
  state.streams.set(key(channel, message.ts), stream);
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
  const problem = markdownProblem(args, true) ?? chunksProblem(args['chunks']);
  if (problem !== undefined) return problem;
  const text = argString(args, 'markdown_text');
  if (text !== undefined) {
    found.message.text += text;
    found.stream.chunks.push(text);
  }
  applyChunks(found.stream, found.message, args['chunks']);
  found.stream.lastActivity = Date.now();
  return { ok: true, channel: found.channel, ts: found.ts };
};

const stopStream: MethodHandler = (args, state) => {
  const found = streamed(args, state);
  if ('problem' in found) return found.problem;
  const problem = markdownProblem(args, false) ?? chunksProblem(args['chunks']);
  if (problem !== undefined) return problem;
  const text = argString(args, 'markdown_text') ?? '';
  found.message.text += text;
  if (text !== '') found.stream.chunks.push(text);
  applyChunks(found.stream, found.message, args['chunks']);
  const blocks = args['blocks'];
  if (Array.isArray(blocks)) found.message.blocks = blocks;
  found.stream.streaming = false;
  found.message.edits.push(state.clock.next());
  return { ok: true, channel: found.channel, ts: found.ts, message: state.messageJson(found.message) };
};

/** A stream's state (tasks, display mode, chunks), or undefined for a message that was never one. */
export function streamOf(state: FakeSlackState, channel: string, ts: string): Readonly<StreamState> | undefined {
  return state.streams.get(key(channel, ts));
}

/** Is this message still streaming? chat.update refuses it until the stream is stopped. */
export function isStreaming(state: FakeSlackState, channel: string, ts: string): boolean {
  return liveStream(state, channel, ts) !== undefined;
}

export const STREAM_METHODS: Readonly<Record<string, MethodHandler>> = {
  'chat.startStream': startStream,
  'chat.appendStream': appendStream,
  'chat.stopStream': stopStream,
};
