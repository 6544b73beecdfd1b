/**
 * Behaviour both fakes share, driven through the REAL official SDKs: exact
 * text round trips, every fault kind and the error class the SDK maps it to,
 * retries, timeouts, cut streams and pacing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { anthropicDriver, failureOf, openAIDriver, serverTracker, timed, waitFor } from './fake-model-sdk-drivers.ts';

/** Includes an emoji so chunking must keep surrogate pairs together. */
const REPLY = 'Rollout plan: staging first, then EU, then US. Done \u{1F680} — ok.';
const DEFAULT_TEXT = 'Hello from the fake model.';

const { start, closeAll } = serverTracker();
afterEach(closeAll);

describe.each([anthropicDriver, openAIDriver])('$provider fake: shared behaviour', (driver) => {
  it.each([true, false])('returns the reply text exactly (stream=%s) and honours setResponder', async (stream) => {
    const server = await start(driver, { respond: () => ({ text: REPLY }) });
    expect(await driver.complete(server, { stream })).toBe(REPLY);
    server.setResponder(() => ({ text: 'changed' }));
    expect(await driver.complete(server, { stream })).toBe('changed');
    expect(server.requests.map((request) => request.stream)).toEqual([stream, stream]);
  });

  it('surfaces a 429 as RateLimitError with a readable retry-after header', async () => {
    const server = await start(driver);
    server.enqueueFaults({ kind: 'rate_limit', retryAfterSeconds: 7 });
    const error = await failureOf(driver.complete(server, { stream: true }));
    expect(error).toBeInstanceOf(driver.faultErrors.rate_limit.type);
    expect(error?.status).toBe(429);
    expect(error?.headers?.get('retry-after')).toBe('7');
    expect(error?.requestID).toMatch(/^req_/);
    expect(server.requests).toHaveLength(1);
  });

  it('lets the SDK retry a 429 after retry-after, consuming faults in order', async () => {
    const server = await start(driver);
    server.enqueueFaults({ kind: 'rate_limit', retryAfterSeconds: 0.05 });
    const { value, ms } = await timed(() => driver.complete(server, { stream: false, maxRetries: 1 }));
    expect(value).toBe(DEFAULT_TEXT);
    expect(ms).toBeGreaterThanOrEqual(45);
    expect(server.requests).toHaveLength(2);

    server.enqueueFaults({ kind: 'rate_limit', retryAfterSeconds: 0.01 }, { kind: 'server_error' });
    const error = await failureOf(driver.complete(server, { stream: false, maxRetries: 1 }));
    expect(error).toBeInstanceOf(driver.faultErrors.server_error.type);
    expect(server.requests).toHaveLength(4);
    expect(await driver.complete(server, { stream: false })).toBe(DEFAULT_TEXT);
  });

  const bodyTypes = {
    anthropic: {
      overloaded: 'overloaded_error',
      server_error: 'api_error',
      unauthorized: 'authentication_error',
      bad_request: 'invalid_request_error',
    },
    openai: {
      overloaded: 'server_error',
      server_error: 'server_error',
      unauthorized: 'invalid_request_error',
      bad_request: 'invalid_request_error',
    },
  } as const;

  it.each(['overloaded', 'server_error', 'unauthorized', 'bad_request'] as const)(
    'maps the %s fault to the SDK error class and status',
    async (kind) => {
      const server = await start(driver);
      server.enqueueFaults(kind === 'bad_request' ? { kind, message: 'max_tokens: too large' } : { kind });
      const error = await failureOf(driver.complete(server, { stream: false }));
      expect(error).toBeInstanceOf(driver.faultErrors[kind].type);
      expect(error?.status).toBe(driver.faultErrors[kind].status);
      expect(error?.type).toBe(bodyTypes[driver.provider][kind]);
      if (kind === 'bad_request') expect(error?.message).toContain('max_tokens: too large');
      if (kind === 'unauthorized' && driver.provider === 'openai') expect(error?.code).toBe('invalid_api_key');
      expect(await driver.complete(server, { stream: false })).toBe(DEFAULT_TEXT);
    },
  );

  it('times out a hanging request via the SDK timeout, and close() still returns promptly', async () => {
    const server = await start(driver);
    server.enqueueFaults({ kind: 'hang' });
    const error = await failureOf(driver.complete(server, { stream: false, timeout: 300 }));
    expect(error).toBeInstanceOf(driver.timeoutError);
    expect(server.requests).toHaveLength(1);
    const closed = await Promise.race([
      server.close().then(() => 'closed'),
      new Promise((r) => setTimeout(r, 2000, 'stuck')),
    ]);
    expect(closed).toBe('closed');
  });

  it('close() ends a hanging request the client is still waiting on', async () => {
    const server = await start(driver);
    server.enqueueFaults({ kind: 'hang' });
    const pending = failureOf(driver.complete(server, { stream: true }));
    expect(await waitFor(() => server.requests.length === 1)).toBe(true);
    await server.close();
    expect(await pending).toBeInstanceOf(driver.connectionError);
  });

  it('cut_stream makes streaming iteration throw after a prefix of the text', async () => {
    const server = await start(driver, { respond: () => ({ text: REPLY }) });
    server.enqueueFaults({ kind: 'cut_stream', afterChunks: 3 });
    const received: string[] = [];
    await expect(driver.streamText(server, (text) => received.push(text))).rejects.toThrow();
    const text = received.join('');
    expect(REPLY.startsWith(text)).toBe(true);
    expect(Array.from(text).length).toBeLessThanOrEqual(12);
    expect(await driver.complete(server, { stream: true })).toBe(REPLY);
  });

  it('cut_stream on a non-streaming call fails the call', async () => {
    const server = await start(driver, { respond: () => ({ text: REPLY }) });
    server.enqueueFaults({ kind: 'cut_stream', afterChunks: 0 });
    await expect(driver.complete(server, { stream: false })).rejects.toThrow();
  });

  it('paces streamed chunks at tokensPerSecond and after firstTokenLatencyMs', async () => {
    const text = 'abcd'.repeat(100); // 100 chunks of 4 chars
    const server = await start(driver, { respond: () => ({ text }), tokensPerSecond: 200 });
    const paced = await timed(() => driver.complete(server, { stream: true }));
    server.setTokensPerSecond(0);
    const unpaced = await timed(() => driver.complete(server, { stream: true }));
    expect(paced.value).toBe(text);
    expect(unpaced.value).toBe(text);
    expect(paced.ms).toBeGreaterThanOrEqual(350);
    expect(paced.ms).toBeGreaterThan(unpaced.ms);

    const slow = await start(driver, { firstTokenLatencyMs: 150 });
    const delayed = await timed(() => driver.complete(slow, { stream: true }));
    expect(delayed.value).toBe(DEFAULT_TEXT);
    expect(delayed.ms).toBeGreaterThanOrEqual(140);
  });

  it('answers unknown paths with 404, invalid bodies with 400, and a throwing responder with 500', async () => {
    const server = await start(driver);
    const origin = new URL(server.url).origin;
    const notFound = await fetch(`${origin}/v1/nope`, { method: 'POST', body: '{}' });
    expect(notFound.status).toBe(404);
    expect(JSON.stringify(await notFound.json())).toContain('/v1/nope');
    expect(server.requests).toHaveLength(0);

    const route = driver.provider === 'anthropic' ? '/v1/messages' : '/v1/chat/completions';
    const invalid = await fetch(`${origin}${route}`, { method: 'POST', body: '{"model":"m","messages":[]}' });
    expect(invalid.status).toBe(400);
    expect(server.requests).toHaveLength(1);

    server.setResponder(() => {
      throw new Error('responder exploded');
    });
    const error = await failureOf(driver.complete(server, { stream: false }));
    expect(error?.status).toBe(500);
    expect(error?.message).toContain('responder exploded');
  });
});
