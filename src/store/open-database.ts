import path from 'node:path';
import { PACKAGE_ROOT } from '../package-root.ts';
import type { DatabaseSettings } from './database-settings.ts';
import type { Database } from './database.ts';
import { migrate, readMigrations } from './migrate.ts';
import { createPgDatabase, type PgDatabaseOptions } from './pg-database.ts';
import { createPgliteDatabase } from './pglite-database.ts';

export const MIGRATIONS_DIR = path.join(PACKAGE_ROOT, 'migrations');

/** Postgres when DATABASE_URL is set, else PGlite in DATA_DIR, migrated (under a lock, so replicas may race). */
export async function openMigratedDatabase(
  database: DatabaseSettings,
  events: Pick<PgDatabaseOptions, 'onConnectionError'> = {},
): Promise<{ db: Database; applied: string[] }> {
  const db = await (database.url === undefined
    ? createPgliteDatabase(database.dataDir)
    : createPgDatabase({
        connectionString: database.url,
        schema: database.schema,
        maxConnections: database.poolMax,
        ...events,
      }));
  try {
    const applied = await migrate(db, await readMigrations(MIGRATIONS_DIR));
    return { db, applied };
  } catch (error) {
    await db.close();
    throw error;
  }
}
