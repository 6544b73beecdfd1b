/**
 * Shared types for the loopback fake model servers (Anthropic Messages and
 * OpenAI Chat Completions) that tests and benchmarks drive through the real SDKs.
 */

/** Which wire protocol a fake server speaks. */
export type FakeProvider = 'anthropic' | 'openai';

/** One chat turn as the fake saw it, with block/part content flattened to text. */
export interface FakeChatMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

/** A request as recorded by a fake server, normalised across providers. */
export interface FakeModelRequest {
  readonly provider: FakeProvider;
  readonly model: string;
  /** Anthropic `system` (string or text blocks joined with '\n'); OpenAI joined 'system'/'developer' messages. */
  readonly system: string;
  /** Text content joined with '\n' when given as blocks; non-text blocks are dropped. */
  readonly messages: readonly FakeChatMessage[];
  /** Anthropic `max_tokens`; OpenAI `max_completion_tokens ?? max_tokens`. */
  readonly maxTokens: number | undefined;
  readonly stream: boolean;
  /** Lower-cased request headers, so tests can assert the API key / auth header arrived. */
  readonly headers: Readonly<Record<string, string>>;
  /** Raw parsed JSON body (the raw text if it was not valid JSON). */
  readonly body: unknown;
}

/** What the fake model "generates" for one request. */
export interface FakeReply {
  readonly text: string;
  /** Default: ceil(total prompt chars / 4). */
  readonly inputTokens?: number;
  /** Default: number of emitted chunks. */
  readonly outputTokens?: number;
  /** Anthropic `usage.cache_read_input_tokens`; OpenAI `usage.prompt_tokens_details.cached_tokens`. */
  readonly cacheReadTokens?: number;
  /** Anthropic `usage.cache_creation_input_tokens`; OpenAI `usage.prompt_tokens_details.cache_write_tokens`. */
  readonly cacheWriteTokens?: number;
  /** Maps to OpenAI `finish_reason` 'stop' | 'length'. Default 'end_turn'. */
  readonly stopReason?: 'end_turn' | 'max_tokens';
}

/** A failure injected in place of the next reply. */
export type FakeFault =
  | { readonly kind: 'rate_limit'; readonly retryAfterSeconds?: number }
  | { readonly kind: 'overloaded' }
  | { readonly kind: 'server_error' }
  | { readonly kind: 'unauthorized' }
  | { readonly kind: 'bad_request'; readonly message?: string }
  | { readonly kind: 'hang' }
  | { readonly kind: 'cut_stream'; readonly afterChunks: number };

/** Fault kinds that are answered with an HTTP error status and JSON error body. */
export type FakeHttpFaultKind = 'rate_limit' | 'overloaded' | 'server_error' | 'unauthorized' | 'bad_request';

/** Produces the reply for a request; may be async to simulate slow generation. */
export type FakeResponder = (request: FakeModelRequest) => FakeReply | Promise<FakeReply>;

/** Start-up options shared by both fakes. */
export interface FakeModelOptions {
  /** Default: replies "Hello from the fake model.". */
  readonly respond?: FakeResponder;
  /** Streamed chunks per second; undefined/0 = as fast as possible. */
  readonly tokensPerSecond?: number;
  /** Delay before the first byte of the response body. */
  readonly firstTokenLatencyMs?: number;
  /** Characters per streamed chunk ("token"); default 4. */
  readonly chunkChars?: number;
}

/** A running fake server. */
export interface FakeModelServer {
  /** Base URL for the SDK: anthropic 'http://127.0.0.1:PORT', openai 'http://127.0.0.1:PORT/v1'. */
  readonly url: string;
  /** Every model request received, in order, including faulted ones. */
  readonly requests: readonly FakeModelRequest[];
  /** Queued faults are consumed one per model request (not 404s), in order, before normal replies. */
  enqueueFaults(...faults: FakeFault[]): void;
  setResponder(respond: FakeResponder): void;
  setTokensPerSecond(rate: number): void;
  /** Stops listening and destroys open sockets (including hanging requests), so it never blocks. */
  close(): Promise<void>;
}
