import { performance } from 'node:perf_hooks';
import type { Database } from '../src/store/database.ts';
import { createPlanStore } from '../src/store/plan-store.ts';
import { openTestDatabase, type Backend } from '../test/helpers/test-database.ts';

export interface StoreBenchOptions {
  readonly plans: number;
  readonly workspaces: number;
  readonly samples: number;
}

export interface StoreBenchFigures {
  readonly backend: Backend;
  readonly plans: number;
  readonly listP50Ms: number;
  readonly listP95Ms: number;
  readonly searchP50Ms: number;
  readonly searchP95Ms: number;
  readonly seedMs: number;
  /** The search term with the slowest median and its EXPLAIN ANALYZE, for when search misses its target. */
  readonly slowestSearch: { readonly term: string; readonly p50Ms: number; readonly plan: string };
}

// Drawn from what people actually integrate, so trigram statistics and match rates look real:
// some terms hit a third of a workspace's plans, some a few, some none.
const SYSTEMS = [
  'SAP ECC 6.0 on Oracle 19c',
  'SAP S/4HANA Cloud',
  'Legacy SOAP order service (Java 8, JBoss)',
  'Magento 2 shop on AWS',
  'Shopware 6 (PHP 8.3), MySQL 8',
  'Microsoft Dynamics NAV 2018',
  'In-house Rails monolith with PostgreSQL',
  'Oracle E-Business Suite 12.2',
  'Mainframe COBOL batch (IBM z/OS)',
  'Node.js microservices on Kubernetes',
  'Salesforce Sales Cloud',
  'Odoo 16 ERP',
];
const DETAILS = [
  'Nightly CSV exports over SFTP',
  'Events on Kafka, 3 brokers',
  'IDoc interfaces via PI/PO',
  'RabbitMQ work queues',
  'REST endpoints behind an API gateway',
  'Cron jobs and a shared database',
  'Webhooks into an AWS Lambda',
];
const APIS = [
  'Stripe Payments API',
  'Salesforce REST API',
  'Shopify Admin GraphQL API',
  'HubSpot CRM API',
  'NetSuite SuiteTalk REST',
  'Adyen Checkout API',
  'DHL Parcel DE Shipping API',
  'Zendesk Support API',
  'Microsoft Graph API',
  'DATEV Accounting API',
  'Twilio Messaging API',
  'PayPal Orders v2 API',
  'SAP Business Accelerator Hub (OData)',
  'Google Sheets API',
];
/** What users type into "plans search": full names, fragments, odd case, and a miss. */
const SEARCH_TERMS = [
  'stripe',
  'Salesforce',
  'shop',
  'SAP',
  'soap',
  'kafka',
  'graphql',
  'dhl',
  'odata',
  'cobol',
  'datev',
  'sftp',
  'zuora',
];

const sqlArray = (values: readonly string[]) =>
  `ARRAY[${values.map((value) => `'${value.replaceAll("'", "''")}'`).join(', ')}]`;

/**
 * Plans with one revision each, straight into the tables in one statement: generate_series
 * makes the rows, modular arithmetic with co-prime steps varies the text without a random source.
 */
async function seed(db: Database, options: StoreBenchOptions): Promise<void> {
  const { plans, workspaces } = options;
  await db.query(
    `WITH source AS (
       SELECT g, 'bench-' || w AS workspace_id, k + 1 AS number,
         (${sqlArray(SYSTEMS)})[1 + (k * 7 + w) % ${SYSTEMS.length}] AS first_line,
         (${sqlArray(DETAILS)})[1 + (k * 5 + w * 3) % ${DETAILS.length}] || ', ' || (g % 40 + 1) || ' interfaces' AS detail,
         (${sqlArray(APIS)})[1 + (k * 11 + k / 13 + w) % ${APIS.length}] AS api
       -- w: the workspace, k: the plan's place in it. Indexing the lists by k (not g) gives every
       -- workspace every system and API, whatever the list lengths have in common with $2.
       FROM generate_series(0, $1 - 1) AS g, LATERAL (SELECT g % $2 AS w, g / $2 AS k) AS split
     ), made AS (
       INSERT INTO plans (workspace_id, number, platform, origin, title, search_text, created_by, created_at, latest_revision)
       SELECT workspace_id, number, (ARRAY['slack', 'teams', 'cli'])[1 + g % 3],
         -- A Slack plan's origin (listing reads it); Teams' and the CLI's are left out of the bench.
         CASE WHEN g % 3 = 0 THEN jsonb_build_object('platform', 'slack', 'v', 1, 'channel', 'C' || (g % 97)) END,
         first_line || ' → ' || api,
         lower(first_line || E'\\n' || detail || E'\\n' || api), 'U' || (g % 500),
         now() - make_interval(secs => ($1 - g) * 30), 1
       FROM source
       RETURNING id, workspace_id, number, created_at
     )
     INSERT INTO plan_revisions (plan_id, workspace_id, number, inputs, variation, language, strategy, prompt_id,
       prompt_version, prompt_hash, provider, model, status, cost_usd, input_tokens, output_tokens, requested_by,
       idempotency_key, created_at, finished_at)
     SELECT made.id, made.workspace_id, 1,
       jsonb_build_object('existingSystem', first_line || E'\\n' || detail, 'targetApi', api,
         'useCase', 'Sync orders and customers', 'callsPerSecond', 1 + g % 500, 'dataVolume', (g % 90 + 1) || ' GB/day',
         'budget', '3 months', 'variation', 'general', 'language', 'en'),
       'general', 'en', (ARRAY['single', 'parallel'])[1 + g % 2], 'integration-plan', '3', 'bench', 'anthropic', 'claude-bench',
       (ARRAY['done', 'done', 'done', 'done', 'done', 'done', 'failed', 'running'])[1 + g % 8], (g % 300) / 100.0,
       20000 + g % 5000, 8000 + g % 3000, 'U' || (g % 500), 'bench:' || g, made.created_at, made.created_at
     FROM made JOIN source USING (workspace_id, number)`,
    [plans, workspaces],
  );
  await db.query(
    `INSERT INTO workspace_counters (workspace_id, last_plan_number)
     SELECT workspace_id, max(number) FROM plans GROUP BY workspace_id`,
  );
  await db.query('ANALYZE');
}

/** Small, seeded PRNG (mulberry32): the same workspaces and terms every run. */
function random(seedValue: number): () => number {
  let state = seedValue;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

const sortedTimes = (times: readonly number[]) => [...times].sort((x, y) => x - y);

/** Times `samples` calls; `call(i)` returns a label (e.g. the search term) to group times by. */
async function timeCalls(
  samples: number,
  call: (index: number) => Promise<string>,
): Promise<{ p50: number; p95: number; byLabel: Map<string, number[]> }> {
  // Warm-up: first calls plan the statement and fault pages in; users' later calls don't pay that.
  for (let i = 0; i < Math.min(20, samples); i++) await call(-1 - i);
  const times: number[] = [];
  const byLabel = new Map<string, number[]>();
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    const label = await call(i);
    const elapsed = performance.now() - start;
    times.push(elapsed);
    byLabel.set(label, [...(byLabel.get(label) ?? []), elapsed]);
  }
  const sorted = sortedTimes(times);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), byLabel };
}

/** Seeds `plans` plans over `workspaces` workspaces, then times listPlans and its search. */
export async function benchPlanStore(backend: Backend, options: StoreBenchOptions): Promise<StoreBenchFigures> {
  const test = await openTestDatabase(backend);
  try {
    const seedStart = performance.now();
    await seed(test.db, options);
    const seedMs = performance.now() - seedStart;
    const store = createPlanStore(test.db);
    const next = random(42);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
    const workspaceIds = Array.from({ length: options.workspaces }, (_, index) => `bench-${index}`);
    const list = await timeCalls(options.samples, async () => {
      await store.listPlans(pick(workspaceIds), { limit: 20 });
      return 'list';
    });
    const search = await timeCalls(options.samples, async () => {
      const term = pick(SEARCH_TERMS);
      await store.listPlans(pick(workspaceIds), { search: term, limit: 20 });
      return term;
    });
    const [term, times] = [...search.byLabel].reduce((slowest, entry) =>
      percentile(sortedTimes(entry[1]), 0.5) > percentile(sortedTimes(slowest[1]), 0.5) ? entry : slowest,
    );
    return {
      backend,
      plans: options.plans,
      listP50Ms: list.p50,
      listP95Ms: list.p95,
      searchP50Ms: search.p50,
      searchP95Ms: search.p95,
      seedMs,
      slowestSearch: {
        term,
        p50Ms: percentile(sortedTimes(times), 0.5),
        plan: await explainSearch(test.db, pick(workspaceIds), term),
      },
    };
  } finally {
    await test.drop();
  }
}

/** The query listPlans runs for a search (kept in step with plan-store.ts), under EXPLAIN ANALYZE. */
async function explainSearch(db: Database, workspaceId: string, term: string): Promise<string> {
  const rows = await db.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS) SELECT p.*, r.status AS latest_status, r.cost_usd AS latest_cost_usd
     FROM plans p JOIN plan_revisions r ON r.plan_id = p.id AND r.number = p.latest_revision
     WHERE p.workspace_id = $1 AND p.search_text LIKE $3
     ORDER BY p.created_at DESC, p.number DESC LIMIT $2`,
    [workspaceId, 20, `%${term.toLowerCase()}%`],
  );
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}
