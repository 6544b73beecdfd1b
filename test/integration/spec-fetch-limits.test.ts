import type { RequestListener } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchSpec } from '../../src/grounding/fetch-spec.ts';
import { MAX_SPEC_BYTES } from '../../src/grounding/spec-syntax.ts';
import { startSpecHost, type SpecHost } from '../fakes/spec-host.ts';
import { fakeDns, fetchSettings, PETSTORE, problemOf } from '../helpers/spec-fetch-fixtures.ts';

const hosts: SpecHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
});

async function host(handler: RequestListener): Promise<SpecHost> {
  const started = await startSpecHost(handler);
  hosts.push(started);
  return started;
}

/** Fails when `promise` takes longer than `ms`: a connection the client should have closed. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms)),
  ]);
}

const allowLoopback = (timeoutMs?: number) => fetchSettings('127.0.0.1', timeoutMs);

describe('fetchSpec size cap', () => {
  it('refuses a Content-Length over the cap at once and closes the connection', async () => {
    const server = await host((_request, response) => {
      response.writeHead(200, { 'content-length': String(2 * MAX_SPEC_BYTES) });
      response.write('{"openapi":'); // and then nothing: only the client can end this
    });
    const problem = await problemOf(fetchSpec(server.url('/big.json'), { settings: allowLoopback() }));
    expect(problem).toEqual({ kind: 'too-large', sizeBytes: 2 * MAX_SPEC_BYTES, limitBytes: MAX_SPEC_BYTES });
    await within(server.allClosed(), 2_000);
  });

  it('cuts off a chunked body at the cap and closes the connection', async () => {
    let sent = 0;
    const server = await host((_request, response) => {
      const chunk = Buffer.alloc(64 * 1024, 'x');
      // Endless, respecting back-pressure, until the client goes away.
      const pump = () => {
        while (!response.destroyed && sent < 10 * MAX_SPEC_BYTES) {
          sent += chunk.byteLength;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
      };
      response.writeHead(200, { 'content-type': 'application/json' });
      pump();
    });
    const problem = await problemOf(fetchSpec(server.url('/endless.json'), { settings: allowLoopback() }));
    expect(problem).toMatchObject({ kind: 'too-large', limitBytes: MAX_SPEC_BYTES, atLeast: true });
    await within(server.allClosed(), 2_000);
    expect(sent).toBeLessThan(10 * MAX_SPEC_BYTES);
  });
});

describe('fetchSpec time cap', () => {
  it('gives up on a server that sends headers and then stalls', async () => {
    const server = await host((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"openapi": "3.0.0",');
    });
    const problem = await problemOf(fetchSpec(server.url('/stall.json'), { settings: allowLoopback(300) }));
    expect(problem).toEqual({ kind: 'download-timeout', limitMs: 300 });
    await within(server.allClosed(), 2_000);
  });

  it('gives up on a server that never answers', async () => {
    const server = await host(() => undefined);
    const problem = await problemOf(fetchSpec(server.url('/silent.json'), { settings: allowLoopback(300) }));
    expect(problem).toEqual({ kind: 'download-timeout', limitMs: 300 });
    await within(server.allClosed(), 2_000);
  });

  it('gives up on a name lookup that never answers', async () => {
    const lookup = () => new Promise<never>(() => undefined);
    const problem = await problemOf(
      fetchSpec('https://slow-dns.example/', { settings: fetchSettings('', 200), lookup }),
    );
    expect(problem).toEqual({ kind: 'download-timeout', limitMs: 200 });
  });

  it("ends at the caller's cancel with the caller's reason", async () => {
    const server = await host(() => undefined);
    const controller = new AbortController();
    const download = fetchSpec(server.url('/silent.json'), { settings: allowLoopback(), signal: controller.signal });
    setTimeout(() => controller.abort(new Error('job stopping')), 50);
    await expect(download).rejects.toThrow('job stopping');
  });
});

describe('fetchSpec redirects and requests', () => {
  it('follows five redirects, each a plain GET without the cookies the server set', async () => {
    const server = await host((request, response) => {
      const left = Number(/^\/hop\/(\d+)$/u.exec(request.url ?? '')?.[1] ?? -1);
      if (left > 0) {
        const status = [301, 302, 303, 307, 308][left - 1] ?? 302;
        return void response.writeHead(status, { location: `/hop/${left - 1}`, 'set-cookie': 'session=s3cret' }).end();
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(PETSTORE);
    });
    const fetched = await fetchSpec(server.url('/hop/5'), { settings: allowLoopback() });
    expect(fetched.finalUrl).toBe(server.url('/hop/0'));
    expect(server.requests.map((request) => request.url)).toEqual([
      '/hop/5',
      '/hop/4',
      '/hop/3',
      '/hop/2',
      '/hop/1',
      '/hop/0',
    ]);
    expect(server.requests.every((request) => request.method === 'GET')).toBe(true);
    expect(server.requests.some((request) => 'cookie' in request.headers || 'authorization' in request.headers)).toBe(
      false,
    );
  });

  it('stops a redirect loop after five redirects', async () => {
    const server = await host((_request, response) => void response.writeHead(302, { location: '/loop' }).end());
    const problem = await problemOf(fetchSpec(server.url('/loop'), { settings: allowLoopback() }));
    expect(problem).toEqual({ kind: 'too-many-redirects', limit: 5 });
    expect(server.requests).toHaveLength(6);
  });

  it('names a body that breaks off, and one compressed although identity was asked for', async () => {
    const server = await host((request, response) => {
      if (request.url === '/gzip.json') return void response.writeHead(200, { 'content-encoding': 'gzip' }).end('x');
      response.writeHead(200, { 'content-length': '1000' });
      response.write('{"openapi":');
      setTimeout(() => response.destroy(), 20);
    });
    const options = { settings: allowLoopback() };
    expect(await problemOf(fetchSpec(server.url('/cut.json'), options))).toEqual({
      kind: 'download-failed',
      host: '127.0.0.1',
      reason: 'truncated',
    });
    expect(await problemOf(fetchSpec(server.url('/gzip.json'), options))).toEqual({
      kind: 'download-failed',
      host: '127.0.0.1',
      reason: 'encoding',
    });
  });

  it('names a refused connection', async () => {
    const server = await host(() => undefined);
    const url = server.url('/spec.json', 'gone.test');
    await server.close();
    const dns = fakeDns({ 'gone.test': [['127.0.0.1']] });
    const settings = fetchSettings(`gone.test:${server.port}`);
    expect(await problemOf(fetchSpec(url, { settings, lookup: dns.lookup }))).toEqual({
      kind: 'download-failed',
      host: 'gone.test',
      reason: 'connection',
    });
  });
});
