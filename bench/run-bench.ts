import { parseArgs } from 'node:util';
import pg from 'pg';
import { benchPlanStrategies } from './plan-strategies.bench.ts';
import type { PlanDeliveryTiming } from './slack-delivery.bench.ts';
import { testEnv } from '../test/helpers/test-env.ts';

/**
 * `npm run bench [-- --rate 60] [-- --only plan,store,slack-ack,slack-e2e] [-- --plans 100000]
 * [-- --rounds 20] [-- --slack-plans 2]`: prints each scenario's figures and checks its target.
 * Without --only it runs plan, store, slack-ack and spec (about 15 s: facts from Stripe's 2.5 MB spec, twice
 * `--rounds` times in child processes, with the service's Node flags and with V8's defaults); slack-e2e streams whole plans at the token
 * rate through Slack's one-post-per-second pacing (about 3 minutes at 60 tokens/s), so it runs
 * only when named: `npm run bench -- --only slack-e2e`. `--only load [--load-plans 200] [--load-workers 200] [--load-worker-processes 1]
 * [--load-process child|in-process] [--load-surface slack|teams] [--load-node-options='--flag …'] [--load-node-flags='--flag …']` runs
 * 200 plans at once through one service (about a minute), their forms sent to Slack or (`teams`) to /api/messages; the child gets the Dockerfile's NODE_OPTIONS and
 * `npm start`'s Node flags (the image's CMD) unless given ('' for V8's defaults, or for no flags).
 * `progress [--progress-plans 20]`: plans submitted one after another through the Slack endpoint with Slack's
 * pacing on; form submitted → first visible progress (the plan display, or a placeholder) must stay ≤ 1 s at p95.
 * `question [--questions 20] [--question-shape one-process|split]`: questions in a plan's thread through the Slack endpoint
 * (in one process on PGlite, or `split`: npm start's web and worker processes on Postgres), the model at
 * --rate tokens/s after 300 ms; event → first answer text must stay ≤ 1.5 s at p95.
 */
const SCENARIOS = ['plan', 'store', 'slack-ack', 'slack-e2e', 'load', 'spec', 'question', 'progress'] as const;
type Scenario = (typeof SCENARIOS)[number];
const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '60' },
    only: { type: 'string' },
    plans: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '20' },
    'slack-plans': { type: 'string', default: '2' },
    'load-plans': { type: 'string', default: '200' },
    'load-workers': { type: 'string', default: '200' },
    'load-worker-processes': { type: 'string', default: '1' },
    'load-process': { type: 'string', default: 'child' },
    'load-surface': { type: 'string', default: 'slack' },
    'load-node-options': { type: 'string' },
    'load-node-flags': { type: 'string' },
    questions: { type: 'string', default: '20' },
    'progress-plans': { type: 'string', default: '20' },
    'question-shape': { type: 'string', default: 'one-process' },
  },
});
const isScenario = (name: string): name is Scenario => (SCENARIOS as readonly string[]).includes(name);
const chosen = values.only?.split(',') ?? ['plan', 'store', 'slack-ack', 'spec', 'question', 'progress'];
const unknown = chosen.filter((name) => !isScenario(name));
if (unknown.length > 0)
  throw new Error(`--only takes a comma-separated list of ${SCENARIOS.join(', ')}; not "${unknown.join(', ')}"`);
const runs = (scenario: Scenario) => chosen.includes(scenario);
const rate = Number(values.rate);
let failed = false;

if (runs('plan')) {
  console.log(`Plan strategies: fake Anthropic model streaming at ${rate} tokens/s per response`);
  const figures = await benchPlanStrategies(rate);
  console.table(
    figures.map((figure) => ({
      strategy: figure.strategy,
      'wall (s)': (figure.wallMs / 1000).toFixed(2),
      'first section (s)': (figure.firstSectionMs / 1000).toFixed(2),
      'output tokens': figure.outputTokens,
    })),
  );
  const single = figures.find((figure) => figure.strategy === 'single');
  const parallel = figures.find((figure) => figure.strategy === 'parallel');
  if (single && parallel) {
    const ratio = parallel.wallMs / single.wallMs;
    const ok = ratio <= 0.35;
    failed ||= !ok;
    console.log(`parallel/single wall time: ${ratio.toFixed(3)} (target ≤ 0.35) ${ok ? 'OK' : 'MISSED'}`);
  }
}

/** Whether Postgres takes a connection within two seconds (the store bench skips it otherwise). */
async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

if (runs('store')) {
  // Before the import: test/helpers reads TEST_DATABASE_URL once, when it loads.
  const url = testEnv('TEST_DATABASE_URL') ?? 'postgres://postgres@127.0.0.1:5432/test';
  // eslint-disable-next-line no-restricted-properties -- the one variable the bench sets for test/helpers
  process.env.TEST_DATABASE_URL = url;
  const { benchPlanStore } = await import('./plan-store.bench.ts');
  const options = { plans: Number(values.plans), workspaces: 50, samples: 200 };
  console.log(
    `\nPlan store: listPlans over ${options.plans} plans in ${options.workspaces} workspaces, ${options.samples} calls each`,
  );
  const results = [await benchPlanStore('pglite', options)];
  if (await answers(url)) results.push(await benchPlanStore('postgres', options));
  else console.log(`Postgres at ${new URL(url).host} does not answer: skipping it.`);
  const ms = (value: number) => value.toFixed(2);
  console.table(
    results.map((result) => ({
      backend: result.backend,
      plans: result.plans,
      'seed (s)': (result.seedMs / 1000).toFixed(1),
      'list p50 (ms)': ms(result.listP50Ms),
      'list p95 (ms)': ms(result.listP95Ms),
      'search p50 (ms)': ms(result.searchP50Ms),
      'search p95 (ms)': ms(result.searchP95Ms),
    })),
  );
  const postgres = results.find((result) => result.backend === 'postgres');
  if (postgres) {
    for (const [name, p95] of [
      ['list', postgres.listP95Ms],
      ['search', postgres.searchP95Ms],
    ] as const) {
      const ok = p95 < 5;
      failed ||= !ok;
      console.log(`Postgres ${name} p95: ${ms(p95)} ms (target < 5 ms) ${ok ? 'OK' : 'MISSED'}`);
    }
    if (postgres.searchP95Ms >= 5) {
      const slowest = postgres.slowestSearch;
      console.log(`Slowest search term "${slowest.term}" (p50 ${ms(slowest.p50Ms)} ms):\n${slowest.plan}`);
    }
  }
}
if (runs('slack-ack')) {
  const options = { concurrency: 50, rounds: Number(values.rounds), warmupRounds: 3 };
  console.log(
    `\nSlack ack: time to the HTTP answer of ${options.concurrency} concurrent signed slash commands, ${options.rounds} rounds per app` +
      ` after ${options.warmupRounds} warm-up rounds, the service and a bare Bolt app alternating (one process, loopback, one keep-alive client)`,
  );
  const { benchSlackAck } = await import('./slack-ack.bench.ts');
  const figures = await benchSlackAck(options);
  const ms = (value: number) => value.toFixed(1);
  console.table(
    figures.map((figure) => ({
      app: figure.target,
      requests: figure.requests,
      'p50 (ms)': ms(figure.p50Ms),
      'p99 (ms)': ms(figure.p99Ms),
      'max (ms)': ms(figure.maxMs),
      'not 200': figure.errors,
    })),
  );
  const service = figures.find((figure) => figure.target === 'service');
  const bare = figures.find((figure) => figure.target === 'bare Bolt');
  if (service && bare) {
    const checks = [
      [
        `service/bare p50: ${(service.p50Ms / bare.p50Ms).toFixed(2)}× (target ≤ 1.2×)`,
        service.p50Ms <= 1.2 * bare.p50Ms,
      ],
      [
        `service/bare p99: ${(service.p99Ms / bare.p99Ms).toFixed(2)}× (target ≤ 1.2×)`,
        service.p99Ms <= 1.2 * bare.p99Ms,
      ],
      [`service p99: ${ms(service.p99Ms)} ms (target < 100 ms)`, service.p99Ms < 100],
      [`answers other than 200: ${service.errors + bare.errors} (target 0)`, service.errors + bare.errors === 0],
    ] as const;
    for (const [line, ok] of checks) {
      failed ||= !ok;
      console.log(`${line} ${ok ? 'OK' : 'MISSED'}`);
    }
  }
}

if (runs('slack-e2e')) {
  const options = {
    tokensPerSecond: rate,
    plansPerStrategy: Number(values['slack-plans']),
    postIntervalMs: 1000,
    jobPollSeconds: 1,
  };
  console.log(
    `\nSlack delivery: signed view_submission → sections posted in the fake Slack, ${options.plansPerStrategy} plans per strategy one after another,` +
      ` fake Anthropic at ${rate} tokens/s per response. SLACK_POST_INTERVAL_MS=${options.postIntervalMs} (Slack's one post per second per channel:` +
      ` the parent and 7 placeholders are paced before sections replace them), PLAN_JOB_POLL_SECONDS=${options.jobPollSeconds} (the defaults).`,
  );
  const { benchSlackDelivery } = await import('./slack-delivery.bench.ts');
  const timings = await benchSlackDelivery(options);
  const s = (value: number) => (value / 1000).toFixed(2);
  console.table(
    timings.map((timing) => ({
      strategy: timing.strategy,
      'ack (ms)': timing.ackMs,
      'parent (s)': s(timing.parentMs),
      'first section (s)': s(timing.firstSectionMs),
      'last section (s)': s(timing.lastSectionMs),
      'done (s)': s(timing.doneMs),
    })),
  );
  const mean = (strategy: string, pick: (timing: PlanDeliveryTiming) => number) => {
    const mine = timings.filter((timing) => timing.strategy === strategy).map(pick);
    return mine.reduce((sum, value) => sum + value, 0) / mine.length;
  };
  for (const [label, pick] of [
    ['first section', (timing: PlanDeliveryTiming) => timing.firstSectionMs],
    ['last section', (timing: PlanDeliveryTiming) => timing.lastSectionMs],
  ] as const) {
    const single = mean('single', pick);
    const parallel = mean('parallel', pick);
    console.log(
      `${label}, mean: single ${s(single)} s, parallel ${s(parallel)} s, parallel/single ${(parallel / single).toFixed(3)}`,
    );
  }
}

if (runs('load')) {
  const { benchLoad, LOAD_DEFAULTS, reportLoad } = await import('./load.bench.ts');
  const given = values['load-process'];
  if (given !== 'child' && given !== 'in-process')
    throw new Error(`--load-process takes "child" or "in-process", not "${given}"`);
  const mode: 'child' | 'in-process' = given;
  const surfaceGiven = values['load-surface'];
  if (surfaceGiven !== 'slack' && surfaceGiven !== 'teams')
    throw new Error(`--load-surface takes "slack" or "teams", not "${surfaceGiven}"`);
  const surface: 'slack' | 'teams' = surfaceGiven;
  const options = {
    ...LOAD_DEFAULTS,
    surface,
    plans: Number(values['load-plans']),
    workerConcurrency: Number(values['load-workers']),
    workerProcesses: Number(values['load-worker-processes']),
    tokensPerSecond: rate,
    process: mode,
    nodeOptions: values['load-node-options'],
    nodeFlags: values['load-node-flags']?.split(' ').filter((flag) => flag !== ''),
  };
  console.log(
    `\nLoad: ${options.plans} plans submitted at once through the ${surface === 'slack' ? 'Slack endpoint (view submissions)' : 'Teams endpoint (Action.Execute invokes, 1:1 chats)'} of one ${mode === 'child' ? "service process (npm start's command)" : 'in-process service'},` +
      ` PLAN_WORKER_CONCURRENCY=${options.workerConcurrency}, fake model at ${rate} tokens/s, Slack pacing ${options.postIntervalMs} ms,` +
      ` ${options.commandsPerSecond} slash commands/s timed meanwhile`,
  );
  failed ||= !reportLoad(await benchLoad(options));
}

if (runs('spec')) {
  const rounds = Number(values.rounds);
  console.log(
    `\nSpec facts: Stripe's OpenAPI spec from bytes to rendered facts (read, rank, facts, render), ${rounds} rounds in a child process;` +
      " extra peak RSS = the child's maxRSS minus its RSS before the first round",
  );
  const { benchSpecFacts } = await import('./spec-facts.bench.ts');
  const runsWith = [
    ['service flags (--optimize-for-size)', ['--optimize-for-size']],
    ["V8's defaults", []],
  ] as const;
  const figures = [];
  for (const [flags, nodeFlags] of runsWith) figures.push({ flags, ...(await benchSpecFacts(rounds, nodeFlags)) });
  console.table(
    figures.map((figure) => ({
      'node flags': figure.flags,
      'spec (MB)': (figure.specBytes / 1e6).toFixed(1),
      operations: figure.operations,
      'facts (chars)': figure.factsChars,
      'first (ms)': figure.firstMs.toFixed(0),
      'p50 (ms)': figure.p50Ms.toFixed(0),
      'p95 (ms)': figure.p95Ms.toFixed(0),
      'extra peak RSS (MB)': figure.extraPeakRssMb.toFixed(0),
    })),
  );
  const service = figures[0];
  if (service) {
    const checks = [
      [`spec facts p95: ${service.p95Ms.toFixed(0)} ms (target ≤ 1000 ms)`, service.p95Ms <= 1000],
      [
        `spec facts extra peak RSS: ${service.extraPeakRssMb.toFixed(0)} MB (target ≤ 100 MB)`,
        service.extraPeakRssMb <= 100,
      ],
    ] as const;
    for (const [line, ok] of checks) {
      failed ||= !ok;
      console.log(`${line} ${ok ? 'OK' : 'MISSED'}`);
    }
  }
}

if (runs('question')) {
  const count = Number(values.questions);
  console.log(
    `\nQuestions in a plan thread: ${count} app_mention events through the signed Slack endpoint, fake Anthropic model at ${rate} tokens/s, first token after 300 ms`,
  );
  const { benchQuestions } = await import('./question-answer.bench.ts');
  const shapeGiven = values['question-shape'];
  if (shapeGiven !== 'one-process' && shapeGiven !== 'split')
    throw new Error(`--question-shape takes "one-process" or "split", not "${shapeGiven}"`);
  const shape = shapeGiven === 'split' ? 'split' : 'one process';
  console.log(
    `service: ${shape === 'split' ? "npm start's web and worker processes on Postgres" : 'one process on PGlite'}`,
  );
  const figures = await benchQuestions(rate, 300, count, shape);
  console.table([
    {
      questions: figures.questions,
      'first text p50 (ms)': figures.firstTextP50Ms.toFixed(0),
      'first text p95 (ms)': figures.firstTextP95Ms.toFixed(0),
      'first text max (ms)': figures.firstTextMaxMs.toFixed(0),
      'finished p50 (ms)': figures.doneP50Ms.toFixed(0),
      'ack errors': figures.errors,
    },
  ]);
  const ok = figures.firstTextP95Ms <= 1500 && figures.errors === 0;
  failed ||= !ok;
  console.log(
    `question → first answer text p95: ${figures.firstTextP95Ms.toFixed(0)} ms (target ≤ 1500 ms) ${ok ? 'OK' : 'MISSED'}`,
  );
}

if (runs('progress')) {
  const count = Number(values['progress-plans']);
  // The model's speed does not bear on the first progress (shown before the model's first token);
  // it only decides how long the bench waits for each plan before submitting the next.
  const progressRate = 600;
  console.log(
    `\nPlan progress: ${count} plans submitted one after another (each once the one before is done) through the signed Slack endpoint, each in its own channel, Slack pacing 1000 ms, fake Anthropic model at ${progressRate} tokens/s after 300 ms`,
  );
  const { benchPlanProgress } = await import('./plan-progress.bench.ts');
  const figures = await benchPlanProgress(progressRate, count);
  console.table([
    {
      plans: figures.plans,
      'plan display (of plans)': figures.displays,
      'first progress p50 (ms)': figures.firstProgressP50Ms.toFixed(0),
      'first progress p95 (ms)': figures.firstProgressP95Ms.toFixed(0),
      'first progress max (ms)': figures.firstProgressMaxMs.toFixed(0),
    },
  ]);
  const ok = figures.firstProgressP95Ms <= 1000;
  failed ||= !ok;
  console.log(
    `submit → first visible progress p95: ${figures.firstProgressP95Ms.toFixed(0)} ms (target ≤ 1000 ms) ${ok ? 'OK' : 'MISSED'}`,
  );
}

process.exitCode = failed ? 1 : 0;
