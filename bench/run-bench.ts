import { parseArgs } from 'node:util';
import pg from 'pg';
import { benchPlanStrategies } from './plan-strategies.bench.ts';

/**
 * `npm run bench [-- --rate 60] [-- --only plan|store] [-- --plans 100000]`: prints each
 * scenario's figures and checks its target.
 */
const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '60' },
    only: { type: 'string' },
    plans: { type: 'string', default: '100000' },
  },
});
if (values.only !== undefined && values.only !== 'plan' && values.only !== 'store') {
  throw new Error(`--only takes "plan" or "store", not "${values.only}"`);
}
const rate = Number(values.rate);
let failed = false;

if (values.only !== 'store') {
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

if (values.only !== 'plan') {
  // Before the import: test/helpers reads TEST_DATABASE_URL once, when it loads.
  process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
  const url = process.env.TEST_DATABASE_URL;
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
process.exitCode = failed ? 1 : 0;
