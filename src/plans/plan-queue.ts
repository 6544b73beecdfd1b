import { PgBoss, type JobWithMetadata } from 'pg-boss';
import type { PlanQueueSettings } from './queue-settings.ts';
import type { Logger } from '../logger.ts';
import type { QueueSample } from '../observability/scrape-gauges.ts';
import type { Database, Queryable } from '../store/database.ts';
import { bossJobTable, bossSchema } from './pg-boss-internals.ts';
import { createWriteBatches, type WriteBatches } from './write-batches.ts';
import { createWakeUp } from './wake-up.ts';

/** Chat platforms' plans run on any server replica; CLI plans only in CLI processes. */
export const PLAN_QUEUES = { chat: 'plan-run', local: 'plan-run-local' } as const;
export type PlanQueueName = (typeof PLAN_QUEUES)[keyof typeof PLAN_QUEUES];
/**
 * Jobs beside the plans (chat platforms only): answers to questions asked in plans' threads, and
 * new plans taken at the door (a web process stores the submission, a worker creates the plan).
 */
export const SIDE_QUEUES = { question: 'plan-question', submission: 'plan-submit' } as const;
export type SideJobKind = keyof typeof SIDE_QUEUES;
/** What a wake-up is for: chat platforms' plans, or a kind of side job. */
export type WakeKind = SideJobKind | 'plan';
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

export interface QuestionJobData {
  readonly workspaceId: string;
  readonly questionId: string;
}

/** A new plan as submitted: who, where, under which key, and its request (checked again by the worker). */
export interface SubmissionJobData {
  readonly workspaceId: string;
  readonly platform: 'slack' | 'teams';
  readonly requestedBy: string;
  readonly idempotencyKey: string;
  readonly origin: unknown;
  readonly request: unknown;
}

/** Each side job's data. */
export interface SideJobData {
  readonly question: QuestionJobData;
  readonly submission: SubmissionJobData;
}

/** A job as its handler gets it. */
export interface QueueJob<Data> {
  readonly id: string;
  readonly queue: string;
  readonly data: Data;
  /** 0 on the first attempt. */
  readonly retryCount: number;
  readonly retryLimit: number;
  /** Times a stopping process handed this job back unfinished (those attempts are not counted). */
  readonly handBacks: number;
  /** Aborted when the job expires or the worker stops. */
  readonly signal: AbortSignal;
}

export type PlanJob = QueueJob<PlanJobData>;
export type QuestionJob = QueueJob<QuestionJobData>;
export type SubmissionJob = QueueJob<SubmissionJobData>;
/** A job that went to the dead letter queue: a plan's, a question's or a submission's. */
export type AbandonedJob = PlanJob | QuestionJob | SubmissionJob;

export interface PlanQueue {
  /** Enqueues a plan job inside the caller's transaction, so revision and job commit together. */
  send(tx: Queryable, queue: PlanQueueName, data: PlanJobData): Promise<void>;
  /** Runs plan jobs from a queue; a thrown error lets the job be retried with backoff. */
  work(queue: PlanQueueName, handler: (job: PlanJob) => Promise<void>): Promise<void>;
  /** Enqueues a side job through `q` (a transaction, so it commits with what it is about, or the database). */
  sendSide<Kind extends SideJobKind>(kind: Kind, q: Queryable, data: SideJobData[Kind]): Promise<void>;
  /**
   * Enqueues a side job on its own (no transaction of the caller's): the ones that arrive in the
   * same turn of the event loop are written by one insert (write-batches.ts), for the door.
   */
  takeSide<Kind extends SideJobKind>(kind: Kind, data: SideJobData[Kind]): Promise<void>;
  /** Runs one kind of side job; a thrown error lets the job be retried with backoff. */
  workSide<Kind extends SideJobKind>(
    kind: Kind,
    handler: (job: QueueJob<SideJobData[Kind]>) => Promise<void>,
  ): Promise<void>;
  /**
   * Jobs of this kind were committed: a worker for them looks at once instead of at its next
   * poll, in this process or (Postgres) in any process of the service, through NOTIFY.
   */
  wake(kind: WakeKind): void;
  /** Jobs that ran out of attempts or were abandoned by a dead worker. */
  onAbandoned(handler: (job: AbandonedJob) => Promise<void>): Promise<void>;
  stop(options: { graceful: boolean; timeoutMs: number }): Promise<void>;
  /** False once stopped (or before started). */
  running(): boolean;
  /** Jobs waiting and running per plan queue, and the oldest waiting job's age (metrics). */
  stats(): Promise<QueueSample[]>;
}

/** Where plan jobs go once they run out of attempts or their worker dies for good. */
export const DEAD_LETTER = 'plan-run-dead';

/**
 * Starts pg-boss in the plans' database (Postgres or PGlite) with the plan queues: exponential
 * backoff between attempts, a heartbeat so a dead worker's job is retried elsewhere, and the
 * dead letter queue for jobs out of attempts.
 */
export async function startPlanBoss(
  db: Database,
  jobs: PlanQueueSettings,
  logger: Logger,
  queues: readonly string[],
): Promise<PgBoss> {
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
  // Replicas starting together on a new database race to install pg-boss's schema, and the loser
  // can fail with a duplicate key on pg_namespace; a second attempt finds it installed.
  await boss.start({ attempts: 4 });
  await boss.createQueue(DEAD_LETTER, { retryLimit: 0 });
  for (const name of queues) {
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
  return boss;
}

type BossJob<Data> = JobWithMetadata<Data & { handBacks?: number }>;

function toQueueJob<Data>(job: BossJob<Data>): QueueJob<Data> {
  const data: Record<string, unknown> = { ...job.data };
  delete data['handBacks'];
  return {
    id: job.id,
    queue: job.name,
    data: data as Data,
    retryCount: job.retryCount,
    retryLimit: job.retryLimit,
    handBacks: job.data.handBacks ?? 0,
    signal: job.signal,
  };
}

/** Handlers still running by job id, so stop() can hand their jobs back and wait for them. */
function createRunningJobs() {
  const handling = new Map<string, Promise<void>>();
  return {
    async run<Data>(handler: (job: QueueJob<Data>) => Promise<void>, job: QueueJob<Data>) {
      const run = handler(job);
      handling.set(job.id, run);
      try {
        await run;
      } finally {
        handling.delete(job.id);
      }
    },
    ids: () => [...handling.keys()],
    /** Waits until every handler has returned, or `ms` have passed. */
    async settled(ms: number) {
      let settleTimer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(handling.values()),
        new Promise((resolve) => (settleTimer = setTimeout(resolve, ms))),
      ]);
      clearTimeout(settleTimer);
    },
  };
}

/** Side jobs taken at the door, by kind: the ones of one event-loop turn written by one insert. */
function sideJobDoors(boss: PgBoss): { [Kind in SideJobKind]: WriteBatches<SideJobData[Kind]> } {
  const door = <Kind extends SideJobKind>(kind: Kind) =>
    createWriteBatches<SideJobData[Kind]>(async (batch) => {
      const inserted = batch.map((data) => ({ data, group: { id: data.workspaceId } }));
      await boss.insert(SIDE_QUEUES[kind], inserted);
    });
  return { question: door('question'), submission: door('submission') };
}

/**
 * pg-boss fails a job still running when the grace ends: that counts an attempt (on the last
 * one the plan is abandoned) and waits out the retry backoff. Not the plan's fault: before the
 * stop, each running job gets one more attempt (while it has hand-backs left); after it, the
 * ones that went back to the queue are counted and due at once, for another replica to resume.
 */
async function handBackAndStop(
  parts: {
    boss: PgBoss;
    jobTable: ReturnType<typeof bossJobTable>;
    runningJobs: ReturnType<typeof createRunningJobs>;
    logger: Logger;
  },
  { graceful, timeoutMs }: { graceful: boolean; timeoutMs: number },
): Promise<void> {
  const { boss, jobTable, runningJobs, logger } = parts;
  const ids = runningJobs.ids();
  // A failed update must not keep the process from stopping: the jobs then count the attempt.
  const logFailure = (error: unknown) =>
    logger.warn({ err: error, jobIds: ids }, 'could not keep the attempt of jobs handed back');
  if (ids.length > 0) await jobTable.keepAttempt(ids, MAX_HAND_BACKS).catch(logFailure);
  await boss.stop({ graceful, timeout: timeoutMs, close: false });
  await runningJobs.settled(ABORTED_SETTLE_MS);
  const handedBack =
    ids.length > 0
      ? await jobTable.countHandBack(ids, MAX_HAND_BACKS).catch((error: unknown) => (logFailure(error), 0))
      : 0;
  if (handedBack > 0) logger.info({ handedBack }, 'plan jobs handed back to the queue, due at once');
}

/** Durable plan jobs (see startPlanBoss); a workspace runs `workspaceConcurrency` plans at once at most, overall. */
export async function createPlanQueue(db: Database, jobs: PlanQueueSettings, logger: Logger): Promise<PlanQueue> {
  const queues = [...Object.values(PLAN_QUEUES), ...Object.values(SIDE_QUEUES)];
  const boss = await startPlanBoss(db, jobs, logger, queues);
  let running = true;
  boss.on('stopped', () => {
    running = false;
  });
  const jobTable = bossJobTable(db);
  const runningJobs = createRunningJobs();
  const handle =
    <Data>(handler: (job: QueueJob<Data>) => Promise<void>) =>
    async ([job]: BossJob<Data>[]) => {
      if (job !== undefined) await runningJobs.run(handler, toQueueJob(job));
    };
  // Workers by what wakes them; a process with none of them asks the others through NOTIFY.
  const workers = new Map<WakeKind, string>();
  const wakeUp = createWakeUp<WakeKind>(db, logger, ['plan', ...Object.keys(SIDE_QUEUES)] as WakeKind[], (kind) => {
    const worker = workers.get(kind);
    if (worker !== undefined && running) boss.notifyWorker(worker);
  });
  const polling = { includeMetadata: true as const, pollingIntervalSeconds: jobs.pollSeconds };
  const doors = sideJobDoors(boss);
  return {
    async send(tx, queue, data) {
      await boss.send(queue, data, { db: tx.bossDb, group: { id: data.workspaceId } });
    },
    async work(queue, handler) {
      const limits = { localConcurrency: jobs.concurrency, groupConcurrency: jobs.workspaceConcurrency };
      const worker = await boss.work(queue, { ...polling, ...limits }, handle(handler));
      if (queue === PLAN_QUEUES.chat) workers.set('plan', worker);
      await wakeUp.listen();
    },
    async sendSide(kind, q, data) {
      await boss.send(SIDE_QUEUES[kind], data, { db: q.bossDb, group: { id: data.workspaceId } });
    },
    takeSide(kind, data) {
      return (doors[kind] as WriteBatches<SideJobData[typeof kind]>).add(data);
    },
    async workSide(kind, handler) {
      const limits = { localConcurrency: jobs.concurrency, groupConcurrency: jobs.workspaceConcurrency };
      workers.set(kind, await boss.work(SIDE_QUEUES[kind], { ...polling, ...limits }, handle(handler)));
      await wakeUp.listen();
    },
    wake(kind) {
      if (!running) return;
      const worker = workers.get(kind);
      if (worker !== undefined) boss.notifyWorker(worker);
      else wakeUp.notify(kind);
    },
    async onAbandoned(handler) {
      await boss.work(DEAD_LETTER, polling, handle(handler));
    },
    async stop(options) {
      running = false;
      await wakeUp.close();
      await handBackAndStop({ boss, jobTable, runningJobs, logger }, options);
    },
    running: () => running,
    stats: () => jobTable.queueStats(queues),
  };
}

/** Is a dead-lettered job a question's? */
export function isQuestionJob(job: AbandonedJob): job is QuestionJob {
  return 'questionId' in job.data;
}

/** Is a dead-lettered job a submission's? */
export function isSubmissionJob(job: AbandonedJob): job is SubmissionJob {
  return 'idempotencyKey' in job.data;
}
