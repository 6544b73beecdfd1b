import { z } from 'zod';
import { SpecError } from '../grounding/spec-error.ts';
import { MAX_SPEC_BYTES } from '../grounding/spec-syntax.ts';
import type { SpecInput } from '../plans/spec-input.ts';

/** The part of an uploaded file (a `file_input`'s `files[]` entry) a spec download needs. */
export const uploadedFileSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  size: z.number().int().nonnegative().optional(),
  url_private_download: z.string().optional(),
  url_private: z.string().optional(),
});
export type UploadedFile = z.infer<typeof uploadedFileSchema>;

/** Where the bot token may be sent: Slack's file host, or the Web API's own host and its `files.` sibling. */
function trustedHosts(apiUrl: string | undefined): Set<string> {
  const hosts = new Set(['files.slack.com']);
  if (apiUrl !== undefined && URL.canParse(apiUrl)) {
    const { hostname } = new URL(apiUrl);
    hosts.add(hostname).add(`files.${hostname}`);
  }
  return hosts;
}

/** Reads a body up to `maxBytes`; more is a SpecError (cut off, real size unknown). */
async function readCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number, source: string) {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (body === null) return new Uint8Array();
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      await body.cancel().catch(() => undefined);
      throw new SpecError({ kind: 'too-large', sizeBytes: size, limitBytes: maxBytes, atLeast: true }, source);
    }
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * Downloads a file uploaded to Slack with the bot token (scope `files:read`) from its private
 * URL. Security: the token goes only to Slack's file host (or the configured Web API host in
 * tests and GovSlack), redirects are not followed, and a file over the spec limit is refused
 * before and while downloading. Slack answers a token without `files:read` with its HTML
 * sign-in page, which is reported as such rather than as a broken spec.
 */
export async function downloadSlackFile(
  file: UploadedFile,
  access: { readonly botToken: string; readonly apiUrl: string | undefined },
  signal: AbortSignal,
): Promise<Uint8Array> {
  const { name } = file;
  if (file.size !== undefined && file.size > MAX_SPEC_BYTES) {
    throw new SpecError({ kind: 'too-large', sizeBytes: file.size, limitBytes: MAX_SPEC_BYTES }, name);
  }
  const address = file.url_private_download ?? file.url_private ?? '';
  const url = URL.canParse(address) ? new URL(address) : undefined;
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') throw new SpecError({ kind: 'url-invalid' }, name);
  if (!trustedHosts(access.apiUrl).has(url.hostname)) {
    throw new SpecError({ kind: 'file-host', host: url.hostname }, name);
  }
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${access.botToken}` },
    redirect: 'manual',
    signal,
  });
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new SpecError({ kind: 'download-status', status: response.status }, name);
  }
  if (/^text\/html\b/iu.test(response.headers.get('content-type') ?? '')) {
    await response.body?.cancel();
    throw new SpecError({ kind: 'file-access', scope: 'files:read' }, name);
  }
  return readCapped(response.body, MAX_SPEC_BYTES, name);
}

/** A `file_input`'s file as a spec input downloaded with the bot token. */
export function slackFileInput(
  file: UploadedFile,
  access: { readonly botToken: string; readonly apiUrl: string | undefined },
): SpecInput {
  return { kind: 'file', name: file.name, download: (signal) => downloadSlackFile(file, access, signal) };
}
