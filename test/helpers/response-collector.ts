import { createServer } from 'node:http';

export interface ResponseCollector {
  /** Give this as the request's response_url. */
  readonly url: string;
  /** What Bolt's respond() posted, in order. */
  readonly responses: unknown[];
  close(): Promise<void>;
}

/** A loopback stand-in for Slack's response_url: Bolt's respond() posts JSON there. */
export async function startResponseCollector(): Promise<ResponseCollector> {
  const responses: unknown[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      responses.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/commands/1`,
    responses,
    close: () => {
      // Keep-alive sockets would hold the server (and a test's resource check) open.
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
