/**
 * Loopback fake of the Slack Web API for the real `@slack/web-api` WebClient
 * and Bolt (`clientOptions: { slackApiUrl: fake.url }`).
 *
 * On the wire it behaves as slack.com/api does for these clients: every method
 * is `POST /api/<method>`; the WebClient sends `application/x-www-form-urlencoded`
 * with non-scalar arguments JSON-encoded and the token as `Authorization:
 * Bearer` (JSON and multipart bodies, and a `token` argument, are accepted too).
 * Answers are HTTP 200 with `{ ok, … }`; platform errors are `ok: false` with
 * Slack's error code (plus `response_metadata.messages` for schema failures);
 * an enqueued rate limit is HTTP 429 with `Retry-After` in whole seconds, the
 * only thing the WebClient reads. Upload URLs point back at this server
 * (`/upload/v1/<key>`); `apps.connections.open` returns the `socketUrl`
 * option (fake-slack-socket.ts speaks Socket Mode) or else a `ws://` URL on
 * this server that nothing answers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CANVAS_METHODS } from './fake-slack-canvases.ts';
import { CHAT_METHODS, handleUpload, type MethodHandler } from './fake-slack-chat.ts';
import { STREAM_METHODS, streamOf } from './fake-slack-streams.ts';
import { compareTs, FakeSlackState, snapshotMessage } from './fake-slack-state.ts';
import type { FakeSlackApi, FakeSlackApiOptions, SlackCall } from './fake-slack-types.ts';
import { APP_TOKEN_METHODS, VIEW_METHODS } from './fake-slack-views.ts';
import {
  parseArguments,
  readBody,
  sendJson,
  slackError,
  slackId,
  tokenOf,
  type SlackReply,
} from './fake-slack-wire.ts';

export type {
  FakeSlackApi,
  FakeSlackApiOptions,
  SlackCall,
  StoredMessage,
  StoredView,
  UploadedFile,
} from './fake-slack-types.ts';

const METHODS: Readonly<Record<string, MethodHandler>> = {
  ...CHAT_METHODS,
  ...STREAM_METHODS,
  ...VIEW_METHODS,
  ...CANVAS_METHODS,
};

/** not_authed / invalid_auth / not_allowed_token_type, checked the way Slack orders them. */
function authError(state: FakeSlackState, method: string, token: string | undefined): SlackReply | undefined {
  if (token === undefined) return slackError('not_authed');
  const { botToken, appToken } = state.config;
  if (token !== botToken && token !== appToken) return slackError('invalid_auth');
  // auth.test answers for either kind of token; everything else needs the right kind.
  if (method === 'auth.test') return undefined;
  const wantsAppToken = APP_TOKEN_METHODS.has(method);
  return wantsAppToken === (token === appToken) ? undefined : slackError('not_allowed_token_type');
}

interface Dispatch {
  readonly state: FakeSlackState;
  readonly calls: SlackCall[];
  readonly rateLimits: Map<string, number[]>;
}

async function handleMethod(
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  url: URL,
  dispatch: Dispatch,
): Promise<void> {
  const at = Date.now();
  const raw = await readBody(req);
  let args: Record<string, unknown>;
  try {
    args = parseArguments(req, raw, url.searchParams);
  } catch {
    sendJson(res, 200, slackError('invalid_json'));
    return;
  }
  const { token, source } = tokenOf(req, args);
  const contentType = req.headers['content-type'];
  const record = (status: number, reply: SlackReply): void => {
    const error = reply.ok ? undefined : String(reply['error']);
    dispatch.calls.push({ method, body: args, token, tokenSource: source, contentType, at, status, error });
  };
  const handler = METHODS[method];
  if (handler === undefined) {
    const reply = slackError('unknown_method', [], { req_method: method });
    record(200, reply);
    sendJson(res, 200, reply);
    return;
  }
  const retryAfter = dispatch.rateLimits.get(method)?.shift();
  if (retryAfter !== undefined) {
    const reply = slackError('ratelimited');
    record(429, reply);
    sendJson(res, 429, reply, { 'retry-after': String(retryAfter) });
    return;
  }
  const reply = authError(dispatch.state, method, token) ?? handler(args, dispatch.state);
  record(200, reply);
  sendJson(res, 200, reply);
}

/** Slack's answer without a valid token is its sign-in page, HTML with status 200, not an error. */
const SIGN_IN_PAGE = '<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in to Slack</body></html>';

function serveUserFile(req: IncomingMessage, res: ServerResponse, fileId: string, state: FakeSlackState): void {
  const token = /^Bearer (.+)$/u.exec(req.headers.authorization ?? '')?.[1];
  state.fileDownloads.push({ fileId, token });
  const file = state.userFiles.get(fileId);
  if (token !== state.config.botToken) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(SIGN_IN_PAGE);
    return;
  }
  if (file === undefined) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('file_not_found');
    return;
  }
  res
    .writeHead(200, { 'content-type': file.mimetype, 'content-length': String(file.content.length) })
    .end(file.content);
}

function route(req: IncomingMessage, res: ServerResponse, dispatch: Dispatch): Promise<void> {
  const url = new URL(req.url ?? '/', dispatch.state.origin);
  const apiMatch = /^\/api\/([^/]+)$/.exec(url.pathname);
  if (apiMatch?.[1] !== undefined) return handleMethod(req, res, decodeURIComponent(apiMatch[1]), url, dispatch);
  const uploadMatch = /^\/upload\/v1\/([^/]+)$/.exec(url.pathname);
  if (uploadMatch?.[1] !== undefined) return handleUpload(req, res, uploadMatch[1], dispatch.state);
  const fileMatch = /^\/files-pri\/[A-Z0-9]+-(F[A-Z0-9]+)\/download\/[^/]+$/.exec(url.pathname);
  if (fileMatch?.[1] !== undefined && req.method === 'GET') {
    serveUserFile(req, res, fileMatch[1], dispatch.state);
    return Promise.resolve();
  }
  res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
  return Promise.resolve();
}

/** Starts a fake Slack workspace on 127.0.0.1 with an ephemeral port. */
export async function startFakeSlackApi(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  const state = new FakeSlackState({
    botToken: options.botToken ?? 'xoxb-fake-bot-token',
    appToken: options.appToken ?? 'xapp-1-fake-app-token',
    teamId: options.teamId ?? 'T0FAKETEAM',
    teamDomain: 'fake-workspace',
    botUserId: options.botUserId ?? 'U0FAKEBOT',
    botId: 'B0FAKEBOT',
    appId: 'A0FAKEAPP',
    channelsWithoutBot: new Set(options.channelsWithoutBot ?? []),
    missingChannels: new Set(options.missingChannels ?? []),
    socketUrl: options.socketUrl,
  });
  state.canvasError = options.canvasError;
  state.streamingError = options.streamingError;
  if (options.streamExpiryMs !== undefined) state.streamExpiryMs = options.streamExpiryMs;
  const dispatch: Dispatch = { state, calls: [], rateLimits: new Map() };
  const server = createServer((req, res) => {
    route(req, res, dispatch).catch((error: unknown) => {
      // A fake bug must not look like a Slack answer: surface it as an HTTP 500 (WebAPIHTTPError).
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(error instanceof Error ? error.stack : String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { config } = state;

  return {
    url: `${state.origin}/api/`,
    botToken: config.botToken,
    appToken: config.appToken,
    teamId: config.teamId,
    botUserId: config.botUserId,
    botId: config.botId,
    calls: dispatch.calls,
    callsTo: (method) => dispatch.calls.filter((call) => call.method === method),
    messages: (channel) => [...(state.messages.get(channel) ?? [])].sort(compareTs).map(snapshotMessage),
    thread: (channel, threadTs) =>
      (state.messages.get(channel) ?? [])
        .filter((message) => message.ts === threadTs || message.thread_ts === threadTs)
        .sort(compareTs)
        .map(snapshotMessage),
    planThread: (channel, threadTs) =>
      (state.messages.get(channel) ?? [])
        .filter((message) => message.ts === threadTs || message.thread_ts === threadTs)
        .filter((message) => streamOf(state, channel, message.ts)?.displayMode !== 'plan')
        .sort(compareTs)
        .map(snapshotMessage),
    ephemerals: (channel) => state.ephemerals.filter((message) => message.channel === channel),
    views: () => [...state.views.values()],
    homeView: (userId) => state.homeViews.get(userId),
    files: () => [...state.files],
    userUpload: (name, content, mimetype = 'application/octet-stream') => {
      const id = slackId('F');
      const bytes = typeof content === 'string' ? Buffer.from(content) : content;
      state.userFiles.set(id, { name, content: bytes, mimetype });
      const download = `${state.origin}/files-pri/${config.teamId}-${id}/download/${encodeURIComponent(name)}`;
      return {
        id,
        created: Math.floor(Date.now() / 1000),
        timestamp: Math.floor(Date.now() / 1000),
        name,
        title: name,
        mimetype,
        filetype: name.split('.').pop() ?? '',
        size: bytes.length,
        user: 'U0FAKEUSER',
        user_team: config.teamId,
        is_external: false,
        is_public: false,
        url_private: download.replace('/download/', '/'),
        url_private_download: download,
        permalink: `${state.origin}/files/U0FAKEUSER/${id}/${encodeURIComponent(name)}`,
      };
    },
    fileDownloads: state.fileDownloads,
    setUserLocale: (userId, locale) => state.locales.set(userId, locale),
    canvases: () => [...state.canvases.values()],
    streamChunks: (channel, ts) => [...(state.streams.get(`${channel}/${ts}`)?.chunks ?? [])],
    stream: (channel, ts) => streamOf(state, channel, ts),
    refuseStreaming: (error) => {
      state.streamingError = error;
    },
    enqueueRateLimit: (method, retryAfterSeconds) => {
      const queue = dispatch.rateLimits.get(method) ?? [];
      queue.push(retryAfterSeconds);
      dispatch.rateLimits.set(method, queue);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets from fetch would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
