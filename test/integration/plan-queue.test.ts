import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../helpers/test-database.ts';
import { until } from '../helpers/until.ts';
import { bossSchema } from '../../src/plans/pg-boss-internals.ts';
import {
  createPlanQueue,
  MAX_HAND_BACKS,
  PLAN_QUEUES,
  type PlanJob,
  type PlanQueue,
} from '../../src/plans/plan-queue.ts';

// A stopping process hands its unfinished jobs back: another process must resume them at once,
// and without the hand-back counting as one of the plan's attempts.
const JOBS = loadConfig({
  PLAN_JOB_POLL_SECONDS: '0.5',
  // Long: a handed-back job that waited out the backoff would not be picked up within the test.
  PLAN_JOB_RETRY_DELAY_SECONDS: '120',
  PLAN_JOB_RETRY_LIMIT: '1',
}).jobs;
const logger = createLogger({ level: 'silent', pretty: false });

interface JobRow {
  readonly state: string;
  readonly retry_count: number;
  readonly retry_limit: number;
  readonly due: boolean;
  readonly hand_backs: number | null;
}

const opened: { test?: TestDatabase; queues: PlanQueue[] } = { queues: [] };
afterEach(async () => {
  await Promise.all(opened.queues.map((queue) => queue.stop({ graceful: false, timeoutMs: 1000 })));
  opened.queues = [];
  await opened.test?.drop();
  delete opened.test;
});

describe.each(BACKENDS)('plan queue hand-back on %s', (backend) => {
  async function start() {
    const test = opened.test ?? (opened.test = await openTestDatabase(backend));
    const queue = await createPlanQueue(test.db, JOBS, logger);
    opened.queues.push(queue);
    const row = async () => {
      const [job] = await test.db.query<JobRow>(
        `SELECT state, retry_count, retry_limit, start_after <= now() AS due, (data->>'handBacks')::int AS hand_backs
         FROM ${bossSchema(test.db)}.job WHERE name = $1`,
        [PLAN_QUEUES.chat],
      );
      return job;
    };
    return { test, queue, row };
  }

  /** A handler that runs until its job is aborted (the process stops), and then returns. */
  function stalling(seen: PlanJob[]) {
    return async (job: PlanJob) => {
      seen.push(job);
      await new Promise((resolve) => job.signal.addEventListener('abort', resolve, { once: true }));
    };
  }

  it('keeps the attempt of a job handed back and makes it due at once for the next process', async () => {
    const first = await start();
    const seen: PlanJob[] = [];
    await first.queue.work(PLAN_QUEUES.chat, stalling(seen));
    await first.test.db.transaction((tx) =>
      first.queue.send(tx, PLAN_QUEUES.chat, { workspaceId: 'T1', revisionId: 'R1' }),
    );
    await until(() => seen[0]);
    expect(seen[0]).toMatchObject({ retryCount: 0, retryLimit: 1, handBacks: 0 });

    await first.queue.stop({ graceful: true, timeoutMs: 300 });
    // Back in the queue with one more attempt than before (pg-boss counts retries as they are
    // claimed), due now rather than after the 120 s backoff.
    expect(await first.row()).toEqual({ state: 'retry', retry_count: 0, retry_limit: 2, due: true, hand_backs: 1 });

    // The next process resumes it at once, and may hand it back again: still not its last attempt
    // (with PLAN_JOB_RETRY_LIMIT=1, two counted hand-backs would have abandoned the plan).
    const second = await start();
    const resumed: PlanJob[] = [];
    await second.queue.work(PLAN_QUEUES.chat, stalling(resumed));
    const job = await until(() => resumed[0], 10_000);
    expect(job).toMatchObject({
      retryCount: 1,
      retryLimit: 2,
      handBacks: 1,
      data: { workspaceId: 'T1', revisionId: 'R1' },
    });
    await second.queue.stop({ graceful: true, timeoutMs: 300 });
    expect(await second.row()).toEqual({ state: 'retry', retry_count: 1, retry_limit: 3, due: true, hand_backs: 2 });
  });

  it(`stops keeping attempts after ${MAX_HAND_BACKS} hand-backs, so a plan cannot circulate forever`, async () => {
    const first = await start();
    const seen: PlanJob[] = [];
    await first.queue.work(PLAN_QUEUES.chat, stalling(seen));
    await first.test.db.transaction((tx) =>
      first.queue.send(tx, PLAN_QUEUES.chat, { workspaceId: 'T1', revisionId: 'R1' }),
    );
    await until(() => seen[0]);
    await first.test.db.query(
      `UPDATE ${bossSchema(first.test.db)}.job SET data = data || jsonb_build_object('handBacks', $1::int)`,
      [MAX_HAND_BACKS],
    );

    await first.queue.stop({ graceful: true, timeoutMs: 300 });
    // The attempt counts (the retry limit stays 1) and the usual backoff applies.
    expect(await first.row()).toEqual({
      state: 'retry',
      retry_count: 0,
      retry_limit: 1,
      due: false,
      hand_backs: MAX_HAND_BACKS + 1,
    });
  });

  it('leaves a job that finishes within the grace period completed', async () => {
    const first = await start();
    let release: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      void first.queue.work(PLAN_QUEUES.chat, async () => {
        resolve();
        await new Promise<void>((finish) => (release = finish));
      });
    });
    await first.test.db.transaction((tx) =>
      first.queue.send(tx, PLAN_QUEUES.chat, { workspaceId: 'T1', revisionId: 'R1' }),
    );
    await started;
    const stopping = first.queue.stop({ graceful: true, timeoutMs: 5000 });
    setTimeout(() => release(), 100);
    await stopping;
    expect(await first.row()).toMatchObject({ state: 'completed', hand_backs: null });
  });
});
