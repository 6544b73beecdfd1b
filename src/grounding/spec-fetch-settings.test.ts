import { describe, expect, it } from 'vitest';
import { isAllowedHost, parseAllowedHosts } from './spec-fetch-settings.ts';

describe('parseAllowedHosts (SPEC_FETCH_ALLOW_HOSTS)', () => {
  it('reads host and host:port entries, normalised as URLs write hosts', () => {
    expect(parseAllowedHosts(' 127.0.0.1, LocalHost:8080,[::1],[0:0::1]:8443, specs.internal.,')).toEqual([
      { host: '127.0.0.1', port: undefined },
      { host: 'localhost', port: 8080 },
      { host: '[::1]', port: undefined },
      { host: '[::1]', port: 8443 },
      { host: 'specs.internal.', port: undefined },
    ]);
    expect(parseAllowedHosts('')).toEqual([]);
  });

  it('names every entry it cannot read', () => {
    const problem = (text: string) => {
      try {
        parseAllowedHosts(text);
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(problem('*.internal')).toContain('"*.internal" is not host or host:port');
    expect(problem('::1')).toContain('"::1" is not host or host:port (IPv6 in brackets');
    expect(problem('https://specs.internal')).toContain('"https://specs.internal"');
    expect(problem('specs.internal/openapi')).toContain('"specs.internal/openapi"');
    expect(problem('user@specs.internal')).toContain('"user@specs.internal"');
    expect(problem('a:0, b:70000')).toMatch(/"a:0": port must be 1 to 65535; "b:70000": port/u);
    expect(problem('[zz::1]')).toContain('"[zz::1]"');
  });
});

describe('isAllowedHost', () => {
  const allowed = parseAllowedHosts('localhost:8080,specs.internal,127.0.0.1:80,[::1]');
  const allows = (url: string) => isAllowedHost(new URL(url), allowed);

  it('matches the host as written, on the entry port or any port', () => {
    expect(allows('http://localhost:8080/spec')).toBe(true);
    expect(allows('http://LOCALHOST:8080/spec')).toBe(true);
    expect(allows('http://localhost:8081/spec')).toBe(false);
    expect(allows('http://localhost/spec')).toBe(false);
    expect(allows('http://specs.internal:1234/x')).toBe(true);
    expect(allows('https://specs.internal/x')).toBe(true);
    expect(allows('http://[::1]:9/x')).toBe(true);
  });

  it("counts the scheme's default port, and IPv4 shorthand as the address it is", () => {
    expect(allows('http://127.0.0.1/x')).toBe(true);
    expect(allows('http://2130706433/x')).toBe(true);
    expect(allows('https://127.0.0.1/x')).toBe(false);
  });

  it('never matches a different name for the same place, or a look-alike', () => {
    expect(allows('http://specs.internal.evil.example/x')).toBe(false);
    expect(allows('http://evil-specs.internal/x')).toBe(false);
    expect(allows('http://127.0.0.2/x')).toBe(false);
  });
});
