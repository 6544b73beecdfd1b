import { WebClient } from '@slack/web-api';
import type { Config } from '../config.ts';

/**
 * The Web API client plan jobs post with. Its default retry policy waits out 429s as Slack's
 * Retry-After says, so a rate-limited post is delayed, never dropped.
 */
export function createSlackClient(slack: NonNullable<Config['slack']>): WebClient {
  return new WebClient(slack.botToken, slack.apiUrl === undefined ? {} : { slackApiUrl: slack.apiUrl });
}
