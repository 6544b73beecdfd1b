import pg from 'pg';
import { sqlStateOf, type Database, type Queryable } from './database.ts';

export interface PgDatabaseOptions {
  readonly connectionString: string;
  /** Our tables' schema; created if missing. Tests pass a fresh one per run. */
  readonly schema: string;
  readonly maxConnections: number;
  /**
   * Told when Postgres ends one of our connections (a restart, a failover, an idle timeout): the
   * pool drops it and opens a new one when needed; a query that was running on it fails. Without
   * a listener the connection's 'error' event would end the process.
   */
  readonly onConnectionError?: (error: Error) => void;
}

/** How our connections show in pg_stat_activity by default. */
export const APPLICATION_NAME = 'integration-planner';

/** Lock key that orders pg-boss's group-limited fetches across every process on the database. */
const GROUP_FETCH_LOCK = 7_314_522_002;

/**
 * pg-boss checks a group's running jobs in a snapshot, so fetches that run at the same moment
 * (several workers, several replicas) can each see a free slot and overshoot the per-workspace
 * limit. Running those fetches one at a time under a transaction-level advisory lock makes each
 * one see the jobs the previous one claimed. Only the group-limited fetch is affected: it is the
 * one statement with pg-boss's `group_ranking` step.
 */
export function isGroupLimitedFetch(text: string): boolean {
  return text.includes('group_ranking AS');
}

/** Runs `work` on a connection of its own from the pool. */
type Checkout = <T>(work: (client: pg.PoolClient) => Promise<T>) => Promise<T>;

/**
 * A pool connection for `work`, listened to while it is out of the pool: a checked-out client
 * whose connection Postgres ends emits 'error' besides failing its query, and the pool only
 * listens to idle ones (an unheard 'error' would end the process).
 */
function checkoutFrom(pool: pg.Pool, onConnectionError: ((error: Error) => void) | undefined): Checkout {
  return async (work) => {
    const client = await pool.connect();
    const heard = (error: Error) => onConnectionError?.(error);
    client.on('error', heard);
    try {
      return await work(client);
    } finally {
      client.removeListener('error', heard);
      client.release();
    }
  };
}

/** Runs `work` in a transaction on `client`. */
async function inTransaction<T>(client: pg.PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // On a lost connection there is nothing to roll back: the original error is the story.
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

function serialisedFetch(checkout: Checkout, text: string, values: unknown[] | undefined) {
  return checkout((client) =>
    inTransaction(client, async () => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [GROUP_FETCH_LOCK]);
      const result = await client.query(text, values);
      return { rows: result.rows as object[] };
    }),
  );
}

function queryableOf(client: pg.Pool | pg.PoolClient, checkout: Checkout): Queryable {
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
        if (client instanceof pg.Pool && isGroupLimitedFetch(text)) return serialisedFetch(checkout, text, values);
        // pg-boss sends multi-statement SQL; pg then answers with one result per statement, and
        // pg-boss needs the rows of all of them (its lock row comes from the first).
        const result = (await client.query(text, values)) as pg.QueryResult<object> | pg.QueryResult<object>[];
        return { rows: Array.isArray(result) ? result.flatMap((each) => each.rows) : result.rows };
      },
    },
  };
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** How long a lost LISTEN connection waits before it is opened again. */
const LISTEN_RETRY_MS = 1000;

/**
 * LISTEN on a connection of its own (a pooled one would be handed to others): reopened a second
 * after Postgres ends it, its errors reported, never thrown.
 */
async function listenOn(
  options: PgDatabaseOptions,
  channel: string,
  onNotify: (payload: string) => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const open = async (): Promise<void> => {
    const connection = new pg.Client({
      connectionString: options.connectionString,
      fallback_application_name: APPLICATION_NAME,
    });
    connection.on('error', (error) => options.onConnectionError?.(error));
    connection.on('notification', (message) => {
      if (message.channel === channel) onNotify(message.payload ?? '');
    });
    connection.on('end', () => {
      if (stopped || client !== connection) return;
      client = undefined;
      retry = setTimeout(() => void open().catch((error: unknown) => reopenLater(error)), LISTEN_RETRY_MS);
    });
    await connection.connect();
    await connection.query(`LISTEN ${quoteIdent(channel)}`);
    client = connection;
  };
  const reopenLater = (error: unknown) => {
    options.onConnectionError?.(error instanceof Error ? error : new Error(String(error)));
    if (!stopped) retry = setTimeout(() => void open().catch(reopenLater), LISTEN_RETRY_MS);
  };
  await open();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}

/** Postgres through a `pg` pool; every connection's search_path is our schema. */
export async function createPgDatabase(options: PgDatabaseOptions): Promise<Database> {
  const setup = new pg.Client({ connectionString: options.connectionString });
  // Its query fails if Postgres ends the connection; the event must not end the process too.
  setup.on('error', (error) => options.onConnectionError?.(error));
  await setup.connect();
  try {
    await setup.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
  } catch (error) {
    // IF NOT EXISTS is not atomic: replicas starting together on a new schema can race to
    // create it, and the loser sees a duplicate. The schema exists either way.
    if (sqlStateOf(error) !== '23505' && sqlStateOf(error) !== '42P06') throw error;
  } finally {
    await setup.end();
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections,
    // public stays on the path for extensions (pg_trgm's operator classes).
    options: `-c search_path=${quoteIdent(options.schema)},public`,
    // Names our connections in pg_stat_activity (unless DATABASE_URL's application_name or
    // PGAPPNAME says otherwise).
    fallback_application_name: APPLICATION_NAME,
  });
  pool.on('error', (error) => options.onConnectionError?.(error));
  const onClient = checkoutFrom(pool, options.onConnectionError);
  const base = queryableOf(pool, onClient);
  return {
    kind: 'postgres',
    schema: options.schema,
    ...base,
    transaction: (work) => onClient((client) => inTransaction(client, () => work(queryableOf(client, onClient)))),
    withAdvisoryLock: (key, work) =>
      onClient(async (client) => {
        await client.query('SELECT pg_advisory_lock($1)', [key]);
        try {
          return await work(queryableOf(client, onClient));
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [key]);
        }
      }),
    listen: (channel, onNotify) => listenOn(options, channel, onNotify),
    close: () => pool.end(),
  };
}
