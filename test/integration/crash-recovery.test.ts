import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PromptLibrary } from '../../src/prompts/load-prompts.ts';
import { createPgDatabase } from '../../src/store/pg-database.ts';
import { createPgliteDatabase } from '../../src/store/pglite-database.ts';
import { createPlanStore } from '../../src/store/plan-store.ts';
import type { FakeModelServer } from '../fakes/fake-model-types.ts';
import { classifyAsk, createPlanWriter } from '../fakes/plan-writer.ts';
import { fakeEnv, startFake } from '../helpers/model-harness.ts';
import { runCli, spawnCli } from '../helpers/run-cli.ts';
import { BACKENDS, dropSchemas, TEST_DATABASE_URL, uniqueSchema, type Backend } from '../helpers/test-database.ts';
import { loadTestPrompts } from '../helpers/prompts.ts';

let prompts: PromptLibrary;
let model: FakeModelServer | undefined;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  prompts = await loadTestPrompts();
});
afterEach(async () => {
  await model?.close();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function databaseEnv(backend: Backend): Promise<Record<string, string>> {
  if (backend === 'pglite') return { DATA_DIR: await mkdtemp(path.join(tmpdir(), 'crash-')) };
  const schema = uniqueSchema();
  const url = TEST_DATABASE_URL ?? '';
  cleanups.push(() => dropSchemas(url, schema));
  return { DATABASE_URL: url, DATABASE_SCHEMA: schema };
}

/** Reads the stored revision the way an operator would: through the store, on the same database. */
async function storedRevision(env: Record<string, string>) {
  const db =
    env.DATA_DIR === undefined
      ? await createPgDatabase({
          connectionString: env.DATABASE_URL ?? '',
          schema: env.DATABASE_SCHEMA ?? '',
          maxConnections: 1,
        })
      : await createPgliteDatabase(env.DATA_DIR);
  try {
    return await createPlanStore(db).getRevision('local', 1);
  } finally {
    await db.close();
  }
}

describe.each(BACKENDS)('a plan process killed mid-plan on %s', (backend) => {
  it('is finished by the next process without asking the model again or printing twice', async () => {
    model = await startFake('anthropic', { respond: createPlanWriter(prompts), tokensPerSecond: 400 });
    const env = {
      ...fakeEnv('anthropic', model),
      ...(await databaseEnv(backend)),
      PLAN_JOB_HEARTBEAT_SECONDS: '10',
      PLAN_JOB_SUPERVISE_SECONDS: '2',
      PLAN_JOB_RETRY_DELAY_SECONDS: '1',
    };
    const args = ['plan', '--system', 'SAP ECC', '--target', 'Salesforce', '--use-case', 'Sync accounts'];
    const first = spawnCli(
      [...args, '--calls-per-second', '5', '--data-volume', '1 GB/day', '--budget', '1 month', '--strategy', 'single'],
      env,
    );
    let firstOut = '';
    await new Promise<void>((resolve, reject) => {
      first.stdout.on('data', (chunk: Buffer) => {
        firstOut += chunk.toString();
        if (firstOut.includes('## 3. ')) {
          first.kill('SIGKILL');
          resolve();
        }
      });
      first.on('close', () => reject(new Error(`the plan ended before it was killed:\n${firstOut}`)));
    });
    await new Promise((resolve) => first.once('close', resolve));

    const stored = await storedRevision(env);
    expect(stored?.status).toBe('running');
    const storedKeys = new Set(stored?.sections.map((section) => section.key));
    expect(storedKeys.size).toBeGreaterThanOrEqual(3);
    expect(storedKeys.size).toBeLessThan(7);
    const requestsBeforeRestart = model.requests.length;

    const second = await runCli(['work'], env);
    expect(second.code).toBe(0);

    const finished = await storedRevision(env);
    expect(finished?.status).toBe('done');
    expect(finished?.sections).toHaveLength(7);
    const asked = model.requests.slice(requestsBeforeRestart).map((request) => classifyAsk(prompts, request));
    // Only the sections that were not stored, one by one; never the whole plan again.
    expect(asked.map((ask) => (ask.kind === 'section' ? ask.section.key : ask.kind)).toSorted()).toEqual(
      ['architecture', 'specification', 'security', 'implementation', 'deployment', 'maintenance', 'code_quality']
        .filter((key) => !storedKeys.has(key))
        .toSorted(),
    );
    // Every section printed exactly once across the two processes, in order within each.
    const headings = `${firstOut}${second.stdout}`.match(/^## \d\. /gmu) ?? [];
    expect(headings).toEqual(['## 1. ', '## 2. ', '## 3. ', '## 4. ', '## 5. ', '## 6. ', '## 7. ']);
  }, 90_000);
});
