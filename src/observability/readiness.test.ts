import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, listen } from '../http/http-server.ts';
import { createLogger } from '../logger.ts';
import type { Database } from '../store/database.ts';
import { migrate, readMigrations } from '../store/migrate.ts';
import { MIGRATIONS_DIR } from '../store/open-database.ts';
import { createPgliteDatabase } from '../store/pglite-database.ts';
import { createReadinessCheck } from './readiness.ts';

let db: Database | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describe('readiness', () => {
  it('answers 503 on /readyz naming each failing part, 200 once all are ok', async () => {
    db = await createPgliteDatabase('memory://');
    const migrations = await readMigrations(MIGRATIONS_DIR);
    await migrate(db, migrations.slice(0, 1));
    let running = false;
    let stopping = false;
    const readiness = createReadinessCheck({
      db,
      queue: { running: () => running },
      queueMissingReason: 'unused',
      stopping: () => stopping,
    });
    const server = createHttpServer({ readiness }, createLogger({ level: 'silent', pretty: false }));
    const port = await listen(server, 0);
    const readyz = async () => {
      const response = await fetch(`http://127.0.0.1:${String(port)}/readyz`);
      return {
        status: response.status,
        body: (await response.json()) as { status: string; checks: Record<string, string> },
      };
    };
    try {
      const later = migrations.slice(1).map((migration) => migration.name);
      expect(await readyz()).toEqual({
        status: 503,
        body: {
          status: 'not ready',
          checks: { database: 'ok', migrations: `not applied: ${later.join(', ')}`, queue: 'stopped' },
        },
      });
      await migrate(db, migrations);
      running = true;
      expect(await readyz()).toEqual({
        status: 200,
        body: { status: 'ready', checks: { database: 'ok', migrations: 'ok', queue: 'ok' } },
      });
      stopping = true;
      expect((await readyz()).body.checks['shutdown']).toBe('shutting down');
      await db.close();
      db = undefined;
      const closed = await readyz();
      expect(closed.status).toBe(503);
      expect(closed.body.checks['database']).toMatch(/^unreachable: /u);
    } finally {
      server.close();
    }
  });

  it('names why there is no queue', async () => {
    db = await createPgliteDatabase('memory://');
    await migrate(db, await readMigrations(MIGRATIONS_DIR));
    const report = await createReadinessCheck({
      db,
      queue: undefined,
      queueMissingReason: 'not running: no model API key is configured',
      stopping: () => false,
    })();
    expect(report).toEqual({
      ready: false,
      checks: { database: 'ok', migrations: 'ok', queue: 'not running: no model API key is configured' },
    });
  });
});
