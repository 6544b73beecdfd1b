import type { ServerResponse } from 'node:http';

/** Answers with `body` as JSON. */
export function sendJson(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
