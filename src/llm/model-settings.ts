import type { PROVIDERS } from './model-client.ts';
import type { PriceTable } from './pricing.ts';

/** How the model is reached and how calls are paced and retried (LLM_* variables). */
export interface ModelSettings {
  readonly provider: (typeof PROVIDERS)[number];
  /** Undefined: the prompt file's default model for the provider. */
  readonly model: string | undefined;
  readonly anthropic: { readonly apiKey: string | undefined; readonly baseURL: string | undefined };
  readonly openai: { readonly apiKey: string | undefined; readonly baseURL: string | undefined };
  readonly timeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly retryMaxDelayMs: number;
  readonly breakerThreshold: number;
  readonly breakerHalfOpenMs: number;
  readonly maxConcurrency: number;
  readonly queueLimit: number;
  readonly prices: PriceTable;
}
