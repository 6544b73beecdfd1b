import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import type { ModelClient, ModelRequest, ModelResult } from './model-client.ts';
import { createProviderClient, sdkOptions, type ProviderClientOptions, type StreamUpdate } from './provider-client.ts';

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

function readChunk(chunk: OpenAI.ChatCompletionChunk): StreamUpdate {
  const choice = chunk.choices[0];
  const cached = chunk.usage?.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    text: choice?.delta.content || undefined,
    stopReason: choice?.finish_reason ? stopReasonOf(choice.finish_reason) : undefined,
    usage: chunk.usage
      ? {
          inputTokens: chunk.usage.prompt_tokens - cached,
          outputTokens: chunk.usage.completion_tokens,
          cacheReadTokens: cached,
          cacheWriteTokens: 0,
        }
      : undefined,
  };
}

/** OpenAI Chat Completions over the official SDK, always streamed, SDK retries off (ours apply). */
export function createOpenAIClient(options: ProviderClientOptions): ModelClient {
  const sdk = new OpenAI(sdkOptions(options));
  return createProviderClient(options, {
    provider: 'openai',
    sdkErrors: { APIError, APIConnectionError, APIConnectionTimeoutError },
    open: (request, signal) =>
      sdk.chat.completions
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
        .withResponse(),
    read: readChunk,
  });
}
