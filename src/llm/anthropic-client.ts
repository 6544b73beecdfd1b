import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import type { LibraryLogger } from '../logger.ts';
import type { ModelClient, ModelRequest, ModelResult, ModelUsage } from './model-client.ts';
import { costOf, type ModelPrice } from './pricing.ts';
import type { SdkErrorClasses } from './model-errors.ts';
import { guardStream } from './stream-guard.ts';

const SDK_ERRORS: SdkErrorClasses = { APIError, APIConnectionError, APIConnectionTimeoutError };

export interface AnthropicClientOptions {
  readonly apiKey: string;
  readonly baseURL?: string | undefined;
  readonly model: string;
  readonly timeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly price: ModelPrice | undefined;
  readonly fetch?: typeof fetch;
  /** Where the SDK's own warnings go (default: the console). */
  readonly logger?: LibraryLogger | undefined;
}

function userContent(request: ModelRequest, index: number, content: string): Anthropic.ContentBlockParam[] | string {
  if (index !== 0 || request.prefix === undefined) return content;
  // The shared prefix ends in a cache breakpoint, so parallel section calls reuse it.
  return [
    { type: 'text', text: request.prefix, cache_control: { type: 'ephemeral' } },
    { type: 'text', text: content },
  ];
}

function toMessages(request: ModelRequest): Anthropic.MessageParam[] {
  return request.messages.map((message, index) =>
    message.role === 'user'
      ? { role: 'user', content: userContent(request, index, message.content) }
      : { role: 'assistant', content: message.content },
  );
}

/**
 * Anthropic Messages API over the official SDK, always streamed. Retries are ours (see
 * resilient-client.ts), so the SDK's are off: two stacked retry loops would multiply waits.
 */
export function createAnthropicClient(options: AnthropicClientOptions): ModelClient {
  const sdk = new Anthropic({
    apiKey: options.apiKey,
    baseURL: options.baseURL ?? null,
    maxRetries: 0,
    timeout: options.timeoutMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return {
    provider: 'anthropic',
    model: options.model,
    async complete(request: ModelRequest): Promise<ModelResult> {
      const started = performance.now();
      return guardStream(
        { idleTimeoutMs: options.idleTimeoutMs, signal: request.signal, sdkErrors: SDK_ERRORS },
        async (signal, touch) => {
          const { data: stream, request_id: requestId } = await sdk.messages
            .create(
              {
                model: options.model,
                max_tokens: request.maxTokens,
                system: request.system,
                messages: toMessages(request),
                stream: true,
              },
              { signal },
            )
            .withResponse();
          let text = '';
          let usage: ModelUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
          let usageReported = false;
          let stopReason: ModelResult['stopReason'] = 'other';
          try {
            for await (const event of stream) {
              touch();
              if (event.type === 'message_start') {
                const start = event.message.usage;
                usage = {
                  inputTokens: start.input_tokens,
                  outputTokens: start.output_tokens,
                  cacheReadTokens: start.cache_read_input_tokens ?? 0,
                  cacheWriteTokens: start.cache_creation_input_tokens ?? 0,
                };
                usageReported = true;
              } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
                text += event.delta.text;
                request.onText?.(event.delta.text);
              } else if (event.type === 'message_delta') {
                usage = { ...usage, outputTokens: event.usage.output_tokens };
                const reason = event.delta.stop_reason;
                stopReason =
                  reason === 'max_tokens'
                    ? 'max_tokens'
                    : reason === 'end_turn' || reason === 'stop_sequence'
                      ? 'end'
                      : 'other';
              }
            }
          } catch (error) {
            // The input was read (and is billed) once message_start came: count it, then fail.
            if (usageReported) request.onFailedAttemptUsage?.({ usage, costUsd: costOf(options.price, usage) });
            throw error;
          }
          return {
            text,
            usage,
            costUsd: costOf(options.price, usage),
            latencyMs: performance.now() - started,
            provider: 'anthropic',
            model: options.model,
            requestId: requestId ?? undefined,
            stopReason,
          };
        },
      );
    },
  };
}
