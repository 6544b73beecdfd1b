/**
 * The Slack fake's in-memory workspace (messages, views, uploads, users) and
 * the argument checks several methods share, each answering with the error
 * code Slack documents for the method.
 */
import { charCount, MAX_MESSAGE_TEXT, messageBlockProblems } from './fake-slack-blocks.ts';
import type { StoredCanvas } from './fake-slack-canvases.ts';
import type { StreamState } from './fake-slack-streams.ts';
import type { StoredEphemeral, StoredMessage, StoredView, UploadedFile } from './fake-slack-types.ts';
import { argString, slackError, TsClock, type SlackReply } from './fake-slack-wire.ts';

/** Resolved configuration of one fake workspace. */
export interface FakeSlackConfig {
  readonly botToken: string;
  readonly appToken: string;
  readonly teamId: string;
  readonly teamDomain: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  readonly channelsWithoutBot: ReadonlySet<string>;
  readonly missingChannels: ReadonlySet<string>;
  /** Base URL `apps.connections.open` hands out; undefined: `ws://` on the fake itself. */
  readonly socketUrl: string | undefined;
}

export interface MutableMessage {
  channel: string;
  ts: string;
  thread_ts: string | undefined;
  text: string;
  blocks: unknown[] | undefined;
  user: string;
  files: string[];
  edits: string[];
}

/** An upload between files.getUploadURLExternal and files.completeUploadExternal. */
export interface PendingUpload {
  readonly fileId: string;
  readonly filename: string;
  readonly declaredLength: number;
  content: Buffer | undefined;
}

/** Everything the fake remembers; methods mutate it, accessors hand out copies. */
export class FakeSlackState {
  readonly config: FakeSlackConfig;
  /** `http://127.0.0.1:PORT`, set once the server listens. */
  origin = '';
  readonly clock = new TsClock();
  readonly messages = new Map<string, MutableMessage[]>();
  readonly ephemerals: StoredEphemeral[] = [];
  readonly views = new Map<string, StoredView>();
  readonly homeViews = new Map<string, StoredView>();
  /** Keyed by the opaque part of the upload URL. */
  readonly pendingUploads = new Map<string, PendingUpload>();
  readonly files: UploadedFile[] = [];
  /** Files users uploaded through a form's file_input, by id. */
  readonly userFiles = new Map<
    string,
    { readonly name: string; readonly content: Buffer; readonly mimetype: string }
  >();
  readonly fileDownloads: { readonly fileId: string; readonly token: string | undefined }[] = [];
  readonly locales = new Map<string, string>();
  readonly canvases = new Map<string, StoredCanvas>();
  /** Set: canvases.create answers this error (a free workspace, canvases switched off). */
  canvasError: string | undefined;
  /** Streamed messages' state by `channel/ts`. */
  readonly streams = new Map<string, StreamState>();
  /** Set: chat.startStream answers this error. */
  streamingError: string | undefined;
  /** A stream without appends for this long is no longer streaming. */
  streamExpiryMs = 5 * 60_000;

  constructor(config: FakeSlackConfig) {
    this.config = config;
  }

  channelMessages(channel: string): MutableMessage[] {
    let list = this.messages.get(channel);
    if (list === undefined) {
      list = [];
      this.messages.set(channel, list);
    }
    return list;
  }

  findMessage(channel: string, ts: string): MutableMessage | undefined {
    return this.messages.get(channel)?.find((message) => message.ts === ts);
  }

  /** Appends a bot message; a reply's ts given as thread_ts is moved to its parent, as Slack does. */
  addMessage(
    channel: string,
    fields: Pick<MutableMessage, 'text' | 'blocks' | 'files'> & { thread_ts?: string | undefined },
  ): MutableMessage {
    const parent = fields.thread_ts === undefined ? undefined : this.findMessage(channel, fields.thread_ts);
    const message: MutableMessage = {
      channel,
      ts: this.clock.next(),
      thread_ts: parent?.thread_ts ?? fields.thread_ts,
      text: fields.text,
      blocks: fields.blocks,
      user: this.config.botUserId,
      files: fields.files,
      edits: [],
    };
    this.channelMessages(channel).push(message);
    return message;
  }

  /** The `message` object Slack echoes back from chat.postMessage / chat.update. */
  messageJson(message: MutableMessage): Record<string, unknown> {
    return {
      type: 'message',
      text: message.text,
      user: message.user,
      bot_id: this.config.botId,
      app_id: this.config.appId,
      team: this.config.teamId,
      ts: message.ts,
      ...(message.thread_ts === undefined ? {} : { thread_ts: message.thread_ts, parent_user_id: message.user }),
      ...(message.blocks === undefined ? {} : { blocks: message.blocks }),
      ...(message.files.length === 0 ? {} : { files: message.files.map((id) => ({ id })) }),
      ...(message.edits.length === 0 ? {} : { edited: { user: message.user, ts: message.edits.at(-1) } }),
      bot_profile: {
        id: this.config.botId,
        app_id: this.config.appId,
        name: 'integration-planner',
        team_id: this.config.teamId,
      },
    };
  }
}

/** Slack ts strings share one width (10 digits, dot, 6 digits), so string order is time order. */
export function compareTs(a: { ts: string }, b: { ts: string }): number {
  return a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0;
}

export function snapshotMessage(message: MutableMessage): StoredMessage {
  return {
    channel: message.channel,
    ts: message.ts,
    thread_ts: message.thread_ts,
    text: message.text,
    blocks: message.blocks === undefined ? undefined : structuredClone(message.blocks),
    user: message.user,
    files: [...message.files],
    edits: [...message.edits],
  };
}

/** Slack's answer for absent required arguments. */
export function missingArguments(args: Record<string, unknown>, names: readonly string[]): SlackReply | undefined {
  const missing = names.filter((name) => argString(args, name) === undefined && typeof args[name] !== 'object');
  if (missing.length === 0) return undefined;
  return slackError(
    'invalid_arguments',
    missing.map((name) => `missing required field: ${name}`),
  );
}

/** channel_not_found for unknown channels, not_in_channel where the bot is no member (posting methods). */
export function postingChannelError(state: FakeSlackState, channel: string): SlackReply | undefined {
  if (state.config.missingChannels.has(channel)) return slackError('channel_not_found');
  if (state.config.channelsWithoutBot.has(channel)) return slackError('not_in_channel');
  return undefined;
}

/**
 * Content checks shared by chat.postMessage, chat.postEphemeral and chat.update:
 * no_text, msg_too_long, invalid_blocks_format and invalid_blocks (with the
 * validator's reasons in `errors` and `response_metadata.messages`, as Slack sends them).
 */
export function messageContentError(args: Record<string, unknown>): SlackReply | undefined {
  const text = typeof args['text'] === 'string' ? args['text'] : undefined;
  const blocks = args['blocks'];
  const hasAttachments = args['attachments'] !== undefined;
  if ((text === undefined || text === '') && blocks === undefined && !hasAttachments) return slackError('no_text');
  if (text !== undefined && charCount(text) > MAX_MESSAGE_TEXT) {
    return slackError('msg_too_long', [
      `text must be no longer than ${MAX_MESSAGE_TEXT} characters [json-pointer:/text]`,
    ]);
  }
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks))
    return slackError('invalid_blocks_format', ['blocks must be a JSON array of block objects']);
  const problems = messageBlockProblems(blocks);
  return problems.length === 0 ? undefined : slackError('invalid_blocks', problems, { errors: problems });
}
