import { Gauge, type Registry } from 'prom-client';

/** One plan queue's depth, as read at scrape time. */
export interface QueueSample {
  readonly queue: string;
  readonly queued: number;
  readonly active: number;
  /** Age of the oldest job still waiting, 0 when none waits. */
  readonly oldestQueuedSeconds: number;
}

/** Sources read at scrape time (queue depth, breaker state), set once the parts exist. */
export interface ScrapeGauges {
  observeQueue(read: () => Promise<readonly QueueSample[]>): void;
  observeBreaker(provider: string, read: () => 'closed' | 'open' | 'half-open'): void;
}

const BREAKER_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

/** Registers the queue and circuit breaker gauges in `registers`; they read their sources per scrape. */
export function createScrapeGauges(registers: Registry[]): ScrapeGauges {
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

  return {
    observeQueue(read) {
      readQueue = read;
    },
    observeBreaker(provider, read) {
      breakers.set(provider, read);
    },
  };
}
