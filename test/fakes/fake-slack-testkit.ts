/**
 * Shared plumbing for tests that drive the Slack fake through the real
 * `@slack/web-api` WebClient.
 */
import { LogLevel, WebAPIPlatformError, WebClient, type Logger, type WebClientOptions } from '@slack/web-api';
import { startFakeSlackApi, type FakeSlackApi, type FakeSlackApiOptions } from './fake-slack-api.ts';

/** Starts fakes and closes every one of them in `afterEach(closeAll)`. */
export function fakeSlackTracker(): {
  start: (options?: FakeSlackApiOptions) => Promise<FakeSlackApi>;
  closeAll: () => Promise<void>;
} {
  const running: FakeSlackApi[] = [];
  return {
    start: async (options) => {
      const fake = await startFakeSlackApi(options);
      running.push(fake);
      return fake;
    },
    closeAll: async () => {
      await Promise.all(running.splice(0).map((fake) => fake.close()));
    },
  };
}

/** Drops the WebClient's logging: it echoes every `[ERROR]` reason the tests provoke on purpose. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/** A real WebClient aimed at the fake, no retries and quiet unless told otherwise; `token: null` sends none. */
export function clientFor(
  fake: FakeSlackApi,
  options: WebClientOptions = {},
  token: string | null = fake.botToken,
): WebClient {
  return new WebClient(token ?? undefined, {
    slackApiUrl: fake.url,
    retryConfig: { retries: 0 },
    logger: silentLogger,
    ...options,
  });
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to be rejected');
}

/** `data` of the WebAPIPlatformError the call fails with (fails the test for any other outcome). */
export async function platformErrorOf(promise: Promise<unknown>): Promise<WebAPIPlatformError['data']> {
  const error = await rejectionOf(promise);
  if (!(error instanceof WebAPIPlatformError)) throw new Error(`expected a platform error, got ${String(error)}`);
  return error.data;
}

/** Runs `fn` and reports how long it took. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

/** `'x'.repeat(n)` under a name that says what the test measures. */
export function chars(count: number, char = 'x'): string {
  return char.repeat(count);
}
