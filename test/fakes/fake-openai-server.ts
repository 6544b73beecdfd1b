/**
 * Loopback fake of the OpenAI Chat Completions API (`POST /v1/chat/completions`),
 * exact enough on the wire for the real `openai` SDK to parse, stream, retry
 * and classify errors as it would against the real service.
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

interface OpenAIErrorSpec {
  readonly status: number;
  readonly type: string;
  readonly code: string | null;
  readonly message: string;
}

const ERRORS: Readonly<Record<FakeHttpFaultKind, OpenAIErrorSpec>> = {
  rate_limit: {
    status: 429,
    type: 'requests',
    code: 'rate_limit_exceeded',
    message: 'Rate limit reached (fake). Please try again later.',
  },
  overloaded: { status: 503, type: 'server_error', code: null, message: 'The server is overloaded or not ready yet.' },
  server_error: {
    status: 500,
    type: 'server_error',
    code: null,
    message: 'The server had an error while processing your request.',
  },
  unauthorized: {
    status: 401,
    type: 'invalid_request_error',
    code: 'invalid_api_key',
    message: 'Incorrect API key provided.',
  },
  bad_request: { status: 400, type: 'invalid_request_error', code: null, message: 'Invalid request (fake).' },
};

function splitMessages(value: unknown): { system: string; messages: FakeChatMessage[] } {
  const systemParts: string[] = [];
  const messages: FakeChatMessage[] = [];
  for (const item of Array.isArray(value) ? value : []) {
    if (!isRecord(item)) continue;
    const role = item['role'];
    const content = textOf(item['content']);
    if (role === 'system' || role === 'developer') systemParts.push(content);
    else if (role === 'user' || role === 'assistant') messages.push({ role, content });
  }
  return { system: systemParts.join('\n'), messages };
}

function validate(body: unknown): string | undefined {
  if (!isRecord(body)) return 'Request body must be a JSON object.';
  if (typeof body['model'] !== 'string' || body['model'] === '') return 'you must provide a model parameter';
  if (!Array.isArray(body['messages']) || body['messages'].length === 0) return "[] is too short - 'messages'";
  return undefined;
}

function usageOf(reply: ResolvedReply): Record<string, unknown> {
  const promptDetails: Record<string, number> = { cached_tokens: reply.cacheReadTokens, audio_tokens: 0 };
  if (reply.cacheWriteTokens > 0) promptDetails['cache_write_tokens'] = reply.cacheWriteTokens;
  return {
    prompt_tokens: reply.inputTokens,
    completion_tokens: reply.outputTokens,
    total_tokens: reply.inputTokens + reply.outputTokens,
    prompt_tokens_details: promptDetails,
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function finishReason(reply: ResolvedReply): 'stop' | 'length' {
  return reply.stopReason === 'max_tokens' ? 'length' : 'stop';
}

function envelope(request: FakeModelRequest, object: string): Record<string, unknown> {
  return {
    id: newId('chatcmpl-'),
    object,
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    service_tier: 'default',
    system_fingerprint: null,
  };
}

function completion(request: FakeModelRequest, reply: ResolvedReply): unknown {
  return {
    ...envelope(request, 'chat.completion'),
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: reply.text, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: finishReason(reply),
      },
    ],
    usage: usageOf(reply),
  };
}

function streamFrames(request: FakeModelRequest, reply: ResolvedReply): StreamFrames {
  const body = isRecord(request.body) ? request.body : {};
  const streamOptions = body['stream_options'];
  const includeUsage = isRecord(streamOptions) && streamOptions['include_usage'] === true;
  // Every chunk of one completion shares id/created; with include_usage all but the last carry usage: null.
  const base = { ...envelope(request, 'chat.completion.chunk'), ...(includeUsage ? { usage: null } : {}) };
  const choice = (delta: Record<string, unknown>, finish: string | null): string =>
    sseFrame({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  const tail = [choice({}, finishReason(reply))];
  if (includeUsage) tail.push(sseFrame({ ...base, choices: [], usage: usageOf(reply) }));
  tail.push(sseFrame('[DONE]'));
  return {
    head: [choice({ role: 'assistant', content: '', refusal: null }, null)],
    chunk: (text) => choice({ content: text }, null),
    tail,
  };
}

const openAIAdapter: ProviderAdapter = {
  provider: 'openai',
  urlSuffix: '/v1',
  route: '/v1/chat/completions',
  requestIdHeader: 'x-request-id',
  normalize: (body) => {
    const record = isRecord(body) ? body : {};
    const maxCompletion = record['max_completion_tokens'];
    const maxTokens = record['max_tokens'];
    return {
      model: typeof record['model'] === 'string' ? record['model'] : '',
      ...splitMessages(record['messages']),
      maxTokens:
        typeof maxCompletion === 'number' ? maxCompletion : typeof maxTokens === 'number' ? maxTokens : undefined,
      stream: record['stream'] === true,
    };
  },
  validate,
  error: (kind, details) => {
    const spec = ERRORS[kind];
    const headers: Record<string, string> = {};
    if (kind === 'rate_limit') headers['retry-after'] = String(details.retryAfterSeconds ?? 1);
    // The SDK reads `body.error` into err.error / err.code / err.type; the id travels only in the header.
    const error = { message: details.message ?? spec.message, type: spec.type, param: null, code: spec.code };
    return { status: spec.status, body: { error }, headers };
  },
  notFound: (method, path) => ({
    status: 404,
    body: {
      error: { message: `Invalid URL (${method} ${path})`, type: 'invalid_request_error', param: null, code: null },
    },
  }),
  completion,
  streamFrames,
};

/** Starts a fake OpenAI Chat Completions API; give `server.url` to the SDK as `baseURL`. */
export function startFakeOpenAI(options?: FakeModelOptions): Promise<FakeModelServer> {
  return startFakeServer(openAIAdapter, options);
}
