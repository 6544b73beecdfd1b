/**
 * chat.* and files.* (external upload flow) of the Slack fake, answering with
 * the fields clients read and the errors each method page documents.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isStreaming } from './fake-slack-streams.ts';
import {
  FakeSlackState,
  messageContentError,
  missingArguments,
  postingChannelError,
  type MutableMessage,
  type PendingUpload,
} from './fake-slack-state.ts';
import {
  argString,
  isRecord,
  multipartParts,
  readBody,
  slackError,
  slackId,
  type SlackReply,
} from './fake-slack-wire.ts';

/** A Web API method implementation: decoded arguments in, JSON answer out. */
export type MethodHandler = (args: Record<string, unknown>, state: FakeSlackState) => SlackReply;

function blocksOf(args: Record<string, unknown>): unknown[] | undefined {
  const blocks = args['blocks'];
  return Array.isArray(blocks) ? blocks : undefined;
}

function textOf(args: Record<string, unknown>): string {
  return typeof args['text'] === 'string' ? args['text'] : '';
}

const postMessage: MethodHandler = (args, state) => {
  const problem = missingArguments(args, ['channel']) ?? messageContentError(args);
  if (problem !== undefined) return problem;
  const channel = argString(args, 'channel') ?? '';
  const channelProblem = postingChannelError(state, channel);
  if (channelProblem !== undefined) return channelProblem;
  const message = state.addMessage(channel, {
    text: textOf(args),
    blocks: blocksOf(args),
    files: [],
    thread_ts: argString(args, 'thread_ts'),
  });
  return { ok: true, channel, ts: message.ts, message: state.messageJson(message) };
};

const postEphemeral: MethodHandler = (args, state) => {
  const problem = missingArguments(args, ['channel', 'user']) ?? messageContentError(args);
  if (problem !== undefined) return problem;
  const channel = argString(args, 'channel') ?? '';
  const channelProblem = postingChannelError(state, channel);
  if (channelProblem !== undefined) return channelProblem;
  const messageTs = state.clock.next();
  state.ephemerals.push({
    channel,
    user: argString(args, 'user') ?? '',
    message_ts: messageTs,
    thread_ts: argString(args, 'thread_ts'),
    text: textOf(args),
    blocks: blocksOf(args),
  });
  return { ok: true, message_ts: messageTs };
};

const update: MethodHandler = (args, state) => {
  const problem = missingArguments(args, ['channel', 'ts']) ?? messageContentError(args);
  if (problem !== undefined) return problem;
  const channel = argString(args, 'channel') ?? '';
  if (state.config.missingChannels.has(channel)) return slackError('channel_not_found');
  const message = state.findMessage(channel, argString(args, 'ts') ?? '');
  if (message === undefined) return slackError('message_not_found');
  if (message.user !== state.config.botUserId) return slackError('cant_update_message');
  // A streamed reply is edited once its stream is stopped (the fake's conservative reading).
  if (isStreaming(state, channel, message.ts)) return slackError('cant_update_message');
  // chat.update: omitted fields keep their value; an empty blocks array removes the blocks.
  if (typeof args['text'] === 'string') message.text = args['text'];
  const blocks = blocksOf(args);
  if (blocks !== undefined) message.blocks = blocks.length === 0 ? undefined : blocks;
  message.edits.push(state.clock.next());
  return { ok: true, channel, ts: message.ts, text: message.text, message: state.messageJson(message) };
};

function permalinkOf(state: FakeSlackState, message: MutableMessage): string {
  const base = `https://${state.config.teamDomain}.slack.com/archives/${message.channel}/p${message.ts.replace('.', '')}`;
  const isReply = message.thread_ts !== undefined && message.thread_ts !== message.ts;
  return isReply ? `${base}?thread_ts=${message.thread_ts ?? ''}&cid=${message.channel}` : base;
}

const getPermalink: MethodHandler = (args, state) => {
  const problem = missingArguments(args, ['channel', 'message_ts']);
  if (problem !== undefined) return problem;
  const channel = argString(args, 'channel') ?? '';
  if (state.config.missingChannels.has(channel)) return slackError('channel_not_found');
  const message = state.findMessage(channel, argString(args, 'message_ts') ?? '');
  if (message === undefined) return slackError('message_not_found');
  return { ok: true, channel, permalink: permalinkOf(state, message) };
};

const getUploadUrl: MethodHandler = (args, state) => {
  const problem = missingArguments(args, ['filename', 'length']);
  if (problem !== undefined) return problem;
  const length = Number(argString(args, 'length'));
  if (!Number.isInteger(length) || length < 1)
    return slackError('invalid_arguments', ['length must be a positive integer [json-pointer:/length]']);
  const fileId = slackId('F');
  const key = slackId('', 24);
  state.pendingUploads.set(key, {
    fileId,
    filename: argString(args, 'filename') ?? '',
    declaredLength: length,
    content: undefined,
  });
  return { ok: true, upload_url: `${state.origin}/upload/v1/${key}`, file_id: fileId };
};

/** An upload whose bytes have arrived, with the key of its upload URL. */
interface ArrivedUpload {
  readonly key: string;
  readonly pending: PendingUpload;
  readonly content: Buffer;
}

function arrivedUpload(state: FakeSlackState, fileId: string): ArrivedUpload | undefined {
  for (const [key, pending] of state.pendingUploads) {
    if (pending.fileId === fileId && pending.content !== undefined) return { key, pending, content: pending.content };
  }
  return undefined;
}

const completeUpload: MethodHandler = (args, state) => {
  const problem = missingArguments(args, ['files']);
  if (problem !== undefined) return problem;
  const requested: unknown[] = Array.isArray(args['files']) ? args['files'] : [];
  const list = requested.filter(isRecord);
  if (list.length === 0 || list.length !== requested.length || !list.every((file) => typeof file['id'] === 'string')) {
    return slackError('invalid_arguments', [
      'files must be a JSON array of {"id", "title"} objects [json-pointer:/files]',
    ]);
  }
  const channel = argString(args, 'channel_id') ?? argString(args, 'channels');
  const channelProblem = channel === undefined ? undefined : postingChannelError(state, channel);
  if (channelProblem !== undefined) return channelProblem;
  const arrived = list.map((file) => arrivedUpload(state, String(file['id'])));
  // Slack only completes files whose bytes arrived at the upload URL.
  if (arrived.some((upload) => upload === undefined)) return slackError('file_not_found');
  const threadTs = argString(args, 'thread_ts');
  const comment = argString(args, 'initial_comment');
  const completed = arrived.flatMap((upload, i) => {
    if (upload === undefined) return [];
    const { key, pending, content } = upload;
    const titleArg = list[i]?.['title'];
    const title = typeof titleArg === 'string' ? titleArg : pending.filename;
    state.pendingUploads.delete(key);
    state.files.push({
      id: pending.fileId,
      filename: pending.filename,
      title,
      content,
      declaredLength: pending.declaredLength,
      channel_id: channel,
      thread_ts: threadTs,
      initial_comment: comment,
    });
    return [{ id: pending.fileId, name: pending.filename, title, size: content.length, user: state.config.botUserId }];
  });
  // Sharing to a channel posts a file message there (in the thread when thread_ts is given).
  if (channel !== undefined) {
    state.addMessage(channel, {
      text: comment ?? '',
      blocks: undefined,
      files: completed.map((file) => file.id),
      thread_ts: threadTs,
    });
  }
  return { ok: true, files: completed };
};

/** chat.* and files.* methods, by name. */
export const CHAT_METHODS: Readonly<Record<string, MethodHandler>> = {
  'chat.postMessage': postMessage,
  'chat.postEphemeral': postEphemeral,
  'chat.update': update,
  'chat.getPermalink': getPermalink,
  'files.getUploadURLExternal': getUploadUrl,
  'files.completeUploadExternal': completeUpload,
};

/**
 * The upload URL handed out by files.getUploadURLExternal. The WebClient posts
 * the bytes as multipart (field `body`); curl-style raw bodies work too.
 * Answers like files.slack.com: 200 `OK - <bytes>`.
 */
export async function handleUpload(
  req: IncomingMessage,
  res: ServerResponse,
  key: string,
  state: FakeSlackState,
): Promise<void> {
  const raw = await readBody(req);
  const pending = state.pendingUploads.get(key);
  if (req.method !== 'POST' || pending === undefined) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    return;
  }
  const contentType = req.headers['content-type'] ?? '';
  let content = raw;
  if (contentType.startsWith('multipart/form-data')) {
    const parts = [...multipartParts(raw, contentType).values()];
    content = parts.find((part) => Buffer.isBuffer(part)) ?? Buffer.alloc(0);
  }
  pending.content = content;
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(`OK - ${content.length}`);
}
