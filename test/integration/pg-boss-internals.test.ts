import type { PgBoss } from 'pg-boss';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { bossJobTable, bossSchema } from '../../src/plans/pg-boss-internals.ts';
import { DEAD_LETTER, MAX_HAND_BACKS, PLAN_QUEUES, startPlanBoss } from '../../src/plans/plan-queue.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../helpers/test-database.ts';

// What src/plans/pg-boss-internals.ts relies on in pg-boss's private job table. When a pg-boss
// upgrade fails this file, fix the statements there (and this pin) before shipping the upgrade.
const JOBS = loadConfig({ PLAN_JOB_RETRY_LIMIT: '0', PLAN_JOB_RETRY_DELAY_SECONDS: '120' }).jobs;
const logger = createLogger({ level: 'silent', pretty: false });
const QUEUES = Object.values(PLAN_QUEUES);

const opened: { test?: TestDatabase; boss?: PgBoss } = {};
afterEach(async () => {
  await opened.boss?.stop({ graceful: false, close: false });
  await opened.test?.drop();
  delete opened.boss;
  delete opened.test;
});

describe.each(BACKENDS)('pg-boss internals on %s', (backend) => {
  async function start() {
    const test = (opened.test = await openTestDatabase(backend));
    const boss = (opened.boss = await startPlanBoss(test.db, JOBS, logger, QUEUES));
    const row = async (id: string) => {
      const [job] = await test.db.query<{ id: string; state: string; retry_limit: number; data: unknown }>(
        `SELECT id, state, retry_limit, data FROM ${bossSchema(test.db)}.job WHERE id = $1`,
        [id],
      );
      return job;
    };
    return { db: test.db, boss, jobs: bossJobTable(test.db), row };
  }

  async function sendAndFetch(boss: PgBoss, data: object = { workspaceId: 'T1', revisionId: 'R1' }) {
    const id = await boss.send(PLAN_QUEUES.chat, data);
    const [job] = await boss.fetch(PLAN_QUEUES.chat);
    expect(job?.id).toBe(id);
    return job?.id ?? '';
  }

  it('keeps the job table in the schema we name, with the columns and types our statements use', async () => {
    const { db } = await start();
    const columns = await db.query<{ column_name: string; data_type: string; udt_name: string }>(
      `SELECT column_name, data_type, udt_name FROM information_schema.columns
       WHERE table_schema = $1 AND table_name = 'job' AND column_name = ANY($2::text[]) ORDER BY column_name`,
      [bossSchema(db), ['id', 'name', 'state', 'data', 'retry_limit', 'start_after', 'created_on']],
    );
    expect(Object.fromEntries(columns.map((column) => [column.column_name, column.udt_name]))).toEqual({
      created_on: 'timestamptz',
      data: 'jsonb',
      id: 'uuid',
      name: 'text',
      retry_limit: 'int4',
      start_after: 'timestamptz',
      state: 'job_state',
    });
  });

  it('has exactly the job states our statements sort into queued, active and the rest', async () => {
    const { db } = await start();
    const states = await db.query<{ state: string }>(
      `SELECT e.enumlabel AS state FROM pg_enum e
       JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace
       WHERE n.nspname = $1 AND t.typname = 'job_state' ORDER BY e.enumsortorder`,
      [bossSchema(db)],
    );
    expect(states.map((row) => row.state)).toEqual(['created', 'retry', 'active', 'completed', 'cancelled', 'failed']);
  });

  it('stores each job under its queue name, so queue stats count it by state', async () => {
    const { boss, jobs } = await start();
    await boss.send(PLAN_QUEUES.chat, { workspaceId: 'T1', revisionId: 'R1' });
    await boss.send(PLAN_QUEUES.chat, { workspaceId: 'T1', revisionId: 'R2' });
    await boss.send(PLAN_QUEUES.local, { workspaceId: 'T1', revisionId: 'R3' });
    await boss.fetch(PLAN_QUEUES.chat);
    const stats = await jobs.queueStats(QUEUES);
    expect(stats.map(({ queue, queued, active }) => ({ queue, queued, active }))).toEqual([
      { queue: PLAN_QUEUES.chat, queued: 1, active: 1 },
      { queue: PLAN_QUEUES.local, queued: 1, active: 0 },
    ]);
    expect(stats.every((sample) => sample.oldestQueuedSeconds >= 0)).toBe(true);
  });

  it('fails a job whose retry limit we raised back to retry, same id and data, and keeps its limit', async () => {
    const { boss, jobs, row } = await start();
    const id = await sendAndFetch(boss);
    await jobs.keepAttempt([id], MAX_HAND_BACKS);
    await boss.fail(PLAN_QUEUES.chat, id);
    // With PLAN_JOB_RETRY_LIMIT=0 the failure would have been final without the raised limit.
    expect(await row(id)).toEqual({
      id,
      state: 'retry',
      retry_limit: 1,
      data: { workspaceId: 'T1', revisionId: 'R1' },
    });
  });

  it('fetches a job in retry at once once we made it due, with the hand-back counted in its data', async () => {
    const { boss, jobs, row } = await start();
    const id = await sendAndFetch(boss);
    await jobs.keepAttempt([id], MAX_HAND_BACKS);
    await boss.fail(PLAN_QUEUES.chat, id);
    // Without the hand-back the 120 s retry backoff would keep it from being fetched.
    expect(await boss.fetch(PLAN_QUEUES.chat)).toEqual([]);
    expect(await jobs.countHandBack([id], MAX_HAND_BACKS)).toBe(1);
    const [job] = await boss.fetch<{ handBacks: number }>(PLAN_QUEUES.chat, { includeMetadata: true });
    expect(job).toMatchObject({ id, retryCount: 1, retryLimit: 1, data: { handBacks: 1 } });
    expect(await row(id)).toMatchObject({ state: 'active' });
  });

  it('sends a job out of attempts to the dead letter queue we name', async () => {
    const { boss } = await start();
    const id = await sendAndFetch(boss);
    await boss.fail(PLAN_QUEUES.chat, id);
    const [dead] = await boss.fetch<{ revisionId: string }>(DEAD_LETTER);
    expect(dead?.data).toEqual({ workspaceId: 'T1', revisionId: 'R1' });
  });
});
