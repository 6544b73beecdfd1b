import type { Server } from 'node:http';
import { getHeapStatistics } from 'node:v8';
import type { Config } from './config.ts';
import { AppError } from './errors.ts';
import { createHttpServer, listen } from './http/http-server.ts';
import type { Logger } from './logger.ts';
import { heapAdvice, heapBudget } from './observability/heap-budget.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import { createReadinessCheck } from './observability/readiness.ts';
import { openRuntime, startPlanning, type Planning, type Runtime } from './runtime.ts';
import type { SlackSettings } from './slack/slack-settings.ts';
import type { TeamsSettings } from './teams/teams-settings.ts';

/** Slack's pieces, loaded only when Slack is configured: a Teams-only service does not pay for Bolt's memory. */
async function loadSlack(runtime: Runtime, slack: SlackSettings, metrics: Metrics) {
  const { logger, store } = runtime;
  const [
    { createSlackApp },
    { createSlackClient, createBestEffortSlackClient },
    { createSlackPlanThread },
    { createSlackAnswerPoster },
  ] = await Promise.all([
    import('./slack/slack-app.ts'),
    import('./slack/slack-client.ts'),
    import('./slack/slack-thread-poster.ts'),
    import('./slack/slack-answer-poster.ts'),
  ]);
  const client = createSlackClient(slack, logger, observePlatformCalls(metrics, 'slack'));
  return {
    answers: createSlackAnswerPoster({ client, logger }),
    delivery: createSlackPlanThread({
      client,
      canvasClient: createBestEffortSlackClient(slack, logger, observePlatformCalls(metrics, 'slack')),
      logger,
      postIntervalMs: runtime.config.slackPostIntervalMs,
      store,
    }),
    createApp: createSlackApp,
  };
}

/** Teams' pieces, loaded only when Teams is on: a Slack-only service does not pay for botbuilder's memory. */
async function loadTeams(teams: TeamsSettings, logger: Logger, metrics: Metrics) {
  const { createTeamsSide } = await import('./teams/teams-app.ts');
  const onRefused = (reason: string) => metrics.ingressRefused.inc({ surface: 'teams', reason });
  return createTeamsSide(teams, logger, observePlatformCalls(metrics, 'teams'), onRefused);
}

/** Counts a platform's API calls by method and outcome (status 0: no answer), and its 429s. */
function observePlatformCalls(metrics: Metrics, platform: 'slack' | 'teams') {
  return (method: string, status: number) => {
    const outcome = status === 429 ? 'rate_limited' : status > 0 && status < 400 ? 'ok' : 'error';
    metrics.platformCalls.inc({ platform, method, outcome });
    if (status === 429) metrics.platformRateLimited.inc({ platform, method });
  };
}

/** A running service: HTTP (health, Slack), plan workers, database. */
export interface Service {
  readonly port: number;
  stop(): Promise<void>;
}

/** Plan workers, unless no model key is configured: then the service runs and says why no plans are written. */
async function startPlanningIfKeyed(
  runtime: Runtime,
  surfaces: Pick<Parameters<typeof startPlanning>[1], 'deliveries' | 'answerPosters'>,
  metrics: Metrics,
): Promise<Planning | undefined> {
  try {
    return await startPlanning(runtime, { queues: ['plan-run'], ...surfaces, metrics });
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'MISSING_API_KEY')) throw error;
    runtime.logger.warn(`${error.message} Until then no plans are written.`);
    return undefined;
  }
}

/** Says which surfaces are off and warns about an unauthenticated Teams endpoint. */
function logSurfaces(logger: Logger, slackOn: boolean, teams: { authenticated: boolean } | undefined): void {
  if (!slackOn)
    logger.info('Slack is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)');
  if (teams === undefined)
    logger.info('Teams is off: set MicrosoftAppId and MicrosoftAppPassword (or TEAMS_ENABLED=true for local testing)');
  else if (!teams.authenticated) {
    logger.warn(
      'Teams is on WITHOUT authentication (no MicrosoftAppId): anyone who can reach /api/messages can act as any user. Local testing only.',
    );
  }
}

/** Bolt's app, started over HTTP or Socket Mode; undefined when Slack is off. */
async function startSlackApp(
  slackSide: Awaited<ReturnType<typeof loadSlack>> | undefined,
  runtime: Runtime,
  planning: Planning | undefined,
  metrics: Metrics,
) {
  const { config, logger, store, feedback } = runtime;
  if (slackSide === undefined || config.slack === undefined) return undefined;
  const observeCalls = observePlatformCalls(metrics, 'slack');
  const onRefused = (reason: string) => metrics.ingressRefused.inc({ surface: 'slack', reason });
  const app = await slackSide.createApp({
    slack: config.slack,
    logger,
    store,
    feedback,
    service: planning?.service,
    questions: planning?.questions,
    observeCalls,
    onRefused,
    approvers: config.approvers,
  });
  await app.start();
  return app;
}

/** The composition root of the service: prompts + database → planner + jobs → Slack, Teams → HTTP. */
export async function startService(config: Config, logger: Logger): Promise<Service> {
  const runtime = await openRuntime(config, logger);
  const metrics = createMetrics();
  const slackSide = config.slack === undefined ? undefined : await loadSlack(runtime, config.slack, metrics);
  const teamsSide = config.teams === undefined ? undefined : await loadTeams(config.teams, logger, metrics);
  const planning = await startPlanningIfKeyed(
    runtime,
    {
      deliveries: {
        ...(slackSide === undefined ? {} : { slack: slackSide.delivery }),
        ...(teamsSide === undefined ? {} : { teams: teamsSide.delivery }),
      },
      answerPosters: {
        ...(slackSide === undefined ? {} : { slack: slackSide.answers }),
        ...(teamsSide?.answers === undefined ? {} : { teams: teamsSide.answers }),
      },
    },
    metrics,
  );
  // Start-up failing from here on (Slack rejects the token, the port is taken) stops what runs.
  const abandon = async (error: unknown): Promise<never> => {
    await planning?.stop({ graceful: false, timeoutMs: 1000 }).catch(() => undefined);
    await runtime.db.close().catch(() => undefined);
    throw error;
  };
  const service = planning?.service;
  const slack = await startSlackApp(slackSide, runtime, planning, metrics).catch(abandon);
  const teams = teamsSide?.createRequestListener({
    logger,
    store: runtime.store,
    prompts: runtime.prompts,
    service,
    questions: planning?.questions,
    approvers: runtime.config.approvers,
  });
  logSurfaces(logger, slack !== undefined, teamsSide);
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
  logListening(config, logger, port, {
    slack: slack === undefined ? 'off' : config.slack?.appToken ? 'socket mode' : 'http',
    teams: teamsSide === undefined ? 'off' : teamsSide.authenticated ? 'on' : 'on (unauthenticated)',
  });
  return {
    port,
    stop: async () => {
      stopping = true;
      await stopService(config, logger, { server, slack, planning, db: runtime.db });
    },
  };
}

/**
 * Stops in order: new requests are refused at once and requests in flight get a moment; then
 * Slack's socket; running plans finish within the grace period, and what still runs then is
 * handed back to the queue (its stored sections kept) for another replica to resume.
 */
async function stopService(
  config: Config,
  logger: Logger,
  parts: {
    server: Server;
    slack: { stop(): Promise<void> } | undefined;
    planning: Planning | undefined;
    db: Runtime['db'];
  },
): Promise<void> {
  const { server, planning } = parts;
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeIdleConnections();
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
  server.closeAllConnections();
  await parts.slack?.stop();
  const graceMs = config.shutdownGraceSeconds * 1000;
  logger.info({ graceMs, running: await planning?.queue.stats().catch(() => undefined) }, 'stopping plan workers');
  await planning?.stop({ graceful: true, timeoutMs: graceMs });
  await parts.db.close();
  logger.info('stopped');
}

/** The start-up line, with what the memory figures depend on; a warning when the heap is tight. */
function logListening(config: Config, logger: Logger, port: number, surfaces: { slack: string; teams: string }): void {
  const heap = heapBudget(getHeapStatistics().heap_size_limit, config.jobs.concurrency);
  if (heap.tight)
    logger.warn({ heapLimitMb: heap.limitMb, neededMb: heap.neededMb }, heapAdvice(heap, config.jobs.concurrency));
  // Node's own flags (the image's CMD sets --optimize-for-size): what the memory figures depend on.
  logger.info({ port, heapLimitMb: heap.limitMb, nodeFlags: process.execArgv, ...surfaces }, 'listening');
}
