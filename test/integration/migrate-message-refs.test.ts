import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, TEST_DATABASE_URL, dropSchemas, uniqueSchema, type Backend } from '../helpers/test-database.ts';
import { REQUEST } from '../helpers/plan-store-fixture.ts';
import type { Database } from '../../src/store/database.ts';
import { migrate, readMigrations } from '../../src/store/migrate.ts';
import { MIGRATIONS_DIR } from '../../src/store/open-database.ts';
import { createPgDatabase } from '../../src/store/pg-database.ts';
import { createPgliteDatabase } from '../../src/store/pglite-database.ts';
import { createPlanStore } from '../../src/store/plan-store.ts';

// Migration 003 converts the message references written before it. The rows below are written
// exactly as the version before 003 wrote them (string maps, a Teams reference as JSON text).

const TEAMS_CHANNEL = {
  channelId: 'msteams',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  conversation: { id: '19:abc@thread.tacv2', conversationType: 'channel', isGroup: true, tenantId: 'tenant-1' },
  bot: { id: '28:bot', name: 'Integration Planner' },
};
const TEAMS_THREAD = {
  ...TEAMS_CHANNEL,
  conversation: { ...TEAMS_CHANNEL.conversation, id: '19:abc@thread.tacv2;messageid=1700000000001' },
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** A database migrated up to (not including) 003. */
async function databaseBefore003(backend: Backend): Promise<Database> {
  let db: Database;
  if (backend === 'pglite') {
    db = await createPgliteDatabase('memory://');
    cleanups.push(() => db.close());
  } else {
    const url = TEST_DATABASE_URL ?? '';
    const schema = uniqueSchema();
    db = await createPgDatabase({ connectionString: url, schema, maxConnections: 2 });
    cleanups.push(async () => {
      await db.close();
      await dropSchemas(url, schema);
    });
  }
  const all = await readMigrations(MIGRATIONS_DIR);
  await migrate(
    db,
    all.filter((migration) => migration.name < '003'),
  );
  return db;
}

/** One plan with one revision and one delivered section, as the old store wrote them. */
async function oldPlan(
  db: Database,
  row: { workspace: string; number: number; platform: string; channelId: string | null; threadRef: unknown },
  revisionRef: unknown,
  sectionRef: unknown,
): Promise<void> {
  const [plan] = await db.query<{ id: string }>(
    `INSERT INTO plans (workspace_id, number, platform, channel_id, thread_ref, title, search_text, created_by)
     VALUES ($1, $2, $3, $4, $5, 'old plan', 'old', 'U1') RETURNING id`,
    [
      row.workspace,
      row.number,
      row.platform,
      row.channelId,
      row.threadRef === null ? null : JSON.stringify(row.threadRef),
    ],
  );
  const [revision] = await db.query<{ id: string }>(
    `INSERT INTO plan_revisions (plan_id, workspace_id, number, inputs, variation, language, strategy, prompt_id,
       prompt_version, prompt_hash, provider, model, requested_by, idempotency_key, message_ref)
     VALUES ($1, $2, 1, $3, 'standard', 'en', 'single', 'integration-plan', '3', 'h', 'anthropic', 'm', 'U1', $4, $5)
     RETURNING id`,
    [plan?.id, row.workspace, JSON.stringify(REQUEST), `key-${row.number}`, JSON.stringify(revisionRef)],
  );
  await db.query(
    `INSERT INTO plan_sections (revision_id, key, position, title, markdown, message_ref)
     VALUES ($1, 'architecture', 1, 'Architecture', 'text', $2)`,
    [revision?.id, JSON.stringify(sectionRef)],
  );
}

describe.each(BACKENDS)('migration 003 (typed message references) on %s', (backend) => {
  it('converts Slack, Teams and terminal references written by the previous version', async () => {
    const db = await databaseBefore003(backend);
    const ws = 'W-OLD';
    await oldPlan(
      db,
      { workspace: ws, number: 1, platform: 'slack', channelId: 'C1', threadRef: { channel: 'C1', ts: '1.000' } },
      { channel: 'C1', ts: '1.000', thread_ts: '1.000', p_architecture: '1.001', p_security: '1.003' },
      { channel: 'C1', ts: '1.001' },
    );
    const teamsRoot = { channel: JSON.stringify(TEAMS_THREAD), ts: '1700000000001' };
    await oldPlan(
      db,
      { workspace: ws, number: 2, platform: 'teams', channelId: JSON.stringify(TEAMS_CHANNEL), threadRef: teamsRoot },
      { ...teamsRoot, thread_ts: '1700000000001', p_architecture: 'act-2' },
      { id: 'act-2' },
    );
    await oldPlan(
      db,
      { workspace: ws, number: 3, platform: 'cli', channelId: null, threadRef: null },
      { terminal: '4242' },
      { terminal: '4242' },
    );

    expect(await migrate(db, await readMigrations(MIGRATIONS_DIR))).toContain('003_typed_message_refs.sql');
    const store = createPlanStore(db);

    const slack = await store.findPlan(ws, 1);
    expect(slack?.origin).toEqual({ platform: 'slack', v: 1, channel: 'C1' });
    expect(slack?.threadRef).toEqual({ platform: 'slack', v: 1, channel: 'C1', ts: '1.000' });
    const slackRevision = await store.getRevision(ws, 1);
    expect(slackRevision?.messageRef).toEqual({
      platform: 'slack',
      v: 1,
      channel: 'C1',
      ts: '1.000',
      threadTs: '1.000',
      placeholders: { architecture: '1.001', security: '1.003' },
    });
    expect(slackRevision?.sections[0]?.messageRef).toEqual({ platform: 'slack', v: 1, channel: 'C1', ts: '1.001' });

    const teams = await store.findPlan(ws, 2);
    expect(teams?.origin).toEqual({ platform: 'teams', v: 1, conversation: TEAMS_CHANNEL });
    expect(teams?.threadRef).toEqual({
      platform: 'teams',
      v: 1,
      conversation: TEAMS_THREAD,
      activityId: '1700000000001',
    });
    const teamsRevision = await store.getRevision(ws, 2);
    expect(teamsRevision?.messageRef).toEqual({
      platform: 'teams',
      v: 1,
      conversation: TEAMS_THREAD,
      activityId: '1700000000001',
      rootId: '1700000000001',
      placeholders: { architecture: 'act-2' },
    });
    expect(teamsRevision?.sections[0]?.messageRef).toEqual({
      platform: 'teams',
      v: 1,
      conversation: TEAMS_THREAD,
      activityId: 'act-2',
    });

    const cli = await store.findPlan(ws, 3);
    expect(cli?.origin).toBeUndefined();
    expect(cli?.threadRef).toBeUndefined();
    const cliRevision = await store.getRevision(ws, 3);
    expect(cliRevision?.messageRef).toEqual({ platform: 'terminal', v: 1, pid: 4242 });
    expect(cliRevision?.sections[0]?.messageRef).toEqual({ platform: 'terminal', v: 1, pid: 4242 });
  });

  it('refuses to read a reference it does not know instead of dropping it', async () => {
    const db = await databaseBefore003(backend);
    await migrate(db, await readMigrations(MIGRATIONS_DIR));
    await db.query(
      `INSERT INTO plans (workspace_id, number, platform, thread_ref, title, search_text, created_by)
       VALUES ('W-X', 1, 'slack', '{"channel": "C1"}', 't', 't', 'U1')`,
    );
    await expect(createPlanStore(db).findPlan('W-X', 1)).rejects.toThrow(/not a known message reference/u);
  });
});
