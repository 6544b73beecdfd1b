import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { fromPglite } from 'pg-boss';
import { lockDataDir } from './data-dir-lock.ts';
import type { Database, Queryable } from './database.ts';

type PgliteConnection = PGlite | Transaction;

function queryableOf(connection: PgliteConnection): Queryable {
  return {
    query: async <R extends object>(text: string, params?: readonly unknown[]) => {
      const result = await connection.query<R>(text, params as unknown[] | undefined);
      return result.rows;
    },
    execScript: async (sql: string) => {
      await connection.exec(sql);
    },
    bossDb: fromPglite(connection),
  };
}

/**
 * Embedded Postgres (PGlite) in a data directory, or in memory for `memory://`. One connection:
 * right for `npm start` with nothing installed, not for several replicas (use DATABASE_URL).
 */
export async function createPgliteDatabase(dataDir: string): Promise<Database> {
  let unlock: () => Promise<void> = () => Promise.resolve();
  if (!dataDir.startsWith('memory://')) {
    await mkdir(dataDir, { recursive: true });
    unlock = await lockDataDir(dataDir);
  }
  const pglite = await PGlite.create(dataDir, { extensions: { pg_trgm } }).catch(async (error: unknown) => {
    await unlock();
    throw error;
  });
  const base = queryableOf(pglite);
  return {
    kind: 'pglite',
    schema: 'public',
    ...base,
    transaction: (work) => pglite.transaction((tx) => work(queryableOf(tx))),
    // One connection, one process: the lock only orders work within this process, which PGlite's
    // own statement queue already does; taking it keeps the code path the same as on Postgres.
    withAdvisoryLock: async (key, work) => {
      await pglite.query('SELECT pg_advisory_lock($1)', [key]);
      try {
        return await work(base);
      } finally {
        await pglite.query('SELECT pg_advisory_unlock($1)', [key]);
      }
    },
    close: async () => {
      await pglite.close();
      await unlock();
    },
  };
}
