import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Config } from '../config.ts';

/** Told of every Web API response (metrics): the method and the HTTP status. */
export type SlackCallObserver = (method: string, status: number) => void;

/** Web API options for every client of the app: base URL (GovSlack, tests) and call counting. */
export function slackClientOptions(slack: NonNullable<Config['slack']>, observe?: SlackCallObserver): WebClientOptions {
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
 * The Web API client plan jobs post with. Its default retry policy waits out 429s as Slack's
 * Retry-After says, so a rate-limited post is delayed, never dropped.
 */
export function createSlackClient(slack: NonNullable<Config['slack']>, observe?: SlackCallObserver): WebClient {
  return new WebClient(slack.botToken, slackClientOptions(slack, observe));
}
