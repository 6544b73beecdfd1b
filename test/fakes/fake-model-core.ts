/**
 * Provider-independent machinery of the fake model servers: listening on a
 * loopback port, recording requests, the fault queue, and dispatching to a
 * provider adapter that knows the wire format.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  sendJson,
  splitIntoChunks,
  writeJsonBody,
  writeSseBody,
  writeTruncatedJson,
  type BodyTiming,
  type StreamFrames,
} from './fake-model-stream.ts';
import type {
  FakeFault,
  FakeHttpFaultKind,
  FakeModelOptions,
  FakeModelRequest,
  FakeModelServer,
  FakeProvider,
  FakeReply,
  FakeResponder,
} from './fake-model-types.ts';

/** A reply with every default filled in and its text already chunked. */
export interface ResolvedReply {
  readonly text: string;
  readonly chunks: readonly string[];
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly stopReason: 'end_turn' | 'max_tokens';
}

/** Optional specifics of an injected or natural error. */
export interface ErrorDetails {
  readonly message?: string | undefined;
  readonly retryAfterSeconds?: number | undefined;
}

/** An HTTP error answer in a provider's own error format. */
export interface ErrorResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The provider-specific half of a fake server: request parsing and response shapes. */
export interface ProviderAdapter {
  readonly provider: FakeProvider;
  /** Appended to the origin to form the SDK base URL ('' or '/v1'). */
  readonly urlSuffix: string;
  /** The only path answered; anything else gets a 404. */
  readonly route: string;
  readonly requestIdHeader: string;
  /** Must tolerate any input: malformed requests are recorded too. */
  normalize(body: unknown): Pick<FakeModelRequest, 'model' | 'system' | 'messages' | 'maxTokens' | 'stream'>;
  /** A message for a request the real API would reject with 400, else undefined. */
  validate(body: unknown): string | undefined;
  error(kind: FakeHttpFaultKind, details: ErrorDetails, requestId: string): ErrorResponse;
  notFound(method: string, path: string, requestId: string): ErrorResponse;
  completion(request: FakeModelRequest, reply: ResolvedReply): unknown;
  streamFrames(request: FakeModelRequest, reply: ResolvedReply): StreamFrames;
}

/** Random id with a provider-style prefix (msg_, req_, chatcmpl-). */
export function newId(prefix: string): string {
  return prefix + randomBytes(12).toString('hex');
}

/** Narrowing helper for parsed JSON. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text of a string or of an array of `{type:'text', text}` blocks/parts, joined with '\n'. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const block of content) {
    if (isRecord(block) && block['type'] === 'text' && typeof block['text'] === 'string') {
      texts.push(block['text']);
    }
  }
  return texts.join('\n');
}

const defaultResponder: FakeResponder = () => ({ text: 'Hello from the fake model.' });

function resolveReply(request: FakeModelRequest, reply: FakeReply, chunkChars: number): ResolvedReply {
  const chunks = splitIntoChunks(reply.text, chunkChars);
  const promptChars = request.messages.reduce((sum, m) => sum + m.content.length, request.system.length);
  return {
    text: reply.text,
    chunks,
    inputTokens: reply.inputTokens ?? Math.ceil(promptChars / 4),
    outputTokens: reply.outputTokens ?? chunks.length,
    cacheReadTokens: reply.cacheReadTokens ?? 0,
    cacheWriteTokens: reply.cacheWriteTokens ?? 0,
    stopReason: reply.stopReason ?? 'end_turn',
  };
}

function lowerCaseHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function sendError(res: ServerResponse, error: ErrorResponse): void {
  sendJson(res, error.status, error.body, error.headers);
}

interface ServerState {
  readonly requests: FakeModelRequest[];
  readonly faults: FakeFault[];
  respond: FakeResponder;
  tokensPerSecond: number;
  readonly chunkChars: number;
  readonly firstTokenLatencyMs: number;
}

async function answer(
  adapter: ProviderAdapter,
  state: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  signal: AbortSignal,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  if (req.method !== 'POST' || path !== adapter.route) {
    sendError(res, adapter.notFound(req.method ?? 'GET', path, requestId));
    return;
  }
  const body = await readBody(req);
  const request: FakeModelRequest = {
    provider: adapter.provider,
    ...adapter.normalize(body),
    headers: lowerCaseHeaders(req),
    body,
  };
  state.requests.push(request);
  const fault = state.faults.shift();
  // A hanging request keeps its socket open until the client aborts or close() destroys it.
  if (fault?.kind === 'hang') return;
  if (fault !== undefined && fault.kind !== 'cut_stream') {
    const details: ErrorDetails = {
      message: fault.kind === 'bad_request' ? fault.message : undefined,
      retryAfterSeconds: fault.kind === 'rate_limit' ? fault.retryAfterSeconds : undefined,
    };
    sendError(res, adapter.error(fault.kind, details, requestId));
    return;
  }
  const invalid = adapter.validate(body);
  if (invalid !== undefined) {
    sendError(res, adapter.error('bad_request', { message: invalid }, requestId));
    return;
  }
  const reply = resolveReply(request, await state.respond(request), state.chunkChars);
  // The client may have given up while an async responder was thinking.
  signal.throwIfAborted();
  const timing: BodyTiming = {
    firstTokenLatencyMs: state.firstTokenLatencyMs,
    tokensPerSecond: () => state.tokensPerSecond,
    signal,
  };
  if (request.stream) {
    const frames = adapter.streamFrames(request, reply);
    await writeSseBody(res, frames, reply.chunks, timing, fault?.afterChunks);
  } else if (fault !== undefined) {
    await writeTruncatedJson(res, adapter.completion(request, reply));
  } else {
    await writeJsonBody(res, adapter.completion(request, reply), reply.chunks.length, timing);
  }
}

/** Starts a fake server for `adapter` on 127.0.0.1 with an OS-assigned port. */
export async function startFakeServer(
  adapter: ProviderAdapter,
  options: FakeModelOptions = {},
): Promise<FakeModelServer> {
  const state: ServerState = {
    requests: [],
    faults: [],
    respond: options.respond ?? defaultResponder,
    tokensPerSecond: options.tokensPerSecond ?? 0,
    chunkChars: options.chunkChars ?? 4,
    firstTokenLatencyMs: options.firstTokenLatencyMs ?? 0,
  };
  const server = createServer((req, res) => {
    const requestId = newId('req_');
    res.setHeader(adapter.requestIdHeader, requestId);
    // 'close' fires when the client goes away (or after a normal finish); it stops pacing timers.
    const aborter = new AbortController();
    res.on('close', () => aborter.abort());
    answer(adapter, state, req, res, requestId, aborter.signal).catch((err: unknown) => {
      if (aborter.signal.aborted) return;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // A throwing responder becomes a 500 so the test sees it through the SDK.
      sendError(res, adapter.error('server_error', { message: `Fake responder failed: ${String(err)}` }, requestId));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}${adapter.urlSuffix}`,
    requests: state.requests,
    enqueueFaults: (...faults) => {
      state.faults.push(...faults);
    },
    setResponder: (respond) => {
      state.respond = respond;
    },
    setTokensPerSecond: (rate) => {
      state.tokensPerSecond = rate;
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Without this, close() would wait for hanging requests and keep-alive sockets.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
