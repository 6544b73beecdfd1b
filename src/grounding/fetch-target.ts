import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { classifyAddress } from './public-address.ts';
import { isAllowedHost, type AllowedHost } from './spec-fetch-settings.ts';
import { SpecError } from './spec-error.ts';

/** Resolves a host name to all its addresses, like `dns.promises.lookup(name, { all: true })`. */
export type SpecLookup = (hostname: string) => Promise<readonly LookupAddress[]>;

/** What decides where a download may go. */
export interface TargetRules {
  readonly allowHosts: readonly AllowedHost[];
  readonly lookup: SpecLookup;
  /** The download's deadline and cancel: a hanging lookup ends with it. */
  readonly signal: AbortSignal;
  /** The URL as errors name it. */
  readonly source: string;
}

/** A URL that passed the checks, and the one address the connection to it must use. */
export interface FetchTarget {
  readonly url: URL;
  /** The host without IPv6 brackets, as the request and the certificate check see it. */
  readonly hostname: string;
  readonly address: string;
  readonly family: 4 | 6;
}

/** The URL as shown in messages and logs: without user name, password and fragment. */
export function redactedUrl(text: string): string {
  if (!URL.canParse(text)) return text;
  const url = new URL(text);
  url.username = '';
  url.password = '';
  url.hash = '';
  return url.href;
}

/**
 * Parses a spec URL (or a redirect's Location against the URL it came from) and checks what
 * can be checked without the network: https, or http to an allow-listed host; no credentials.
 */
export function checkSpecUrl(
  text: string,
  base: URL | undefined,
  allowHosts: readonly AllowedHost[],
  source: string,
): URL {
  if (!URL.canParse(text, base?.href)) throw new SpecError({ kind: 'url-invalid' }, source);
  const url = new URL(text, base);
  const scheme = url.protocol.slice(0, -1);
  const allowed = isAllowedHost(url, allowHosts);
  if (scheme !== 'https' && !(scheme === 'http' && allowed))
    throw new SpecError({ kind: 'url-scheme', scheme }, source);
  // Security: credentials in a URL would be sent to every host it redirects to, and logged.
  if (url.username !== '' || url.password !== '') throw new SpecError({ kind: 'url-credentials' }, source);
  url.hash = '';
  return url;
}

/**
 * The address to connect to. Security: every address the name resolves to must be public
 * (unless the host is allow-listed), since an attacker's DNS may answer [public, private] and
 * let the connection pick; the connection is then pinned to the first, so a second lookup (DNS
 * rebinding) never happens. An IP literal is its own address.
 */
export async function resolveTarget(url: URL, rules: TargetRules): Promise<FetchTarget> {
  const { source } = rules;
  const hostname = url.hostname.replace(/^\[(.*)\]$/u, '$1');
  const addresses = isIP(hostname) === 0 ? await lookupAll(hostname, rules) : [hostname];
  if (!isAllowedHost(url, rules.allowHosts)) {
    for (const address of addresses) {
      const addressClass = classifyAddress(address);
      if (addressClass !== 'public') {
        throw new SpecError({ kind: 'url-blocked', host: hostname, address, addressClass }, source);
      }
    }
  }
  const [address = ''] = addresses;
  return { url, hostname, address, family: isIP(address) === 6 ? 6 : 4 };
}

/** Rejects with the signal's reason when it aborts first (a DNS lookup cannot be cancelled itself). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function lookupAll(hostname: string, { lookup, signal, source }: TargetRules): Promise<string[]> {
  let answers: readonly LookupAddress[];
  try {
    answers = await abortable(lookup(hostname), signal);
  } catch (error) {
    if (signal.aborted) throw error;
    throw new SpecError({ kind: 'download-failed', host: hostname, reason: 'dns' }, source, { cause: error });
  }
  // Anything but an IP address (a broken resolver or injected lookup) counts as no answer.
  const addresses = answers.map((answer) => answer.address).filter((address) => isIP(address) !== 0);
  if (addresses.length === 0 || addresses.length !== answers.length) {
    throw new SpecError({ kind: 'download-failed', host: hostname, reason: 'dns' }, source);
  }
  return addresses;
}
