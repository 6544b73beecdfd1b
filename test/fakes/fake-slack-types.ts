import type { StreamState } from './fake-slack-streams.ts';
/**
 * Public shapes of the loopback Slack Web API fake (see fake-slack-api.ts).
 */

/** Options for {@link FakeSlackApi}; every field has a realistic default. */
export interface FakeSlackApiOptions {
  /** The only bot token accepted by ordinary methods. Default `xoxb-fake-bot-token`. */
  readonly botToken?: string;
  /** The app-level token accepted by `apps.connections.open`. Default `xapp-1-fake-app-token`. */
  readonly appToken?: string;
  /** Default `T0FAKETEAM`. */
  readonly teamId?: string;
  /** The bot's own user id, as `auth.test` reports it. Default `U0FAKEBOT`. */
  readonly botUserId?: string;
  /** Channels the bot is not a member of: posting there answers `not_in_channel`. */
  readonly channelsWithoutBot?: readonly string[];
  /** Channels that do not exist (or are private and unseen): every method answers `channel_not_found`. */
  readonly missingChannels?: readonly string[];
  /**
   * The WebSocket URL `apps.connections.open` hands out (a fresh `ticket` and the `app_id` are
   * appended), e.g. a fake-slack-socket.ts server. Default: a `ws://` URL on this fake that
   * nothing answers.
   */
  readonly socketUrl?: string;
  /** canvases.create answers this error, as Slack does where canvases are not available. */
  readonly canvasError?: string;
  /** chat.startStream answers this error (a workspace without streaming, e.g. `unknown_method`). */
  readonly streamingError?: string;
  /** A stream without appends for this long stops streaming (default 5 minutes). */
  readonly streamExpiryMs?: number;
}

/** One HTTP request the fake received on `/api/<method>`, in arrival order. */
export interface SlackCall {
  readonly method: string;
  /** Arguments as sent; JSON-valued fields (blocks, view, files, …) decoded to objects. */
  readonly body: Readonly<Record<string, unknown>>;
  /** The token from `Authorization: Bearer …` or, failing that, the `token` argument. */
  readonly token: string | undefined;
  /** Where the token came from: `header` (what the WebClient does) or the `token` argument. */
  readonly tokenSource: 'header' | 'argument' | undefined;
  /** The request's Content-Type as sent. */
  readonly contentType: string | undefined;
  /** `Date.now()` when the request arrived. */
  readonly at: number;
  /** HTTP status sent back: 200, or 429 for an enqueued rate limit. */
  readonly status: number;
  /** Slack's `error` string when the answer was `ok: false`. */
  readonly error: string | undefined;
}

/** A message as it currently stands in a channel (chat.update edits it in place). */
export interface StoredMessage {
  readonly channel: string;
  readonly ts: string;
  readonly thread_ts: string | undefined;
  readonly text: string;
  readonly blocks: readonly unknown[] | undefined;
  readonly user: string;
  /** File ids shared with this message (files.completeUploadExternal). */
  readonly files: readonly string[];
  /** Every edit's ts, oldest first. */
  readonly edits: readonly string[];
}

/** An ephemeral message (chat.postEphemeral): seen by one user, never in the channel history. */
export interface StoredEphemeral {
  readonly channel: string;
  readonly user: string;
  readonly message_ts: string;
  readonly thread_ts: string | undefined;
  readonly text: string;
  readonly blocks: readonly unknown[] | undefined;
}

/** A modal or Home tab view as last opened, pushed, updated or published. */
export interface StoredView {
  readonly id: string;
  readonly hash: string;
  readonly type: string;
  /** The view object as the app sent it (decoded). */
  readonly view: Readonly<Record<string, unknown>>;
  /** For a pushed view: the modal it was pushed onto. */
  readonly previous_view_id: string | undefined;
  readonly root_view_id: string;
  /** For views.publish: the user whose Home tab it is. */
  readonly user_id: string | undefined;
}

/** A file that went through getUploadURLExternal → upload → completeUploadExternal. */
export interface UploadedFile {
  readonly id: string;
  readonly filename: string;
  readonly title: string;
  /** Exactly the bytes posted to the upload URL. */
  readonly content: Buffer;
  /** The `length` declared to files.getUploadURLExternal. */
  readonly declaredLength: number;
  readonly channel_id: string | undefined;
  readonly thread_ts: string | undefined;
  readonly initial_comment: string | undefined;
}

import type { StoredCanvas } from './fake-slack-canvases.ts';

/** A running fake; see {@link FakeSlackApiOptions} for its configuration. */
export interface FakeSlackApi {
  /** Give this to `WebClient`/Bolt as `slackApiUrl` (`http://127.0.0.1:PORT/api/`). */
  readonly url: string;
  readonly botToken: string;
  readonly appToken: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly calls: readonly SlackCall[];
  callsTo(method: string): readonly SlackCall[];
  /** Current messages of a channel, oldest first (threads interleaved by ts). */
  messages(channel: string): readonly StoredMessage[];
  /** A thread's parent followed by its replies, oldest first. */
  thread(channel: string, threadTs: string): readonly StoredMessage[];
  /** The thread without plans' progress displays (streams started with task_display_mode plan): the durable record. */
  planThread(channel: string, threadTs: string): readonly StoredMessage[];
  ephemerals(channel: string): readonly StoredEphemeral[];
  /** Views by id, in creation order. */
  views(): readonly StoredView[];
  homeView(userId: string): StoredView | undefined;
  files(): readonly UploadedFile[];
  /**
   * A file a user uploaded through a `file_input`: stored here and described as the element's
   * `files[]` entry (url_private_download on this server, served only with the bot token; any
   * other token gets Slack's HTML sign-in page, as a token without `files:read` does).
   */
  userUpload(name: string, content: Buffer | string, mimetype?: string): Record<string, unknown>;
  /** Requests for user-uploaded files, with the token they carried. */
  readonly fileDownloads: readonly { readonly fileId: string; readonly token: string | undefined }[];
  setUserLocale(userId: string, locale: string): void;
  /** Canvases by id, with their markdown and channel access. */
  canvases(): readonly StoredCanvas[];
  /** A streamed message's markdown_text per call (start, appends, stop), in order. */
  streamChunks(channel: string, ts: string): readonly string[];
  /** A streamed message's state: its display mode, plan title and tasks (with every status each went through). */
  stream(channel: string, ts: string): Readonly<StreamState> | undefined;
  /** From now on chat.startStream answers this error (undefined: streams again). */
  refuseStreaming(error: string | undefined): void;
  /** The next call to `method` answers HTTP 429 with `Retry-After: retryAfterSeconds`. Queues. */
  enqueueRateLimit(method: string, retryAfterSeconds: number): void;
  /** Stops listening and drops open connections; resolves promptly. */
  close(): Promise<void>;
}
