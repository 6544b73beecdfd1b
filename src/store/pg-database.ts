import pg from 'pg';
import type { Db as BossDb } from 'pg-boss';
import type { Database, Queryable } from './database.ts';

export interface PgDatabaseOptions {
  readonly connectionString: string;
  /** Our tables' schema; created if missing. Tests pass a fresh one per run. */
  readonly schema: string;
  readonly maxConnections: number;
}

function queryableOf(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    query: async <R extends object>(text: string, params?: readonly unknown[]) => {
      const result = await client.query<R>(text, params as unknown[] | undefined);
      return result.rows;
    },
    execScript: async (sql: string) => {
      await client.query(sql);
    },
    bossDb: {
      executeSql: async (text: string, values?: unknown[]) => {
        // pg-boss sends multi-statement SQL; pg then answers with one result per statement, and
        // pg-boss needs the rows of all of them (its lock row comes from the first).
        const result = (await client.query(text, values)) as pg.QueryResult<object> | pg.QueryResult<object>[];
        return { rows: Array.isArray(result) ? result.flatMap((each) => each.rows) : result.rows };
      },
    },
  };
}

function isDuplicate(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === '23505' || code === '42P06';
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Postgres through a `pg` pool; every connection's search_path is our schema. */
export async function createPgDatabase(options: PgDatabaseOptions): Promise<Database> {
  const setup = new pg.Client({ connectionString: options.connectionString });
  await setup.connect();
  try {
    await setup.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
  } catch (error) {
    // IF NOT EXISTS is not atomic: replicas starting together on a new schema can race to
    // create it, and the loser sees a duplicate. The schema exists either way.
    if (!isDuplicate(error)) throw error;
  } finally {
    await setup.end();
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections,
    // public stays on the path for extensions (pg_trgm's operator classes).
    options: `-c search_path=${quoteIdent(options.schema)},public`,
  });
  const base = queryableOf(pool);
  const onClient = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      return await work(client);
    } finally {
      client.release();
    }
  };
  return {
    kind: 'postgres',
    schema: options.schema,
    ...base,
    transaction: (work) =>
      onClient(async (client) => {
        await client.query('BEGIN');
        try {
          const result = await work(queryableOf(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }),
    withAdvisoryLock: (key, work) =>
      onClient(async (client) => {
        await client.query('SELECT pg_advisory_lock($1)', [key]);
        try {
          return await work(queryableOf(client));
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [key]);
        }
      }),
    close: () => pool.end(),
  };
}

export type { BossDb };
