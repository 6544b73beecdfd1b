import type { PROVIDERS } from './model-client.ts';
import type { PriceTable } from './pricing.ts';

/** How calls are retried, broken off and paced (LLM_* variables). */
export interface ResilienceSettings {
  /** Attempts per call, the first included. */
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  /** Longest wait between attempts; a retry-after beyond it fails the call instead. */
  readonly retryMaxDelayMs: number;
  /** Consecutive failures that open the circuit. */
  readonly breakerThreshold: number;
  readonly breakerHalfOpenMs: number;
  readonly maxConcurrency: number;
  readonly queueLimit: number;
}

/** How the model is reached and how calls are paced and retried (LLM_* variables). */
export interface ModelSettings extends ResilienceSettings {
  readonly provider: (typeof PROVIDERS)[number];
  /** Undefined: the prompt file's default model for the provider. */
  readonly model: string | undefined;
  readonly anthropic: { readonly apiKey: string | undefined; readonly baseURL: string | undefined };
  readonly openai: { readonly apiKey: string | undefined; readonly baseURL: string | undefined };
  readonly timeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly prices: PriceTable;
}
