import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../../src/store/database.ts';
import { migrate, readMigrations } from '../../src/store/migrate.ts';
import { MIGRATIONS_DIR } from '../../src/store/open-database.ts';
import { createPgDatabase } from '../../src/store/pg-database.ts';
import { createPgliteDatabase } from '../../src/store/pglite-database.ts';
import { testEnv } from './test-env.ts';

export type Backend = 'pglite' | 'postgres';

/** PGlite always; Postgres too when `url` (TEST_DATABASE_URL) is set. */
export function backendsFor(url: string | undefined): readonly Backend[] {
  return url === undefined ? ['pglite'] : ['pglite', 'postgres'];
}

/** The real Postgres to test against as well, when CI (or a developer) provides one; empty means unset. */
export const TEST_DATABASE_URL = testEnv('TEST_DATABASE_URL');

/** PGlite always; Postgres too when TEST_DATABASE_URL is set. */
export const BACKENDS: readonly Backend[] = backendsFor(TEST_DATABASE_URL);

export interface TestDatabase {
  readonly db: Database;
  /** Connection settings a child process needs to reach the same database and schema. */
  readonly env: Record<string, string>;
  drop(): Promise<void>;
}

/** A unique schema name, so parallel test files and CI runs never share tables. */
export function uniqueSchema(): string {
  return `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/** Opens a fresh, migrated database: in-memory PGlite, or a new schema on Postgres. */
export async function openTestDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === 'pglite') {
    const db = await createPgliteDatabase('memory://');
    await migrate(db, await readMigrations(MIGRATIONS_DIR));
    return { db, env: {}, drop: () => db.close() };
  }
  if (TEST_DATABASE_URL === undefined) throw new Error('TEST_DATABASE_URL is not set');
  const url = TEST_DATABASE_URL;
  const schema = uniqueSchema();
  const db = await createPgDatabase({ connectionString: url, schema, maxConnections: 5 });
  await migrate(db, await readMigrations(MIGRATIONS_DIR));
  return {
    db,
    env: { DATABASE_URL: url, DATABASE_SCHEMA: schema },
    async drop() {
      await db.close();
      await dropSchemas(url, schema);
    },
  };
}

/** Drops a test schema and the pg-boss schema beside it. */
export async function dropSchemas(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS "${schema}_boss" CASCADE`);
  } finally {
    await client.end();
  }
}
