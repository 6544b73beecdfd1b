import { PgBoss, type JobWithMetadata } from 'pg-boss';
import type { PlanQueueSettings } from './queue-settings.ts';
import type { Logger } from '../logger.ts';
import type { QueueSample } from '../observability/metrics.ts';
import type { Database, Queryable } from '../store/database.ts';

/** Chat platforms' plans run on any server replica; CLI plans only in CLI processes. */
export const PLAN_QUEUES = { chat: 'plan-run', local: 'plan-run-local' } as const;
export type PlanQueueName = (typeof PLAN_QUEUES)[keyof typeof PLAN_QUEUES];
const DEAD_LETTER = 'plan-run-dead';
/**
 * After the grace period pg-boss fails the jobs still running back to the queue and aborts their
 * signals, but does not wait for their handlers. They get this long to store what they finished
 * before the database closes (within Kubernetes' terminationGracePeriodSeconds, see manifests/).
 */
const ABORTED_SETTLE_MS = 5000;
/**
 * A job handed back by a stopping process keeps its attempt, this many times: rolling restarts
 * must not use up a plan's retries, but a plan that never finishes within any process's lifetime
 * must not circulate forever either.
 */
export const MAX_HAND_BACKS = 10;

export interface PlanJobData {
  readonly workspaceId: string;
  readonly revisionId: string;
}

export interface PlanJob {
  readonly id: string;
  readonly queue: string;
  readonly data: PlanJobData;
  /** 0 on the first attempt. */
  readonly retryCount: number;
  readonly retryLimit: number;
  /** Times a stopping process handed this job back unfinished (those attempts are not counted). */
  readonly handBacks: number;
  /** Aborted when the job expires or the worker stops. */
  readonly signal: AbortSignal;
}

export interface PlanQueue {
  /** Enqueues a plan job inside the caller's transaction, so revision and job commit together. */
  send(tx: Queryable, queue: PlanQueueName, data: PlanJobData): Promise<void>;
  /** Runs plan jobs from a queue; a thrown error lets the job be retried with backoff. */
  work(queue: PlanQueueName, handler: (job: PlanJob) => Promise<void>): Promise<void>;
  /** Jobs that ran out of attempts or were abandoned by a dead worker. */
  onAbandoned(handler: (job: PlanJob) => Promise<void>): Promise<void>;
  stop(options: { graceful: boolean; timeoutMs: number }): Promise<void>;
  /** False once stopped (or before started). */
  running(): boolean;
  /** Jobs waiting and running per plan queue, and the oldest waiting job's age (metrics). */
  stats(): Promise<QueueSample[]>;
}

/** The schema pg-boss keeps its tables in, beside the plans' schema. */
export function bossSchema(db: Database): string {
  return db.schema === 'public' ? 'pgboss' : `${db.schema}_boss`;
}

/**
 * Durable plan jobs on pg-boss, in the same database as the plans (Postgres or PGlite). Jobs
 * retry with exponential backoff; a worker that dies stops its heartbeat and the job is retried
 * elsewhere; a workspace may run only `workspaceConcurrency` plans at once across all processes.
 */
export async function createPlanQueue(db: Database, jobs: PlanQueueSettings, logger: Logger): Promise<PlanQueue> {
  const boss = new PgBoss({
    db: db.bossDb,
    backend: db.kind === 'pglite' ? 'pglite' : 'postgres',
    schema: bossSchema(db),
    superviseIntervalSeconds: jobs.superviseSeconds,
    monitorIntervalSeconds: Math.max(jobs.superviseSeconds, 10),
    registerInstance: false,
  });
  boss.on('error', (error: unknown) => logger.error({ err: error }, 'job queue error'));
  // Slow queries, queue backlogs, start-up retries: worth seeing, not worth failing for.
  boss.on('warning', (warning: unknown) => logger.warn({ warning }, 'job queue warning'));
  let running = false;
  boss.on('stopped', () => {
    running = false;
  });
  // Replicas starting together on a new database race to install pg-boss's schema, and the loser
  // can fail with a duplicate key on pg_namespace; a second attempt finds it installed.
  await boss.start({ attempts: 4 });
  running = true;
  await boss.createQueue(DEAD_LETTER, { retryLimit: 0 });
  for (const name of Object.values(PLAN_QUEUES)) {
    await boss.createQueue(name, {
      retryLimit: jobs.retryLimit,
      retryDelay: jobs.retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: jobs.retryDelaySeconds * 30,
      expireInSeconds: jobs.expireSeconds,
      heartbeatSeconds: jobs.heartbeatSeconds,
      deadLetter: DEAD_LETTER,
    });
  }
  const jobTable = `${bossSchema(db)}.job`;
  // Handlers still running by job id, so stop() can hand their jobs back and wait for them.
  const handling = new Map<string, Promise<void>>();
  const handle = async (handler: (job: PlanJob) => Promise<void>, job: PlanJob) => {
    const run = handler(job);
    handling.set(job.id, run);
    try {
      await run;
    } finally {
      handling.delete(job.id);
    }
  };
  const toPlanJob = (job: JobWithMetadata<PlanJobData & { handBacks?: number }>): PlanJob => ({
    id: job.id,
    queue: job.name,
    data: { workspaceId: job.data.workspaceId, revisionId: job.data.revisionId },
    retryCount: job.retryCount,
    retryLimit: job.retryLimit,
    handBacks: job.data.handBacks ?? 0,
    signal: job.signal,
  });
  /**
   * pg-boss fails a job still running when the grace ends: that counts an attempt (on the last
   * one the plan is abandoned) and waits out the retry backoff. Not the plan's fault: before the
   * stop, each running job gets one more attempt (while it has hand-backs left); after it, the
   * ones that went back to the queue are counted and due at once, for another replica to resume.
   */
  const handBack = {
    async before(ids: readonly string[]) {
      await db.query(
        `UPDATE ${jobTable} SET retry_limit = retry_limit + 1
         WHERE id = ANY($1::uuid[]) AND state = 'active' AND COALESCE((data->>'handBacks')::int, 0) < $2`,
        [ids, MAX_HAND_BACKS],
      );
    },
    async after(ids: readonly string[]): Promise<number> {
      const rows = await db.query<{ id: string }>(
        `UPDATE ${jobTable}
         SET start_after = CASE WHEN COALESCE((data->>'handBacks')::int, 0) < $2 THEN now() ELSE start_after END,
             data = jsonb_set(data, '{handBacks}', to_jsonb(COALESCE((data->>'handBacks')::int, 0) + 1))
         WHERE id = ANY($1::uuid[]) AND state = 'retry' RETURNING id`,
        [ids, MAX_HAND_BACKS],
      );
      return rows.length;
    },
  };
  return {
    async send(tx, queue, data) {
      await boss.send(queue, data, { db: tx.bossDb, group: { id: data.workspaceId } });
    },
    async work(queue, handler) {
      await boss.work(
        queue,
        {
          includeMetadata: true as const,
          localConcurrency: jobs.concurrency,
          groupConcurrency: jobs.workspaceConcurrency,
          pollingIntervalSeconds: jobs.pollSeconds,
        },
        async ([job]: JobWithMetadata<PlanJobData & { handBacks?: number }>[]) => {
          if (job !== undefined) await handle(handler, toPlanJob(job));
        },
      );
    },
    async onAbandoned(handler) {
      await boss.work(
        DEAD_LETTER,
        { includeMetadata: true as const, pollingIntervalSeconds: jobs.pollSeconds },
        async ([job]: JobWithMetadata<PlanJobData>[]) => {
          if (job !== undefined) await handle(handler, toPlanJob(job));
        },
      );
    },
    async stop({ graceful, timeoutMs }) {
      running = false;
      const ids = [...handling.keys()];
      // A failed update must not keep the process from stopping: the jobs then count the attempt.
      const logFailure = (error: unknown) =>
        logger.warn({ err: error, jobIds: ids }, 'could not keep the attempt of jobs handed back');
      if (ids.length > 0) await handBack.before(ids).catch(logFailure);
      await boss.stop({ graceful, timeout: timeoutMs, close: false });
      let settleTimer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(handling.values()),
        new Promise((resolve) => (settleTimer = setTimeout(resolve, ABORTED_SETTLE_MS))),
      ]);
      clearTimeout(settleTimer);
      const handedBack =
        ids.length > 0 ? await handBack.after(ids).catch((error: unknown) => (logFailure(error), 0)) : 0;
      if (handedBack > 0) logger.info({ handedBack }, 'plan jobs handed back to the queue, due at once');
    },
    running: () => running,
    async stats() {
      const rows = await db.query<{ name: string; queued: string; active: string; oldest: number | string | null }>(
        `SELECT name,
                count(*) FILTER (WHERE state IN ('created', 'retry')) AS queued,
                count(*) FILTER (WHERE state = 'active') AS active,
                extract(epoch FROM now() - min(created_on) FILTER (WHERE state IN ('created', 'retry'))) AS oldest
         FROM ${bossSchema(db)}.job WHERE name = ANY($1::text[]) AND state IN ('created', 'retry', 'active')
         GROUP BY name`,
        [Object.values(PLAN_QUEUES)],
      );
      return Object.values(PLAN_QUEUES).map((queue) => {
        const row = rows.find((candidate) => candidate.name === queue);
        return {
          queue,
          queued: Number(row?.queued ?? 0),
          active: Number(row?.active ?? 0),
          oldestQueuedSeconds: Math.max(0, Number(row?.oldest ?? 0)),
        };
      });
    },
  };
}
