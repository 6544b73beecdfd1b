import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { createPlanQueue, type PlanQueue, type QuestionJob } from '../../src/plans/plan-queue.ts';
import { createPgDatabase } from '../../src/store/pg-database.ts';
import type { Database } from '../../src/store/database.ts';
import { openTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/test-database.ts';
import { until } from '../helpers/until.ts';

// Two processes of one service on Postgres: a job the web process enqueues is picked up by the
// worker process at once (NOTIFY), not at the worker's next poll, here half a minute away.
if (TEST_DATABASE_URL === undefined) {
  console.warn('\n!!! wake-up.test.ts SKIPPED: wake-ups across processes need Postgres; set TEST_DATABASE_URL. !!!\n');
}

describe.skipIf(TEST_DATABASE_URL === undefined)('wake-ups across processes (Postgres)', () => {
  const logger = createLogger({ level: 'silent', pretty: false });
  const jobs = loadConfig({ PLAN_JOB_POLL_SECONDS: '30' }).jobs;
  const opened: { test?: TestDatabase; workerDb?: Database; queues: PlanQueue[] } = { queues: [] };
  afterAll(async () => {
    for (const queue of opened.queues) await queue.stop({ graceful: false, timeoutMs: 1000 });
    await opened.workerDb?.close();
    await opened.test?.drop();
  });

  it('runs a side job as soon as another process enqueues it', async () => {
    const test = await openTestDatabase('postgres');
    opened.test = test;
    // The worker process: its own connections to the same schema, its own queue and worker.
    const workerDb = await createPgDatabase({
      connectionString: test.env['DATABASE_URL'] ?? '',
      schema: test.env['DATABASE_SCHEMA'] ?? '',
      maxConnections: 3,
    });
    opened.workerDb = workerDb;
    const worker = await createPlanQueue(workerDb, jobs, logger);
    const web = await createPlanQueue(test.db, jobs, logger);
    opened.queues.push(worker, web);
    const ran: QuestionJob[] = [];
    await worker.workSide('question', (job) => {
      ran.push(job);
      return Promise.resolve();
    });
    // Past the worker's first poll, which pg-boss runs at once.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await web.sendSide('question', test.db, { workspaceId: 'T0WAKE', questionId: 'q-1' });
    web.wake('question');
    const job = await until(() => ran[0], 10_000);
    expect(job.data).toEqual({ workspaceId: 'T0WAKE', questionId: 'q-1' });
  }, 60_000);
});
