import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { configVariables, SECRET_NAME } from '../helpers/config-variables.ts';
import { readDockerignore, replayBuild, type ReplayedStage } from '../helpers/docker-build-replay.ts';
import { execForm, instructionsOf, lastOf, parseDockerfile, stageEnv, words } from '../helpers/dockerfile.ts';
import { dropSchemas, TEST_DATABASE_URL, uniqueSchema } from '../helpers/test-database.ts';
import { freePort } from '../helpers/free-port.ts';
import { signalGroup, spawnInGroup } from '../helpers/process-group.ts';
import { inheritedEnv, testEnv } from '../helpers/test-env.ts';
import { REPO_ROOT } from '../helpers/prompts.ts';

// No Docker engine here or in CI: the Dockerfile is read and its steps replayed in an empty
// directory (same files, same install command, same CMD), then the result is started and probed.
const stages = parseDockerfile(readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8'));
const image = stages.at(-1);
const ignore = readDockerignore(readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8'));
const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};
/** Variables the runtime itself reads (Node's heap, glibc's malloc), which the image may set beside the service's own. */
const RUNTIME_VARIABLES = ['NODE_OPTIONS', 'MALLOC_ARENA_MAX'];
/** The readiness route needs a running job queue, which needs a model key; the model is never called. */
const MODEL_ENV = { ANTHROPIC_API_KEY: 'placeholder-not-a-key', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' };

function argsOf(keyword: string): string {
  if (image === undefined) throw new Error('Dockerfile: no stage');
  const instruction = lastOf(image, keyword);
  if (instruction === undefined) throw new Error(`Dockerfile: the image has no ${keyword}`);
  return instruction.args;
}

/** HEALTHCHECK [options] CMD ["node", …]: the command, in exec form. */
function healthcheckArgv(): string[] {
  const command = execForm(/^CMD\s+(.*)$/su.exec(argsOf('HEALTHCHECK'))?.[1] ?? '');
  if (command === undefined) throw new Error('HEALTHCHECK: expected CMD in exec form');
  return command;
}

/** An exec-form command as this machine runs it: the image's `node` is the Node 24 running this test. */
function hostArgv(argv: readonly string[]): string[] {
  if (argv[0] !== 'node') throw new Error(`expected a command starting with node, got ${argv.join(' ')}`);
  return [process.execPath, ...argv.slice(1)];
}

describe('the Dockerfile', () => {
  it('builds on Node 24 slim, the Node this test runs the image with', () => {
    for (const stage of stages) expect(stage.base).toMatch(/^node:24(\.\d+)*-(slim|alpine)(@sha256:[0-9a-f]{64})?$/u);
    expect(process.versions.node.split('.')[0]).toBe('24');
  });

  it('runs as a non-root user', () => {
    const user = argsOf('USER').split(':')[0];
    expect(user).not.toMatch(/^(root|0)$/u);
  });

  it('starts the way npm start does, in exec form, so SIGTERM reaches Node itself', () => {
    expect(execForm(argsOf('CMD'))).toEqual(pkg.scripts['start']?.split(' '));
    expect(stages.flatMap((stage) => instructionsOf(stage, 'ENTRYPOINT'))).toEqual([]);
    expect(argsOf('STOPSIGNAL')).toBe('SIGTERM');
  });

  it('exposes the configured default port and health-checks /readyz', () => {
    expect(argsOf('EXPOSE')).toBe(String(loadConfig({}).port));
    expect(healthcheckArgv().join(' ')).toContain('/readyz');
  });

  it('bakes in no secrets: no build arguments, and ENV sets only non-secret variables the config knows', () => {
    const known = configVariables();
    expect(stages.flatMap((stage) => instructionsOf(stage, 'ARG'))).toEqual([]);
    for (const stage of stages) {
      for (const name of Object.keys(stageEnv(stage))) {
        expect([...known, ...RUNTIME_VARIABLES], `ENV ${name}`).toContain(name);
        expect(name).not.toMatch(SECRET_NAME);
      }
    }
    const copied = stages.flatMap((stage) =>
      instructionsOf(stage, 'COPY').flatMap((copy) => words(copy.args).slice(0, -1)),
    );
    expect(copied.filter((source) => /(^|\/)\.(env|npmrc)/u.test(source))).toEqual([]);
  });

  it('has a .dockerignore that keeps local state, secrets and tests out of the build context', () => {
    const kept = [
      'package.json',
      'package-lock.json',
      'src/main.ts',
      'src/store/migrate.ts',
      'prompts/integration-plan.en.md',
      'migrations/001_plans.sql',
    ];
    const dropped = [
      '.env',
      '.env.production',
      'src/.env.local',
      '.git/config',
      'node_modules/pg/package.json',
      'data/PG_VERSION',
      'test/integration/container.test.ts',
      'src/config.test.ts',
      'src/store/plan-store.fixtures.ts',
      'bench/run-bench.ts',
      'test-results/results.json',
      'npm-debug.log',
    ];
    expect(kept.filter((file) => ignore.excludes(file))).toEqual([]);
    expect(dropped.filter((file) => !ignore.excludes(file))).toEqual([]);
  });
});

describe('the image, built by replaying the Dockerfile without Docker', () => {
  let into: string;
  let app: ReplayedStage;

  beforeAll(async () => {
    into = await mkdtemp(path.join(tmpdir(), 'image-'));
    const passThrough = [
      'HOME',
      'HTTPS_PROXY',
      'HTTP_PROXY',
      'NO_PROXY',
      'https_proxy',
      'http_proxy',
      'no_proxy',
      'npm_config_registry',
      'npm_config_cache',
      'npm_config_cafile',
      // The machine's own certificate authorities (a TLS-inspecting proxy in front of the registry).
      'NODE_EXTRA_CA_CERTS',
    ];
    const runEnv = inheritedEnv(passThrough);
    // npm runs on the same Node as the image's npm would.
    runEnv['PATH'] = [path.dirname(process.execPath), testEnv('PATH') ?? ''].join(path.delimiter);
    const built = await replayBuild({ stages, context: REPO_ROOT, ignore, into, runEnv });
    const last = built.at(-1);
    if (last === undefined) throw new Error('nothing was built');
    app = last;
  }, 180_000);
  afterAll(async () => {
    await rm(into, { recursive: true, force: true });
  });

  it('holds the production dependencies from the lock file and no devDependencies', async () => {
    for (const name of Object.keys(pkg.dependencies))
      expect(existsSync(app.hostPath(`node_modules/${name}/package.json`)), name).toBe(true);
    // What the lock file marks dev-only (vitest, typescript, the `node` package …) is absent.
    const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const devOnly = Object.keys(lock.packages).filter((name) => lock.packages[name]?.dev === true);
    expect(devOnly).toEqual(
      expect.arrayContaining(['node_modules/vitest', 'node_modules/typescript', 'node_modules/node']),
    );
    expect(devOnly.filter((name) => existsSync(app.hostPath(name)))).toEqual([]);
    const installed = JSON.parse(await readFile(app.hostPath('node_modules/.package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    expect(
      Object.entries(installed.packages)
        .filter(([, entry]) => entry.dev === true)
        .map(([name]) => name),
    ).toEqual([]);
  });

  it('holds what the service reads at run time and no tests', async () => {
    expect((await readdir(app.hostPath('.'))).sort()).toEqual([
      'migrations',
      'node_modules',
      'package-lock.json',
      'package.json',
      'prompts',
      'src',
    ]);
    const sources = await readdir(app.hostPath('src'), { recursive: true });
    expect(sources).toContain('main.ts');
    expect(sources.filter((file) => /\.test\.ts$|fixtures\.ts$/u.test(file))).toEqual([]);
  });

  it('resolves every import of the copied code inside the image (lazily loaded Slack and Teams code included)', async () => {
    const unresolved: string[] = [];
    for (const file of (await readdir(app.hostPath('src'), { recursive: true })).filter((name) =>
      name.endsWith('.ts'),
    )) {
      const text = await readFile(app.hostPath(path.join('src', file)), 'utf8');
      // Type-only imports are erased by type stripping; every other specifier is loaded.
      const statements =
        /^(?:import|export)(?!\s+type\s)[^;]*?\sfrom\s+'([^']+)'|^import\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/gmsu;
      for (const match of text.matchAll(statements)) {
        const specifier = match[1] ?? match[2] ?? match[3] ?? '';
        const found = specifier.startsWith('.')
          ? existsSync(path.resolve(path.dirname(app.hostPath(path.join('src', file))), specifier))
          : specifier.startsWith('node:') ||
            existsSync(
              app.hostPath(
                `node_modules/${specifier
                  .split('/')
                  .slice(0, specifier.startsWith('@') ? 2 : 1)
                  .join('/')}`,
              ),
            );
        if (!found) unresolved.push(`src/${file}: ${specifier}`);
      }
    }
    expect(unresolved).toEqual([]);
  });

  it.skipIf(TEST_DATABASE_URL === undefined)(
    'starts as CMD does on Postgres from DATABASE_URL (runs when TEST_DATABASE_URL is set): ready, healthy, HEALTHCHECK passes, SIGTERM exits 0',
    async () => {
      const url = TEST_DATABASE_URL ?? '';
      const schema = uniqueSchema();
      try {
        await startProbeAndStop(app, { DATABASE_URL: url, DATABASE_SCHEMA: schema });
        // With Postgres the service writes nothing to the image's filesystem (read-only root in Kubernetes).
        expect(existsSync(app.hostPath(app.env['DATA_DIR'] ?? 'data'))).toBe(false);
      } finally {
        await dropSchemas(url, schema);
      }
    },
    60_000,
  );

  it.runIf(TEST_DATABASE_URL === undefined)(
    "starts as CMD does on PGlite in the image's DATA_DIR (no TEST_DATABASE_URL, so not on Postgres): ready, healthy, SIGTERM exits 0",
    async () => {
      await startProbeAndStop(app, {});
      expect(existsSync(path.join(app.hostPath(app.env['DATA_DIR'] ?? 'data'), 'PG_VERSION'))).toBe(true);
    },
    60_000,
  );
});

/** Runs an exec-form command of the image to its end and returns its exit code. */
function runToEnd(argv: readonly string[], cwd: string, env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const [command = '', ...args] = hostArgv(argv);
    const child = spawnInGroup(command, args, { cwd, env, stdio: 'ignore', timeout: 5000 });
    child.on('error', reject);
    child.on('close', resolve);
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/**
 * Starts the built tree as the image's CMD would (argv, WORKDIR, ENV; absolute ENV paths mapped
 * into the build directory), waits for /readyz, checks /healthz and the HEALTHCHECK command, then
 * sends SIGTERM and expects a clean exit.
 */
async function startProbeAndStop(app: ReplayedStage, database: Record<string, string>): Promise<void> {
  const port = await freePort();
  const imageEnv = Object.fromEntries(
    Object.entries(app.env).map(([name, value]) => [name, value.startsWith('/') ? app.hostPath(value) : value]),
  );
  const env = { PATH: '/usr/local/bin:/usr/bin:/bin', ...imageEnv, PORT: String(port), ...MODEL_ENV, ...database };
  const cwd = app.hostPath('.');
  const cmd = execForm(argsOf('CMD')) ?? [];
  const healthcheck = healthcheckArgv();
  const [command = '', ...args] = hostArgv(cmd);
  const child = spawnInGroup(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let logs = '';
  child.stdout.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  const base = `http://127.0.0.1:${String(port)}`;
  try {
    const deadline = Date.now() + 30_000;
    let ready: Response | undefined;
    while (ready?.status !== 200) {
      if (child.exitCode !== null) throw new Error(`the service exited with ${String(child.exitCode)}:\n${logs}`);
      if (Date.now() > deadline)
        throw new Error(`/readyz did not answer 200 within 30 s (last: ${String(ready?.status)}):\n${logs}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      ready = await fetch(`${base}/readyz`).catch(() => undefined);
    }
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { database: 'ok', migrations: 'ok', queue: 'ok' },
    });
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(await runToEnd(healthcheck, cwd, env)).toBe(0);
  } catch (error) {
    if (child.pid !== undefined) signalGroup(child.pid);
    throw error;
  }
  const started = Date.now();
  child.kill('SIGTERM');
  expect(await exited(child)).toEqual({ code: 0, signal: null });
  expect(Date.now() - started).toBeLessThan(10_000);
  // Production logs are JSON lines: the service said where it listened and that it stopped.
  const lines = logs
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg?: string; port?: number; heapLimitMb?: number; nodeFlags?: string[] });
  const listening = lines.find((line) => line.msg === 'listening');
  expect(listening?.port).toBe(port);
  // The image's NODE_OPTIONS reach Node: the heap limit is the old space it sets plus the young generation.
  const oldSpaceMb = Number(/--max-old-space-size=(\d+)/u.exec(app.env['NODE_OPTIONS'] ?? '')?.[1]);
  expect(listening?.heapLimitMb).toBeGreaterThanOrEqual(oldSpaceMb);
  expect(listening?.heapLimitMb).toBeLessThan(oldSpaceMb + 64);
  // … and so do the CMD's own Node flags (--optimize-for-size: the memory figures depend on it).
  expect(listening?.nodeFlags).toEqual(cmd.slice(1, -1));
  expect(lines.map((line) => line.msg)).toContain('stopped');
  // The HEALTHCHECK fails once nothing answers.
  expect(await runToEnd(healthcheck, cwd, env)).not.toBe(0);
}
