/**
 * Provider-specific wire-format checks: each fake is read by its REAL SDK,
 * so a field the SDK cannot parse or a usage number lost on the way fails here.
 */
import { Anthropic } from '@anthropic-ai/sdk';
import { OpenAI } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { anthropicDriver, openAIDriver, serverTracker } from './fake-model-sdk-drivers.ts';
import { splitIntoChunks } from './fake-model-stream.ts';

/** Includes an emoji so chunking must keep surrogate pairs together. */
const REPLY = 'Rollout plan: staging first, then EU, then US. Done \u{1F680} — ok.';
const REPLY_CHUNKS = splitIntoChunks(REPLY, 4).length;

const { start, closeAll } = serverTracker();
afterEach(closeAll);

describe('fake Anthropic server through @anthropic-ai/sdk', () => {
  it('streams the reply with usage and records the normalised request', async () => {
    const respond = () => ({ text: REPLY, inputTokens: 42, cacheReadTokens: 7, cacheWriteTokens: 3 });
    const server = await start(anthropicDriver, { respond });
    const client = new Anthropic({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 });
    const stream = client.messages.stream({
      model: 'claude-fake-1',
      max_tokens: 321,
      system: [
        { type: 'text', text: 'You are terse.' },
        { type: 'text', text: 'Answer in English.' },
      ],
      messages: [
        { role: 'user', content: 'Plan the rollout.' },
        { role: 'assistant', content: 'Which region?' },
        { role: 'user', content: [{ type: 'text', text: 'EU' }] },
      ],
    });
    const deltas: string[] = [];
    stream.on('text', (delta) => deltas.push(delta));
    const final = await stream.finalMessage();

    expect(deltas.join('')).toBe(REPLY);
    expect(deltas).toHaveLength(REPLY_CHUNKS);
    expect(final.content).toEqual([{ type: 'text', text: REPLY }]);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage).toMatchObject({
      input_tokens: 42,
      output_tokens: REPLY_CHUNKS,
      cache_read_input_tokens: 7,
      cache_creation_input_tokens: 3,
    });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({
      provider: 'anthropic',
      model: 'claude-fake-1',
      system: 'You are terse.\nAnswer in English.',
      maxTokens: 321,
      stream: true,
      messages: [
        { role: 'user', content: 'Plan the rollout.' },
        { role: 'assistant', content: 'Which region?' },
        { role: 'user', content: 'EU' },
      ],
    });
    // SDK 1.13 sends the API key as a bearer token rather than x-api-key.
    expect(server.requests[0]?.headers['authorization']).toBe('Bearer test-key');
  });

  it('answers a non-streaming call with a message object, default usage and request-id', async () => {
    const server = await start(anthropicDriver, {
      respond: (request) => ({ text: `echo:${request.messages.at(-1)?.content ?? ''}`, stopReason: 'max_tokens' }),
    });
    const client = new Anthropic({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 });
    const { data, response } = await client.messages
      .create({ model: 'claude-fake-1', max_tokens: 9, system: 'sys', messages: [{ role: 'user', content: 'ping' }] })
      .withResponse();

    expect(data.id).toMatch(/^msg_/);
    expect(data.content).toEqual([{ type: 'text', text: 'echo:ping' }]);
    expect(data.stop_reason).toBe('max_tokens');
    // 'sys' + 'ping' = 7 chars -> ceil(7/4) = 2 input tokens; 'echo:ping' = 3 chunks of 4.
    expect(data.usage).toEqual({
      input_tokens: 2,
      output_tokens: 3,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
    expect(response.headers.get('request-id')).toMatch(/^req_/);
    expect(server.requests[0]).toMatchObject({ system: 'sys', maxTokens: 9, stream: false });
  });
});

describe('fake OpenAI server through openai', () => {
  const messages = [
    { role: 'system' as const, content: 'You are terse.' },
    { role: 'developer' as const, content: 'Answer in English.' },
    { role: 'user' as const, content: 'Plan the rollout.' },
    { role: 'assistant' as const, content: 'Which region?' },
    { role: 'user' as const, content: [{ type: 'text' as const, text: 'EU' }] },
  ];

  it('streams chunks plus the include_usage chunk and records the normalised request', async () => {
    const respond = () => ({ text: REPLY, inputTokens: 42, cacheReadTokens: 7 });
    const server = await start(openAIDriver, { respond });
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'gpt-fake-1',
      max_completion_tokens: 222,
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const roles: string[] = [];
    const finishReasons: string[] = [];
    const usages: unknown[] = [];
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      text += choice?.delta.content ?? '';
      if (choice?.delta.role) roles.push(choice.delta.role);
      if (choice?.finish_reason) finishReasons.push(choice.finish_reason);
      if (chunk.usage) usages.push(chunk.usage);
    }

    expect(text).toBe(REPLY);
    expect(roles).toEqual(['assistant']);
    expect(finishReasons).toEqual(['stop']);
    expect(usages).toEqual([
      expect.objectContaining({
        prompt_tokens: 42,
        completion_tokens: REPLY_CHUNKS,
        total_tokens: 42 + REPLY_CHUNKS,
        prompt_tokens_details: expect.objectContaining({ cached_tokens: 7 }) as unknown,
      }),
    ]);
    expect(server.requests[0]).toMatchObject({
      provider: 'openai',
      model: 'gpt-fake-1',
      system: 'You are terse.\nAnswer in English.',
      maxTokens: 222,
      stream: true,
      messages: [
        { role: 'user', content: 'Plan the rollout.' },
        { role: 'assistant', content: 'Which region?' },
        { role: 'user', content: 'EU' },
      ],
    });
    expect(server.requests[0]?.headers['authorization']).toBe('Bearer test-key');
  });

  it('answers a non-streaming call with finish_reason length, usage and x-request-id', async () => {
    const server = await start(openAIDriver, { respond: () => ({ text: 'cut off', stopReason: 'max_tokens' }) });
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 });
    const { data, response } = await client.chat.completions
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the fake must still honour the legacy field
      .create({ model: 'gpt-fake-1', max_tokens: 55, messages: [{ role: 'user', content: 'hello!!' }] })
      .withResponse();

    expect(data.object).toBe('chat.completion');
    expect(data.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'cut off' });
    expect(data.choices[0]?.finish_reason).toBe('length');
    expect(data.usage).toMatchObject({ prompt_tokens: 2, completion_tokens: 2, total_tokens: 4 });
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    expect(server.requests[0]).toMatchObject({ system: '', maxTokens: 55, stream: false });
  });

  it('omits the usage chunk without include_usage and works with the stream() helper', async () => {
    const server = await start(openAIDriver, { respond: () => ({ text: REPLY }) });
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 });
    const helper = client.chat.completions.stream({ model: 'gpt-fake-1', messages });
    const completion = await helper.finalChatCompletion();
    expect(completion.choices[0]?.message.content).toBe(REPLY);
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toBeUndefined();
  });
});
