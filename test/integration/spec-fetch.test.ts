import { afterEach, describe, expect, it } from 'vitest';
import { fetchSpec, SPEC_USER_AGENT } from '../../src/grounding/fetch-spec.ts';
import { readSpec } from '../../src/grounding/read-spec.ts';
import { specErrorText } from '../../src/grounding/spec-texts.ts';
import { startSpecHost, type SpecHost } from '../fakes/spec-host.ts';
import { fakeDns, fetchSettings, PETSTORE, problemOf, specErrorOf } from '../helpers/spec-fetch-fixtures.ts';

const hosts: SpecHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
});

/** A loopback server that serves the petstore spec at /petstore.json and 404 elsewhere. */
async function petstoreHost(address?: string, port?: number): Promise<SpecHost> {
  const host = await startSpecHost(
    (request, response) => {
      if (request.url !== '/petstore.json') return void response.writeHead(404).end('not here');
      response.writeHead(200, { 'content-type': 'application/json' }).end(PETSTORE);
    },
    { ...(address === undefined ? {} : { address }), ...(port === undefined ? {} : { port }) },
  );
  hosts.push(host);
  return host;
}

describe('fetchSpec from allow-listed hosts', () => {
  it('downloads a real spec over http from an allow-listed loopback host, and readSpec reads it', async () => {
    const host = await petstoreHost();
    const url = host.url('/petstore.json');
    const fetched = await fetchSpec(url, { settings: fetchSettings(`127.0.0.1:${host.port}`) });
    expect(fetched).toEqual({ bytes: new Uint8Array(PETSTORE), finalUrl: url, contentType: 'application/json' });
    const spec = readSpec(fetched.bytes, url);
    expect(spec.title).toBe('Swagger Petstore');
    expect(spec.operationCount).toBeGreaterThan(10);
    expect(host.requests).toEqual([
      {
        method: 'GET',
        url: '/petstore.json',
        headers: expect.objectContaining({ 'user-agent': SPEC_USER_AGENT, 'accept-encoding': 'identity' }) as object,
      },
    ]);
  });

  it('opens only the port an entry names', async () => {
    const host = await petstoreHost();
    const settings = fetchSettings(`127.0.0.1:${host.port + 1}`);
    expect(await problemOf(fetchSpec(host.url('/petstore.json'), { settings }))).toEqual({
      kind: 'url-scheme',
      scheme: 'http',
    });
    expect(host.connections()).toBe(0);
  });

  it('names the HTTP status of an answer that is not the spec', async () => {
    const host = await petstoreHost();
    const settings = fetchSettings('127.0.0.1');
    expect(await problemOf(fetchSpec(host.url('/missing.json'), { settings }))).toEqual({
      kind: 'download-status',
      status: 404,
    });
  });

  it('pins the connection to the address it checked: a rebinding DNS gets asked once', async () => {
    // The first answer goes to 127.0.0.1, every later one to 127.0.0.2 (both loopback on
    // Linux), with a server on each at the same port. The allow-list opens the name for
    // loopback, standing in for the public first answer a real attacker would give.
    const checked = await petstoreHost('127.0.0.1');
    const rebound = await petstoreHost('127.0.0.2', checked.port);
    const dns = fakeDns({ 'rebind.test': [['127.0.0.1'], ['127.0.0.2']] });
    const settings = fetchSettings(`rebind.test:${checked.port}`);
    const url = checked.url('/petstore.json', 'rebind.test');
    const fetched = await fetchSpec(url, { settings, lookup: dns.lookup });
    expect(fetched.bytes.byteLength).toBe(PETSTORE.byteLength);
    expect(dns.asked).toEqual(['rebind.test']);
    expect(checked.requests.map((request) => request.headers.host)).toEqual([`rebind.test:${checked.port}`]);
    expect(rebound.connections()).toBe(0);
  });
});

describe('fetchSpec refuses addresses that are not public', () => {
  it('refuses loopback without the allow-list, naming the address, before connecting', async () => {
    const host = await petstoreHost();
    const error = await specErrorOf(fetchSpec(`https://127.0.0.1:${host.port}/`, { settings: fetchSettings() }));
    expect(error.problem).toEqual({
      kind: 'url-blocked',
      host: '127.0.0.1',
      address: '127.0.0.1',
      addressClass: 'loopback',
    });
    expect(specErrorText(error, 'en')).toBe(
      `The API spec (https://127.0.0.1:${host.port}/) cannot be used: 127.0.0.1 is a loopback address; only public addresses are downloaded.`,
    );
    expect(host.connections()).toBe(0);
  });

  it('refuses localhost as the system resolver answers it (default lookup)', async () => {
    const problem = await problemOf(fetchSpec('https://localhost/spec.json', { settings: fetchSettings() }));
    expect(problem).toMatchObject({ kind: 'url-blocked', host: 'localhost', addressClass: 'loopback' });
  });

  it('refuses a name when any of its addresses is private, naming that one', async () => {
    const dns = fakeDns({ 'mixed.example': [['93.184.215.14', '10.0.0.5']] });
    const error = await specErrorOf(
      fetchSpec('https://mixed.example/openapi.json', { settings: fetchSettings(), lookup: dns.lookup }),
    );
    expect(error.problem).toEqual({
      kind: 'url-blocked',
      host: 'mixed.example',
      address: '10.0.0.5',
      addressClass: 'private',
    });
    expect(specErrorText(error, 'de')).toBe(
      'Die API-Spezifikation (https://mixed.example/openapi.json) kann nicht verwendet werden: mixed.example zeigt auf eine private Adresse (10.0.0.5); abgerufen werden nur öffentliche Adressen.',
    );
  });

  it('refuses IPv6 loopback, link-local, unique-local and IPv4-mapped forms, as literals or answers', async () => {
    const settings = fetchSettings();
    const expected = { '::1': 'loopback', '::ffff:7f00:1': 'loopback', 'fe80::1': 'link-local', 'fc00::1': 'private' };
    const literals: Record<string, string> = Object.fromEntries(
      await Promise.all(
        ['[::1]', '[::ffff:127.0.0.1]', '[fe80::1]', '[fc00::1]'].map(async (literal): Promise<[string, string]> => {
          const problem = await problemOf(fetchSpec(`https://${literal}/spec.json`, { settings }));
          return problem.kind === 'url-blocked' ? [problem.address, problem.addressClass] : [literal, problem.kind];
        }),
      ),
    );
    expect(literals).toEqual(expected);
    const dns = fakeDns({ 'six.example': [['2606:4700::1111', '::ffff:127.0.0.1']] });
    expect(await problemOf(fetchSpec('https://six.example/', { settings, lookup: dns.lookup }))).toMatchObject({
      address: '::ffff:127.0.0.1',
      addressClass: 'loopback',
    });
  });

  it('checks a redirect from an allowed host again: metadata, private literal and plain http are refused', async () => {
    const targets: Record<string, string> = {
      '/to-metadata': 'https://metadata.test/latest/meta-data/',
      '/to-private': 'https://10.0.0.5/spec.json',
      '/to-http': 'http://public.example/spec.json',
    };
    const host = await startSpecHost((request, response) => {
      response.writeHead(302, { location: targets[request.url ?? ''] ?? '/' }).end();
    });
    hosts.push(host);
    const dns = fakeDns({ 'metadata.test': [['169.254.169.254']], 'public.example': [['93.184.215.14']] });
    const options = { settings: fetchSettings(`127.0.0.1:${host.port}`), lookup: dns.lookup };
    const problems = await Promise.all(
      Object.keys(targets).map((path) => problemOf(fetchSpec(host.url(path), options))),
    );
    expect(problems).toEqual([
      { kind: 'url-blocked', host: 'metadata.test', address: '169.254.169.254', addressClass: 'metadata' },
      { kind: 'url-blocked', host: '10.0.0.5', address: '10.0.0.5', addressClass: 'private' },
      { kind: 'url-scheme', scheme: 'http' },
    ]);
    expect(dns.asked).toEqual(['metadata.test']);
  });
});

describe('fetchSpec refuses URLs it will not fetch, without the network', () => {
  it('takes https only, no credentials, and nothing that is not a URL', async () => {
    const dns = fakeDns({});
    const options = { settings: fetchSettings(), lookup: dns.lookup };
    const refused = async (url: string) => (await specErrorOf(fetchSpec(url, options))).problem;
    expect(await refused('file:///etc/passwd')).toEqual({ kind: 'url-scheme', scheme: 'file' });
    expect(await refused('ftp://example.com/spec.json')).toEqual({ kind: 'url-scheme', scheme: 'ftp' });
    expect(await refused('http://example.com/spec.json')).toEqual({ kind: 'url-scheme', scheme: 'http' });
    expect(await refused('https://user:pw@example.com/spec.json')).toEqual({ kind: 'url-credentials' });
    expect(await refused('not a url')).toEqual({ kind: 'url-invalid' });
    expect(dns.asked).toEqual([]);
  });

  it('never shows the password of a refused URL', async () => {
    const error = await specErrorOf(
      fetchSpec('https://user:hunter2@example.com/s.json#x', { settings: fetchSettings() }),
    );
    expect(error.source).toBe('https://example.com/s.json');
    expect(specErrorText(error, 'en')).not.toContain('hunter2');
  });

  it('names a host the resolver does not know', async () => {
    const dns = fakeDns({});
    const options = { settings: fetchSettings(), lookup: dns.lookup };
    expect(await problemOf(fetchSpec('https://nowhere.example/', options))).toEqual({
      kind: 'download-failed',
      host: 'nowhere.example',
      reason: 'dns',
    });
  });
});
