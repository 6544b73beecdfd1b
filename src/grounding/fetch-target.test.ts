import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { checkSpecUrl, redactedUrl } from './fetch-target.ts';
import { pinnedLookup } from './spec-download.ts';
import { parseAllowedHosts } from './spec-fetch-settings.ts';
import { SpecError, type SpecProblem } from './spec-error.ts';

const allowHosts = parseAllowedHosts('specs.internal,localhost:8080');

function refusal(text: string, base?: string): SpecProblem {
  try {
    checkSpecUrl(text, base === undefined ? undefined : new URL(base), allowHosts, text);
  } catch (error) {
    if (error instanceof SpecError) return error.problem;
    throw error;
  }
  throw new Error(`expected ${text} to be refused`);
}

describe('checkSpecUrl', () => {
  it('takes https anywhere and http only on allow-listed hosts, dropping the fragment', () => {
    expect(checkSpecUrl('https://api.example.com/openapi.json#x', undefined, allowHosts, '').href).toBe(
      'https://api.example.com/openapi.json',
    );
    expect(checkSpecUrl('http://specs.internal/a.yaml', undefined, allowHosts, '').href).toBe(
      'http://specs.internal/a.yaml',
    );
    expect(checkSpecUrl('http://localhost:8080/a', undefined, allowHosts, '').port).toBe('8080');
    expect(refusal('http://localhost/a')).toEqual({ kind: 'url-scheme', scheme: 'http' });
    expect(refusal('http://api.example.com/a')).toEqual({ kind: 'url-scheme', scheme: 'http' });
  });

  it('refuses other schemes, credentials and non-URLs', () => {
    expect(refusal('file:///etc/passwd')).toEqual({ kind: 'url-scheme', scheme: 'file' });
    expect(refusal('ftp://example.com/x')).toEqual({ kind: 'url-scheme', scheme: 'ftp' });
    expect(refusal('data:application/json,{}')).toEqual({ kind: 'url-scheme', scheme: 'data' });
    expect(refusal('https://user:pw@example.com/x')).toEqual({ kind: 'url-credentials' });
    expect(refusal('https://token@example.com/x')).toEqual({ kind: 'url-credentials' });
    expect(refusal('/openapi.json')).toEqual({ kind: 'url-invalid' });
    expect(refusal('https://exa mple.com/')).toEqual({ kind: 'url-invalid' });
  });

  it("reads a redirect's Location against the URL it came from, with the same checks", () => {
    const from = 'https://api.example.com/v1/spec';
    expect(checkSpecUrl('../v2/spec.json', new URL(from), allowHosts, '').href).toBe(
      'https://api.example.com/v2/spec.json',
    );
    expect(refusal('//user:pw@evil.example/', from)).toEqual({ kind: 'url-credentials' });
    expect(refusal('file:///etc/passwd', from)).toEqual({ kind: 'url-scheme', scheme: 'file' });
  });
});

describe('redactedUrl', () => {
  it('drops user name, password and fragment, and leaves non-URLs as they are', () => {
    expect(redactedUrl('https://user:pw@example.com/a?b=1#c')).toBe('https://example.com/a?b=1');
    expect(redactedUrl('not a url')).toBe('not a url');
  });
});

describe('pinnedLookup', () => {
  it('answers every question with the checked address, in both callback forms', () => {
    const lookup = pinnedLookup('203.0.113.7', 4);
    const answers: unknown[] = [];
    lookup('rebind.example', { all: true }, (_error, addresses) => answers.push(addresses));
    lookup('other.example', {}, (_error, address, family) => answers.push([address, family]));
    const all: LookupAddress[] = [{ address: '203.0.113.7', family: 4 }];
    expect(answers).toEqual([all, ['203.0.113.7', 4]]);
  });
});
