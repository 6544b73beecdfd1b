import type { Database } from '../store/database.ts';
import { MIGRATIONS_DIR } from '../store/open-database.ts';
import { readMigrations } from '../store/migrate.ts';

/** Each part's state: "ok" or what is wrong, for the 503 body and the logs. */
export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, string>>;
}

export interface ReadinessDeps {
  readonly db: Database;
  /** Undefined: no job queue (no model key); a reason names why. */
  readonly queue: { running(): boolean } | undefined;
  readonly queueMissingReason: string;
  /** True once the process started stopping: replicas leave the load balancer first. */
  readonly stopping: () => boolean;
  readonly timeoutMs?: number;
}

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${String(ms)} ms`)), ms).unref()),
  ]);

/** /readyz: the database answers, every migration is applied, the queue runs, no shutdown; failing parts named. */
export function createReadinessCheck(deps: ReadinessDeps): () => Promise<ReadinessReport> {
  const timeoutMs = deps.timeoutMs ?? 2000;
  const expected = readMigrations(MIGRATIONS_DIR).then((migrations) => migrations.map((migration) => migration.name));
  return async () => {
    const checks: Record<string, string> = {};
    try {
      const names = await expected;
      const rows = await withTimeout(deps.db.query<{ name: string }>('SELECT name FROM schema_migrations'), timeoutMs);
      checks['database'] = 'ok';
      const applied = new Set(rows.map((row) => row.name));
      const missing = names.filter((name) => !applied.has(name));
      checks['migrations'] = missing.length === 0 ? 'ok' : `not applied: ${missing.join(', ')}`;
    } catch (error) {
      checks['database'] = `unreachable: ${error instanceof Error ? error.message : String(error)}`;
      checks['migrations'] = 'unknown (database unreachable)';
    }
    checks['queue'] = deps.queue === undefined ? deps.queueMissingReason : deps.queue.running() ? 'ok' : 'stopped';
    if (deps.stopping()) checks['shutdown'] = 'shutting down';
    return { ready: Object.values(checks).every((state) => state === 'ok'), checks };
  };
}
