import { describe, expect, it } from 'vitest';
import { SpecError, type SpecProblem } from './spec-error.ts';
import { describeSpecProblem, specErrorText } from './spec-texts.ts';

const both = (problem: SpecProblem) => [describeSpecProblem(problem, 'en'), describeSpecProblem(problem, 'de')];

describe('sentences for spec download problems', () => {
  it('names the address class, the host and the address', () => {
    expect(
      both({ kind: 'url-blocked', host: 'metadata.test', address: '169.254.169.254', addressClass: 'metadata' }),
    ).toEqual([
      "metadata.test resolves to the cloud metadata service's address (169.254.169.254); only public addresses are downloaded",
      'metadata.test zeigt auf die Adresse des Cloud-Metadatendienstes (169.254.169.254); abgerufen werden nur öffentliche Adressen',
    ]);
    expect(both({ kind: 'url-blocked', host: '::1', address: '::1', addressClass: 'loopback' })).toEqual([
      '::1 is a loopback address; only public addresses are downloaded',
      '::1 ist eine Loopback-Adresse; abgerufen werden nur öffentliche Adressen',
    ]);
  });

  it('says what went wrong with the URL and the download', () => {
    expect(both({ kind: 'url-scheme', scheme: 'ftp' })).toEqual([
      'only https URLs are downloaded, not ftp: URLs',
      'es werden nur https-URLs abgerufen, keine ftp:-URLs',
    ]);
    expect(both({ kind: 'download-status', status: 404 })).toEqual([
      'the server answered with HTTP status 404',
      'der Server antwortete mit HTTP-Status 404',
    ]);
    expect(both({ kind: 'download-timeout', limitMs: 15_000 })).toEqual([
      'the download did not finish within 15 seconds',
      'der Download war nicht innerhalb von 15 Sekunden abgeschlossen',
    ]);
    expect(both({ kind: 'download-failed', host: 'api.example.com', reason: 'dns' })).toEqual([
      'the host name api.example.com could not be resolved',
      'der Hostname api.example.com ließ sich nicht auflösen',
    ]);
    expect(both({ kind: 'too-many-redirects', limit: 5 })).toEqual([
      'the URL redirects more than 5 times',
      'die URL leitet mehr als 5-mal weiter',
    ]);
  });

  it('tells a download cut off at the cap from a spec of known size', () => {
    expect(both({ kind: 'too-large', sizeBytes: 10_000_001, limitBytes: 10_000_000, atLeast: true })).toEqual([
      'the spec is larger than the limit of 10 MB',
      'die Spezifikation ist größer als die Grenze von 10 MB',
    ]);
    expect(describeSpecProblem({ kind: 'too-large', sizeBytes: 14_200_000, limitBytes: 10_000_000 }, 'de')).toBe(
      'die Spezifikation ist 14,2 MB groß; die Grenze liegt bei 10 MB',
    );
  });

  it('makes a whole sentence that names the URL', () => {
    const error = new SpecError({ kind: 'download-failed', host: 'x.example', reason: 'tls' }, 'https://x.example/s');
    expect(specErrorText(error, 'en')).toBe(
      'The API spec (https://x.example/s) cannot be used: no secure connection to x.example (TLS): its certificate is invalid or not trusted, or the handshake failed.',
    );
  });
});
