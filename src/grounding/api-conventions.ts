import { asObject, isObject, resolveObject, type JsonObject } from './json-ref.ts';
import { listOperations, parametersOf } from './operations.ts';
import type { SpecDocument } from './read-spec.ts';
import { cleanText } from './untrusted-text.ts';

export type PaginationStyle = 'cursor' | 'offset' | 'page' | 'link-header';

/** How the API does cross-cutting things, read from every operation (not only the relevant ones). */
export interface ApiConventions {
  readonly pagination: readonly { style: PaginationStyle; parameters: readonly string[]; operations: number }[];
  readonly rateLimit: { readonly operationsWith429: number; readonly headers: readonly string[] };
  readonly idempotencyHeaders: readonly string[];
  readonly versioning: readonly string[];
  readonly errorModel: { readonly schema: string; readonly fields: readonly string[] } | undefined;
}

const PAGINATION: readonly (readonly [Exclude<PaginationStyle, 'link-header'>, RegExp])[] = [
  [
    'cursor',
    /^(cursor|after|before|starting_after|ending_before|next_token|page_token|pagetoken|continuation_?token|marker|next_cursor|start_cursor)$/i,
  ],
  ['offset', /^(offset|skip)$/i],
  ['page', /^(page|page_?number|per_page|page_?size)$/i],
];
const RATE_LIMIT_HEADER = /^(x-)?rate-?limit|^retry-after$/i;
const IDEMPOTENCY = /idempot/i;
const VERSION_PARAMETER = /version/i;
const MAX_NAMES = 8;

interface Scan {
  readonly pagination: Map<PaginationStyle, { names: Set<string>; operations: number }>;
  readonly rateLimitHeaders: Set<string>;
  readonly idempotency: Set<string>;
  readonly versionParameters: Set<string>;
  readonly pathVersions: Set<string>;
  readonly errorSchemas: Map<string, number>;
  with429: number;
}

function countStyle(scan: Scan, style: PaginationStyle, names: readonly string[]): void {
  const entry = scan.pagination.get(style) ?? { names: new Set<string>(), operations: 0 };
  for (const name of names) entry.names.add(name);
  entry.operations++;
  scan.pagination.set(style, entry);
}

function scanResponses(doc: SpecDocument, responses: JsonObject, scan: Scan): void {
  if (Object.hasOwn(responses, '429')) scan.with429++;
  for (const [code, raw] of Object.entries(responses)) {
    const response = resolveObject(doc.root, raw);
    for (const header of Object.keys(asObject(response.headers))) {
      if (RATE_LIMIT_HEADER.test(header)) scan.rateLimitHeaders.add(cleanText(header, 60));
      if (IDEMPOTENCY.test(header)) scan.idempotency.add(cleanText(header, 60));
      if (/^link$/i.test(header)) countStyle(scan, 'link-header', ['Link']);
    }
    if (!/^(4|5|default)/i.test(code)) continue;
    for (const media of Object.values(asObject(response.content))) {
      const ref = asObject(asObject(media).schema).$ref;
      if (typeof ref === 'string' && ref.startsWith('#/'))
        scan.errorSchemas.set(ref, (scan.errorSchemas.get(ref) ?? 0) + 1);
    }
  }
}

function scanOperations(doc: SpecDocument): Scan {
  const scan: Scan = {
    pagination: new Map(),
    rateLimitHeaders: new Set(),
    idempotency: new Set(),
    versionParameters: new Set(),
    pathVersions: new Set(),
    errorSchemas: new Map(),
    with429: 0,
  };
  for (const op of listOperations(doc)) {
    const parameters = parametersOf(doc, op);
    for (const [style, pattern] of PAGINATION) {
      const names = parameters.filter((p) => p.in === 'query' && pattern.test(p.name)).map((p) => p.name);
      if (names.length > 0) countStyle(scan, style, names);
    }
    for (const parameter of parameters) {
      if (parameter.in === 'header' && RATE_LIMIT_HEADER.test(parameter.name))
        scan.rateLimitHeaders.add(parameter.name);
      if (parameter.in === 'header' && IDEMPOTENCY.test(parameter.name)) scan.idempotency.add(parameter.name);
      if (parameter.in !== 'path' && VERSION_PARAMETER.test(parameter.name))
        scan.versionParameters.add(`${parameter.name} (${parameter.in})`);
    }
    const version = /^\/(v\d+(?:\.\d+)?|\d{4}-\d{2}(?:-\d{2})?)(?=\/|$)/i.exec(op.path)?.[1];
    if (version !== undefined) scan.pathVersions.add(`/${version}`);
    scanResponses(doc, asObject(op.operation.responses), scan);
  }
  return scan;
}

/** The schema most error responses use, with its top-level fields (one level deeper if it wraps one). */
function errorModel(doc: SpecDocument, schemas: Map<string, number>): ApiConventions['errorModel'] {
  const top = [...schemas.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (top === undefined) return undefined;
  const properties = asObject(resolveObject(doc.root, { $ref: top }).properties);
  const names = Object.keys(properties);
  const only = names.length === 1 ? names[0] : undefined;
  const inner = only === undefined ? {} : asObject(resolveObject(doc.root, properties[only]).properties);
  const fields = Object.keys(inner).length > 0 ? Object.keys(inner).map((name) => `${String(only)}.${name}`) : names;
  return {
    schema: cleanText(top.split('/').pop(), 80),
    fields: fields.slice(0, 12).map((name) => cleanText(name, 60)),
  };
}

const first = (names: Iterable<string>) => [...names].slice(0, MAX_NAMES);

/** Pagination, rate limits, idempotency, versioning and the error model, from one pass over the spec. */
export function readConventions(doc: SpecDocument): ApiConventions {
  const scan = scanOperations(doc);
  const versioning = [
    ...first(scan.pathVersions).map((version) => `path prefix ${version}`),
    ...first(scan.versionParameters).map((parameter) => `parameter ${parameter}`),
  ];
  return {
    pagination: [...scan.pagination.entries()]
      .map(([style, entry]) => ({ style, parameters: first(entry.names), operations: entry.operations }))
      .sort((a, b) => b.operations - a.operations),
    rateLimit: { operationsWith429: scan.with429, headers: first(scan.rateLimitHeaders) },
    idempotencyHeaders: first(scan.idempotency),
    versioning,
    errorModel: isObject(doc.root.paths) ? errorModel(doc, scan.errorSchemas) : undefined,
  };
}
