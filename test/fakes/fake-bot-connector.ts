/**
 * Loopback fake of the Bot Connector REST API as Teams runs it, for botbuilder's real
 * ConnectorClient: incoming test activities carry `serviceUrl: fake.url`, so every reply, update
 * and new thread the bot makes lands here.
 *
 * Wire format (botframework-connector's operation specs, Teams' behaviour):
 * - `POST /v3/conversations` with ConversationParameters: a new thread in
 *   `channelData.channel.id` → 201 `{ id: "<channel>;messageid=<activityId>", activityId }`.
 * - `POST /v3/conversations/{id}/activities` and `…/activities/{replyToId}` → 201 `{ id }`;
 *   a conversation id `<channel>;messageid=<root>` posts a reply in that thread.
 * - `PUT /v3/conversations/{id}/activities/{activityId}` → 200 `{ id }` (404 for unknown ids).
 * - `GET /v3/conversations/{id}/members/{userId}` → 200 TeamsChannelAccount or 404.
 * - Errors are ErrorResponse `{ error: { code, message } }`: a body above {@link MAX_MESSAGE_BYTES}
 *   is 413 `MessageSizeTooBig`; throttling is 429 with `Retry-After` (seconds).
 * @see https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Teams refuses messages above about 28 KB. */
export const MAX_MESSAGE_BYTES = 28 * 1024;

/**
 * Teams' documented limits for one bot in one thread (posts and updates): 7 a second, 8 in 2 s,
 * 60 in 30 s. Written out here rather than taken from src/, so the fake checks the service's
 * pacing against the documentation, not against itself.
 * @see https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
 */
export const DOCUMENTED_THREAD_LIMITS = [
  { limit: 7, ms: 1000 },
  { limit: 8, ms: 2000 },
  { limit: 60, ms: 30_000 },
] as const;

export interface ConnectorCall {
  /** When it arrived (Date.now()). */
  readonly at: number;
  /** The thread written to (the conversation id, with `;messageid=` in a channel thread; the channel when creating a thread). */
  readonly thread: string | undefined;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly bytes: number;
  readonly body: unknown;
  readonly authorization: string | undefined;
}

/** A message as the fake holds it: where it lives and every version the bot sent. */
export interface PostedMessage {
  readonly id: string;
  /** The conversation (chat or channel) without `;messageid=`. */
  readonly conversationId: string;
  /** The thread's root in a channel (the root itself included); undefined in chats. */
  readonly threadId: string | undefined;
  readonly versions: Record<string, unknown>[];
}

export interface FakeBotConnector {
  readonly url: string;
  readonly calls: readonly ConnectorCall[];
  /** Messages (typing indicators left out), in posting order; `latest` is what users see now. */
  messages(conversationId?: string): readonly PostedMessage[];
  /** A channel thread: its root first, then the replies in order. */
  thread(conversationId: string, rootId: string): readonly PostedMessage[];
  typingCount(conversationId: string): number;
  /** The next `count` posts/updates answer 429 with Retry-After. */
  throttleNext(count: number, retryAfterSeconds: number): void;
  /** From now on, writes into a thread beyond {@link DOCUMENTED_THREAD_LIMITS} answer 429 (Retry-After 1), as Teams does. */
  enforceThreadLimits(): void;
  addMember(member: { id: string; name: string; aadObjectId?: string }): void;
  close(): Promise<void>;
}

/** The latest version of a message. */
export const latest = (message: PostedMessage | undefined): Record<string, unknown> => message?.versions.at(-1) ?? {};

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const send = (res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));

const errorBody = (code: string, message: string) => ({ error: { code, message } });

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

export async function startFakeBotConnector(): Promise<FakeBotConnector> {
  const calls: ConnectorCall[] = [];
  const messages: PostedMessage[] = [];
  const typing = new Map<string, number>();
  const members = new Map<string, { id: string; name: string; aadObjectId?: string }>();
  let throttled = 0;
  let retryAfter = 0;
  let enforcing = false;
  /** Accepted writes per thread, for the limits. */
  const writesTo = new Map<string, number[]>();
  const overLimit = (thread: string, now: number) =>
    DOCUMENTED_THREAD_LIMITS.some(
      ({ limit, ms }) => (writesTo.get(thread) ?? []).filter((at) => now - at < ms).length >= limit,
    );
  let nextId = Date.now();
  const newId = () => String(++nextId);

  /** Validates and stores a posted activity; the answer's status and body. */
  const post = (fullId: string, body: Record<string, unknown>): [number, object] => {
    const [conversationId = fullId, thread] = fullId.split(';messageid=');
    if (body.type === 'typing') {
      typing.set(conversationId, (typing.get(conversationId) ?? 0) + 1);
      return [201, { id: newId() }];
    }
    if (body.type !== 'message') return [400, errorBody('BadArgument', 'Unknown activity type')];
    const hasContent =
      typeof body.text === 'string' || (Array.isArray(body.attachments) && body.attachments.length > 0);
    if (!hasContent) return [400, errorBody('BadArgument', 'Message has no content')];
    const id = newId();
    messages.push({ id, conversationId, threadId: thread, versions: [body] });
    return [201, { id }];
  };

  const route = (method: string, path: string, body: Record<string, unknown>): [number, object] => {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'v3' || parts[1] !== 'conversations') return [404, errorBody('NotFound', 'Unknown route')];
    const [, , conversation, collection, activityId, extra] = parts;
    if (method === 'POST' && conversation === undefined) {
      const channel = asRecord(asRecord(asRecord(body.channelData).channel)).id;
      const activity = asRecord(body.activity);
      if (typeof channel !== 'string')
        return [400, errorBody('BadArgument', 'Creating a 1:1 or group chat is not supported by this fake')];
      const id = newId();
      messages.push({ id, conversationId: channel, threadId: id, versions: [activity] });
      return [201, { id: `${channel};messageid=${id}`, activityId: id }];
    }
    if (conversation === undefined) return [404, errorBody('NotFound', 'Unknown route')];
    if (collection === 'members' && method === 'GET' && activityId !== undefined) {
      const member = members.get(activityId);
      return member === undefined
        ? [404, errorBody('MemberNotFoundInConversation', 'Member not found')]
        : [200, member];
    }
    if (collection !== 'activities' || extra !== undefined) return [404, errorBody('NotFound', 'Unknown route')];
    if (method === 'POST') return post(conversation, body);
    if (method === 'PUT' && activityId !== undefined) {
      const found = messages.find((message) => message.id === activityId);
      if (found === undefined) return [404, errorBody('ActivityNotFoundInConversation', 'Unknown activity')];
      found.versions.push(body);
      return [200, { id: activityId }];
    }
    return [405, errorBody('MethodNotAllowed', 'Method not allowed')];
  };

  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const method = req.method ?? 'GET';
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      let body: Record<string, unknown> = {};
      try {
        body = raw.length === 0 ? {} : asRecord(JSON.parse(raw.toString('utf8')));
      } catch {
        body = {};
      }
      const at = Date.now();
      const [, , conversation] = path.split('/').filter(Boolean).map(decodeURIComponent);
      const channel = asRecord(asRecord(body.channelData).channel).id;
      const thread = conversation ?? (typeof channel === 'string' ? channel : undefined);
      const record = (status: number) =>
        calls.push({
          at,
          thread,
          method,
          path,
          status,
          bytes: raw.length,
          body,
          authorization: req.headers.authorization,
        });
      const writes = method === 'POST' || method === 'PUT';
      if (writes && throttled > 0) {
        throttled--;
        record(429);
        send(res, 429, errorBody('Throttled', 'Too many requests'), { 'retry-after': String(retryAfter) });
        return;
      }
      if (writes && enforcing && thread !== undefined) {
        if (overLimit(thread, at)) {
          record(429);
          send(res, 429, errorBody('Throttled', 'Too many requests to this thread'), { 'retry-after': '1' });
          return;
        }
        writesTo.set(thread, [...(writesTo.get(thread) ?? []).filter((time) => at - time < 30_000), at]);
      }
      if (writes && raw.length > MAX_MESSAGE_BYTES) {
        record(413);
        send(res, 413, errorBody('MessageSizeTooBig', 'Message size is too big'));
        return;
      }
      const [status, answer] = route(method, path, body);
      record(status);
      send(res, status, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    messages: (conversationId) =>
      messages.filter((message) => conversationId === undefined || message.conversationId === conversationId),
    thread: (conversationId, rootId) =>
      messages.filter((message) => message.conversationId === conversationId && message.threadId === rootId),
    typingCount: (conversationId) => typing.get(conversationId) ?? 0,
    throttleNext(count, seconds) {
      throttled = count;
      retryAfter = seconds;
    },
    enforceThreadLimits() {
      enforcing = true;
    },
    addMember: (member) => members.set(member.id, member),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
