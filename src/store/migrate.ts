import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.ts';
import type { Database } from './database.ts';

export interface Migration {
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

/** Fixed key for the migration lock, so replicas starting together migrate one at a time. */
const MIGRATION_LOCK_KEY = 7_314_522_001;

/** Reads `NNN_name.sql` files in order; names must be numbered. */
export async function readMigrations(directory: string): Promise<Migration[]> {
  const files = (await readdir(directory)).filter((file) => file.endsWith('.sql')).sort();
  return Promise.all(
    files.map(async (file) => {
      if (!/^\d{3}_[a-z0-9_]+\.sql$/u.test(file)) {
        throw new AppError('CONFIG_INVALID', `Migration file ${file} must be named like 001_description.sql`);
      }
      const sql = await readFile(path.join(directory, file), 'utf8');
      return { name: file, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/**
 * Applies pending migrations in order, each in its own transaction, under an advisory lock, and
 * returns their names. Forward-only: an applied migration whose file changed stops start-up.
 */
export async function migrate(db: Database, migrations: readonly Migration[]): Promise<string[]> {
  return db.withAdvisoryLock(MIGRATION_LOCK_KEY, async (conn) => {
    await conn.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const applied = new Map(
      (await conn.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations')).map(
        (row) => [row.name, row.checksum],
      ),
    );
    for (const [name, checksum] of applied) {
      const file = migrations.find((migration) => migration.name === name);
      if (file === undefined) {
        throw new AppError('CONFIG_INVALID', `Migration ${name} is applied to the database but its file is missing.`);
      }
      if (file.checksum !== checksum) {
        throw new AppError(
          'CONFIG_INVALID',
          `Migration ${name} was changed after it was applied. Migrations are forward-only: restore the file and add a new migration instead.`,
        );
      }
    }
    const pending = migrations.filter((migration) => !applied.has(migration.name));
    // On the connection that holds the lock: with a pool of one, another connection would never come.
    for (const migration of pending) {
      await conn.query('BEGIN');
      try {
        await conn.execScript(migration.sql);
        await conn.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [
          migration.name,
          migration.checksum,
        ]);
        await conn.query('COMMIT');
      } catch (error) {
        await conn.query('ROLLBACK');
        throw error;
      }
    }
    return pending.map((migration) => migration.name);
  });
}
