/**
 * A host an operator opened for spec downloads (SPEC_FETCH_ALLOW_HOSTS): plain http and any
 * address, public or not, are allowed for it. `port` undefined: every port.
 */
export interface AllowedHost {
  /** As the WHATWG URL parser writes a URL's hostname: lower case, IPv6 in brackets. */
  readonly host: string;
  readonly port: number | undefined;
}

/** How spec URLs are downloaded (SPEC_FETCH_* variables); config.ts builds it. */
export interface SpecFetchSettings {
  readonly allowHosts: readonly AllowedHost[];
  /** The whole download, redirects and name lookups included. */
  readonly timeoutMs: number;
}

export const DEFAULT_SPEC_FETCH_TIMEOUT_MS = 15_000;

// host, [ipv6], host:port or [ipv6]:port; the host part is checked by the URL parser below.
const ENTRY = /^(\[[0-9a-f:.]+\]|[^\s:/?#@[\]*\\]+)(?::(\d{1,5}))?$/iu;

/** One entry of the allow-list, or the reason it is not one. */
function parseEntry(entry: string): AllowedHost | string {
  const match = ENTRY.exec(entry);
  if (match === null) return `"${entry}" is not host or host:port (IPv6 in brackets, no wildcards)`;
  const [, hostPart = '', portPart] = match;
  let host: string;
  try {
    host = new URL(`http://${hostPart}/`).hostname;
  } catch {
    return `"${entry}": ${hostPart} is not a host name or IP address`;
  }
  const port = portPart === undefined ? undefined : Number(portPart);
  if (port !== undefined && (port < 1 || port > 65_535)) return `"${entry}": port must be 1 to 65535`;
  return { host, port };
}

/**
 * SPEC_FETCH_ALLOW_HOSTS: comma-separated `host` or `host:port` entries, e.g.
 * `127.0.0.1,localhost:8080,[::1],specs.internal`. A host matches a URL's host as written
 * (after URL normalisation: case, IDN, IPv4 shorthand), never the address it resolves to; with
 * a port it matches only that port (the scheme's default counts). Throws a TypeError naming
 * every bad entry.
 */
export function parseAllowedHosts(text: string): AllowedHost[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const parsed = entries.map(parseEntry);
  const problems = parsed.filter((entry) => typeof entry === 'string');
  if (problems.length > 0) throw new TypeError(problems.join('; '));
  return parsed.filter((entry) => typeof entry !== 'string');
}

/** The port a URL connects to: its own, or its scheme's default. */
export function portOf(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/** Whether the operator opened this URL's host (and port) for http and non-public addresses. */
export function isAllowedHost(url: URL, allowHosts: readonly AllowedHost[]): boolean {
  const port = portOf(url);
  return allowHosts.some((allowed) => allowed.host === url.hostname && (allowed.port ?? port) === port);
}
