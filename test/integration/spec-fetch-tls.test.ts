import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchSpec } from '../../src/grounding/fetch-spec.ts';
import { readSpec } from '../../src/grounding/read-spec.ts';
import { selfSignedCertificate, startSpecHost, type SpecHost } from '../fakes/spec-host.ts';
import { fakeDns, fetchSettings, PETSTORE, problemOf } from '../helpers/spec-fetch-fixtures.ts';

// https against a loopback server whose certificate (made by openssl now) names spec.test. The
// names reach 127.0.0.1 only through the injected lookup, so a request that got there went
// through the pinned address, and its TLS name check was made against the URL's host.
let server: SpecHost;
let cert: string;

beforeAll(async () => {
  const tls = selfSignedCertificate('spec.test');
  cert = tls.cert;
  server = await startSpecHost(
    (_request, response) => void response.writeHead(200, { 'content-type': 'application/json' }).end(PETSTORE),
    { tls },
  );
});

afterAll(async () => {
  await server.close();
});

const dns = () => fakeDns({ 'spec.test': [['127.0.0.1']], 'other.test': [['127.0.0.1']] });

describe('fetchSpec over https', () => {
  it('downloads from the pinned address with SNI, Host and certificate check on the URL name', async () => {
    const url = server.url('/petstore.json', 'spec.test');
    const fetched = await fetchSpec(url, { settings: fetchSettings('spec.test'), lookup: dns().lookup, ca: cert });
    expect(readSpec(fetched.bytes, url).title).toBe('Swagger Petstore');
    expect(server.requests.at(-1)?.headers.host).toBe(`spec.test:${server.port}`);
  });

  it('keeps certificate verification on: an untrusted certificate fails', async () => {
    const url = server.url('/petstore.json', 'spec.test');
    expect(await problemOf(fetchSpec(url, { settings: fetchSettings('spec.test'), lookup: dns().lookup }))).toEqual({
      kind: 'download-failed',
      host: 'spec.test',
      reason: 'tls',
    });
  });

  it('checks the certificate against the URL name, not the address it connects to', async () => {
    const url = server.url('/petstore.json', 'other.test');
    const options = { settings: fetchSettings('other.test'), lookup: dns().lookup, ca: cert };
    expect(await problemOf(fetchSpec(url, options))).toEqual({
      kind: 'download-failed',
      host: 'other.test',
      reason: 'tls',
    });
  });

  it('refuses the same loopback server when its name is not allow-listed', async () => {
    const before = server.connections();
    const url = server.url('/petstore.json', 'spec.test');
    expect(await problemOf(fetchSpec(url, { settings: fetchSettings(), lookup: dns().lookup, ca: cert }))).toEqual({
      kind: 'url-blocked',
      host: 'spec.test',
      address: '127.0.0.1',
      addressClass: 'loopback',
    });
    expect(server.connections()).toBe(before);
  });
});
