import { getHeapStatistics } from 'node:v8';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Everything the service reports on /metrics, in one registry per service (tests run several
 * services in one process; the global registry would mix them).
 */
export interface Metrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  readonly planDuration: Histogram<'platform' | 'strategy' | 'status'>;
  readonly firstSection: Histogram<'platform' | 'strategy'>;
  readonly modelTokens: Counter<'provider' | 'model' | 'kind'>;
  readonly modelCost: Counter<'provider' | 'model'>;
  readonly modelErrors: Counter<'provider' | 'code'>;
  readonly platformCalls: Counter<'platform' | 'method' | 'outcome'>;
  readonly platformRateLimited: Counter<'platform' | 'method'>;
  readonly limitRefusals: Counter<'scope'>;
  /** Sources read at scrape time (queue depth, breaker state), set once the parts exist. */
  observeQueue(read: () => Promise<readonly QueueSample[]>): void;
  observeBreaker(provider: string, read: () => 'closed' | 'open' | 'half-open'): void;
}

export interface QueueSample {
  readonly queue: string;
  readonly queued: number;
  readonly active: number;
  /** Age of the oldest job still waiting, 0 when none waits. */
  readonly oldestQueuedSeconds: number;
}

const BREAKER_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  let readQueue: (() => Promise<readonly QueueSample[]>) | undefined;
  const breakers = new Map<string, () => 'closed' | 'open' | 'half-open'>();

  // Both queue gauges read one query per scrape (prom-client collects metrics concurrently).
  let scrape: { at: number; samples: Promise<readonly QueueSample[]> } | undefined;
  const queueSamples = (): Promise<readonly QueueSample[]> => {
    if (readQueue === undefined) return Promise.resolve([]);
    if (scrape === undefined || Date.now() - scrape.at > 1000) scrape = { at: Date.now(), samples: readQueue() };
    return scrape.samples;
  };
  new Gauge({
    name: 'planner_queue_jobs',
    help: 'Plan jobs by queue and state (queued: waiting, active: being written)',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      this.reset();
      for (const sample of await queueSamples()) {
        this.set({ queue: sample.queue, state: 'queued' }, sample.queued);
        this.set({ queue: sample.queue, state: 'active' }, sample.active);
      }
    },
  });
  new Gauge({
    name: 'planner_queue_oldest_job_age_seconds',
    help: 'Age of the oldest plan job still waiting, by queue',
    labelNames: ['queue'] as const,
    registers,
    async collect() {
      this.reset();
      for (const sample of await queueSamples()) this.set({ queue: sample.queue }, sample.oldestQueuedSeconds);
    },
  });
  new Gauge({
    name: 'planner_model_circuit_state',
    help: 'Model circuit breaker per provider: 0 closed, 1 half-open, 2 open',
    labelNames: ['provider'] as const,
    registers,
    collect() {
      for (const [provider, read] of breakers) this.set({ provider }, BREAKER_VALUE[read()]);
    },
  });
  new Gauge({
    name: 'planner_heap_limit_bytes',
    help: "V8's heap size limit (--max-old-space-size plus the young generation): alert when nodejs_heap_size_used_bytes nears it",
    registers,
    collect() {
      this.set(getHeapStatistics().heap_size_limit);
    },
  });

  return {
    registry,
    httpRequests: new Counter({
      name: 'planner_http_requests_total',
      help: 'HTTP requests by route, method and status',
      labelNames: ['route', 'method', 'status'] as const,
      registers,
    }),
    planDuration: new Histogram({
      name: 'planner_plan_duration_seconds',
      help: 'Time from a revision starting to its end, by platform, strategy and outcome',
      labelNames: ['platform', 'strategy', 'status'] as const,
      buckets: [5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600],
      registers,
    }),
    firstSection: new Histogram({
      name: 'planner_plan_first_section_seconds',
      help: 'Time from a revision starting to its first finished section',
      labelNames: ['platform', 'strategy'] as const,
      buckets: [1, 2, 5, 10, 15, 20, 30, 45, 60, 120],
      registers,
    }),
    modelTokens: new Counter({
      name: 'planner_model_tokens_total',
      help: 'Model tokens of completed model calls (every attempt, failed plans included) by provider, model and kind (input, output, cache_read, cache_write)',
      labelNames: ['provider', 'model', 'kind'] as const,
      registers,
    }),
    modelCost: new Counter({
      name: 'planner_model_cost_usd_total',
      help: 'Model cost of completed model calls (every attempt, failed plans included) in US dollars, by provider and model',
      labelNames: ['provider', 'model'] as const,
      registers,
    }),
    modelErrors: new Counter({
      name: 'planner_model_errors_total',
      help: 'Failed model calls (each attempt) by provider and error code',
      labelNames: ['provider', 'code'] as const,
      registers,
    }),
    platformCalls: new Counter({
      name: 'planner_platform_api_calls_total',
      help: 'Calls to Slack / Teams APIs by method and outcome (ok, error, rate_limited)',
      labelNames: ['platform', 'method', 'outcome'] as const,
      registers,
    }),
    platformRateLimited: new Counter({
      name: 'planner_platform_rate_limited_total',
      help: 'HTTP 429 answers from Slack / Teams APIs, by method',
      labelNames: ['platform', 'method'] as const,
      registers,
    }),
    limitRefusals: new Counter({
      name: 'planner_plan_limit_refusals_total',
      help: 'Plans refused by a plan or cost limit, by scope',
      labelNames: ['scope'] as const,
      registers,
    }),
    observeQueue(read) {
      readQueue = read;
    },
    observeBreaker(provider, read) {
      breakers.set(provider, read);
    },
  };
}
