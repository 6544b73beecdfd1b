import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { PlanStrategyName } from '../src/core/plan-types.ts';
import { loadPromptLibrary } from '../src/prompts/load-prompts.ts';
import { createPgDatabase } from '../src/store/pg-database.ts';
import type { FakeResponder } from '../test/fakes/fake-model-types.ts';
import { startFakeSlackApi } from '../test/fakes/fake-slack-api.ts';
import { createPlanWriter } from '../test/fakes/plan-writer.ts';
import { fakeEnv, startFake } from '../test/helpers/model-harness.ts';
import {
  NO_PLAN_LIMITS,
  slackServiceEnv,
  startScriptNodeFlags,
  startServiceInProcess,
  startServiceProcess,
} from '../test/helpers/service.ts';
import { parseDockerfile, stageEnv } from '../test/helpers/dockerfile.ts';
import { postSigned, slashCommandBody } from '../test/helpers/slack-signing.ts';
import { startLoadGenerator, type Answer } from './load-generator.ts';
import { slackLoadSurface, teamsLoadSurface, type LoadSurface, type LoadSurfaceName } from './load-surfaces.ts';
import { startFakeBotConnector } from '../test/fakes/fake-bot-connector.ts';
import { dropSchemas, uniqueSchema } from '../test/helpers/test-database.ts';
import { percentile } from './slack-ack.bench.ts';
import { testEnv } from '../test/helpers/test-env.ts';

const SECRET = 'bench-signing-secret-0123456789abcdef';
const COMMAND = '/integration-plan';
const MB = 1024 * 1024;

export interface LoadBenchOptions {
  /** Plans submitted at once, each by its own user into its own channel (Slack) or 1:1 chat (Teams). */
  readonly plans: number;
  /** Where the burst of forms comes in; slash commands are timed on Slack either way. */
  readonly surface: LoadSurfaceName;
  /** Per model response, as real APIs stream. */
  readonly tokensPerSecond: number;
  /** Tokens per streamed event (real streams send a few at a time); 4 characters a token. */
  readonly tokensPerEvent: number;
  /** Slash commands fired while the plans run; their acknowledgements are timed. */
  readonly commandsPerSecond: number;
  /** SLACK_POST_INTERVAL_MS: 1000 is Slack's pacing of about one post per second per channel. */
  readonly postIntervalMs: number;
  /** PLAN_WORKER_CONCURRENCY: plans the process runs at once. */
  readonly workerConcurrency: number;
  /** PLAN_WORKER_PROCESSES: plan worker processes beside the web process (0: plans in the web process). */
  readonly workerProcesses: number;
  readonly strategy: PlanStrategyName;
  /** Postgres; the bench works in a schema of its own and drops it. */
  readonly databaseUrl: string;
  /** Plans not done by then count as lost. */
  readonly timeoutMs: number;
  /**
   * `in-process`: startService in this process, beside the fakes (RSS and heap are the whole
   * process's, fakes included: an upper bound). `child`: `node src/main.ts` in a process of its
   * own, as deployed; its RSS is read from /proc (Linux), heap and event loop from its /metrics.
   */
  readonly process: 'in-process' | 'child';
  /**
   * NODE_OPTIONS of the child (heap sizing): undefined runs it with the production image's
   * (the Dockerfile's ENV NODE_OPTIONS), '' with V8's defaults for this machine's memory.
   */
  readonly nodeOptions?: string | undefined;
  /**
   * Node's flags before the script in the child's argv: undefined runs it with the image's (its
   * CMD, which is `npm start`'s command), [] with none.
   */
  readonly nodeFlags?: readonly string[] | undefined;
}

/** Process settings of the production image's ENV (the Dockerfile's last stage) that shape memory. */
export interface ImageProcessEnv {
  /** V8's heap sizing; '' when the image sets none. */
  readonly nodeOptions: string;
  /** glibc's malloc arenas, when the image sets them. */
  readonly mallocArenaMax: string | undefined;
}

export async function imageProcessEnv(): Promise<ImageProcessEnv> {
  const stages = parseDockerfile(await readFile(path.resolve(import.meta.dirname, '../Dockerfile'), 'utf8'));
  const runtime = stages.at(-1);
  const env = runtime === undefined ? {} : stageEnv(runtime);
  return { nodeOptions: env['NODE_OPTIONS'] ?? '', mallocArenaMax: env['MALLOC_ARENA_MAX'] };
}

export const LOAD_DEFAULTS: LoadBenchOptions = {
  plans: 200,
  surface: 'slack',
  tokensPerSecond: 60,
  tokensPerEvent: 4,
  commandsPerSecond: 5,
  postIntervalMs: 1000,
  workerConcurrency: 200,
  workerProcesses: 1,
  strategy: 'parallel',
  databaseUrl: testEnv('TEST_DATABASE_URL') ?? 'postgres://postgres@127.0.0.1:5432/test',
  timeoutMs: 600_000,
  process: 'in-process',
};

export interface Latencies {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Answers other than an empty HTTP 200. */
  readonly errors: number;
}

export interface LoadFigures {
  readonly options: LoadBenchOptions;
  /** The child's NODE_OPTIONS (undefined in-process: this process's own). */
  readonly nodeOptions: string | undefined;
  /** The child's Node flags (undefined in-process). */
  readonly nodeFlags: readonly string[] | undefined;
  /** The child's MALLOC_ARENA_MAX, from the image (undefined: glibc's default). */
  readonly mallocArenaMax: string | undefined;
  /** Revisions `done` in the database and shown done on their parent message. */
  readonly done: number;
  /** Plans not done: failed, still running at the timeout, or never queued. */
  readonly lost: number;
  /** Done plans whose thread is not exactly the parent and seven sections in order, each posted and updated once. */
  readonly malformed: number;
  /** First submission to the last parent marked done. */
  readonly wallMs: number;
  readonly plansPerMinute: number;
  readonly submissions: Latencies;
  readonly commands: Latencies;
  readonly baselineRssMb: number;
  readonly peakRssMb: number;
  /** /slack/events answer times as the service measured them (child process only). */
  readonly serverAcks: ReturnType<typeof serverAckFigures> | undefined;
  /** Split service: the web process's peak RSS and the largest worker's (0 when one process). */
  readonly peakWebRssMb: number;
  readonly peakWorkerRssMb: number;
  readonly peakHeapMb: number;
  readonly eventLoopP99Ms: number;
  readonly eventLoopMaxMs: number;
  /** Warnings and errors the service logged (the first few are kept). */
  readonly warnings: number;
  readonly firstWarnings: readonly string[];
}

/** POSTs a signed body; the time to the complete answer, and whether it was an empty 200 (Bolt's plain ack). */
async function timed(url: string, body: string): Promise<{ ms: number; ok: boolean }> {
  const started = performance.now();
  try {
    const response = await postSigned(url, body, SECRET);
    const text = await response.text();
    return { ms: performance.now() - started, ok: response.status === 200 && text === '' };
  } catch {
    return { ms: performance.now() - started, ok: false };
  }
}

/** An answer as the latencies count it: ok when it is the acknowledgement expected. */
const judged = (surface: LoadSurface) => (answer: Answer) => ({ ms: answer.ms, ok: surface.acknowledged(answer) });

function latencies(answers: readonly { ms: number; ok: boolean }[]): Latencies {
  const sorted = answers.map((answer) => answer.ms).sort((a, b) => a - b);
  return {
    count: answers.length,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? Number.NaN,
    errors: answers.filter((answer) => !answer.ok).length,
  };
}

/** The service under load: where Slack requests go, and how much memory it holds. */
interface LoadTarget {
  readonly events: string;
  /** Resident set size in bytes, now (every process of the service together). */
  rss(): Promise<number>;
  /** Per process, where the service runs as several: the web process's RSS and each worker's, in MB. */
  parts?(): Promise<{ webMb: number; workersMb: number[] }>;
  /** V8 heap in use in bytes, now (child: its latest /metrics reading; NaN before the first). */
  heap(): number | undefined;
  /** Event loop delay over the run in ms (p99, max), once the load is over. */
  eventLoop(): Promise<{ p99Ms: number; maxMs: number }>;
  /** The service's own measure of its answers on `route` (see serverAckFigures). */
  serverAcks?(route: string): Promise<ReturnType<typeof serverAckFigures>>;
  startMeasuring(): void;
  /** Warnings and errors the service logged so far. */
  warnings(): string[];
  /** Why the service is gone (a crashed child), or undefined while it runs. */
  failure(): string | undefined;
  stop(): Promise<void>;
}

async function startInProcess(env: Record<string, string>): Promise<LoadTarget> {
  const warnings: string[] = [];
  const destination = { write: (line: string) => void warnings.push(line) };
  const service = await startServiceInProcess(env, { log: { level: 'warn', destination } });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  return {
    events: `http://127.0.0.1:${service.port}/slack/events`,
    rss: () => Promise.resolve(process.memoryUsage().rss),
    heap: () => process.memoryUsage().heapUsed,
    startMeasuring: () => loop.enable(),
    eventLoop: () => {
      loop.disable();
      return Promise.resolve({ p99Ms: loop.percentile(99) / 1e6, maxMs: loop.max / 1e6 });
    },
    warnings: () => warnings,
    failure: () => undefined,
    stop: () => service.stop(),
  };
}

/**
 * One gauge of the service's Prometheus text (prom-client's default process metrics): the
 * process's own, or with `part` the series of that part (web, worker) of a split service.
 */
function gauge(text: string, name: string, part?: string): number {
  const line = text
    .split('\n')
    .find(
      (candidate) =>
        candidate.startsWith(`${name} `) ||
        (candidate.startsWith(`${name}{`) && (part === undefined || candidate.includes(`part="${part}"`))),
    );
  return line === undefined ? Number.NaN : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/**
 * The answer times of /slack/events as the service measured them (its histogram): how many, and
 * the upper bounds of the buckets holding the median and the 99th percentile.
 */
export function serverAckFigures(
  text: string,
  route = '/slack/events',
): { count: number; p50UpToMs: number; p99UpToMs: number } {
  const buckets = text
    .split('\n')
    .filter(
      (line) => line.startsWith('planner_http_request_duration_seconds_bucket{') && line.includes(`route="${route}"`),
    )
    .map((line) => ({
      le: /le="([^"]+)"/u.exec(line)?.[1] ?? '+Inf',
      count: Number(line.slice(line.lastIndexOf(' ') + 1)),
    }))
    .map(({ le, count }) => ({ upToMs: le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le) * 1000, count }))
    .sort((a, b) => a.upToMs - b.upToMs);
  const count = buckets.at(-1)?.count ?? 0;
  const upTo = (share: number) => buckets.find((bucket) => bucket.count >= share * count)?.upToMs ?? Number.NaN;
  return { count, p50UpToMs: upTo(0.5), p99UpToMs: upTo(0.99) };
}

/** A process and its descendants (a web process's plan workers), from /proc (Linux). */
async function processTree(pid: number): Promise<number[]> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  const ids = children
    .split(/\s+/u)
    .filter((id) => id !== '')
    .map(Number);
  return [pid, ...(await Promise.all(ids.map(processTree))).flat()];
}

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/^VmRSS:\s+(\d+) kB$/mu.exec(status)?.[1] ?? 0) * 1024;
}

async function startChild(env: Record<string, string>, nodeFlags: readonly string[]): Promise<LoadTarget> {
  const child = await startServiceProcess(env, { nodeFlags });
  let ended: string | undefined;
  // Heap in use, read from the child's /metrics once a second (a scrape costs a query).
  let heapUsed = Number.NaN;
  const heapReader = setInterval(() => {
    fetch(`${child.url}/metrics`)
      .then(async (response) => (heapUsed = gauge(await response.text(), 'nodejs_heap_size_used_bytes', 'worker')))
      .catch(() => undefined);
  }, 1000);
  void child.exited.then(({ code, signal }) => {
    ended = `the service exited (${String(code ?? signal)}); its last lines:\n${child.lines.slice(-10).join('\n')}`;
  });
  return {
    events: `${child.url}/slack/events`,
    // Every process of the service together: the web process and the plan workers it started.
    async rss() {
      const sizes = await Promise.all((await processTree(child.pid)).map(rssOf));
      return sizes.reduce((sum, size) => sum + size, 0);
    },
    async parts() {
      const [web = 0, ...workers] = await Promise.all((await processTree(child.pid)).map(rssOf));
      return { webMb: web / MB, workersMb: workers.map((size) => size / MB) };
    },
    heap: () => heapUsed,
    startMeasuring: () => undefined,
    warnings: () =>
      child.records().flatMap((record, index) => ((record.level ?? 0) >= 40 ? [child.lines[index] ?? ''] : [])),
    failure: () => ended,
    async serverAcks(route) {
      return serverAckFigures(await (await fetch(`${child.url}/metrics`)).text(), route);
    },
    // The web process's loop: the one that answers Slack (prom-client's lag since its start).
    async eventLoop() {
      const text = await (await fetch(`${child.url}/metrics`)).text();
      return {
        p99Ms: gauge(text, 'nodejs_eventloop_lag_p99_seconds', 'web') * 1000,
        maxMs: gauge(text, 'nodejs_eventloop_lag_max_seconds', 'web') * 1000,
      };
    },
    async stop() {
      clearInterval(heapReader);
      await child.stop('SIGTERM');
    },
  };
}

/**
 * `plans` signed view_submissions at once through the Slack endpoint of one service (Postgres,
 * fake Slack and a fake Anthropic model streaming at a realistic rate on loopback), while slash
 * commands arrive at `commandsPerSecond`: their ack latency, the service's peak RSS (sampled
 * every 250 ms), event loop delay, plans per minute, and every plan checked in the database and
 * in Slack.
 */
export async function benchLoad(options: LoadBenchOptions = LOAD_DEFAULTS): Promise<LoadFigures> {
  const prompts = await loadPromptLibrary(path.resolve(import.meta.dirname, '../prompts'));
  const headers = prompts.plan('en').sections.map((section) => `${section.number}. ${section.title}`);
  const writer = createPlanWriter(prompts, { paragraphsPerItem: 2 });
  // Usage in tokens (4 characters each), not in streamed events, so cost and limits stay realistic.
  const respond: FakeResponder = async (request) => {
    const reply = await writer(request);
    return { ...reply, outputTokens: Math.ceil(reply.text.length / 4) };
  };
  const model = await startFake('anthropic', {
    respond,
    chunkChars: 4 * options.tokensPerEvent,
    tokensPerSecond: options.tokensPerSecond / options.tokensPerEvent,
  });
  const slack = await startFakeSlackApi();
  const connector = options.surface === 'teams' ? await startFakeBotConnector() : undefined;
  const schema = uniqueSchema();
  const env = slackServiceEnv(
    { model: fakeEnv('anthropic', model), slack, databaseUrl: options.databaseUrl, schema, signingSecret: SECRET },
    {
      PORT: '0',
      SLACK_COMMAND: COMMAND,
      // Production's polling, not the tests' faster one.
      PLAN_JOB_POLL_SECONDS: '1',
      SLACK_POST_INTERVAL_MS: String(options.postIntervalMs),
      PLAN_STRATEGY: options.strategy,
      PLAN_WORKER_CONCURRENCY: String(options.workerConcurrency),
      PLAN_WORKER_PROCESSES: String(options.workerProcesses),
      PLAN_WORKSPACE_CONCURRENCY: String(options.workerConcurrency),
      // LLM_MAX_CONCURRENCY's default lets every section of every running plan stream at once.
      LLM_QUEUE_LIMIT: String(options.plans * 8),
      ...NO_PLAN_LIMITS,
      // Teams without an app id (local testing): no Bot Framework tokens to check.
      ...(connector === undefined ? {} : { TEAMS_ENABLED: 'true' }),
    },
  );
  const child = options.process === 'child';
  const image = child ? await imageProcessEnv() : undefined;
  const nodeOptions = image === undefined ? undefined : (options.nodeOptions ?? image.nodeOptions);
  const mallocArenaMax = image?.mallocArenaMax;
  const nodeFlags = child ? (options.nodeFlags ?? (await startScriptNodeFlags())) : undefined;
  const target = child
    ? await startChild(
        {
          ...env,
          ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
          ...(mallocArenaMax === undefined ? {} : { MALLOC_ARENA_MAX: mallocArenaMax }),
        },
        nodeFlags ?? [],
      )
    : await startInProcess(env);
  const { events } = target;
  const slackSurface = slackLoadSurface(slack, events, SECRET);
  const surface =
    connector === undefined
      ? slackSurface
      : teamsLoadSurface(connector, events.replace(/\/slack\/events$/u, '/api/messages'));
  const command = (id: string) =>
    slashCommandBody({
      text: '',
      command: COMMAND,
      teamId: slack.teamId,
      channelId: 'C0LOADCMD',
      userId: 'U0LOADCMD',
      triggerId: `${id}.0123456789abcdef`,
    });

  let peakRss = 0;
  let peakHeap = 0;
  const peakParts = { webMb: 0, workersMb: 0 };
  const sample = async () => {
    if (target.failure() !== undefined) return;
    peakRss = Math.max(peakRss, await target.rss().catch(() => 0));
    const parts = await target.parts?.().catch(() => undefined);
    if (parts !== undefined) {
      peakParts.webMb = Math.max(peakParts.webMb, parts.webMb);
      peakParts.workersMb = Math.max(peakParts.workersMb, ...parts.workersMb);
    }
    const heap = target.heap();
    if (heap !== undefined && !Number.isNaN(heap)) peakHeap = Math.max(peakHeap, heap);
  };
  const sampler = setInterval(() => void sample(), 250);
  try {
    // Warm-up: Bolt's first request, the database pool, the JIT.
    for (let index = 0; index < 3; index += 1) await timed(events, command(`warm${index}`));
    const baselineRss = await target.rss();
    target.startMeasuring();
    const burst = Array.from({ length: options.plans }, (_, index) => surface.submission(index));
    const fields = { command: COMMAND, teamId: slack.teamId, channelId: 'C0LOADCMD', userId: 'U0LOADCMD' };
    const started = Date.now();
    // The burst at once and commands at a steady rate until every plan is done (or the time is up).
    const generator = startLoadGenerator({
      burst,
      steady: { url: events, signingSecret: SECRET, perSecond: options.commandsPerSecond, fields },
    });
    await generator.burstAnswered;
    const statuses = await waitForPlans(surface, options, schema, started + options.timeoutMs, target);
    const answers = await generator.stop();
    const failure = target.failure();
    if (failure !== undefined) throw new Error(failure);
    const submissions = answers.burst.map(judged(surface));
    const commandAnswers = answers.steady.map(judged(slackSurface));
    await sample();
    const eventLoop = await target.eventLoop();
    const serverAcks = await target.serverAcks?.(surface.name === 'slack' ? '/slack/events' : '/api/messages');
    const doneAt = surface.lastDoneAt();
    const shown = Array.from({ length: options.plans }, (_, index) => index).filter((index) =>
      surface.shownDone(index),
    );
    const done = Math.min(shown.length, statuses['done'] ?? 0);
    const wallMs = doneAt - started;
    return {
      options,
      nodeOptions,
      nodeFlags,
      mallocArenaMax,
      done,
      lost: options.plans - done,
      malformed: shown.filter((index) => !surface.wellFormed(index, headers)).length,
      wallMs,
      plansPerMinute: (done / wallMs) * 60_000,
      submissions: latencies(submissions),
      commands: latencies(commandAnswers),
      baselineRssMb: baselineRss / MB,
      peakRssMb: peakRss / MB,
      serverAcks,
      peakWebRssMb: peakParts.webMb,
      peakWorkerRssMb: peakParts.workersMb,
      peakHeapMb: peakHeap / MB,
      eventLoopP99Ms: eventLoop.p99Ms,
      eventLoopMaxMs: eventLoop.maxMs,
      warnings: target.warnings().length,
      firstWarnings: target.warnings().slice(0, 5),
    };
  } finally {
    clearInterval(sampler);
    await target.stop();
    await Promise.all([slack.close(), model.close(), connector?.close()]);
    await dropSchemas(options.databaseUrl, schema);
  }
}

/** Polls until every revision is done or failed and each done one shows done in Slack, or the deadline; the revisions by status. */
async function waitForPlans(
  surface: LoadSurface,
  options: LoadBenchOptions,
  schema: string,
  deadline: number,
  target: LoadTarget,
): Promise<Record<string, number>> {
  const db = await createPgDatabase({ connectionString: options.databaseUrl, schema, maxConnections: 1 });
  try {
    for (;;) {
      const rows = await db.query<{ status: string; count: string }>(
        'SELECT status, count(*) FROM plan_revisions GROUP BY status',
      );
      const statuses = Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
      const done = statuses['done'] ?? 0;
      const shown = Array.from({ length: options.plans }, (_, index) => index).filter((index) =>
        surface.shownDone(index),
      ).length;
      const settled = done + (statuses['failed'] ?? 0) === options.plans && shown === done;
      if (settled || Date.now() > deadline || target.failure() !== undefined) return statuses;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await db.close();
  }
}

/** Prints the figures as a table and each target as OK / MISSED; true when every target is met. */
export function reportLoad(figures: LoadFigures): boolean {
  const { options } = figures;
  const formAnswer = options.surface === 'slack' ? 'view_submission ack' : 'Teams submit invoke answer';
  const ms = (value: number) => value.toFixed(1);
  console.table([
    {
      service: options.process,
      plans: options.plans,
      done: figures.done,
      lost: figures.lost,
      malformed: figures.malformed,
      'wall (s)': (figures.wallMs / 1000).toFixed(1),
      'plans/min': figures.plansPerMinute.toFixed(0),
      'worker processes': options.workerProcesses,
      'peak RSS, all (MB)': figures.peakRssMb.toFixed(0),
      'peak RSS web / worker (MB)':
        figures.peakWorkerRssMb > 0
          ? `${figures.peakWebRssMb.toFixed(0)} / ${figures.peakWorkerRssMb.toFixed(0)}`
          : 'one process',
      'peak heap used (MB)': figures.peakHeapMb === 0 ? 'n/a' : figures.peakHeapMb.toFixed(0),
    },
  ]);
  console.table(
    (
      [
        ['slash command ack', figures.commands],
        [formAnswer, figures.submissions],
      ] as const
    ).map(([what, answer]) => ({
      what,
      count: answer.count,
      'p50 (ms)': ms(answer.p50Ms),
      'p99 (ms)': ms(answer.p99Ms),
      'max (ms)': ms(answer.maxMs),
      'not 200': answer.errors,
    })),
  );
  const heapSizing =
    figures.nodeOptions === undefined
      ? "this process's"
      : figures.nodeOptions === ''
        ? "V8's defaults for this machine"
        : figures.nodeOptions;
  const flags =
    figures.nodeFlags === undefined
      ? ''
      : `node flags: ${figures.nodeFlags.length === 0 ? 'none' : figures.nodeFlags.join(' ')}; MALLOC_ARENA_MAX: ${figures.mallocArenaMax ?? "glibc's default"}; `;
  console.log(
    `${flags}NODE_OPTIONS: ${heapSizing}; baseline RSS ${figures.baselineRssMb.toFixed(0)} MB; event loop delay p99 ${ms(figures.eventLoopP99Ms)} ms, max ${ms(figures.eventLoopMaxMs)} ms;` +
      ` ${figures.warnings} warnings/errors logged${figures.firstWarnings.length > 0 ? `, first:\n${figures.firstWarnings.join('\n')}` : ''}`,
  );
  if (figures.serverAcks !== undefined) {
    const { count, p50UpToMs, p99UpToMs } = figures.serverAcks;
    console.log(
      `${options.surface === 'slack' ? '/slack/events as the service measured its answers (commands and submissions)' : '/api/messages as the service measured its answers'}, ${count} in all: p50 ≤ ${p50UpToMs} ms, p99 ≤ ${p99UpToMs} ms (histogram buckets; the table above is the load generator's view: a thread of its own, on the same 2 cores as the service, the fakes and Postgres)`,
    );
  }
  const checks = [
    [`lost plans: ${figures.lost} (target 0)`, figures.lost === 0],
    [`malformed threads: ${figures.malformed} (target 0)`, figures.malformed === 0],
    [
      `peak RSS of all the service's processes: ${figures.peakRssMb.toFixed(0)} MB (target ≤ 400 MB)`,
      figures.peakRssMb <= 400,
    ],
    [
      `slash command ack p99: ${ms(figures.commands.p99Ms)} ms, max ${ms(figures.commands.maxMs)} ms (target ≤ 250 ms, max < 1000 ms)`,
      figures.commands.p99Ms <= 250 && figures.commands.maxMs < 1000,
    ],
    [
      `${formAnswer} p99: ${ms(figures.submissions.p99Ms)} ms, max ${ms(figures.submissions.maxMs)} ms (target ≤ 250 ms, max < 1000 ms)`,
      figures.submissions.p99Ms <= 250 && figures.submissions.maxMs < 1000,
    ],
    [
      `acks other than 200: ${figures.commands.errors + figures.submissions.errors} (target 0)`,
      figures.commands.errors + figures.submissions.errors === 0,
    ],
  ] as const;
  for (const [line, ok] of checks) console.log(`${line} ${ok ? 'PASS' : 'FAIL'}`);
  return checks.every(([, ok]) => ok);
}
