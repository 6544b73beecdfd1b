import { lookup as dnsLookup } from 'node:dns/promises';
import type { Logger } from '../logger.ts';
import { checkSpecUrl, redactedUrl, resolveTarget, type SpecLookup, type TargetRules } from './fetch-target.ts';
import { downloadOnce, type DownloadContext } from './spec-download.ts';
import type { SpecFetchSettings } from './spec-fetch-settings.ts';
import { SpecError } from './spec-error.ts';
import { MAX_SPEC_BYTES } from './spec-syntax.ts';

export const MAX_SPEC_REDIRECTS = 5;

/** Says who is asking, so a spec's host can tell our downloads apart (and block them if it must). */
export const SPEC_USER_AGENT = 'integration-planner (OpenAPI spec download)';

export interface FetchSpecOptions {
  /** The allow-list and the time cap, from config (SPEC_FETCH_*). */
  readonly settings: SpecFetchSettings;
  /** Default: `dns.promises.lookup` with `all: true`. */
  readonly lookup?: SpecLookup;
  /** Default: MAX_SPEC_BYTES, the limit readSpec applies too. */
  readonly maxBytes?: number;
  readonly maxRedirects?: number;
  readonly userAgent?: string;
  /** The caller's cancel (a stopping job): the download ends and the signal's reason is thrown. */
  readonly signal?: AbortSignal;
  /** Certificates trusted instead of the system's roots (tests); verification stays on. */
  readonly ca?: string | Buffer;
  /** Each request's host and pinned address at debug (never the path: it may carry a token). */
  readonly logger?: Pick<Logger, 'debug'>;
}

export interface FetchedSpec {
  readonly bytes: Uint8Array;
  /** Where the bytes came from after redirects (fragment dropped). */
  readonly finalUrl: string;
  /** The Content-Type header as sent, if any. */
  readonly contentType: string | undefined;
}

const defaultLookup: SpecLookup = (hostname) => dnsLookup(hostname, { all: true });

/**
 * Downloads a spec from a URL for `readSpec(bytes, url)`, within the safety rules: https
 * (http only for allow-listed hosts), public addresses only (every resolved address checked
 * before each request, redirects included, the connection pinned to the checked address), GET
 * without cookies or credentials, at most `maxBytes`, `maxRedirects` and `settings.timeoutMs`
 * for the whole download. Every failure is a SpecError whose `source` is the URL without
 * credentials; a cancel through `signal` throws the signal's reason.
 */
export async function fetchSpec(url: string, options: FetchSpecOptions): Promise<FetchedSpec> {
  const source = redactedUrl(url);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.settings.timeoutMs);
  const signal = options.signal === undefined ? deadline.signal : AbortSignal.any([deadline.signal, options.signal]);
  const lookup = options.lookup ?? defaultLookup;
  const context: DownloadContext = {
    maxBytes: options.maxBytes ?? MAX_SPEC_BYTES,
    userAgent: options.userAgent ?? SPEC_USER_AGENT,
    signal,
    ca: options.ca,
    source,
  };
  const rules: TargetRules = { allowHosts: options.settings.allowHosts, lookup, signal, source };
  try {
    return await follow(url, rules, context, options);
  } catch (error) {
    if (options.signal?.aborted === true) throw options.signal.reason;
    if (error instanceof SpecError || !deadline.signal.aborted) throw error;
    throw new SpecError({ kind: 'download-timeout', limitMs: options.settings.timeoutMs }, source, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/** Requests hop by hop; every redirect's target goes through the same checks as the first URL. */
async function follow(
  first: string,
  rules: TargetRules,
  context: DownloadContext,
  options: FetchSpecOptions,
): Promise<FetchedSpec> {
  const { allowHosts, source } = rules;
  const maxRedirects = options.maxRedirects ?? MAX_SPEC_REDIRECTS;
  let url = checkSpecUrl(first, undefined, allowHosts, source);
  for (let redirects = 0; ; redirects++) {
    const target = await resolveTarget(url, rules);
    options.logger?.debug({ host: target.hostname, address: target.address, redirects }, 'spec download request');
    const hop = await downloadOnce(target, context);
    if (hop.kind === 'body') return { bytes: hop.bytes, finalUrl: url.href, contentType: hop.contentType };
    if (redirects >= maxRedirects) throw new SpecError({ kind: 'too-many-redirects', limit: maxRedirects }, source);
    url = checkSpecUrl(hop.location, url, allowHosts, source);
  }
}
