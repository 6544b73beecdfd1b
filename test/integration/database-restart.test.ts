import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { probe, startServiceProcess, type ServiceProcess } from '../helpers/service.ts';
import { dropSchemas, TEST_DATABASE_URL, uniqueSchema } from '../helpers/test-database.ts';

/** A model that is never called: the service only has to run. */
const MODEL_ENV = { ANTHROPIC_API_KEY: 'placeholder-not-a-key', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' };

let service: ServiceProcess | undefined;
let schema: string | undefined;
afterEach(async () => {
  await service?.stop();
  if (schema !== undefined) await dropSchemas(TEST_DATABASE_URL ?? '', schema);
  service = undefined;
  schema = undefined;
});

describe.skipIf(TEST_DATABASE_URL === undefined)(
  'Postgres ending the service’s connections (runs when TEST_DATABASE_URL is set)',
  () => {
    it('keeps the process running: it logs the lost connections and is ready again', async () => {
      schema = uniqueSchema();
      // A name of its own in pg_stat_activity, so only this process's connections are ended.
      const url = new URL(TEST_DATABASE_URL ?? '');
      url.searchParams.set('application_name', schema);
      service = await startServiceProcess({
        ...MODEL_ENV,
        DATABASE_URL: url.href,
        DATABASE_SCHEMA: schema,
        PLAN_JOB_POLL_SECONDS: '0.5',
      });
      // npm start's plan worker process is running too (not still starting: a connection ended
      // during start-up is a failed start, which the web process answers with a restart).
      await service.waitForLog((record) => record.msg === 'listening' && record['role'] === 'worker', 30_000);
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      try {
        // As a restart or failover would: every connection of the process, idle or in use (the
        // job queue polls twice a second), three times over.
        let ended = 0;
        for (let round = 0; round < 3; round += 1) {
          const result = await admin.query<{ ended: string }>(
            'SELECT count(pg_terminate_backend(pid)) AS ended FROM pg_stat_activity WHERE application_name = $1',
            [schema],
          );
          ended += Number(result.rows[0]?.ended);
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        expect(ended).toBeGreaterThan(2);
      } finally {
        await admin.end();
      }
      await service.waitForLog(
        (record) => record.msg === 'Postgres ended a connection; the pool opens a new one when needed',
        10_000,
      );
      const deadline = Date.now() + 15_000;
      let ready = await probe(`${service.url}/readyz`);
      while (ready !== 200 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        ready = await probe(`${service.url}/readyz`);
      }
      expect(ready).toBe(200);
      const running = await Promise.race([
        service.exited.then(() => 'exited'),
        new Promise((resolve) => setTimeout(() => resolve('running'), 1000)),
      ]);
      expect(running).toBe('running');
      expect(service.records().filter((record) => (record.level ?? 0) >= 60)).toEqual([]);
    });
  },
);
