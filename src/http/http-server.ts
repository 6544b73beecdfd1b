import { createServer, type RequestListener, type Server } from 'node:http';
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { ReadinessReport } from '../observability/readiness.ts';
import { sendJson } from './json-response.ts';

export interface HttpRoutes {
  /** Bolt's HTTP receiver, for POST /slack/events. */
  readonly slack?: RequestListener | undefined;
  /** botbuilder's CloudAdapter behind a node:http listener, for POST /api/messages. */
  readonly teams?: RequestListener | undefined;
  /** GET /readyz. */
  readonly readiness?: (() => Promise<ReadinessReport>) | undefined;
  /** GET /metrics, and the request counter. */
  readonly metrics?: Metrics | undefined;
  /** A web process's workers' metrics (prom-client JSON), shown on its /metrics beside its own. */
  readonly workerMetrics?: (() => Promise<MetricObjectWithValues<MetricValue<string>>[][]>) | undefined;
}

/** This process's metrics, and its workers' (each series labelled with its part and pid). */
async function metricsText(routes: HttpRoutes & { metrics: Metrics }): Promise<string> {
  const { registry } = routes.metrics;
  if (routes.workerMetrics === undefined) return registry.metrics();
  const all = [await registry.getMetricsAsJSON(), ...(await routes.workerMetrics())];
  return AggregatorRegistry.aggregate(all).metrics();
}

/** Known paths keep their name as a metrics label; anything else is "other" (no label explosion). */
const ROUTES = new Set(['/healthz', '/readyz', '/metrics', '/slack/events', '/api/messages']);

/** Paths that answer GET only: another method is 405, not 404. */
const GET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/** The one HTTP server of a process: health, readiness, metrics, and each platform's endpoint. */
export function createHttpServer(routes: HttpRoutes, logger: Logger): Server {
  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (routes.metrics !== undefined) {
      const { httpRequests, httpDuration } = routes.metrics;
      const route = ROUTES.has(path) ? path : 'other';
      const timer = httpDuration.startTimer({ route });
      res.once('finish', () => {
        timer();
        httpRequests.inc({ route, method: req.method ?? 'GET', status: String(res.statusCode) });
      });
    }
    if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/readyz') {
      const check = routes.readiness ?? (() => Promise.resolve({ ready: true, checks: {} }));
      void check().then(
        (report) =>
          sendJson(res, report.ready ? 200 : 503, {
            status: report.ready ? 'ready' : 'not ready',
            checks: report.checks,
          }),
        (error: unknown) => sendJson(res, 503, { status: 'not ready', checks: { readiness: String(error) } }),
      );
      return;
    }
    if (req.method === 'GET' && path === '/metrics' && routes.metrics !== undefined) {
      const { registry } = routes.metrics;
      void metricsText({ ...routes, metrics: routes.metrics }).then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (error: unknown) => {
          logger.error({ err: error }, 'metrics collection failed');
          sendJson(res, 500, { error: 'metrics collection failed' });
        },
      );
      return;
    }
    if (path === '/slack/events' && routes.slack !== undefined) {
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        return sendJson(res, 405, { error: 'method not allowed' });
      }
      return routes.slack(req, res);
    }
    if (path === '/api/messages' && routes.teams !== undefined) {
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        return sendJson(res, 405, { error: 'method not allowed' });
      }
      return routes.teams(req, res);
    }
    if (GET_ROUTES.has(path)) {
      res.setHeader('allow', 'GET');
      return sendJson(res, 405, { error: 'method not allowed' });
    }
    return sendJson(res, 404, { error: 'not found' });
  });
}

export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}
