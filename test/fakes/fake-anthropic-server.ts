/**
 * Loopback fake of the Anthropic Messages API (`POST /v1/messages`), exact
 * enough on the wire for the real `@anthropic-ai/sdk` to parse, stream,
 * retry and classify errors as it would against the real service.
 */
import {
  isRecord,
  newId,
  startFakeServer,
  textOf,
  type ProviderAdapter,
  type ResolvedReply,
} from './fake-model-core.ts';
import { sseFrame, type StreamFrames } from './fake-model-stream.ts';
import type {
  FakeChatMessage,
  FakeHttpFaultKind,
  FakeModelOptions,
  FakeModelRequest,
  FakeModelServer,
} from './fake-model-types.ts';

const ERRORS: Readonly<Record<FakeHttpFaultKind, { status: number; type: string; message: string }>> = {
  rate_limit: {
    status: 429,
    type: 'rate_limit_error',
    message: 'Number of requests has exceeded your rate limit (fake).',
  },
  overloaded: { status: 529, type: 'overloaded_error', message: 'Overloaded' },
  server_error: { status: 500, type: 'api_error', message: 'Internal server error' },
  unauthorized: { status: 401, type: 'authentication_error', message: 'invalid x-api-key' },
  bad_request: { status: 400, type: 'invalid_request_error', message: 'Invalid request (fake).' },
};

function messagesOf(value: unknown): FakeChatMessage[] {
  if (!Array.isArray(value)) return [];
  const messages: FakeChatMessage[] = [];
  for (const item of value) {
    if (!isRecord(item)) continue;
    const role = item['role'];
    if (role === 'user' || role === 'assistant') messages.push({ role, content: textOf(item['content']) });
  }
  return messages;
}

function validate(body: unknown): string | undefined {
  if (!isRecord(body)) return 'Request body must be a JSON object.';
  if (typeof body['model'] !== 'string' || body['model'] === '') return 'model: Field required';
  const maxTokens = body['max_tokens'];
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
    return 'max_tokens: Field required (a positive integer)';
  }
  if (!Array.isArray(body['messages']) || body['messages'].length === 0)
    return 'messages: at least one message is required';
  return undefined;
}

function usageOf(reply: ResolvedReply, outputTokens: number): Record<string, number> {
  return {
    input_tokens: reply.inputTokens,
    output_tokens: outputTokens,
    cache_creation_input_tokens: reply.cacheWriteTokens,
    cache_read_input_tokens: reply.cacheReadTokens,
  };
}

function message(request: FakeModelRequest, reply: ResolvedReply, id: string): Record<string, unknown> {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: request.model,
    content: [{ type: 'text', text: reply.text }],
    stop_reason: reply.stopReason,
    stop_sequence: null,
    usage: usageOf(reply, reply.outputTokens),
  };
}

function streamFrames(request: FakeModelRequest, reply: ResolvedReply): StreamFrames {
  // message_start carries the prompt-side usage; output tokens arrive in message_delta.
  const start = { ...message(request, reply, newId('msg_')), content: [], stop_reason: null, usage: usageOf(reply, 0) };
  return {
    head: [
      sseFrame({ type: 'message_start', message: start }, 'message_start'),
      sseFrame(
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        'content_block_start',
      ),
      sseFrame({ type: 'ping' }, 'ping'),
    ],
    chunk: (text) =>
      sseFrame({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }, 'content_block_delta'),
    tail: [
      sseFrame({ type: 'content_block_stop', index: 0 }, 'content_block_stop'),
      sseFrame(
        {
          type: 'message_delta',
          delta: { stop_reason: reply.stopReason, stop_sequence: null },
          usage: { output_tokens: reply.outputTokens },
        },
        'message_delta',
      ),
      sseFrame({ type: 'message_stop' }, 'message_stop'),
    ],
  };
}

const anthropicAdapter: ProviderAdapter = {
  provider: 'anthropic',
  urlSuffix: '',
  route: '/v1/messages',
  requestIdHeader: 'request-id',
  normalize: (body) => {
    const record = isRecord(body) ? body : {};
    const maxTokens = record['max_tokens'];
    return {
      model: typeof record['model'] === 'string' ? record['model'] : '',
      system: textOf(record['system']),
      messages: messagesOf(record['messages']),
      maxTokens: typeof maxTokens === 'number' ? maxTokens : undefined,
      stream: record['stream'] === true,
    };
  },
  validate,
  error: (kind, details, requestId) => {
    const spec = ERRORS[kind];
    const headers: Record<string, string> = {};
    if (kind === 'rate_limit') headers['retry-after'] = String(details.retryAfterSeconds ?? 1);
    // The SDK picks its error class from the status and reads `error.type` / `error.message`.
    const body = {
      type: 'error',
      error: { type: spec.type, message: details.message ?? spec.message },
      request_id: requestId,
    };
    return { status: spec.status, body, headers };
  },
  notFound: (method, path, requestId) => ({
    status: 404,
    body: {
      type: 'error',
      error: { type: 'not_found_error', message: `Not found: ${method} ${path}` },
      request_id: requestId,
    },
  }),
  completion: (request, reply) => message(request, reply, newId('msg_')),
  streamFrames,
};

/** Starts a fake Anthropic Messages API; give `server.url` to the SDK as `baseURL`. */
export function startFakeAnthropic(options?: FakeModelOptions): Promise<FakeModelServer> {
  return startFakeServer(anthropicAdapter, options);
}
