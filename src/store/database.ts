import type { Db as BossDb } from 'pg-boss';

/** Something that runs SQL with `$1` parameters: the database or a transaction. */
export interface Queryable {
  query<R extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a script of several statements without parameters (migrations). */
  execScript(sql: string): Promise<void>;
  /** The same connection as pg-boss wants it, so a job can be sent inside this transaction. */
  readonly bossDb: BossDb;
}

/** The SQLSTATE of a failed statement (`pg` and PGlite both set `code`), if there is one. */
export function sqlStateOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

/** The one storage port, Postgres through `pg` or embedded PGlite: everything above it is written once for both. */
export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** The schema our tables live in (search_path), so pg-boss can sit beside it. */
  readonly schema: string;
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs `work` while holding a session-level advisory lock (e.g. migrations at start-up). */
  withAdvisoryLock<T>(key: number, work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * LISTEN on `channel` (Postgres only: PGlite belongs to one process, which needs no signal):
   * `onNotify` gets each NOTIFY's payload; the connection is reopened when Postgres ends it.
   * Resolves to the function that stops listening.
   */
  listen?(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
