/**
 * Loopback web servers that serve (or refuse, stall, redirect) a spec, for the spec download's
 * tests. Each records what reached it: connections, requests with their headers, and whether
 * the last connection was closed, so a test can show what the client did on the wire.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface SpecHostRequest {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingMessage['headers'];
}

export interface SpecHost {
  readonly port: number;
  /** `http(s)://<host>:<port><path>`, with the name the client should use (default: the IP). */
  url(pathname: string, host?: string): string;
  readonly requests: SpecHostRequest[];
  /** TCP connections accepted so far. */
  connections(): number;
  /** Resolves once every connection accepted so far has closed. */
  allClosed(): Promise<void>;
  close(): Promise<void>;
}

export interface SpecHostOptions {
  readonly address?: string;
  readonly port?: number;
  /** Serve https with this key and certificate. */
  readonly tls?: { readonly key: string; readonly cert: string };
}

/** A server on a loopback address (127.0.0.1 unless told), on a free port unless told. */
export async function startSpecHost(handler: RequestListener, options: SpecHostOptions = {}): Promise<SpecHost> {
  const requests: SpecHostRequest[] = [];
  const sockets: Socket[] = [];
  const closes: Promise<void>[] = [];
  const listener: RequestListener = (request, response) => {
    requests.push({ method: request.method, url: request.url, headers: request.headers });
    handler(request, response);
  };
  const server = options.tls === undefined ? createHttpServer(listener) : createHttpsServer(options.tls, listener);
  server.on('connection', (socket: Socket) => {
    sockets.push(socket);
    closes.push(new Promise((resolve) => socket.once('close', () => resolve())));
  });
  const address = options.address ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, address, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const scheme = options.tls === undefined ? 'http' : 'https';
  return {
    port,
    url: (pathname, host = address) => `${scheme}://${host}:${port}${pathname}`,
    requests,
    connections: () => sockets.length,
    allClosed: async () => {
      await Promise.all(closes);
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A self-signed certificate for `name`, made by the openssl CLI at test time (no key material
 * in the repository). The test passes it to the client as its only trusted CA.
 */
export function selfSignedCertificate(name: string): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'spec-tls-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        `/CN=${name}`,
        '-addext',
        `subjectAltName=DNS:${name}`,
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      { stdio: 'pipe' },
    );
    return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
