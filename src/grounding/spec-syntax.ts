import { parse as parseYaml, YAMLParseError } from 'yaml';
import { SpecError } from './spec-error.ts';
import { cleanText } from './untrusted-text.ts';

/** Slack's file limit and ours: larger documents are refused before they are decoded. */
export const MAX_SPEC_BYTES = 10_000_000;
/** Real specs nest about 30 levels deep (GitHub's); deeper is hostile or broken. */
export const MAX_NESTING_DEPTH = 100;
/** yaml's own default: expanding more aliases than this is an alias bomb. */
export const MAX_YAML_ALIASES = 100;

export type SpecSyntax = 'json' | 'yaml';

const MAGIC: readonly (readonly [string, readonly number[]])[] = [
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['a PDF document', [0x25, 0x50, 0x44, 0x46]],
  ['a ZIP archive', [0x50, 0x4b, 0x03, 0x04]],
  ['a gzip archive', [0x1f, 0x8b]],
];

function looksLike(bytes: Uint8Array): string | undefined {
  return MAGIC.find(([, magic]) => magic.every((byte, index) => bytes[index] === byte))?.[0];
}

/** Bytes → text: size first (cheap), then binary signatures, then strict UTF-8. */
export function decodeSpec(input: Uint8Array | string, source: string): string {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  if (bytes.byteLength > MAX_SPEC_BYTES)
    throw new SpecError({ kind: 'too-large', sizeBytes: bytes.byteLength, limitBytes: MAX_SPEC_BYTES }, source);
  const kind = looksLike(bytes);
  if (kind !== undefined || bytes.includes(0)) throw new SpecError({ kind: 'not-text', looksLike: kind }, source);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new SpecError({ kind: 'not-text', looksLike: undefined }, source, { cause });
  }
  if (text.trim() === '') throw new SpecError({ kind: 'empty' }, source);
  return text.replace(/^\uFEFF/, '');
}

function jsonProblemLine(text: string, message: string): number | undefined {
  const line = /line (\d+)/.exec(message)?.[1];
  if (line !== undefined) return Number(line);
  const position = /position (\d+)/.exec(message)?.[1];
  return position === undefined ? undefined : text.slice(0, Number(position)).split('\n').length;
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const detail = cleanText(message.replace(/ in JSON at position.*$|, ".*$/s, ''), 120);
    throw new SpecError({ kind: 'json-syntax', line: jsonProblemLine(text, message), detail }, source, { cause });
  }
}

function parseYamlText(text: string, source: string): unknown {
  try {
    // Duplicate keys are tolerated (the last wins): real specs have them and they do not matter here.
    return parseYaml(text, { maxAliasCount: MAX_YAML_ALIASES, uniqueKeys: false, merge: true });
  } catch (cause) {
    if (cause instanceof YAMLParseError) {
      if (cause.code === 'RESOURCE_EXHAUSTION')
        throw new SpecError({ kind: 'too-deep', limit: MAX_NESTING_DEPTH }, source, { cause });
      const detail = cleanText(cause.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, ''), 120);
      throw new SpecError({ kind: 'yaml-syntax', line: cause.linePos?.[0].line, detail }, source, { cause });
    }
    // yaml throws a plain ReferenceError when maxAliasCount is exceeded.
    if (cause instanceof ReferenceError)
      throw new SpecError({ kind: 'yaml-aliases', limit: MAX_YAML_ALIASES }, source, { cause });
    if (cause instanceof RangeError)
      throw new SpecError({ kind: 'too-deep', limit: MAX_NESTING_DEPTH }, source, { cause });
    throw cause;
  }
}

/**
 * One walk over the parsed document, iterative so that a hostile one cannot overflow the stack:
 * it enforces the depth limit and collects every `$ref` string, in document order. JSON cannot
 * share nodes; YAML anchors can: a node seen once is not walked again (linear in the node count),
 * and an alias to one of its own ancestors (a cycle, which JSON cannot express) is refused.
 */
function walk(root: unknown, yaml: boolean, source: string): string[] {
  const seen = new Set<object>();
  const onPath = new Set<object>();
  const refs: string[] = [];
  const stack: [unknown, number, 'enter' | 'leave'][] = [[root, 0, 'enter']];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [value, depth, step] = item;
    if (typeof value !== 'object' || value === null) continue;
    if (step === 'leave') {
      onPath.delete(value);
      continue;
    }
    if (yaml && onPath.has(value)) throw new SpecError({ kind: 'yaml-cycle' }, source);
    if (yaml && seen.has(value)) continue;
    if (depth >= MAX_NESTING_DEPTH) throw new SpecError({ kind: 'too-deep', limit: MAX_NESTING_DEPTH }, source);
    if (yaml) {
      seen.add(value);
      onPath.add(value);
      stack.push([value, depth, 'leave']);
    }
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && !Array.isArray(value)) refs.push(ref);
    const children = Object.values(value);
    // Pushed last-first, so the walk (and the first reference reported) follows the document.
    for (let index = children.length - 1; index >= 0; index--) {
      const child: unknown = children[index];
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1, 'enter']);
    }
  }
  return refs;
}

/** What parsing gives: plain data, its syntax, and every `$ref` string in it (resolved later). */
export interface ParsedSpec {
  readonly root: unknown;
  readonly syntax: SpecSyntax;
  readonly refs: readonly string[];
}

/** Text → plain data: JSON when it starts like JSON, else YAML (with alias and depth limits). */
export function parseSpecText(text: string, source: string): ParsedSpec {
  const syntax: SpecSyntax = /^\s*[{[]/.test(text) ? 'json' : 'yaml';
  const root = syntax === 'json' ? parseJson(text, source) : parseYamlText(text, source);
  return { root, syntax, refs: walk(root, syntax === 'yaml', source) };
}
