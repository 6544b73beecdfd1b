import { fetchSpec } from '../grounding/fetch-spec.ts';
import { checkSpecUrl, redactedUrl } from '../grounding/fetch-target.ts';
import type { SpecFetchSettings } from '../grounding/spec-fetch-settings.ts';
import { SpecError } from '../grounding/spec-error.ts';
import type { SpecUpload } from './plan-service.ts';

/**
 * An API spec as a person hands it over: a URL to download, or a file their platform holds
 * (a Slack upload, a file sent to the bot in Teams) that `download` fetches in its own way.
 */
export type SpecInput =
  | { readonly kind: 'url'; readonly url: string }
  | {
      readonly kind: 'file';
      readonly name: string;
      /** The file's bytes; `signal` ends the download (the time cap, the caller's cancel). */
      readonly download: (signal: AbortSignal) => Promise<Uint8Array>;
    };

/**
 * The spec's bytes within the download rules: a URL through fetchSpec (https, public addresses,
 * size, redirect and time caps); a platform file within the same time cap. Failures are
 * SpecErrors naming the source; a cancel through `signal` throws its reason.
 */
export async function receiveSpec(
  input: SpecInput,
  settings: SpecFetchSettings,
  signal?: AbortSignal,
): Promise<SpecUpload> {
  if (input.kind === 'url') {
    const options = { settings, ...(signal === undefined ? {} : { signal }) };
    const { bytes } = await fetchSpec(input.url, options);
    return { source: { kind: 'url', url: redactedUrl(input.url) }, bytes };
  }
  const deadline = AbortSignal.timeout(settings.timeoutMs);
  try {
    const bytes = await input.download(signal === undefined ? deadline : AbortSignal.any([deadline, signal]));
    return { source: { kind: 'file', name: input.name }, bytes };
  } catch (error) {
    if (signal?.aborted === true) throw signal.reason;
    if (error instanceof SpecError || !deadline.aborted) throw error;
    throw new SpecError({ kind: 'download-timeout', limitMs: settings.timeoutMs }, input.name, { cause: error });
  }
}

/** What can be checked before downloading (a URL's form and scheme): a SpecError when it cannot work. */
export function checkSpecInput(input: SpecInput, settings: SpecFetchSettings): void {
  if (input.kind === 'url') checkSpecUrl(input.url, undefined, settings.allowHosts, redactedUrl(input.url));
}
