import { Counter, type Registry } from 'prom-client';

/** HTTP requests we answer and the calls we make to Slack and Teams. */
export interface HttpMetrics {
  readonly httpRequests: Counter<'route' | 'method' | 'status'>;
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
