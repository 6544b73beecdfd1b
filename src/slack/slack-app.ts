import { App, HTTPReceiver, type Receiver } from '@slack/bolt';
import type { RequestListener } from 'node:http';
import type { Config } from '../config.ts';
import type { PlanService } from '../jobs/plan-service.ts';
import type { Logger } from '../logger.ts';
import type { FeedbackStore } from '../store/feedback-store.ts';
import type { PlanStore } from '../store/plan-store.ts';
import { registerAppHome } from './app-home.ts';
import { boltLogger } from './bolt-logger.ts';
import { registerPlanActions } from './plan-actions.ts';
import { registerPlanCommand } from './plan-command.ts';
import { registerPlanSubmission } from './plan-submission.ts';
import { createReplayGuard } from './replay-guard.ts';
import { registerSectionVotes } from './section-votes.ts';
import { slackClientOptions, type SlackCallObserver } from './slack-client.ts';
import { createSocketModeReceiver } from './socket-mode-receiver.ts';
import { verifiedSlackRequests } from './verified-requests.ts';

export interface SlackAppDeps {
  readonly slack: NonNullable<Config['slack']>;
  readonly logger: Logger;
  readonly store: PlanStore;
  readonly feedback: FeedbackStore;
  /** Counts Web API calls and 429s (metrics). */
  readonly observeCalls?: SlackCallObserver | undefined;
  /** Undefined while no model key is configured: commands then say so instead of opening the form. */
  readonly service: PlanService | undefined;
}

export interface SlackApp {
  readonly app: App;
  /** HTTP mode: mount on POST /slack/events. Undefined in Socket Mode. */
  readonly requestListener: RequestListener | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The Slack side: Bolt over HTTP (signature-verified requests on /slack/events) or Socket Mode
 * when an app-level token is set. Handlers turn Slack's events into calls on the neutral core.
 */
export async function createSlackApp(deps: SlackAppDeps): Promise<SlackApp> {
  const { slack } = deps;
  const logger = boltLogger(deps.logger);
  let receiver: Receiver;
  let requestListener: RequestListener | undefined;
  if (slack.appToken !== undefined) {
    receiver = createSocketModeReceiver({ appToken: slack.appToken, apiUrl: slack.apiUrl, logger });
  } else {
    const http = new HTTPReceiver({
      signingSecret: slack.signingSecret ?? '',
      endpoints: '/slack/events',
      logger,
      // Acknowledge first, work after: commands must be answered within 3 s.
      processBeforeResponse: false,
    });
    receiver = http;
    requestListener = verifiedSlackRequests(http.requestListener, {
      signingSecret: slack.signingSecret ?? '',
      replay: createReplayGuard(),
      logger: deps.logger,
    });
  }
  const app = new App({
    token: slack.botToken,
    receiver,
    logger,
    deferInitialization: true,
    clientOptions: slackClientOptions(slack, deps.observeCalls),
  });
  await app.init();
  registerPlanCommand(app, deps);
  registerPlanSubmission(app, deps);
  registerPlanActions(app, deps);
  registerSectionVotes(app, deps);
  registerAppHome(app, deps);
  app.error(async (error) => {
    deps.logger.error({ err: error, code: error.code }, 'slack handler failed');
    return Promise.resolve();
  });
  return {
    app,
    requestListener,
    start: async () => {
      if (slack.appToken !== undefined) await app.start();
    },
    stop: async () => {
      if (slack.appToken !== undefined) await app.stop();
    },
  };
}
