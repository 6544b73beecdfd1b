import {
  BrokenCircuitError,
  BulkheadRejectedError,
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  bulkhead,
  circuitBreaker,
  handleWhen,
  retry,
  wrap,
  type IRetryBackoffContext,
} from 'cockatiel';
import { AppError, type ErrorCode } from '../errors.ts';
import type { ModelClient, ModelRequest, ModelResult } from './model-client.ts';
import { toModelError } from './model-errors.ts';
import type { ResilienceSettings } from './model-settings.ts';

/** Where the resilient client reports to, and its source of jitter. */
export interface ResilienceHooks {
  /** Source of jitter; tests pass a fixed one. */
  readonly random?: () => number;
  /** Told of every failed attempt (metrics); the caller's own aborts are not failures. */
  readonly onFailure?: (code: ErrorCode) => void;
  /** Told of every completed call, with its usage and cost (metrics). */
  readonly onSuccess?: (result: ModelResult) => void;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface ResilientModelClient extends ModelClient {
  breakerState(): BreakerState;
}

/** Failures worth another attempt right away; the others fail the call. */
const RETRIED: ReadonlySet<ErrorCode> = new Set([
  'MODEL_RATE_LIMITED',
  'MODEL_OVERLOADED',
  'MODEL_TIMEOUT',
  'MODEL_CONNECTION',
  'MODEL_SERVER_ERROR',
]);

/** Failures that say the provider is unwell; 429 and 4xx say nothing about its health. */
const BREAKER_FAILURES: ReadonlySet<ErrorCode> = new Set([
  'MODEL_OVERLOADED',
  'MODEL_TIMEOUT',
  'MODEL_CONNECTION',
  'MODEL_SERVER_ERROR',
]);

const hasCode = (codes: ReadonlySet<ErrorCode>) => (error: unknown) =>
  error instanceof AppError && codes.has(error.code);

/** Exponential backoff with equal jitter, never shorter than the provider's retry-after. */
export function retryDelayMs(
  attempt: number,
  retryAfterSeconds: number | undefined,
  settings: ResilienceSettings,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(settings.retryMaxDelayMs, settings.retryBaseMs * 2 ** (attempt - 1));
  const jittered = exponential / 2 + (random() * exponential) / 2;
  return Math.round(Math.max(jittered, (retryAfterSeconds ?? 0) * 1000));
}

function breakerStateOf(state: CircuitState): BreakerState {
  if (state === CircuitState.Open || state === CircuitState.Isolated) return 'open';
  return state === CircuitState.HalfOpen ? 'half-open' : 'closed';
}

/** The circuit breaker of one provider: it opens on consecutive failures that say the provider is unwell. */
function providerBreaker(settings: ResilienceSettings) {
  return circuitBreaker(handleWhen(hasCode(BREAKER_FAILURES)), {
    halfOpenAfter: settings.breakerHalfOpenMs,
    breaker: new ConsecutiveBreaker(settings.breakerThreshold),
  });
}

/** A failed attempt as an AppError, the breaker's and the bulkhead's rejections included. */
function toAttemptError(error: unknown, provider: ModelClient['provider'], settings: ResilienceSettings): AppError {
  if (error instanceof BrokenCircuitError) {
    return new AppError('MODEL_CIRCUIT_OPEN', `circuit open for ${provider}`, {
      retryable: true,
      retryAfterSeconds: settings.breakerHalfOpenMs / 1000,
      cause: error,
    });
  }
  if (error instanceof BulkheadRejectedError) {
    return new AppError('MODEL_BUSY', 'too many model calls queued', { retryable: true, cause: error });
  }
  return toModelError(error);
}

/** One call's retry policy: retried codes only, not after the caller's abort nor past retryMaxDelayMs. */
function retryPolicy(request: ModelRequest, settings: ResilienceSettings, random: (() => number) | undefined) {
  const canRetry = (error: unknown) =>
    hasCode(RETRIED)(error) &&
    request.signal?.aborted !== true &&
    ((error as AppError).retryAfterSeconds ?? 0) * 1000 <= settings.retryMaxDelayMs;
  return retry(handleWhen(canRetry), {
    maxAttempts: settings.maxAttempts - 1,
    backoff: new DelegateBackoff((context: IRetryBackoffContext<unknown>) => {
      const error = 'error' in context.result ? context.result.error : undefined;
      const retryAfter = error instanceof AppError ? error.retryAfterSeconds : undefined;
      return retryDelayMs(context.attempt, retryAfter, settings, random);
    }),
  });
}

/**
 * Wraps a provider client in the one retry policy of the app (the SDKs' own retries are off),
 * a circuit breaker per provider and a concurrency bulkhead, all from cockatiel. Order, outside
 * in: retry → bulkhead → breaker → call, so a call waiting out its backoff holds no slot.
 */
export function createResilientClient(
  inner: ModelClient,
  settings: ResilienceSettings,
  hooks: ResilienceHooks = {},
): ResilientModelClient {
  const breaker = providerBreaker(settings);
  const guarded = wrap(bulkhead(settings.maxConcurrency, settings.queueLimit), breaker);
  const attempt = async (request: ModelRequest): Promise<ModelResult> => {
    try {
      return await guarded.execute(() => inner.complete(request), request.signal);
    } catch (error) {
      // The caller's own abort passes through untouched: it is not a model failure.
      if (request.signal?.aborted === true) throw error;
      const failure = toAttemptError(error, inner.provider, settings);
      hooks.onFailure?.(failure.code);
      throw failure;
    }
  };
  return {
    provider: inner.provider,
    model: inner.model,
    breakerState: () => breakerStateOf(breaker.state),
    async complete(request: ModelRequest): Promise<ModelResult> {
      const policy = retryPolicy(request, settings, hooks.random);
      const subscription = policy.onRetry((event) => {
        if ('error' in event && event.error instanceof AppError) {
          request.onRetry?.({ code: event.error.code, attempt: event.attempt, delayMs: event.delay });
        }
      });
      try {
        const result = await policy.execute(() => attempt(request), request.signal);
        hooks.onSuccess?.(result);
        return result;
      } finally {
        subscription.dispose();
      }
    },
  };
}
