import { readFileSync } from 'node:fs';
import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import type { SpecLookup } from '../../src/grounding/fetch-target.ts';
import { parseAllowedHosts, type SpecFetchSettings } from '../../src/grounding/spec-fetch-settings.ts';
import { SpecError, type SpecProblem } from '../../src/grounding/spec-error.ts';

/** A real public spec from a registry package (Swagger's petstore, OpenAPI 3.0 JSON). */
export const PETSTORE = readFileSync(
  new URL('../../node_modules/@readme/oas-examples/3.0/json/petstore.json', import.meta.url),
);

/** Spec download settings as config.ts would build them from SPEC_FETCH_ALLOW_HOSTS. */
export function fetchSettings(allowHosts = '', timeoutMs = 5_000): SpecFetchSettings {
  return { allowHosts: parseAllowedHosts(allowHosts), timeoutMs };
}

export interface FakeDns {
  readonly lookup: SpecLookup;
  /** Every name asked, in order. */
  readonly asked: string[];
}

/**
 * A DNS with fixed answers; a name may answer differently on each ask (the last answer repeats),
 * as a rebinding attacker's DNS does. Unknown names fail like ENOTFOUND.
 */
export function fakeDns(answers: Record<string, readonly (readonly string[])[]>): FakeDns {
  const asked: string[] = [];
  const lookup: SpecLookup = (hostname) => {
    const times = asked.filter((name) => name === hostname).length;
    asked.push(hostname);
    const series = answers[hostname];
    const addresses = series?.[Math.min(times, series.length - 1)];
    if (addresses === undefined) return Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
    return Promise.resolve(addresses.map((address): LookupAddress => ({ address, family: isIP(address) })));
  };
  return { lookup, asked };
}

/** The SpecError a spec download failed with; fails the test when it did not fail that way. */
export async function specErrorOf(download: Promise<unknown>): Promise<SpecError> {
  try {
    await download;
  } catch (error) {
    if (error instanceof SpecError) return error;
    throw error;
  }
  throw new Error('expected the download to fail with a SpecError');
}

/** The problem a spec download failed with; fails the test when it did not fail that way. */
export async function problemOf(download: Promise<unknown>): Promise<SpecProblem> {
  return (await specErrorOf(download)).problem;
}
