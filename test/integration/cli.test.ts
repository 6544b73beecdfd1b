import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectPlanRequest } from '../../src/cli/collect-request.ts';
import { parsePlanFlags } from '../../src/cli/plan-flags.ts';
import type { PromptLibrary } from '../../src/prompts/load-prompts.ts';
import type { FakeModelServer } from '../fakes/fake-model-types.ts';
import { createPlanWriter } from '../fakes/plan-writer.ts';
import { fakeEnv, startFake } from '../helpers/model-harness.ts';
import { runCli } from '../helpers/run-cli.ts';
import { spawnInGroup } from '../helpers/process-group.ts';
import { inheritedEnv } from '../helpers/test-env.ts';
import { loadTestPrompts, REPO_ROOT } from '../helpers/prompts.ts';

let prompts: PromptLibrary;
let server: FakeModelServer | undefined;
beforeAll(async () => {
  prompts = await loadTestPrompts();
  dataDir = await mkdtemp(path.join(tmpdir(), 'cli-data-'));
  const migrated = await cli(['migrate']);
  expect(migrated.stdout).toContain('The database is up to date.');
}, 60_000);
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const FLAGS = [
  '--system',
  'Magento 2 (PHP), MySQL',
  '--target',
  'Salesforce REST API',
  '--use-case',
  'Sync orders and customers',
  '--calls-per-second',
  '50',
  '--data-volume',
  '2 GB/day',
  '--budget',
  '3 months',
];

/** One embedded database for the whole file: PGlite's first start costs seconds. */
let dataDir: string;
const cli = (args: readonly string[], env: Record<string, string> = {}) => runCli(args, { DATA_DIR: dataDir, ...env });

describe('integration-planner plan', () => {
  it.each(['anthropic', 'openai'] as const)(
    'prints the plan as JSON against %s, progress on stderr',
    async (provider) => {
      server = await startFake(provider, { respond: createPlanWriter(prompts) });
      const run = await cli(
        ['plan', ...FLAGS, '--json', '--strategy', 'parallel', '--variation', 'ecommerce'],
        fakeEnv(provider, server),
      );
      expect(run.stderr).toContain('✓ 7. Code quality');
      expect(run.code).toBe(0);
      const output = JSON.parse(run.stdout) as {
        provider: string;
        language: string;
        strategy: string;
        sections: { key: string; title: string; markdown: string; missingItems: string[] }[];
        usage: { inputTokens: number; outputTokens: number; costUsd: number };
        durationMs: number;
      };
      expect(output.provider).toBe(provider);
      expect(output.language).toBe('en');
      expect(output.strategy).toBe('parallel');
      expect(output.sections.map((section) => section.key)).toEqual([
        'architecture',
        'specification',
        'security',
        'implementation',
        'deployment',
        'maintenance',
        'code_quality',
      ]);
      expect(output.sections[0]?.markdown).toContain('### API type (REST, GraphQL, SOAP, gRPC)');
      expect(output.usage.outputTokens).toBeGreaterThan(0);
      expect(output.usage.costUsd).toBeGreaterThan(0);
      expect(server.requests).toHaveLength(8);
      expect(server.requests[1]?.messages[0]?.content).toContain('FOCUS — E-commerce');
    },
  );

  it('prints Markdown in German with the computed figures', async () => {
    server = await startFake('anthropic', { respond: createPlanWriter(prompts) });
    const run = await cli(['plan', ...FLAGS, '--lang', 'de', '--strategy', 'single'], fakeEnv('anthropic', server));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# Magento 2 \(PHP\), MySQL → Salesforce REST API\n\nPlan \d+, Revision 1\n/u);
    expect(run.stdout).toContain('- Aufrufe pro Monat (30 Tage) bei dauerhafter Spitzenlast (Obergrenze): 129.600.000');
    expect(run.stdout).toContain('## 3. Sicherheit\n\n### API-Key Management');
    expect(run.stderr).toMatch(/Plan \d+, revision 1 saved · \d+\.\d s/u);
    // In plan order although the parallel strategy finishes sections in any order.
    const headings = run.stdout.match(/^## \d\. /gmu) ?? [];
    expect(headings).toEqual(['## 1. ', '## 2. ', '## 3. ', '## 4. ', '## 5. ', '## 6. ', '## 7. ']);
  });

  it('lists every missing flag and exits 2 without a terminal', async () => {
    const run = await cli(['plan', '--system', 'SAP', '--budget', '1 month']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'error: missing required flags: --target (Target API), --use-case (Use case), --calls-per-second (Peak calls per second), --data-volume (Data volume)\n',
    );
  });

  it('names the field and the problem for bad values', async () => {
    const run = await cli(['plan', ...FLAGS.slice(0, 6), '--calls-per-second', 'lots', ...FLAGS.slice(8)]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--calls-per-second: Enter a number, e.g. 50 or 0.5.');
  });

  it('rejects unknown flags and bad choices', async () => {
    expect((await cli(['plan', ...FLAGS, '--colour', 'red'])).stderr).toMatch(/error: Unknown option '--colour'/u);
    const bad = await cli(['plan', ...FLAGS, '--variation', 'crypto']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      '--variation must be one of general, ecommerce, payments, legacy, realtime (got "crypto")',
    );
  });

  it('says which variable to set when the API key is missing', async () => {
    const run = await cli(['plan', ...FLAGS], { LLM_PROVIDER: 'openai' });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: Set OPENAI_API_KEY to use the openai provider.\n');
  });

  it('stops on a bad environment value, naming the variable', async () => {
    const run = await cli(['plan', ...FLAGS], { PLAN_STRATEGY: 'fastest' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('PLAN_STRATEGY:');
  });

  it('prints rendered prompts with --dry-run and calls no model', async () => {
    server = await startFake('anthropic');
    const run = await cli(['plan', ...FLAGS, '--dry-run', '--strategy', 'parallel'], {
      ANTHROPIC_BASE_URL: server.url,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('===== skeleton: system =====\nYou are a senior backend engineer');
    expect(run.stdout).toContain('===== section 7: code_quality: user =====');
    expect(run.stdout.match(/===== [^\n]+: user =====/gu)).toHaveLength(8);
    expect(server.requests).toHaveLength(0);
  });

  it('reports a rejected key with the fixed message and exit 1', async () => {
    server = await startFake('openai');
    server.enqueueFaults({ kind: 'unauthorized' });
    const run = await cli(['plan', ...FLAGS], fakeEnv('openai', server));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'error: The model rejected the API key. An administrator has to check the key. [MODEL_AUTH_FAILED]',
    );
    expect(run.stderr).not.toContain('sk-openai-test-key');
  });
});

describe('package bin', () => {
  it('runs the same CLI through npm exec integration-planner', async () => {
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawnInGroup('npm', ['exec', '--offline', '--', 'integration-planner', 'plan', '--help'], {
        cwd: REPO_ROOT,
        env: inheritedEnv(),
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`exit ${String(code)}`))));
    });
    expect(output).toContain('Usage: integration-planner plan [flags]');
    expect(output).toContain('--calls-per-second N');
  });
});

describe('interactive questions', () => {
  it('asks for missing fields and asks again for an invalid one', async () => {
    const stdin = new PassThrough();
    const stderr = new PassThrough();
    let asked = '';
    stderr.on('data', (chunk: Buffer) => (asked += chunk.toString()));
    const answers = ['Salesforce', 'Sync orders', 'many', '2 GB/day', '3 months', '40'];
    stderr.on('data', () => {
      const next = answers.shift();
      if (next !== undefined) setImmediate(() => stdin.write(`${next}\n`));
    });
    const flags = parsePlanFlags(['--system', 'Magento']);
    const request = await collectPlanRequest(flags, 'en', {
      stdin,
      stdout: new PassThrough(),
      stderr,
      interactive: true,
    });
    expect(request).toMatchObject({
      existingSystem: 'Magento',
      targetApi: 'Salesforce',
      callsPerSecond: 40,
      budget: '3 months',
    });
    expect(asked).toContain('Target API: ');
    expect(asked).toContain('Peak calls per second: Enter a number, e.g. 50 or 0.5.');
  });
});
