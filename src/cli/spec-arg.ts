import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SpecFetchSettings } from '../grounding/spec-fetch-settings.ts';
import { SpecError } from '../grounding/spec-error.ts';
import { MAX_SPEC_BYTES } from '../grounding/spec-syntax.ts';
import type { SpecUpload } from '../plans/plan-service.ts';
import { receiveSpec } from '../plans/spec-input.ts';
import { UsageError } from './cli-io.ts';

/** "https://…", "http://…", "file://…": anything with a scheme is a URL (fetchSpec refuses what it may not fetch). */
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//iu;

/**
 * `--spec PATH|URL`: a file's bytes (refused before reading when over the spec size limit), or a
 * download within the fetch rules (https, public addresses, size and time caps).
 */
export async function readSpecArg(arg: string | undefined, fetch: SpecFetchSettings): Promise<SpecUpload | undefined> {
  if (arg === undefined) return undefined;
  if (arg.trim() === '') throw new UsageError('--spec needs a file path or a URL');
  if (URL_LIKE.test(arg)) {
    return receiveSpec({ kind: 'url', url: arg }, fetch);
  }
  const name = path.basename(arg);
  const info = await stat(arg).catch(() => undefined);
  if (info === undefined || !info.isFile()) throw new UsageError(`--spec ${arg}: no such file`);
  if (info.size > MAX_SPEC_BYTES) {
    throw new SpecError({ kind: 'too-large', sizeBytes: info.size, limitBytes: MAX_SPEC_BYTES }, name);
  }
  return { source: { kind: 'file', name }, bytes: new Uint8Array(await readFile(arg)) };
}
