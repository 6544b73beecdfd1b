import { getHeapStatistics } from 'node:v8';
import type { Config } from './config.ts';
import { AppError } from './errors.ts';
import { createHttpServer, listen } from './http/http-server.ts';
import type { Logger } from './logger.ts';
import { heapAdvice, heapBudget } from './observability/heap-budget.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import { createReadinessCheck } from './observability/readiness.ts';
import { openRuntime, startPlanning, type Planning } from './runtime.ts';

/** Slack's pieces, loaded only when Slack is configured: a Teams-only service does not pay for Bolt's memory. */
async function loadSlack(
  slack: NonNullable<Config['slack']>,
  postIntervalMs: number,
  logger: Logger,
  metrics: Metrics,
) {
  const [{ createSlackApp }, { createSlackClient }, { createSlackPlanThread }] = await Promise.all([
    import('./slack/slack-app.ts'),
    import('./slack/slack-client.ts'),
    import('./slack/slack-thread-poster.ts'),
  ]);
  return {
    delivery: createSlackPlanThread({
      client: createSlackClient(slack, logger, observeSlackCalls(metrics)),
      logger,
      postIntervalMs,
    }),
    createApp: createSlackApp,
  };
}

/** Teams' pieces, loaded only when Teams is on: a Slack-only service does not pay for botbuilder's memory. */
async function loadTeams(teams: NonNullable<Config['teams']>, logger: Logger, metrics: Metrics) {
  const { createTeamsSide } = await import('./teams/teams-app.ts');
  return createTeamsSide(teams, logger, (method, status) => {
    const outcome = status === 429 ? 'rate_limited' : status > 0 && status < 400 ? 'ok' : 'error';
    metrics.platformCalls.inc({ platform: 'teams', method, outcome });
    if (status === 429) metrics.platformRateLimited.inc({ platform: 'teams', method });
  });
}

/** Counts Slack Web API calls by method and outcome, and 429s. */
function observeSlackCalls(metrics: Metrics) {
  return (method: string, status: number) => {
    const outcome = status === 429 ? 'rate_limited' : status < 400 ? 'ok' : 'error';
    metrics.platformCalls.inc({ platform: 'slack', method, outcome });
    if (status === 429) metrics.platformRateLimited.inc({ platform: 'slack', method });
  };
}

/** A running service: HTTP (health, Slack), plan workers, database. */
export interface Service {
  readonly port: number;
  stop(): Promise<void>;
}

/** The composition root of the service: prompts + database → planner + jobs → Slack → HTTP. */
export async function startService(config: Config, logger: Logger): Promise<Service> {
  const runtime = await openRuntime(config, logger);
  const metrics = createMetrics();
  const slackSide =
    config.slack === undefined ? undefined : await loadSlack(config.slack, config.slackPostIntervalMs, logger, metrics);
  const teamsSide = config.teams === undefined ? undefined : await loadTeams(config.teams, logger, metrics);
  const deliveries = {
    ...(slackSide === undefined ? {} : { slack: slackSide.delivery }),
    ...(teamsSide === undefined ? {} : { teams: teamsSide.delivery }),
  };
  let planning: Planning | undefined;
  try {
    planning = await startPlanning(runtime, { queues: ['plan-run'], deliveries, metrics });
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'MISSING_API_KEY')) throw error;
    logger.warn(`${error.message} Until then no plans are written.`);
  }
  // Start-up failing from here on (Slack rejects the token, the port is taken) stops what runs.
  const abandon = async (error: unknown): Promise<never> => {
    await planning?.stop({ graceful: false, timeoutMs: 1000 }).catch(() => undefined);
    await runtime.db.close().catch(() => undefined);
    throw error;
  };
  const slack =
    config.slack === undefined || slackSide === undefined
      ? undefined
      : await slackSide
          .createApp({
            slack: config.slack,
            logger,
            store: runtime.store,
            feedback: runtime.feedback,
            service: planning?.service,
            observeCalls: observeSlackCalls(metrics),
          })
          .catch(abandon);
  if (slack === undefined)
    logger.info('Slack is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)');
  await slack?.start().catch(abandon);
  const teams = teamsSide?.createRequestListener({
    logger,
    store: runtime.store,
    prompts: runtime.prompts,
    service: planning?.service,
  });
  if (teamsSide === undefined)
    logger.info('Teams is off: set MicrosoftAppId and MicrosoftAppPassword (or TEAMS_ENABLED=true for local testing)');
  else if (!teamsSide.authenticated) {
    logger.warn(
      'Teams is on WITHOUT authentication (no MicrosoftAppId): anyone who can reach /api/messages can act as any user. Local testing only.',
    );
  }
  let stopping = false;
  const readiness = createReadinessCheck({
    db: runtime.db,
    queue: planning?.queue,
    queueMissingReason: 'not running: no model API key is configured',
    stopping: () => stopping,
  });
  const server = createHttpServer({ slack: slack?.requestListener, teams, readiness, metrics }, logger);
  const port = await listen(server, config.port).catch(async (error: unknown) => {
    await slack?.stop().catch(() => undefined);
    return abandon(error);
  });
  const heap = heapBudget(getHeapStatistics().heap_size_limit, config.jobs.concurrency);
  if (heap.tight)
    logger.warn({ heapLimitMb: heap.limitMb, neededMb: heap.neededMb }, heapAdvice(heap, config.jobs.concurrency));
  logger.info(
    {
      port,
      heapLimitMb: heap.limitMb,
      // Node's own flags (the image's CMD sets --optimize-for-size): what the memory figures depend on.
      nodeFlags: process.execArgv,
      slack: slack === undefined ? 'off' : config.slack?.appToken ? 'socket mode' : 'http',
      teams: teamsSide === undefined ? 'off' : teamsSide.authenticated ? 'on' : 'on (unauthenticated)',
    },
    'listening',
  );
  return {
    port,
    async stop() {
      // New requests are refused at once; requests in flight get a moment to finish.
      stopping = true;
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeIdleConnections();
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      server.closeAllConnections();
      await slack?.stop();
      // Running plans finish within the grace period; what is still running then is handed back
      // to the queue (its stored sections kept) and another replica resumes it.
      const graceMs = config.shutdownGraceSeconds * 1000;
      logger.info({ graceMs, running: await planning?.queue.stats().catch(() => undefined) }, 'stopping plan workers');
      await planning?.stop({ graceful: true, timeoutMs: graceMs });
      await runtime.db.close();
      logger.info('stopped');
    },
  };
}
