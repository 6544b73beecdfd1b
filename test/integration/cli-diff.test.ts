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

// Two revisions of one plan, written by a fake model whose sections name the peak load they were
// sized for: the comparison must show the changed input, figures and section lines.
let model: FakeModelServer;
let env: Record<string, string>;
const cli = (args: readonly string[]) => runCli(args, env);

beforeAll(async () => {
  const prompts = await loadTestPrompts();
  model = await startFake('anthropic', { respond: createPlanWriter(prompts, { sizing: true }) });
  const database: Record<string, string> =
    TEST_DATABASE_URL === undefined
      ? { DATA_DIR: await mkdtemp(path.join(tmpdir(), 'diff-')) }
      : { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: uniqueSchema() };
  env = { ...fakeEnv('anthropic', model), ...database };
  const plan = [
    ['--system', 'Magento 2.4'],
    ['--target', 'Stripe Payments API'],
    ['--use-case', 'Card payments at checkout'],
    ['--calls-per-second', '50'],
    ['--data-volume', '2 GB/day'],
    ['--budget', '3 months'],
    ['--strategy', 'parallel'],
  ].flat();
  expect((await cli(['plan', ...plan])).code).toBe(0);
  expect((await cli(['rerun', '1', '--calls-per-second', '500'])).code).toBe(0);
}, 90_000);
afterAll(async () => {
  await model.close();
  if (env.DATABASE_URL !== undefined && env.DATABASE_SCHEMA !== undefined)
    await dropSchemas(env.DATABASE_URL, env.DATABASE_SCHEMA);
});

describe('integration-planner diff', () => {
  it('shows the changed input and figures and a diff per changed section', async () => {
    const run = await cli(['diff', '1']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toContain('# Plan 1: revision 1 → 2');
    expect(out).toContain('- Peak calls per second: 50 → 500');
    expect(out).toContain('**Changed figures**\n- Calls per minute at peak: 3,000 → 30,000\n');
    expect(out).toContain('- Calls per day if the peak were sustained (upper bound): 4,320,000 → 43,200,000');
    expect(out).toContain('**1. Architecture analysis** (+1 −1 lines)');
    expect(out).toContain('```diff\n- Sized for 50 calls per second at peak.');
    expect(out).toContain('+ Sized for 500 calls per second at peak.');
    // Every section changed the same way: none collapsed as unchanged.
    expect(out.match(/^```diff$/gmu)).toHaveLength(7);
  });

  it('gives the comparison as JSON, for named revisions in either order', async () => {
    const run = await cli(['diff', '1', '--from', '2', '--to', '1', '--json']);
    expect(run.code).toBe(0);
    const comparison = JSON.parse(run.stdout) as {
      from: number;
      to: number;
      inputs: { label: string; from: string; to: string }[];
      sections: { key: string; status: string; diff: { added: number; removed: number } }[];
    };
    expect([comparison.from, comparison.to]).toEqual([1, 2]);
    expect(comparison.inputs).toEqual([{ label: 'Peak calls per second', from: '50', to: '500' }]);
    expect(comparison.sections.map((section) => section.status)).toEqual(Array(7).fill('changed'));
    expect(comparison.sections[0]?.diff).toMatchObject({ added: 1, removed: 1 });
  });

  it('says plainly what cannot be compared, with exit 2', async () => {
    const missing = await cli(['diff', '1', '--to', '9']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('The plan has no revision 9: it has revisions 1 to 2.');
    const same = await cli(['diff', '1', '--from', '2', '--to', '2']);
    expect(same.stderr).toContain('Give two different revisions to compare.');
    const none = await cli(['diff', '7']);
    expect(none.stderr).toContain('There is no plan "7"');
  });

  it('lists plans by review state and shows a revision’s review', async () => {
    const inReview = JSON.parse((await cli(['list', '--status', 'in-review', '--json'])).stdout) as {
      planId: number;
      review: string;
    }[];
    expect(inReview.map((plan) => [plan.planId, plan.review])).toEqual([[1, 'in_review']]);
    expect(JSON.parse((await cli(['list', '--status', 'approved', '--json'])).stdout)).toEqual([]);
    const wrong = await cli(['list', '--status', 'done']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--status must be in-review, approved or changes-requested');
    expect((await cli(['show', '1'])).stdout).toContain('## Review\n\n- In review\n');
  });
});
