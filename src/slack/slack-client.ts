import { ErrorCode, WebClient, type WebClientOptions } from '@slack/web-api';
import type { SlackSettings } from './slack-settings.ts';
import type { Logger } from '../logger.ts';
import { boltLogger } from './bolt-logger.ts';

/** Told of every Web API response (metrics): the method and the HTTP status. */
export type SlackCallObserver = (method: string, status: number) => void;

/** Web API options for every client of the app: base URL (GovSlack, tests) and call counting. */
export function slackClientOptions(slack: SlackSettings, observe?: SlackCallObserver): WebClientOptions {
  const counted: typeof fetch | undefined =
    observe === undefined
      ? undefined
      : async (input, init) => {
          const response = await fetch(input, init);
          const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
          observe(new URL(url).pathname.split('/').at(-1) ?? 'unknown', response.status);
          return response;
        };
  return {
    ...(slack.apiUrl === undefined ? {} : { slackApiUrl: slack.apiUrl }),
    ...(counted === undefined ? {} : { fetch: counted }),
  };
}

/**
 * The Web API client plan jobs post with: its default retries wait out 429s (Retry-After), so a
 * rate-limited post is delayed, never dropped. Its log lines go to our log, not to the console.
 */
export function createSlackClient(slack: SlackSettings, logger: Logger, observe?: SlackCallObserver): WebClient {
  return new WebClient(slack.botToken, {
    ...slackClientOptions(slack, observe),
    logger: boltLogger(logger, 'slack-web-api'),
  });
}

/**
 * A client for what a plan can do without (its canvas): a 429 fails at once instead of holding
 * the plan job for the Retry-After (canvas methods are Tier 2, about 20 per minute).
 */
export function createBestEffortSlackClient(
  slack: SlackSettings,
  logger: Logger,
  observe?: SlackCallObserver,
): WebClient {
  return new WebClient(slack.botToken, {
    ...slackClientOptions(slack, observe),
    logger: boltLogger(logger, 'slack-web-api'),
    rejectRateLimitedCalls: true,
  });
}

/** The `error` of a Web API platform error (`not_in_channel`, `invalid_auth`); undefined for other failures. */
export function platformErrorOf(error: unknown): string | undefined {
  const { code, data } = (error ?? {}) as { code?: unknown; data?: { error?: unknown } };
  return code === ErrorCode.PlatformError && typeof data?.error === 'string' ? data.error : undefined;
}
