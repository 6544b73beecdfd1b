import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnInGroup } from '../helpers/process-group.ts';
import { inheritedEnv } from '../helpers/test-env.ts';
import { REPO_ROOT } from '../helpers/prompts.ts';

interface JsonReport {
  readonly testResults: readonly { readonly assertionResults: readonly { status: string; fullName: string }[] }[];
}

/** Runs vitest on `files` in a child with `env` added, and returns each test's status by full name. */
async function runSuites(files: readonly string[], env: Record<string, string>): Promise<Record<string, string>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'suites-'));
  try {
    const outputFile = path.join(dir, 'report.json');
    const vitest = path.join(REPO_ROOT, 'node_modules/vitest/vitest.mjs');
    const child = spawnInGroup(
      process.execPath,
      [vitest, 'run', ...files, '--reporter=json', `--outputFile=${outputFile}`],
      { cwd: REPO_ROOT, env: { ...inheritedEnv(), ...env }, stdio: 'ignore' },
    );
    await new Promise((resolve, reject) => child.once('error', reject).once('close', resolve));
    const report = JSON.parse(await readFile(outputFile, 'utf8')) as JsonReport;
    return Object.fromEntries(
      report.testResults.flatMap((file) => file.assertionResults.map((test) => [test.fullName, test.status])),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('TEST_DATABASE_URL set empty, as CI sets a missing secret', () => {
  it('skips the Postgres suites and still runs the PGlite ones', async () => {
    const statuses = await runSuites(
      ['test/integration/pg-database.test.ts', 'test/integration/plan-store.list.test.ts'],
      {
        TEST_DATABASE_URL: '',
      },
    );
    const of = (word: string) =>
      Object.entries(statuses)
        .filter(([name]) => name.includes(word))
        .map(([, status]) => status);
    expect(of('Postgres pool').length).toBeGreaterThan(0);
    expect(new Set(of('Postgres pool'))).toEqual(new Set(['skipped']));
    expect(of('on pglite').length).toBeGreaterThan(0);
    expect(new Set(of('on pglite'))).toEqual(new Set(['passed']));
    expect(of('on postgres')).toEqual([]);
  }, 60_000);
});
