import type { Server } from 'node:http';
import { countedFeedback } from './observability/counted-feedback.ts';
import type { FeedbackStore } from './store/feedback-store.ts';
import { getHeapStatistics } from 'node:v8';
import type { Registry } from 'prom-client';
import type { Config } from './config.ts';
import { AppError } from './errors.ts';
import { createHttpServer, listen } from './http/http-server.ts';
import type { Logger } from './logger.ts';
import { heapAdvice, heapBudget } from './observability/heap-budget.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import { createReadinessCheck } from './observability/readiness.ts';
import { openRuntime, startPlanning, type Planning, type Runtime } from './runtime.ts';
import { loadSlackApp, loadSlackPosting, loadTeams, observePlatformCalls } from './surfaces.ts';

/**
 * What a process runs: `all` (HTTP endpoints and plan workers in one process), `web` (the
 * endpoints that answer Slack and Teams, plus health and metrics; jobs are only enqueued) or
 * `worker` (plan and answer jobs, posting into threads; health and metrics only).
 */
export type ProcessRole = 'all' | 'web' | 'worker';

/** A running service: HTTP (health, Slack), plan workers, database. */
export interface Service {
  readonly port: number;
  /** This process's metrics as prom-client JSON (a supervising web process merges its workers'). */
  metricsJson(): Promise<MetricsJson>;
  stop(): Promise<void>;
}

export type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

export interface ServiceOptions {
  readonly role?: ProcessRole;
  /** Web process: its workers' metrics, merged into /metrics. */
  readonly workerMetrics?: () => Promise<MetricsJson[]>;
}

/** Plan workers, unless no model key is configured: then the service runs and says why no plans are written. */
async function startPlanningIfKeyed(
  runtime: Runtime,
  surfaces: Pick<Parameters<typeof startPlanning>[1], 'deliveries' | 'answerPosters'>,
  metrics: Metrics,
  work: boolean,
): Promise<Planning | undefined> {
  try {
    return await startPlanning(runtime, { queues: work ? ['plan-run'] : [], ...surfaces, metrics, work });
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
  runtime: Runtime,
  planning: Planning | undefined,
  metrics: Metrics,
  feedback: FeedbackStore,
) {
  const { config, logger, store } = runtime;
  if (config.slack === undefined) return undefined;
  const observeCalls = observePlatformCalls(metrics, 'slack');
  const onRefused = (reason: string) => metrics.ingressRefused.inc({ surface: 'slack', reason });
  const createSlackApp = await loadSlackApp();
  const app = await createSlackApp({
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

/** Where plan and answer jobs post: each configured platform's delivery and answer poster. */
function postingSurfaces(
  slack: Awaited<ReturnType<typeof loadSlackPosting>> | undefined,
  teams: Awaited<ReturnType<typeof loadTeams>> | undefined,
) {
  return {
    deliveries: {
      ...(slack === undefined ? {} : { slack: slack.delivery }),
      ...(teams === undefined ? {} : { teams: teams.delivery }),
    },
    answerPosters: {
      ...(slack === undefined ? {} : { slack: slack.answers }),
      ...(teams === undefined ? {} : { teams: teams.answers }),
    },
  };
}

/** What answers Slack and Teams in this process: Bolt's app (started) and the Teams listener. */
async function startAnswering(
  runtime: Runtime,
  planning: Planning | undefined,
  metrics: Metrics,
  teamsSide: Awaited<ReturnType<typeof loadTeams>> | undefined,
) {
  // Votes from every surface, counted once in planner_feedback_total.
  const feedback = countedFeedback(runtime.feedback, metrics.feedback);
  const slack = await startSlackApp(runtime, planning, metrics, feedback);
  const teams = teamsSide?.createRequestListener({
    logger: runtime.logger,
    store: runtime.store,
    feedback,
    prompts: runtime.prompts,
    service: planning?.service,
    questions: planning?.questions,
    approvers: runtime.config.approvers,
  });
  return { slack, teams };
}

/** The composition root of the service: prompts + database → planner + jobs → Slack, Teams → HTTP. */
export async function startService(config: Config, logger: Logger, options: ServiceOptions = {}): Promise<Service> {
  const role = options.role ?? config.process.role ?? 'all';
  const runtime = await openRuntime(config, logger);
  const metrics = createMetrics(role === 'all' ? undefined : role);
  const posts = role !== 'web';
  const slackPosting =
    posts && config.slack !== undefined ? await loadSlackPosting(runtime, config.slack, metrics) : undefined;
  const teamsSide = config.teams === undefined ? undefined : await loadTeams(runtime, config.teams, metrics);
  const planning = await startPlanningIfKeyed(
    runtime,
    posts ? postingSurfaces(slackPosting, teamsSide) : { deliveries: {} },
    metrics,
    posts,
  );
  // Start-up failing from here on (Slack rejects the token, the port is taken) stops what runs.
  const abandon = async (error: unknown): Promise<never> => {
    await planning?.stop({ graceful: false, timeoutMs: 1000 }).catch(() => undefined);
    await runtime.db.close().catch(() => undefined);
    throw error;
  };
  const answers = role !== 'worker';
  const { slack, teams } = answers
    ? await startAnswering(runtime, planning, metrics, teamsSide).catch(abandon)
    : { slack: undefined, teams: undefined };
  if (answers) logSurfaces(logger, slack !== undefined, teamsSide);
  let stopping = false;
  const readiness = createReadinessCheck({
    db: runtime.db,
    queue: planning?.queue,
    queueMissingReason: 'not running: no model API key is configured',
    stopping: () => stopping,
  });
  const routes = { slack: slack?.requestListener, teams, readiness, metrics, workerMetrics: options.workerMetrics };
  const server = createHttpServer(routes, logger);
  const port = await listen(server, config.port).catch(async (error: unknown) => {
    await slack?.stop().catch(() => undefined);
    return abandon(error);
  });
  logListening(config, logger, port, {
    role,
    slack: slack === undefined ? 'off' : config.slack?.appToken ? 'socket mode' : 'http',
    teams: teamsSide === undefined || !answers ? 'off' : teamsSide.authenticated ? 'on' : 'on (unauthenticated)',
  });
  return {
    port,
    metricsJson: () => metrics.registry.getMetricsAsJSON(),
    stop: async () => {
      stopping = true;
      await stopService(config, logger, { role, server, slack, planning, db: runtime.db });
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
    role: ProcessRole;
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
  const running = await planning?.queue.stats().catch(() => undefined);
  // A web process only enqueues: it has no plans to finish, only its queue connection to close.
  if (parts.role === 'web') logger.info('closing the job queue');
  else logger.info({ graceMs, running }, 'stopping plan workers');
  await planning?.stop({ graceful: true, timeoutMs: graceMs });
  await parts.db.close();
  logger.info('stopped');
}

/** The start-up line, with what the memory figures depend on; a warning when the heap is tight. */
function logListening(
  config: Config,
  logger: Logger,
  port: number,
  surfaces: { role: ProcessRole; slack: string; teams: string },
): void {
  const heap = heapBudget(getHeapStatistics().heap_size_limit, config.jobs.concurrency);
  if (heap.tight)
    logger.warn({ heapLimitMb: heap.limitMb, neededMb: heap.neededMb }, heapAdvice(heap, config.jobs.concurrency));
  // Node's own flags (the image's CMD sets --optimize-for-size): what the memory figures depend on.
  logger.info({ port, heapLimitMb: heap.limitMb, nodeFlags: process.execArgv, ...surfaces }, 'listening');
}
