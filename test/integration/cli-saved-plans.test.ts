import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeModelServer } from '../fakes/fake-model-types.ts';
import { createPlanWriter } from '../fakes/plan-writer.ts';
import { fakeEnv, startFake } from '../helpers/model-harness.ts';
import { runCli } from '../helpers/run-cli.ts';
import { dropSchemas, TEST_DATABASE_URL, uniqueSchema } from '../helpers/test-database.ts';
import { loadTestPrompts } from '../helpers/prompts.ts';

let model: FakeModelServer;
let env: Record<string, string>;
const cli = (args: readonly string[]) => runCli(args, env);

beforeAll(async () => {
  const prompts = await loadTestPrompts();
  model = await startFake('openai', { respond: createPlanWriter(prompts) });
  // Postgres when there is one: every command here is a new process, and PGlite's start and exit
  // cost seconds each (cli.test.ts covers the CLI on PGlite).
  const database: Record<string, string> =
    TEST_DATABASE_URL === undefined
      ? { DATA_DIR: await mkdtemp(path.join(tmpdir(), 'saved-plans-')) }
      : { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: uniqueSchema() };
  env = { ...fakeEnv('openai', model), ...database };
  const made = await cli([
    'plan',
    '--system',
    'Odoo 17 ERP',
    '--target',
    'DHL Parcel API',
    '--use-case',
    'Create shipping labels',
    '--calls-per-second',
    '10',
    '--data-volume',
    '500 MB/day',
    '--budget',
    '6 weeks',
    '--workspace',
    'T-ALPHA',
    '--json',
  ]);
  expect(made.code).toBe(0);
  expect((JSON.parse(made.stdout) as { planId: number }).planId).toBe(1);
}, 60_000);
afterAll(async () => {
  await model.close();
  if (env.DATABASE_URL !== undefined && env.DATABASE_SCHEMA !== undefined)
    await dropSchemas(env.DATABASE_URL, env.DATABASE_SCHEMA);
});

describe('saved plans through the CLI', () => {
  it('re-runs a plan with new scale as revision 2, saying what changed', async () => {
    const before = model.requests.length;
    const run = await cli([
      'rerun',
      '1',
      '--calls-per-second',
      '250',
      '--data-volume',
      '5 GB/day',
      '--workspace',
      'T-ALPHA',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Plan 1, revision 2');
    expect(run.stdout).toContain('Changed: Peak calls per second 10 → 250, Data volume 500 MB/day → 5 GB/day');
    expect(run.stdout).toContain('## What changed since revision 1\n\n- **Architecture analysis**:');
    const revisionTwo = model.requests[before + 1]?.messages[0]?.content ?? '';
    expect(revisionTwo).toContain('THIS IS REVISION 2 OF AN EXISTING PLAN');
    expect(revisionTwo).toContain('- Data volume: 500 MB/day → 5 GB/day');

    const listed = await cli(['list', '--workspace', 'T-ALPHA', '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ planId: 1, title: 'Odoo 17 ERP → DHL Parcel API', revisions: 2, status: 'done' }),
    ]);
    const first = JSON.parse(
      (await cli(['show', '1', '--revision', '1', '--json', '--workspace', 'T-ALPHA'])).stdout,
    ) as {
      revision: number;
      inputs: { callsPerSecond: number };
      sections: unknown[];
    };
    expect(first.revision).toBe(1);
    expect(first.inputs.callsPerSecond).toBe(10);
    expect(first.sections).toHaveLength(7);
  }, 60_000);

  it('searches by target API or system text', async () => {
    expect((await cli(['list', 'dhl', '--workspace', 'T-ALPHA'])).stdout).toContain('Odoo 17 ERP → DHL Parcel API');
    expect((await cli(['list', '--search', 'salesforce', '--workspace', 'T-ALPHA'])).stdout).toBe(
      'No plans match "salesforce".\n',
    );
  });

  it("keeps other workspaces out: B cannot list, show or re-run A's plan", async () => {
    const requests = model.requests.length;
    expect((await cli(['list', '--workspace', 'T-BETA'])).stdout).toBe('No plans in workspace T-BETA yet.\n');
    const show = await cli(['show', '1', '--workspace', 'T-BETA']);
    expect(show.code).toBe(2);
    expect(show.stderr).toBe('error: There is no plan 1 in workspace T-BETA (see: list).\n');
    const rerun = await cli(['rerun', '1', '--calls-per-second', '99', '--workspace', 'T-BETA']);
    expect(rerun.code).toBe(2);
    expect(rerun.stderr).toBe('error: There is no plan 1 in workspace T-BETA (see: list).\n');
    expect(model.requests).toHaveLength(requests);
  });

  it.each([
    [['show', 'abc'], 'error: "abc" is not a plan id: plan ids are whole numbers like 42 (see: list)\n'],
    [['show', '7', '--workspace', 'T-ALPHA'], 'error: There is no plan 7 in workspace T-ALPHA (see: list).\n'],
    [
      ['show', '1', '--revision', '9', '--workspace', 'T-ALPHA'],
      'error: Plan 1 has revisions 1 to 2; there is no revision 9.\n',
    ],
    [['show', '1', '--revision', 'x', '--workspace', 'T-ALPHA'], 'error: --revision must be a whole number from 1\n'],
    [['show'], 'error: show needs a plan id, e.g. "show 42"\n'],
    [
      ['rerun', '1', '--workspace', 'T-ALPHA'],
      'error: rerun needs at least one new value, e.g. --calls-per-second 500, --data-volume "20 GB/day" or --spec openapi.yaml\n',
    ],
    [
      ['rerun', '1', '--calls-per-second=-5', '--workspace', 'T-ALPHA'],
      'error: --calls-per-second (Peak calls per second): Enter a number greater than 0.\n',
    ],
    [['list', '--limit', '0'], 'error: --limit must be a whole number from 1 to 200\n'],
    [['frobnicate'], 'error: unknown command "frobnicate" (see: integration-planner help)\n'],
  ])('answers %j with a clear message and exit 2', async (args, message) => {
    const run = await cli(args);
    expect(run.stderr).toBe(message);
    expect(run.code).toBe(2);
  });
});
