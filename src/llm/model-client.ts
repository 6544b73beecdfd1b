import type { ErrorCode } from '../errors.ts';

export const PROVIDERS = ['anthropic', 'openai'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Why a call is made; it labels logs and metrics and lets the fake model answer in kind. */
export type ModelPurpose = 'plan' | 'skeleton' | 'section' | 'followup' | 'repair' | 'pick' | 'summary' | 'answer';

export interface ModelMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

export interface RetryNotice {
  readonly code: ErrorCode;
  readonly attempt: number;
  readonly delayMs: number;
}

export interface ModelRequest {
  readonly purpose: ModelPurpose;
  readonly system: string;
  /**
   * The shared, cacheable start of the first user turn (project context, decisions). Anthropic
   * marks it for prompt caching; OpenAI caches long identical prefixes on its own.
   */
  readonly prefix?: string;
  readonly messages: readonly ModelMessage[];
  readonly maxTokens: number;
  readonly signal?: AbortSignal;
  /** Streamed text as it arrives. */
  readonly onText?: (delta: string) => void;
  /** A retry is about to start: text streamed so far is void. */
  readonly onRetry?: (notice: RetryNotice) => void;
  /**
   * An attempt failed after the provider had reported usage (Anthropic's message_start: the
   * input tokens are billed): what it used, so it can be counted. Output tokens of a broken
   * stream are not reported by the provider and count as 0.
   */
  readonly onFailedAttemptUsage?: (spent: ModelSpend) => void;
}

export interface ModelUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
}

export interface ModelResult {
  readonly text: string;
  readonly usage: ModelUsage;
  readonly costUsd: number;
  readonly latencyMs: number;
  readonly provider: Provider;
  readonly model: string;
  readonly requestId: string | undefined;
  /** `max_tokens` when the answer was cut at the token limit. */
  readonly stopReason: 'end' | 'max_tokens' | 'other';
}

/** The port the planner talks to; one implementation per provider, wrapped by resilience. */
export interface ModelClient {
  readonly provider: Provider;
  readonly model: string;
  complete(request: ModelRequest): Promise<ModelResult>;
}

export const ZERO_USAGE: ModelUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

/** What one or more model calls used and cost. */
export interface ModelSpend {
  readonly usage: ModelUsage;
  readonly costUsd: number;
}

export const ZERO_SPEND: ModelSpend = { usage: ZERO_USAGE, costUsd: 0 };

export function addSpend(a: ModelSpend, b: ModelSpend): ModelSpend {
  return { usage: addUsage(a.usage, b.usage), costUsd: a.costUsd + b.costUsd };
}

export function addUsage(a: ModelUsage, b: ModelUsage): ModelUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
  };
}
