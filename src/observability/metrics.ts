import { getHeapStatistics } from 'node:v8';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { createHttpMetrics, type HttpMetrics } from './http-metrics.ts';
import { createPlanMetrics, type PlanMetrics } from './plan-metrics.ts';
import { createScrapeGauges, type ScrapeGauges } from './scrape-gauges.ts';

/**
 * Everything the service reports on /metrics, in one registry per service (tests run several
 * services in one process; the global registry would mix them).
 */
export interface Metrics extends HttpMetrics, PlanMetrics, ScrapeGauges {
  readonly registry: Registry;
}

/**
 * A fresh registry with every metric the service reports. `part`: the process's role where the
 * service runs as several processes (web, worker), a label on every series so each part shows.
 */
export function createMetrics(part?: string): Metrics {
  const registry = new Registry();
  if (part !== undefined) registry.setDefaultLabels({ part, pid: String(process.pid) });
  const registers = [registry];
  // Node's default process metrics, and the heap limit to compare them with.
  collectDefaultMetrics({ register: registry });
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
    ...createHttpMetrics(registers),
    ...createPlanMetrics(registers),
    ...createScrapeGauges(registers),
  };
}
