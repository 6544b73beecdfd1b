import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import type { ModelClient, ModelRequest, ModelResult } from './model-client.ts';
import { createProviderClient, sdkOptions, type ProviderClientOptions, type StreamUpdate } from './provider-client.ts';

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

function stopReasonOf(reason: Anthropic.StopReason | null): ModelResult['stopReason'] {
  if (reason === 'max_tokens') return 'max_tokens';
  return reason === 'end_turn' || reason === 'stop_sequence' ? 'end' : 'other';
}

function readEvent(event: Anthropic.RawMessageStreamEvent): StreamUpdate {
  if (event.type === 'message_start') {
    const start = event.message.usage;
    return {
      usage: {
        inputTokens: start.input_tokens,
        outputTokens: start.output_tokens,
        cacheReadTokens: start.cache_read_input_tokens ?? 0,
        cacheWriteTokens: start.cache_creation_input_tokens ?? 0,
      },
    };
  }
  if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') return { text: event.delta.text };
  if (event.type === 'message_delta') {
    return { usage: { outputTokens: event.usage.output_tokens }, stopReason: stopReasonOf(event.delta.stop_reason) };
  }
  return {};
}

/** Anthropic Messages API over the official SDK, always streamed, SDK retries off (ours apply). */
export function createAnthropicClient(options: ProviderClientOptions): ModelClient {
  const sdk = new Anthropic(sdkOptions(options));
  return createProviderClient(options, {
    provider: 'anthropic',
    sdkErrors: { APIError, APIConnectionError, APIConnectionTimeoutError },
    open: (request, signal) =>
      sdk.messages
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
        .withResponse(),
    read: readEvent,
  });
}
