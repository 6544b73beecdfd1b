import { App, HTTPReceiver, type Logger as BoltLogger } from '@slack/bolt';
import type { RequestListener } from 'node:http';
import { registerAppHome } from './app-home.ts';
import { boltLogger } from './bolt-logger.ts';
import { createBotIdentity } from './bot-identity.ts';
import { registerPlanActions } from './plan-actions.ts';
import { registerPlanCommand } from './plan-command.ts';
import { registerPlanSubmission } from './plan-submission.ts';
import { registerReviewActions } from './plan-review-actions.ts';
import { registerUnknownInteractions } from './unknown-interactions.ts';
import { createReplayGuard } from './replay-guard.ts';
import { registerSectionVotes } from './section-votes.ts';
import { registerAnswerVotes } from './answer-votes.ts';
import { registerThreadQuestions } from './thread-questions.ts';
import type { SlackAppDeps } from './slack-app-deps.ts';
import { slackClientOptions } from './slack-client.ts';
import { createSocketModeReceiver } from './socket-mode-receiver.ts';
import { verifiedSlackRequests } from './verified-requests.ts';

/** How long start-up waits for the Socket Mode connection before it goes on without it. */
const SOCKET_START_WAIT_MS = 10_000;

export interface SlackApp {
  /** HTTP mode: mount on POST /slack/events. Undefined in Socket Mode. */
  readonly requestListener: RequestListener | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Socket Mode when an app-level token is set; else HTTP, where our verification (signature,
 * freshness, replay) runs before Bolt sees a request, instead of Bolt's.
 */
function createReceiver(deps: SlackAppDeps, logger: BoltLogger) {
  const { slack } = deps;
  if (slack.appToken !== undefined) {
    const guard = { logger: deps.logger, onRefused: deps.onRefused };
    const receiver = createSocketModeReceiver(slack.appToken, slack.apiUrl, logger, guard);
    return { receiver, requestListener: undefined };
  }
  const http = new HTTPReceiver({
    signingSecret: slack.signingSecret ?? '',
    endpoints: '/slack/events',
    logger,
    // Acknowledge first, work after: commands must be answered within 3 s.
    processBeforeResponse: false,
    // verifiedSlackRequests has verified every request it passes on (Slack's unsigned ssl_check aside).
    signatureVerification: false,
  });
  const requestListener = verifiedSlackRequests(http.requestListener, {
    signingSecret: slack.signingSecret ?? '',
    replay: createReplayGuard(),
    logger: deps.logger,
    onRefused: deps.onRefused,
  });
  return { receiver: http, requestListener };
}

/**
 * Opening the socket retries for a long time while Slack is unreachable: the service starts
 * (health, Teams, plan jobs) after a while and the socket keeps trying. A refusal that comes in
 * that time (a rejected app token) still stops start-up.
 */
async function startSocket(app: App, logger: SlackAppDeps['logger']): Promise<void> {
  const connecting = app.start();
  const waited = await Promise.race([
    connecting.then(() => 'connected' as const),
    new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), SOCKET_START_WAIT_MS).unref()),
  ]);
  if (waited === 'pending') {
    logger.warn('Slack Socket Mode is not connected yet; the service starts and the socket keeps trying');
    connecting.then(
      () => logger.info('Slack Socket Mode connected'),
      (error: unknown) => logger.error({ err: error }, 'Slack Socket Mode could not connect'),
    );
  }
}

/**
 * The Slack side: Bolt over HTTP (signature-verified requests on /slack/events) or Socket Mode
 * when an app-level token is set. Handlers turn Slack's events into calls on the neutral core.
 */
export async function createSlackApp(deps: SlackAppDeps): Promise<SlackApp> {
  const { slack } = deps;
  const logger = boltLogger(deps.logger);
  const { receiver, requestListener } = createReceiver(deps, logger);
  const clientOptions = slackClientOptions(slack, deps.observeCalls);
  const identity = createBotIdentity(slack.botToken, clientOptions, deps.logger);
  await identity.check();
  const app = new App({
    // Our authorize instead of `token`: Bolt would ask auth.test at start-up with the Web API
    // client's retries (bot-identity.ts says why that is not wanted).
    authorize: async () => ({ botToken: slack.botToken, ...(await identity.get()) }),
    receiver,
    logger,
    deferInitialization: true,
    clientOptions,
  });
  await app.init();
  registerUnknownInteractions(app, deps);
  registerPlanCommand(app, deps);
  registerPlanSubmission(app, deps);
  registerPlanActions(app, deps);
  registerReviewActions(app, deps);
  registerSectionVotes(app, deps);
  registerAnswerVotes(app, deps);
  registerAppHome(app, deps);
  registerThreadQuestions(app, deps);
  app.error(async (error) => {
    deps.logger.error({ err: error, code: error.code }, 'slack handler failed');
    return Promise.resolve();
  });
  return {
    requestListener,
    start: async () => {
      if (slack.appToken !== undefined) await startSocket(app, deps.logger);
    },
    stop: async () => {
      if (slack.appToken !== undefined) await app.stop();
    },
  };
}
