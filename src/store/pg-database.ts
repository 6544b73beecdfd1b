import pg from 'pg';
import type { Db as BossDb } from 'pg-boss';
import type { Database, Queryable } from './database.ts';

export interface PgDatabaseOptions {
  readonly connectionString: string;
  /** Our tables' schema; created if missing. Tests pass a fresh one per run. */
  readonly schema: string;
  readonly maxConnections: number;
}

/** Lock key that orders pg-boss's group-limited fetches across every process on the database. */
const GROUP_FETCH_LOCK = 7_314_522_002;

/**
 * pg-boss checks a group's running jobs in a snapshot, so fetches that run at the same moment
 * (several workers, several replicas) can each see a free slot and overshoot the per-workspace
 * limit. Running those fetches one at a time under a transaction-level advisory lock makes each
 * one see the jobs the previous one claimed. Only the group-limited fetch is affected: it is the
 * one statement with pg-boss's `group_ranking` step.
 */
function isGroupLimitedFetch(text: string): boolean {
  return text.includes('group_ranking AS');
}

async function serialisedFetch(pool: pg.Pool, text: string, values: unknown[] | undefined) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [GROUP_FETCH_LOCK]);
      const result = await client.query(text, values);
      await client.query('COMMIT');
      return { rows: result.rows as object[] };
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  } finally {
    client.release();
  }
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
        if (client instanceof pg.Pool && isGroupLimitedFetch(text)) return serialisedFetch(client, text, values);
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
