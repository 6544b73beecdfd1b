import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import type { FakeModelServer } from '../fakes/fake-model-types.ts';
import { clientFor, PROVIDER_LIST, startFake } from '../helpers/model-harness.ts';
import type { ModelRequest, RetryNotice } from '../../src/llm/model-client.ts';

let server: FakeModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const request = (extra: Partial<ModelRequest> = {}): ModelRequest => ({
  purpose: 'section',
  system: 'You are a test.',
  prefix: 'SHARED CONTEXT',
  messages: [{ role: 'user', content: 'Write the section.' }],
  maxTokens: 321,
  ...extra,
});

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe.each(PROVIDER_LIST)('%s client', (provider) => {
  it('streams text, reports usage and cost, and sends what we asked', async () => {
    server = await startFake(provider, {
      // Anthropic reports uncached input apart from cached; OpenAI counts cached inside prompt tokens.
      respond: () => ({
        text: 'Section body with **Markdown**.',
        inputTokens: provider === 'anthropic' ? 1000 : 5000,
        outputTokens: 200,
        cacheReadTokens: 4000,
      }),
    });
    const deltas: string[] = [];
    const result = await (await clientFor(provider, server)).complete(request({ onText: (text) => deltas.push(text) }));
    expect(result.text).toBe('Section body with **Markdown**.');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(result.text);
    expect(result.stopReason).toBe('end');
    expect(result.requestId).toMatch(/\w+/u);
    const recorded = server.requests[0];
    expect(recorded?.stream).toBe(true);
    expect(recorded?.maxTokens).toBe(321);
    expect(recorded?.system).toBe('You are a test.');
    expect(recorded?.messages[0]?.content).toMatch(/^SHARED CONTEXT\n+Write the section\.$/u);
    if (provider === 'anthropic') {
      expect(result.usage).toEqual({
        inputTokens: 1000,
        outputTokens: 200,
        cacheReadTokens: 4000,
        cacheWriteTokens: 0,
      });
      // claude-sonnet-4-6: $3 in, $15 out, $0.30 cache read per million tokens.
      expect(result.costUsd).toBeCloseTo(0.003 + 0.003 + 0.0012, 9);
      // SDK 1.x sends the key as a bearer token; older ones used x-api-key.
      expect([recorded?.headers['x-api-key'], recorded?.headers.authorization]).toContain('Bearer sk-ant-test-key');
      expect(JSON.stringify(recorded?.body)).toContain('"cache_control":{"type":"ephemeral"}');
    } else {
      expect(result.usage).toEqual({
        inputTokens: 1000,
        outputTokens: 200,
        cacheReadTokens: 4000,
        cacheWriteTokens: 0,
      });
      // gpt-5.4: $2.50 in, $15 out, $0.25 cache read per million tokens.
      expect(result.costUsd).toBeCloseTo(0.0025 + 0.003 + 0.001, 9);
      expect(recorded?.headers.authorization).toBe('Bearer sk-openai-test-key');
    }
  });

  it('retries a 429 after its retry-after and tells the caller', async () => {
    server = await startFake(provider, { respond: () => ({ text: 'ok' }) });
    server.enqueueFaults({ kind: 'rate_limit', retryAfterSeconds: 1 });
    const notices: RetryNotice[] = [];
    const started = performance.now();
    const result = await (
      await clientFor(provider, server)
    ).complete(request({ onRetry: (notice) => notices.push(notice) }));
    expect(result.text).toBe('ok');
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(notices).toEqual([{ code: 'MODEL_RATE_LIMITED', attempt: 1, delayMs: 1000 }]);
    expect(server.requests).toHaveLength(2);
  });

  it.each([
    ['overloaded', 'MODEL_OVERLOADED'],
    ['server_error', 'MODEL_SERVER_ERROR'],
  ] as const)('retries %s and succeeds', async (kind, code) => {
    server = await startFake(provider, { respond: () => ({ text: 'recovered' }) });
    server.enqueueFaults({ kind }, { kind });
    const notices: RetryNotice[] = [];
    const result = await (
      await clientFor(provider, server)
    ).complete(request({ onRetry: (notice) => notices.push(notice) }));
    expect(result.text).toBe('recovered');
    expect(notices.map((notice) => notice.code)).toEqual([code, code]);
  });

  it('retries a stream cut mid-way from the start', async () => {
    server = await startFake(provider, { respond: () => ({ text: 'a complete answer after a cut' }) });
    server.enqueueFaults({ kind: 'cut_stream', afterChunks: 2 });
    const notices: RetryNotice[] = [];
    const result = await (
      await clientFor(provider, server)
    ).complete(request({ onRetry: (notice) => notices.push(notice) }));
    expect(result.text).toBe('a complete answer after a cut');
    expect(notices.map((notice) => notice.code)).toEqual(['MODEL_CONNECTION']);
  });

  it('gives up after the attempt limit with the last error code', async () => {
    server = await startFake(provider);
    server.enqueueFaults({ kind: 'overloaded' }, { kind: 'overloaded' }, { kind: 'overloaded' });
    const error = await failure((await clientFor(provider, server, { LLM_MAX_ATTEMPTS: '3' })).complete(request()));
    expect(error.code).toBe('MODEL_OVERLOADED');
    expect(error.retryable).toBe(true);
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry a rejected key', async () => {
    server = await startFake(provider);
    server.enqueueFaults({ kind: 'unauthorized' });
    const error = await failure((await clientFor(provider, server)).complete(request()));
    expect(error.code).toBe('MODEL_AUTH_FAILED');
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it('does not wait out a retry-after longer than the maximum delay', async () => {
    server = await startFake(provider);
    server.enqueueFaults({ kind: 'rate_limit', retryAfterSeconds: 600 });
    const error = await failure((await clientFor(provider, server)).complete(request()));
    expect(error.code).toBe('MODEL_RATE_LIMITED');
    expect(error.retryAfterSeconds).toBe(600);
    expect(server.requests).toHaveLength(1);
  });

  it('times out a stream that stalls and retries it', async () => {
    server = await startFake(provider, { respond: () => ({ text: 'second try' }) });
    server.enqueueFaults({ kind: 'hang' });
    const client = await clientFor(provider, server, { LLM_TIMEOUT_MS: '300', LLM_IDLE_TIMEOUT_MS: '300' });
    const notices: RetryNotice[] = [];
    const result = await client.complete(request({ onRetry: (notice) => notices.push(notice) }));
    expect(result.text).toBe('second try');
    expect(notices.map((notice) => notice.code)).toEqual(['MODEL_TIMEOUT']);
  });

  it('opens the circuit after consecutive failures and fails fast while open', async () => {
    server = await startFake(provider);
    const client = await clientFor(provider, server, { LLM_MAX_ATTEMPTS: '1', LLM_BREAKER_THRESHOLD: '2' });
    server.enqueueFaults({ kind: 'server_error' }, { kind: 'server_error' });
    expect((await failure(client.complete(request()))).code).toBe('MODEL_SERVER_ERROR');
    expect((await failure(client.complete(request()))).code).toBe('MODEL_SERVER_ERROR');
    expect(client.breakerState()).toBe('open');
    const open = await failure(client.complete(request()));
    expect(open.code).toBe('MODEL_CIRCUIT_OPEN');
    expect(server.requests).toHaveLength(2);
  });

  it('rejects calls beyond the bulkhead queue with MODEL_BUSY', async () => {
    server = await startFake(provider, { respond: () => ({ text: 'slow answer' }), firstTokenLatencyMs: 300 });
    const client = await clientFor(provider, server, {
      LLM_MAX_CONCURRENCY: '1',
      LLM_QUEUE_LIMIT: '1',
      LLM_MAX_ATTEMPTS: '1',
    });
    const outcomes = await Promise.allSettled([
      client.complete(request()),
      client.complete(request()),
      client.complete(request()),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const rejected = outcomes[2] as PromiseRejectedResult;
    expect((rejected.reason as AppError).code).toBe('MODEL_BUSY');
  });

  it('passes the caller abort through without retrying', async () => {
    server = await startFake(provider);
    server.enqueueFaults({ kind: 'hang' });
    const controller = new AbortController();
    const pending = (await clientFor(provider, server)).complete(request({ signal: controller.signal }));
    setTimeout(() => controller.abort(new Error('user cancelled')), 100);
    await expect(pending).rejects.toThrow('user cancelled');
    expect(server.requests).toHaveLength(1);
  });
});
