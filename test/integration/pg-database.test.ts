import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { dropSchemas, TEST_DATABASE_URL, uniqueSchema } from '../helpers/test-database.ts';
import type { Database } from '../../src/store/database.ts';
import { createPgDatabase } from '../../src/store/pg-database.ts';

const opened: { db?: Database; schema?: string } = {};
afterEach(async () => {
  await opened.db?.close();
  if (opened.schema !== undefined && TEST_DATABASE_URL !== undefined)
    await dropSchemas(TEST_DATABASE_URL, opened.schema);
  opened.db = undefined;
  opened.schema = undefined;
});

/** A pool on a schema of its own (dropped after the test) that records the connections it lost. */
async function openPool(maxConnections: number): Promise<{ url: string; db: Database; errors: Error[] }> {
  const url = TEST_DATABASE_URL ?? '';
  const schema = uniqueSchema();
  const errors: Error[] = [];
  const db = await createPgDatabase({
    connectionString: url,
    schema,
    maxConnections,
    onConnectionError: (error) => errors.push(error),
  });
  Object.assign(opened, { db, schema });
  return { url, db, errors };
}

describe.skipIf(TEST_DATABASE_URL === undefined)('the Postgres pool (runs when TEST_DATABASE_URL is set)', () => {
  it('survives Postgres ending its idle connections (a restart, a failover): it says so and reconnects', async () => {
    const { url, db, errors } = await openPool(3);
    // Three connections, then idle in the pool.
    await Promise.all([1, 2, 3].map(() => db.query('SELECT pg_sleep(0.05)')));
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const [{ ended }] = (
        await admin.query<{ ended: string }>(
          `SELECT count(pg_terminate_backend(pid)) AS ended FROM pg_stat_activity
           WHERE pid <> pg_backend_pid() AND datname = current_database() AND query LIKE 'SELECT pg_sleep(0.05)%'`,
        )
      ).rows as [{ ended: string }];
      expect(Number(ended)).toBe(3);
    } finally {
      await admin.end();
    }
    // Without a handler, the pool's 'error' event for an idle client would end the process.
    await expect.poll(() => errors.length, { timeout: 5000 }).toBe(3);
    expect(errors[0]?.message).toMatch(/terminat/u);
    expect(await db.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('survives Postgres ending a connection in the middle of a transaction: the transaction fails, the process stays', async () => {
    const { url, db, errors } = await openPool(2);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const failed = db.transaction(async (tx) => {
        const [own] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [own?.pid]);
        await new Promise((resolve) => setTimeout(resolve, 100));
        return tx.query('SELECT 1');
      });
      await expect(failed).rejects.toThrow();
    } finally {
      await admin.end();
    }
    await expect.poll(() => errors.length, { timeout: 5000 }).toBeGreaterThanOrEqual(1);
    expect(await db.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
