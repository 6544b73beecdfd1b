/**
 * Per-provider drivers for the fake-server tests: one way to call each real
 * SDK and the SDK error class each fault must surface as, so the fault tests
 * can run identically against both fakes.
 */
import {
  Anthropic,
  APIConnectionError as AnthropicConnectionError,
  APIConnectionTimeoutError as AnthropicTimeoutError,
  AuthenticationError as AnthropicAuthenticationError,
  BadRequestError as AnthropicBadRequestError,
  InternalServerError as AnthropicInternalServerError,
  OverloadedError as AnthropicOverloadedError,
  RateLimitError as AnthropicRateLimitError,
} from '@anthropic-ai/sdk';
import {
  OpenAI,
  APIConnectionError as OpenAIConnectionError,
  APIConnectionTimeoutError as OpenAITimeoutError,
  AuthenticationError as OpenAIAuthenticationError,
  BadRequestError as OpenAIBadRequestError,
  InternalServerError as OpenAIInternalServerError,
  RateLimitError as OpenAIRateLimitError,
} from 'openai';
import { startFakeAnthropic } from './fake-anthropic-server.ts';
import { startFakeOpenAI } from './fake-openai-server.ts';
import type { FakeHttpFaultKind, FakeModelOptions, FakeModelServer } from './fake-model-types.ts';

/** Any error class, for `toBeInstanceOf`. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/** Per-call client settings; tests default to no retries so faults surface directly. */
export interface CallOptions {
  readonly stream: boolean;
  readonly maxRetries?: number;
  readonly timeout?: number;
}

/** How one provider's real SDK is driven against its fake. */
export interface SdkDriver {
  readonly provider: 'anthropic' | 'openai';
  start(options?: FakeModelOptions): Promise<FakeModelServer>;
  /** Sends "Hi" through the real SDK and returns the assembled reply text. */
  complete(server: FakeModelServer, options: CallOptions): Promise<string>;
  /** Iterates a stream, passing each text delta to `onText` (to observe text received before a failure). */
  streamText(server: FakeModelServer, onText: (text: string) => void): Promise<void>;
  readonly faultErrors: Readonly<Record<FakeHttpFaultKind, { readonly type: ErrorClass; readonly status: number }>>;
  readonly timeoutError: ErrorClass;
  readonly connectionError: ErrorClass;
}

function anthropicClient(server: FakeModelServer, options?: Partial<CallOptions>): Anthropic {
  return new Anthropic({
    baseURL: server.url,
    apiKey: 'test-key',
    maxRetries: options?.maxRetries ?? 0,
    ...(options?.timeout === undefined ? {} : { timeout: options.timeout }),
  });
}

function openAIClient(server: FakeModelServer, options?: Partial<CallOptions>): OpenAI {
  return new OpenAI({
    baseURL: server.url,
    apiKey: 'test-key',
    maxRetries: options?.maxRetries ?? 0,
    ...(options?.timeout === undefined ? {} : { timeout: options.timeout }),
  });
}

const anthropicRequest = {
  model: 'claude-fake-1',
  max_tokens: 64,
  messages: [{ role: 'user' as const, content: 'Hi' }],
};

const openAIRequest = {
  model: 'gpt-fake-1',
  messages: [{ role: 'user' as const, content: 'Hi' }],
};

/** Drives `@anthropic-ai/sdk` against the fake Anthropic server. */
export const anthropicDriver: SdkDriver = {
  provider: 'anthropic',
  start: startFakeAnthropic,
  complete: async (server, options) => {
    const client = anthropicClient(server, options);
    if (options.stream) return await client.messages.stream(anthropicRequest).finalText();
    const message = await client.messages.create(anthropicRequest);
    return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  },
  streamText: async (server, onText) => {
    const stream = await anthropicClient(server).messages.create({ ...anthropicRequest, stream: true });
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') onText(event.delta.text);
    }
  },
  faultErrors: {
    rate_limit: { type: AnthropicRateLimitError, status: 429 },
    overloaded: { type: AnthropicOverloadedError, status: 529 },
    server_error: { type: AnthropicInternalServerError, status: 500 },
    unauthorized: { type: AnthropicAuthenticationError, status: 401 },
    bad_request: { type: AnthropicBadRequestError, status: 400 },
  },
  timeoutError: AnthropicTimeoutError,
  connectionError: AnthropicConnectionError,
};

/** Drives `openai` against the fake OpenAI server. */
export const openAIDriver: SdkDriver = {
  provider: 'openai',
  start: startFakeOpenAI,
  complete: async (server, options) => {
    const client = openAIClient(server, options);
    if (!options.stream) {
      const completion = await client.chat.completions.create(openAIRequest);
      return completion.choices[0]?.message.content ?? '';
    }
    let text = '';
    const stream = await client.chat.completions.create({ ...openAIRequest, stream: true });
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    return text;
  },
  streamText: async (server, onText) => {
    const stream = await openAIClient(server).chat.completions.create({ ...openAIRequest, stream: true });
    for await (const chunk of stream) onText(chunk.choices[0]?.delta.content ?? '');
  },
  faultErrors: {
    rate_limit: { type: OpenAIRateLimitError, status: 429 },
    overloaded: { type: OpenAIInternalServerError, status: 503 },
    server_error: { type: OpenAIInternalServerError, status: 500 },
    unauthorized: { type: OpenAIAuthenticationError, status: 401 },
    bad_request: { type: OpenAIBadRequestError, status: 400 },
  },
  timeoutError: OpenAITimeoutError,
  connectionError: OpenAIConnectionError,
};

/** The parts of an SDK APIError the tests assert on. */
export interface ApiErrorShape {
  readonly message?: string;
  readonly status?: number;
  readonly headers?: Headers;
  readonly requestID?: string | null;
  readonly type?: string | null;
  readonly code?: string | null;
}

/** Starts fakes for one test file and closes them all afterwards (call `closeAll` from afterEach). */
export function serverTracker(): {
  start: (driver: SdkDriver, options?: FakeModelOptions) => Promise<FakeModelServer>;
  closeAll: () => Promise<void>;
} {
  const servers: FakeModelServer[] = [];
  return {
    start: async (driver, options) => {
      const server = await driver.start(options);
      servers.push(server);
      return server;
    },
    closeAll: async () => {
      await Promise.all(servers.splice(0).map((server) => server.close()));
    },
  };
}

/** Settles a promise into its rejection reason (or undefined), to assert on the error itself. */
export function failureOf(promise: Promise<unknown>): Promise<ApiErrorShape | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => error as ApiErrorShape,
  );
}

/** Polls `condition` every 5 ms for up to 2 s. */
export async function waitFor(condition: () => boolean): Promise<boolean> {
  for (let i = 0; i < 400 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 5));
  return condition();
}

/** Runs `work` and reports how long it took. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}
