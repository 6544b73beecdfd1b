import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { DestinationStream } from 'pino';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { startService, type Service } from '../../src/service.ts';
import { signalGroup, spawnInGroup } from './process-group.ts';
import { REPO_ROOT } from './prompts.ts';
import { inheritedEnv, testEnv } from './test-env.ts';

/*
 * The service under test, built one way for every test: the environment of `testServiceEnv`,
 * then either in this process (`startServiceInProcess`: fast, fakes beside it) or as the child
 * process an operator starts (`startServiceProcess`: signals, exit codes, Node flags, replicas).
 */

/**
 * The environment every service under test starts from, `env` on top: NODE_ENV test, an ephemeral
 * port and embedded in-memory PGlite (DATABASE_URL switches to Postgres).
 */
export function testServiceEnv(env: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { NODE_ENV: 'test', PORT: '0', DATA_DIR: 'memory://', ...env };
}

/** The service (`startService`, as main.ts calls it) running in this process. */
export interface InProcessService {
  readonly service: Service;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  stop(): Promise<void>;
}

/** A service's log kept in `lines` (one pino JSON line each), from `level` up. */
export function logInto(lines: string[], level = 'info'): NonNullable<InProcessServiceOptions['log']> {
  return { level, destination: { write: (line: string) => void lines.push(line) } };
}

/** Options for {@link startServiceInProcess}. */
export interface InProcessServiceOptions {
  /** Where it logs, and from which level (default: silent, or TEST_LOG_LEVEL to stdout). */
  readonly log?: { readonly level: string; readonly destination: DestinationStream };
}

/**
 * Starts the service in this process with {@link testServiceEnv} and `env` (an undefined variable
 * is unset); resolves once it listens.
 */
export async function startServiceInProcess(
  env: Readonly<Record<string, string | undefined>>,
  options: InProcessServiceOptions = {},
): Promise<InProcessService> {
  const config = loadConfig({ ...testServiceEnv(), ...env });
  const logger = createLogger(
    options.log === undefined
      ? { level: testEnv('TEST_LOG_LEVEL') ?? 'silent', pretty: false }
      : { level: options.log.level, pretty: false, destination: options.log.destination },
  );
  const service = await startService(config, logger);
  return { service, port: service.port, url: `http://127.0.0.1:${service.port}`, stop: () => service.stop() };
}

/** One pino JSON line of the service's log (lines that are not JSON are kept as `{ msg: line }`). */
export interface LogRecord {
  readonly msg?: string;
  readonly level?: number;
  readonly [field: string]: unknown;
}

/** How a child process ended. */
export interface ExitStatus {
  /** Null when a signal ended it. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** The service (`node src/main.ts`) running as a child process, ready on `url`. */
export interface ServiceProcess {
  readonly pid: number;
  /** The HTTP port the service reported in its `listening` log line. */
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every line it wrote to stdout and stderr so far, in arrival order. */
  readonly lines: readonly string[];
  /** Its log lines so far, parsed. */
  records(): LogRecord[];
  /** Resolves with the first log record (past or future) that matches, or fails after the timeout. */
  waitForLog(matches: (record: LogRecord) => boolean, timeoutMs?: number): Promise<LogRecord>;
  /** Settles when the process has exited. */
  readonly exited: Promise<ExitStatus>;
  /** Sends `signal` (default SIGTERM) unless it has exited already; resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Options for {@link startServiceProcess}. */
export interface ServiceProcessOptions {
  /** How long start-up may take until /readyz answers 200 (default 60 s: a loaded CI machine). */
  readonly readyTimeoutMs?: number;
  /** Node's own flags before the script (default: those of `npm start`, which the image's CMD runs). */
  readonly nodeFlags?: readonly string[];
}

/**
 * Node's flags in the `start` script ("node [flags] src/main.ts"): how operators and the image
 * (container.test.ts holds its CMD equal to the script) start the service.
 */
export async function startScriptNodeFlags(): Promise<string[]> {
  const pkg = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const start = pkg.scripts?.['start'] ?? '';
  const [command, ...args] = start.split(' ');
  if (command !== 'node' || args.at(-1) !== 'src/main.ts')
    throw new Error(`npm start: expected "node [flags] src/main.ts", got "${start}"`);
  return args.slice(0, -1);
}

const parse = (line: string): LogRecord => {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as LogRecord) : { msg: line };
  } catch {
    return { msg: line };
  }
};

/**
 * GET `url` on a fresh connection (no keep-alive pool, so a closed server shows as refused rather
 * than as a reused socket's reset): the HTTP status, or the network error's code (ECONNREFUSED …).
 */
export function probe(url: string, timeoutMs = 5000): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    req.once('timeout', () => req.destroy(Object.assign(new Error('probe timed out'), { code: 'ETIMEDOUT' })));
    req.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

/**
 * Starts the service as an operator does (`npm start`'s command, on this Node) with nothing of the
 * test's environment but PATH, JSON logs at info, {@link testServiceEnv} and `env` (the port is read
 * from the `listening` log line). Resolves once /readyz answers 200; rejects with the process's
 * output if it exits or is not ready in time (and kills it then). It runs in a process group of
 * its own, killed when the test that started it ends, passed or failed (process-group.ts).
 */
export async function startServiceProcess(
  env: Readonly<Record<string, string>>,
  options: ServiceProcessOptions = {},
): Promise<ServiceProcess> {
  const nodeFlags = options.nodeFlags ?? (await startScriptNodeFlags());
  const child = spawnInGroup(process.execPath, [...nodeFlags, path.join(REPO_ROOT, 'src/main.ts')], {
    cwd: REPO_ROOT,
    env: { ...inheritedEnv(['PATH']), LOG_LEVEL: 'info', ...testServiceEnv(env) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const records: LogRecord[] = [];
  const watchers = new Set<(record: LogRecord) => void>();
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      lines.push(line);
      const record = parse(line);
      records.push(record);
      for (const watcher of watchers) watcher(record);
    });
  }
  const exited = new Promise<ExitStatus>((resolve) => {
    // 'close', not 'exit': by then every line it wrote has been read.
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  let done: ExitStatus | undefined;
  void exited.then((status) => (done = status));

  const waitForLog = (matches: (record: LogRecord) => boolean, timeoutMs = 30_000): Promise<LogRecord> => {
    const seen = records.find(matches);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const watcher = (record: LogRecord) => {
        if (!matches(record)) return;
        clearTimeout(timer);
        watchers.delete(watcher);
        resolve(record);
      };
      const timer = setTimeout(() => {
        watchers.delete(watcher);
        reject(
          new Error(`no matching log line within ${timeoutMs} ms; the service wrote:\n${lines.slice(-40).join('\n')}`),
        );
      }, timeoutMs);
      watchers.add(watcher);
    });
  };

  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> => {
    if (done === undefined && child.pid !== undefined) signalGroup(child.pid, signal);
    return (await exited).code;
  };

  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  try {
    const listening = await Promise.race([
      // The endpoint's process: a plan worker beside it logs its own (health-only) port.
      waitForLog(
        (record) => record.msg === 'listening' && typeof record['port'] === 'number' && record['role'] !== 'worker',
        readyTimeoutMs,
      ),
      exited.then((status) => {
        throw new Error(`the service exited (${String(status.code ?? status.signal)}) before listening`);
      }),
    ]);
    const port = Number(listening['port']);
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (done !== undefined)
        throw new Error(`the service exited (${String(done.code ?? done.signal)}) before it was ready`);
      if ((await probe(`${url}/readyz`)) === 200) break;
      if (Date.now() > deadline) throw new Error(`/readyz did not answer 200 within ${readyTimeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { pid: child.pid ?? 0, port, url, lines, records: () => [...records], waitForLog, exited, stop };
  } catch (error) {
    await stop('SIGKILL');
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\nThe service wrote:\n${lines.join('\n')}`,
      { cause: error },
    );
  }
}

/** Plan and cost limits all off: load and replica tests send many plans from one workspace. */
export const NO_PLAN_LIMITS = {
  PLAN_LIMIT_USER_PER_HOUR: '0',
  PLAN_LIMIT_WORKSPACE_PER_HOUR: '0',
  PLAN_LIMIT_WORKSPACE_PER_DAY: '0',
  COST_LIMIT_WORKSPACE_USD_PER_DAY: '0',
} as const;

/**
 * The environment of a service on Postgres (its own schema) talking to a fake Slack over HTTP;
 * `extra` adds or overrides variables. The model's variables come from the caller (fakeEnv).
 */
export function slackServiceEnv(
  peers: {
    readonly model: Readonly<Record<string, string>>;
    readonly slack: { readonly botToken: string; readonly url: string };
    readonly databaseUrl: string;
    readonly schema: string;
    readonly signingSecret: string;
  },
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    ...peers.model,
    DATABASE_URL: peers.databaseUrl,
    DATABASE_SCHEMA: peers.schema,
    SLACK_BOT_TOKEN: peers.slack.botToken,
    SLACK_SIGNING_SECRET: peers.signingSecret,
    SLACK_API_URL: peers.slack.url,
    SLACK_POST_INTERVAL_MS: '0',
    PLAN_JOB_POLL_SECONDS: '0.5',
    ...extra,
  };
}
