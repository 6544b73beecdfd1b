import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { SpecError } from '../grounding/spec-error.ts';
import { MAX_SPEC_BYTES } from '../grounding/spec-syntax.ts';
import type { SpecUpload } from '../plans/plan-service.ts';
import { UsageError } from './cli-io.ts';

/** `--spec PATH`: the file's bytes, refused before reading when it is over the spec size limit. */
export async function readSpecArg(arg: string | undefined): Promise<SpecUpload | undefined> {
  if (arg === undefined) return undefined;
  if (arg.trim() === '') throw new UsageError('--spec needs a file path');
  const name = path.basename(arg);
  const info = await stat(arg).catch(() => undefined);
  if (info === undefined || !info.isFile()) throw new UsageError(`--spec ${arg}: no such file`);
  if (info.size > MAX_SPEC_BYTES) {
    throw new SpecError({ kind: 'too-large', sizeBytes: info.size, limitBytes: MAX_SPEC_BYTES }, name);
  }
  return { source: { kind: 'file', name }, bytes: new Uint8Array(await readFile(arg)) };
}
