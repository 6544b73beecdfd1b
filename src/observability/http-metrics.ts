import { Counter, Histogram, type Registry } from 'prom-client';

/** HTTP requests we answer and the calls we make to Slack and Teams. */
export interface HttpMetrics {
  readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  /** From a request's arrival to its answer's last byte, as the server sees it (acks to Slack and Teams). */
  readonly httpDuration: Histogram<'route'>;
  readonly platformCalls: Counter<'platform' | 'method' | 'outcome'>;
  readonly platformRateLimited: Counter<'platform' | 'method'>;
  /** Requests refused as client faults (forged token, bad signature, malformed body …). */
  readonly ingressRefused: Counter<'surface' | 'reason'>;
}

/** Registers the HTTP and platform API metrics in `registers`. */
export function createHttpMetrics(registers: Registry[]): HttpMetrics {
  return {
    httpRequests: new Counter({
      name: 'planner_http_requests_total',
      help: 'HTTP requests by route, method and status',
      labelNames: ['route', 'method', 'status'] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: 'planner_http_request_duration_seconds',
      help: "Time from a request's arrival to the end of its answer, by route: Slack's and Teams' acks as this server sees them",
      labelNames: ['route'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    platformCalls: new Counter({
      name: 'planner_platform_api_calls_total',
      help: 'Calls to Slack / Teams APIs by method and outcome (ok, error, rate_limited)',
      labelNames: ['platform', 'method', 'outcome'] as const,
      registers,
    }),
    ingressRefused: new Counter({
      name: 'planner_ingress_refused_total',
      help: 'Requests to the Slack and Teams endpoints refused as client faults, by reason',
      labelNames: ['surface', 'reason'] as const,
      registers,
    }),
    platformRateLimited: new Counter({
      name: 'planner_platform_rate_limited_total',
      help: 'HTTP 429 answers from Slack / Teams APIs, by method',
      labelNames: ['platform', 'method'] as const,
      registers,
    }),
  };
}
