import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import type { LibraryLogger } from '../logger.ts';
import type { ModelClient, ModelRequest, ModelResult, ModelUsage } from './model-client.ts';
import { costOf, type ModelPrice } from './pricing.ts';
import type { SdkErrorClasses } from './model-errors.ts';
import { guardStream } from './stream-guard.ts';

const SDK_ERRORS: SdkErrorClasses = { APIError, APIConnectionError, APIConnectionTimeoutError };

export interface OpenAIClientOptions {
  readonly apiKey: string;
  /** OpenAI's own API, or any compatible server (Azure OpenAI, Ollama, vLLM). */
  readonly baseURL?: string | undefined;
  readonly model: string;
  readonly timeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly price: ModelPrice | undefined;
  readonly fetch?: typeof fetch;
  /** Where the SDK's own warnings go (default: the console). */
  readonly logger?: LibraryLogger | undefined;
}

function toMessages(request: ModelRequest): OpenAI.ChatCompletionMessageParam[] {
  // OpenAI caches identical prompt prefixes automatically; keeping the shared prefix first in
  // the first user turn is all it takes.
  return [
    { role: 'system', content: request.system },
    ...request.messages.map((message, index): OpenAI.ChatCompletionMessageParam =>
      index === 0 && message.role === 'user' && request.prefix !== undefined
        ? { role: 'user', content: `${request.prefix}\n\n${message.content}` }
        : { role: message.role, content: message.content },
    ),
  ];
}

function stopReasonOf(reason: string | null | undefined): ModelResult['stopReason'] {
  if (reason === 'length') return 'max_tokens';
  return reason === 'stop' ? 'end' : 'other';
}

/** OpenAI Chat Completions over the official SDK, always streamed, SDK retries off (ours apply). */
export function createOpenAIClient(options: OpenAIClientOptions): ModelClient {
  const sdk = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL ?? null,
    maxRetries: 0,
    timeout: options.timeoutMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return {
    provider: 'openai',
    model: options.model,
    async complete(request: ModelRequest): Promise<ModelResult> {
      const started = performance.now();
      return guardStream(
        { idleTimeoutMs: options.idleTimeoutMs, signal: request.signal, sdkErrors: SDK_ERRORS },
        async (signal, touch) => {
          const { data: stream, request_id: requestId } = await sdk.chat.completions
            .create(
              {
                model: options.model,
                max_completion_tokens: request.maxTokens,
                messages: toMessages(request),
                stream: true,
                stream_options: { include_usage: true },
              },
              { signal },
            )
            .withResponse();
          let text = '';
          let usage: ModelUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
          let stopReason: ModelResult['stopReason'] = 'other';
          for await (const chunk of stream) {
            touch();
            const choice = chunk.choices[0];
            const delta = choice?.delta.content;
            if (typeof delta === 'string' && delta !== '') {
              text += delta;
              request.onText?.(delta);
            }
            if (choice?.finish_reason) stopReason = stopReasonOf(choice.finish_reason);
            if (chunk.usage) {
              const cached = chunk.usage.prompt_tokens_details?.cached_tokens ?? 0;
              usage = {
                inputTokens: chunk.usage.prompt_tokens - cached,
                outputTokens: chunk.usage.completion_tokens,
                cacheReadTokens: cached,
                cacheWriteTokens: 0,
              };
            }
          }
          return {
            text,
            usage,
            costUsd: costOf(options.price, usage),
            latencyMs: performance.now() - started,
            provider: 'openai',
            model: options.model,
            requestId: requestId ?? undefined,
            stopReason,
          };
        },
      );
    },
  };
}
