import { createServer, type RequestListener, type Server } from 'node:http';
import type { Logger } from '../logger.ts';
import { createReplayGuard } from './replay-guard.ts';

export interface HttpRoutes {
  /** Bolt's HTTP receiver, for POST /slack/events. */
  readonly slack?: RequestListener | undefined;
  /** botbuilder's CloudAdapter behind a node:http listener, for POST /api/messages. */
  readonly teams?: RequestListener | undefined;
}

const json = (res: Parameters<RequestListener>[1], status: number, body: object) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

/** The one HTTP server of a process: health, and each platform's endpoint. */
export function createHttpServer(routes: HttpRoutes, logger: Logger): Server {
  const replay = createReplayGuard();
  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && path === '/healthz') return json(res, 200, { status: 'ok' });
    if (path === '/slack/events' && routes.slack !== undefined) {
      if (req.method !== 'POST') return json(res, 405, { error: 'method not allowed' });
      const signature = req.headers['x-slack-signature'];
      if (!replay.admit(Array.isArray(signature) ? signature[0] : signature)) {
        logger.warn({ path }, 'replayed Slack request refused');
        return json(res, 401, { error: 'replayed request' });
      }
      return routes.slack(req, res);
    }
    if (path === '/api/messages' && routes.teams !== undefined) {
      if (req.method !== 'POST') return json(res, 405, { error: 'method not allowed' });
      return routes.teams(req, res);
    }
    return json(res, 404, { error: 'not found' });
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
