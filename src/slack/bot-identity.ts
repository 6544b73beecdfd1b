import { WebClient, type WebClientOptions } from '@slack/web-api';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { boltLogger } from './bolt-logger.ts';
import { platformErrorOf } from './slack-client.ts';

/** Who the bot is, as Bolt needs it to tell the bot's own events from others'. */
export interface BotIdentity {
  readonly botId: string;
  readonly botUserId: string;
}

export interface BotIdentitySource {
  /** At start-up: undefined (with a warning) when Slack does not answer; a rejected token throws CONFIG_INVALID. */
  check(): Promise<BotIdentity | undefined>;
  /** For each Slack request: the identity, asked for again (once per request) while unknown. */
  get(): Promise<BotIdentity>;
}

/** Slack answers these when the token itself is wrong: no retry can help. */
const REJECTED_TOKEN = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
]);

/**
 * The bot's identity from `auth.test`, asked without the Web API client's retries (which wait up
 * to half an hour): Bolt would ask at start-up with them, and a Slack outage during a rollout
 * would keep every new pod from listening, so liveness probes would restart them in a loop.
 */
export function createBotIdentity(token: string, clientOptions: WebClientOptions, logger: Logger): BotIdentitySource {
  const client = new WebClient(token, {
    ...clientOptions,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    logger: boltLogger(logger, 'slack-identity'),
  });
  const ask = async (): Promise<BotIdentity> => {
    const result = await client.auth.test();
    if (result.bot_id === undefined || result.user_id === undefined) {
      throw new AppError('CONFIG_INVALID', 'SLACK_BOT_TOKEN is not a bot token (xoxb-…): auth.test names no bot');
    }
    return { botId: result.bot_id, botUserId: result.user_id };
  };
  let known: Promise<BotIdentity> | undefined;
  const get = () => {
    known ??= ask().catch((error: unknown) => {
      known = undefined;
      throw error;
    });
    return known;
  };
  return {
    get,
    async check() {
      try {
        return await get();
      } catch (error) {
        const rejected = platformErrorOf(error);
        if (rejected !== undefined && REJECTED_TOKEN.has(rejected)) {
          const message = `Slack rejected SLACK_BOT_TOKEN (${rejected}): check the bot token`;
          throw new AppError('CONFIG_INVALID', message, { cause: error });
        }
        if (error instanceof AppError) throw error;
        logger.warn(
          { err: error },
          'Slack did not answer auth.test at start-up; starting anyway, and the bot identity is asked for again with the first Slack request',
        );
        return undefined;
      }
    },
  };
}
