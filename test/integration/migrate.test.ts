import { appendFile, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, TEST_DATABASE_URL, dropSchemas, uniqueSchema, type Backend } from '../helpers/test-database.ts';
import { AppError } from '../../src/errors.ts';
import type { Database } from '../../src/store/database.ts';
import { migrate, readMigrations } from '../../src/store/migrate.ts';
import { MIGRATIONS_DIR } from '../../src/store/open-database.ts';
import { createPgDatabase } from '../../src/store/pg-database.ts';
import { createPgliteDatabase } from '../../src/store/pglite-database.ts';

const temporaryDirs: string[] = [];
afterEach(async () => {
  await Promise.all(temporaryDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function directoryWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'migrations-'));
  temporaryDirs.push(dir);
  for (const [name, sql] of Object.entries(files)) await writeFile(path.join(dir, name), sql);
  return dir;
}

async function copyOfMigrations(): Promise<string> {
  const dir = await directoryWith({});
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('readMigrations', () => {
  it('reads numbered files in order with their checksums, ignoring other files', async () => {
    const dir = await directoryWith({
      '010_c.sql': 'SELECT 3;',
      '002_b.sql': 'SELECT 2;',
      '001_a.sql': 'SELECT 1;',
      'README.md': '#',
    });
    const migrations = await readMigrations(dir);
    expect(migrations.map((migration) => migration.name)).toEqual(['001_a.sql', '002_b.sql', '010_c.sql']);
    expect(migrations[0]).toEqual({
      name: '001_a.sql',
      sql: 'SELECT 1;',
      // sha256 of the file's bytes (printf 'SELECT 1;' | sha256sum).
      checksum: '17db4fd369edb9244b9f91d9aeed145c3d04ad8ba6e95d06247f07a63527d11a',
    });
  });

  it.each(['1_init.sql', '001-init.sql', '001_Init.sql', '001_.sql', 'init.sql'])(
    'rejects a file named %s',
    async (name) => {
      const dir = await directoryWith({ '001_plans.sql': 'SELECT 1;', [name]: 'SELECT 2;' });
      const error = await rejection(readMigrations(dir));
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toContain(name);
    },
  );
});

/** A database with nothing migrated yet (openTestDatabase migrates, so it is no use here). */
async function openBare(
  backend: Backend,
  schema = uniqueSchema(),
): Promise<{ db: Database; drop: () => Promise<void> }> {
  if (backend === 'pglite') {
    const db = await createPgliteDatabase('memory://');
    return { db, drop: () => db.close() };
  }
  const url = TEST_DATABASE_URL ?? '';
  const db = await createPgDatabase({ connectionString: url, schema, maxConnections: 5 });
  return {
    db,
    async drop() {
      await db.close();
      await dropSchemas(url, schema);
    },
  };
}

describe.each(BACKENDS)('migrate on %s', (backend) => {
  let bare: { db: Database; drop: () => Promise<void> };
  beforeAll(async () => {
    bare = await openBare(backend);
  });
  afterAll(() => bare.drop());

  // One database through the whole story: fresh → applied → extended → failing → edited → missing.
  it('applies each migration once, atomically, and refuses edited or missing applied files', async () => {
    const { db } = bare;
    const dir = await copyOfMigrations();
    const real = await readMigrations(dir);
    expect(real.map((migration) => migration.name)).toContain('001_plans.sql');
    expect(await migrate(db, real)).toEqual(real.map((migration) => migration.name));
    expect(await migrate(db, real)).toEqual([]);
    const applied = await db.query<{ name: string; checksum: string }>(
      'SELECT name, checksum FROM schema_migrations ORDER BY name',
    );
    expect(applied).toEqual(real.map(({ name, checksum }) => ({ name, checksum })));
    const [tables] = await db.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM information_schema.tables
       WHERE table_schema = $1 AND table_name IN ('plans', 'plan_revisions', 'plan_sections', 'workspace_counters')`,
      [db.schema],
    );
    expect(Number(tables?.n)).toBe(4);

    await writeFile(path.join(dir, '999_extra.sql'), 'CREATE TABLE extra_probe (id integer);');
    expect(await migrate(db, await readMigrations(dir))).toEqual(['999_extra.sql']);

    // A failing migration rolls back whole and is not recorded.
    const broken = {
      name: '99a_broken.sql',
      sql: 'CREATE TABLE half_done (id integer);\nSELECT nope FROM half_done;',
      checksum: 'c',
    };
    await expect(migrate(db, [...(await readMigrations(dir)), broken])).rejects.toThrow(/nope/u);
    const recorded = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    expect(recorded.map((row) => row.name)).toEqual([...real.map((migration) => migration.name), '999_extra.sql']);
    const [half] = await db.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'half_done'`,
      [db.schema],
    );
    expect(Number(half?.n)).toBe(0);

    await appendFile(path.join(dir, '001_plans.sql'), '\n-- edited after it was applied\n');
    const edited = await rejection(migrate(db, await readMigrations(dir)));
    expect(edited.code).toBe('CONFIG_INVALID');
    expect(edited.message).toContain('001_plans.sql');
    expect(edited.message).toContain('forward-only');

    await cp(path.join(MIGRATIONS_DIR, '001_plans.sql'), path.join(dir, '001_plans.sql'));
    await rm(path.join(dir, '999_extra.sql'));
    const missing = await rejection(migrate(db, await readMigrations(dir)));
    expect(missing.code).toBe('CONFIG_INVALID');
    expect(missing.message).toContain('999_extra.sql');
    expect(missing.message).toContain('missing');
  });
});

describe.runIf(TEST_DATABASE_URL !== undefined)('migrate on Postgres with several processes', () => {
  const url = TEST_DATABASE_URL ?? '';

  it('two handles migrating one schema at once apply each migration once', async () => {
    const schema = uniqueSchema();
    // Opened one after the other: opening both at once races on CREATE SCHEMA (see below).
    const first = await openBare('postgres', schema);
    const second = await openBare('postgres', schema);
    try {
      const migrations = await readMigrations(MIGRATIONS_DIR);
      const results = await Promise.all([migrate(first.db, migrations), migrate(second.db, migrations)]);
      expect(results.map((names) => names.length).sort()).toEqual([0, migrations.length]);
      const rows = await first.db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
      expect(rows.map((row) => row.name)).toEqual(migrations.map((migration) => migration.name));
      expect(await second.db.query('SELECT * FROM plans')).toEqual([]);
    } finally {
      await second.db.close();
      await first.drop();
    }
  });

  // Needs a database of its own: a fresh one, where the first migration installs pg_trgm.
  it('two schemas in one database migrate side by side', { timeout: 30_000 }, async () => {
    const name = uniqueSchema();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const own = new URL(url);
    own.pathname = `/${name}`;
    const opened: Database[] = [];
    try {
      const migrations = await readMigrations(MIGRATIONS_DIR);
      for (const schema of ['one', 'two']) {
        const db = await createPgDatabase({ connectionString: own.href, schema, maxConnections: 2 });
        opened.push(db);
        expect(await migrate(db, migrations)).toEqual(migrations.map((migration) => migration.name));
      }
    } finally {
      await Promise.all(opened.map((db) => db.close()));
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.end();
    }
  });

  // Replicas starting together on a new DATABASE_SCHEMA race to create it. Made deterministic
  // by holding the other creator's transaction open until this one waits.
  it('opening a handle while another process creates the same schema', async () => {
    const schema = uniqueSchema();
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`CREATE SCHEMA ${schema}`);
      const opening = createPgDatabase({ connectionString: url, schema, maxConnections: 1 });
      const settled = opening.then(
        (db) => db.close().then(() => 'opened'),
        (error: unknown) => String(error),
      );
      await waitForLockWait(other, schema);
      await other.query('COMMIT');
      expect(await settled).toBe('opened');
    } finally {
      await other.end();
      await dropSchemas(url, schema);
    }
  });

  it('migrates with a pool of one connection', async () => {
    const schema = uniqueSchema();
    const db = await createPgDatabase({ connectionString: url, schema, maxConnections: 1 });
    try {
      const migrations = await readMigrations(MIGRATIONS_DIR);
      expect(await migrate(db, migrations)).toEqual(migrations.map((migration) => migration.name));
      expect(await db.query('SELECT count(*)::int AS n FROM plans')).toEqual([{ n: 0 }]);
    } finally {
      await db.close();
      await dropSchemas(url, schema);
    }
  });
});

/** Polls until a backend is blocked on creating `schema` (i.e. waiting for our lock). */
async function waitForLockWait(client: pg.Client, schema: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    // Inside a transaction pg_stat_activity is a snapshot taken once; clear it to see news.
    await client.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`,
      [`%CREATE SCHEMA IF NOT EXISTS "${schema}"%`],
    );
    if (Number(rows[0]?.n) > 0) return;
    await sleep(20);
  }
  throw new Error('the second creator never waited');
}
