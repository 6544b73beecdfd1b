import type { LibraryLogger } from '../logger.ts';
import { ZERO_USAGE, type ModelClient, type ModelRequest, type ModelResult, type ModelUsage } from './model-client.ts';
import type { SdkErrorClasses } from './model-errors.ts';
import { costOf, type ModelPrice } from './pricing.ts';
import { guardStream } from './stream-guard.ts';

/** What a provider client is built from. */
export interface ProviderClientOptions {
  readonly apiKey: string;
  /** The provider's own API, or a compatible server (for OpenAI: Azure OpenAI, Ollama, vLLM). */
  readonly baseURL?: string | undefined;
  readonly model: string;
  readonly timeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly price: ModelPrice | undefined;
  readonly fetch?: typeof fetch;
  /** Where the SDK's own warnings go (default: the console). */
  readonly logger?: LibraryLogger | undefined;
}

/**
 * Constructor options both official SDKs take alike. Retries are ours (see resilient-client.ts),
 * so the SDK's are off: two stacked retry loops would multiply waits.
 */
export function sdkOptions(options: ProviderClientOptions) {
  return {
    apiKey: options.apiKey,
    baseURL: options.baseURL ?? null,
    maxRetries: 0,
    timeout: options.timeoutMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  };
}

/** What one stream event adds to the answer; each provider client maps its SDK's events to it. */
export interface StreamUpdate {
  readonly text?: string;
  /** Token counts as the provider reports them; from then on the call is billed. */
  readonly usage?: Partial<ModelUsage>;
  readonly stopReason?: ModelResult['stopReason'];
}

/** The SDK-specific half of a provider client (E: its stream events); this module imports no SDK. */
export interface ProviderStream<E> {
  readonly provider: ModelClient['provider'];
  readonly sdkErrors: SdkErrorClasses;
  /** Starts the streamed call; this is the shape of either SDK's `withResponse()`. */
  open(
    request: ModelRequest,
    signal: AbortSignal,
  ): Promise<{ readonly data: AsyncIterable<E>; readonly request_id: string | null | undefined }>;
  read(event: E): StreamUpdate;
}

/** A streamed ModelClient: idle guard, text, usage, cost and latency work alike for every provider. */
export function createProviderClient<E>(options: ProviderClientOptions, stream: ProviderStream<E>): ModelClient {
  return {
    provider: stream.provider,
    model: options.model,
    async complete(request: ModelRequest): Promise<ModelResult> {
      const started = performance.now();
      const guard = { idleTimeoutMs: options.idleTimeoutMs, signal: request.signal, sdkErrors: stream.sdkErrors };
      return guardStream(guard, async (signal, touch) => {
        const { data, request_id: requestId } = await stream.open(request, signal);
        const answer = await readStream(data, stream, request, options.price, touch);
        return {
          ...answer,
          costUsd: costOf(options.price, answer.usage),
          latencyMs: performance.now() - started,
          provider: stream.provider,
          model: options.model,
          requestId: requestId ?? undefined,
        };
      });
    },
  };
}

async function readStream<E>(
  events: AsyncIterable<E>,
  stream: ProviderStream<E>,
  request: ModelRequest,
  price: ModelPrice | undefined,
  touch: () => void,
): Promise<Pick<ModelResult, 'text' | 'usage' | 'stopReason'>> {
  let text = '';
  let usage: ModelUsage | undefined;
  let stopReason: ModelResult['stopReason'] = 'other';
  try {
    for await (const event of events) {
      touch();
      const update = stream.read(event);
      if (update.text !== undefined) {
        text += update.text;
        request.onText?.(update.text);
      }
      if (update.usage !== undefined) usage = { ...ZERO_USAGE, ...usage, ...update.usage };
      if (update.stopReason !== undefined) stopReason = update.stopReason;
    }
  } catch (error) {
    // The input was read (and is billed) once usage was reported: count it, then fail.
    if (usage !== undefined) request.onFailedAttemptUsage?.({ usage, costUsd: costOf(price, usage) });
    throw error;
  }
  return { text, usage: usage ?? ZERO_USAGE, stopReason };
}
