import type { RequestListener } from 'node:http';
import {
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type { AnswerPoster } from '../plans/answer-poster.ts';
import type { PlanDelivery } from '../plans/plan-delivery.ts';
import type { Logger } from '../logger.ts';
import { cardMessage } from './adaptive-card.ts';
import { noticeCard } from './teams-cards.ts';
import { PlanBot } from './teams-bot.ts';
import type { TeamsBotDeps } from './teams-bot-deps.ts';
import { createTeamsConnector } from './teams-connector.ts';
import { languageOf } from './teams-activity.ts';
import { createTeamsAnswerPoster } from './teams-answer-poster.ts';
import { createTeamsPlanThread } from './teams-thread-poster.ts';
import { PlanAdapter, teamsRequestListener, type Refusal } from './teams-http.ts';
import { createThreadPacer } from './thread-pacer.ts';
import type { TeamsSettings } from './teams-settings.ts';
import { TEAMS_TEXTS } from './teams-texts.ts';

export interface TeamsSide {
  /** Proactive delivery of plans, for the job workers. */
  readonly delivery: PlanDelivery;
  /** Answers to questions in plans' conversations, for the job workers. */
  readonly answers: AnswerPoster;
  /** Whether incoming activities' tokens are checked (an app id is configured). */
  readonly authenticated: boolean;
  /** The handler for POST /api/messages, once the plan service exists. */
  createRequestListener(deps: TeamsBotDeps): RequestListener;
}

/**
 * botbuilder's CloudAdapter with the configured credentials. Security: with an app id, the SDK
 * validates every incoming activity's JWT (issuer, audience, service URL) and refuses others
 * with 401; without one, activities are accepted unauthenticated (local testing only; config
 * refuses that in production).
 * @see https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication
 */
function createAdapter(teams: TeamsSettings, logger: Logger): PlanAdapter {
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppType: teams.appType,
    ...(teams.appId === undefined ? {} : { MicrosoftAppId: teams.appId }),
    ...(teams.appPassword === undefined ? {} : { MicrosoftAppPassword: teams.appPassword }),
    ...(teams.tenantId === undefined ? {} : { MicrosoftAppTenantId: teams.tenantId }),
  };
  const adapter = new PlanAdapter(new ConfigurationBotFrameworkAuthentication(options));
  adapter.onTurnError = async (context, error) => {
    logger.error(
      { err: error, activityId: context.activity.id, type: context.activity.type, name: context.activity.name },
      'Teams turn failed',
    );
    // Invokes get their error status from the adapter; a message gets a fixed text, never the error.
    if (context.activity.type === 'message') {
      const text = TEAMS_TEXTS[languageOf(context.activity)].broken;
      await context.sendActivity(cardMessage(noticeCard(text, { attention: true }), text));
    }
  };
  return adapter;
}

/** The Teams side: adapter and delivery now (workers need the delivery), the endpoint once the service runs. */
export function createTeamsSide(
  teams: TeamsSettings,
  logger: Logger,
  observeCalls?: (method: string, status: number) => void,
  onRefused?: (kind: Refusal['kind']) => void,
): TeamsSide {
  const log = logger.child({ platform: 'teams' });
  const adapter = createAdapter(teams, log);
  const connector = createTeamsConnector({
    adapter,
    appId: teams.appId ?? '',
    logger: log,
    ...(observeCalls ? { observe: observeCalls } : {}),
    ...(teams.pacing ? { pacer: createThreadPacer() } : {}),
  });
  return {
    delivery: createTeamsPlanThread({ connector, logger: log }),
    answers: createTeamsAnswerPoster({ connector, logger: log }),
    authenticated: teams.appId !== undefined,
    createRequestListener: (deps) =>
      teamsRequestListener({
        adapter,
        bot: new PlanBot({ ...deps, logger: log, connector }),
        logger: log,
        authenticated: teams.appId !== undefined,
        onRefused,
      }),
  };
}
