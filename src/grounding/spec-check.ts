import type { SpecDocument } from './read-spec.ts';
import { pathSegments, specVocabulary, type SpecVocabulary } from './spec-vocabulary.ts';

/** Something a section names that the spec does not have. */
export type NotInSpec =
  | { readonly kind: 'endpoint'; readonly method: string; readonly path: string }
  | { readonly kind: 'scope'; readonly scope: string }
  | { readonly kind: 'header'; readonly header: string };

/** "POST /v1/bulk_refunds", "scope write:orders", "header X-Stripe-Foo": how reports name them. */
export function notInSpecLabel(item: NotInSpec): string {
  switch (item.kind) {
    case 'endpoint':
      return `${item.method} ${item.path}`;
    case 'scope':
      return `scope ${item.scope}`;
    case 'header':
      return `header ${item.header}`;
  }
}

const MAX_REPORTED = 30;

/**
 * How a section says itself that the spec lacks something, as the prompt asks it to ("… is not
 * in the API spec", "fehlt in der Spezifikation"): such a mention is reported, not repaired.
 */
const ACKNOWLEDGED =
  /\bnot (?:in|part of|covered by|documented in|defined in|available in|offered by|described in) the (?:api |openapi )?spec(?:ification)?\b|\b(?:missing|absent) (?:from|in) the (?:api |openapi )?spec(?:ification)?\b|\bthe (?:api )?spec(?:ification)? (?:has|offers|defines|documents|lists) no\b|\bnicht (?:in|Teil) der (?:API-|OpenAPI-)?Spezifikation\b|\bfehlt in der (?:API-|OpenAPI-)?Spezifikation\b|\bdie (?:API-)?Spezifikation (?:enthält|bietet|kennt|beschreibt|definiert) (?:keine|keinen|kein)\b/iu;

/** Whether a line naming `item` says that the spec lacks it. */
export function acknowledgedMissing(markdown: string, item: NotInSpec): boolean {
  const needle = item.kind === 'endpoint' ? item.path : item.kind === 'scope' ? item.scope : item.header;
  return markdown.split('\n').some((line) => line.includes(needle) && ACKNOWLEDGED.test(line));
}
const ENDPOINT = /\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE)\s+`?((?:https?:\/\/[^\s/`'"<>)]+)?\/[^\s`'"<>)]*)/g;
/** A placeholder as plans write it: `{id}`, `:id`, `<id>`. */
const PLACEHOLDER = /^(\{[^}]*\}|:[\w-]+|<[^>]*>)$/;

function segmentMatches(template: string, mentioned: string): boolean {
  if (PLACEHOLDER.test(mentioned)) return true; // a placeholder in the plan stands for any value
  if (!template.includes('{')) return template.toLowerCase() === mentioned.toLowerCase();
  const pattern = template
    .split(/(\{[^}]*\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`, 'i').test(mentioned);
}

function pathKnown(vocabulary: SpecVocabulary, method: string, segments: readonly string[]): boolean {
  return vocabulary.operations.some(
    (op) =>
      op.method === method &&
      op.segments.length === segments.length &&
      op.segments.every((template, index) => segmentMatches(template, segments[index] ?? '')),
  );
}

/**
 * The mentioned path's segments below the server's base path, or undefined when the mention is
 * not about this API: a URL of another host (a webhook receiver, say), or a bare path that neither
 * starts with a server base path (`/api/…` for Slack) nor with a first segment some spec path
 * has (`/v1/…` for Stripe). Conservative on purpose: a false "not in spec" costs more than a miss.
 */
function apiPath(vocabulary: SpecVocabulary, path: string, onApiHost: boolean): string[] | undefined {
  for (const base of vocabulary.basePaths) {
    if (base !== '' && !path.toLowerCase().startsWith(`${base.toLowerCase()}/`)) continue;
    const segments = pathSegments(path.slice(base.length));
    const first = segments[0]?.toLowerCase() ?? '';
    if (segments.length > 0 && (onApiHost || base !== '' || vocabulary.firstSegments.has(first))) return segments;
  }
  return undefined;
}

/** A mention's target without query, fragment and trailing punctuation; URLs split into host and path. */
function mentionedPath(vocabulary: SpecVocabulary, target: string): { path: string; onApiHost: boolean } | undefined {
  const cleaned = target.replace(/[?#].*$/, '').replace(/[.,;:!]+$/, '');
  const url = /^https?:\/\/([^/]+)(\/.*)?$/i.exec(cleaned);
  if (!url) return { path: cleaned, onApiHost: false };
  const host = (url[1] ?? '').toLowerCase().replace(/:\d+$/, '');
  return vocabulary.hosts.has(host) ? { path: url[2] ?? '/', onApiHost: true } : undefined;
}

function endpointsNotInSpec(vocabulary: SpecVocabulary, markdown: string): NotInSpec[] {
  const found: NotInSpec[] = [];
  for (const match of markdown.matchAll(ENDPOINT)) {
    const method = match[1] ?? '';
    const mention = mentionedPath(vocabulary, match[2] ?? '');
    const segments = mention && apiPath(vocabulary, mention.path, mention.onApiHost);
    if (!mention || !segments) continue;
    const known =
      pathKnown(vocabulary, method, segments) ||
      vocabulary.basePaths.some(
        (base) => base !== '' && pathKnown(vocabulary, method, [...pathSegments(base), ...segments]),
      );
    if (!known) found.push({ kind: 'endpoint', method, path: mention.path });
  }
  return found;
}

/** Offsets of code spans and fenced blocks: the places a plan writes identifiers. */
function codeRanges(markdown: string): [number, number][] {
  return [...markdown.matchAll(/```[\s\S]*?(?:```|$)|~~~[\s\S]*?(?:~~~|$)|`[^`\n]+`/g)].map((match) => [
    match.index,
    match.index + match[0].length,
  ]);
}

const inCode = (ranges: readonly [number, number][], offset: number) =>
  ranges.some(([start, end]) => offset >= start && offset < end);

/** First words of standard HTTP headers (RFC 9110 and friends): never an API's own header. */
const STANDARD =
  /^(accept|access|age|allow|alt|authorization|cache|connection|content|cookie|cross|date|dnt|early|etag|expect|expires|forwarded|from|host|if|keep|last|link|location|max|origin|pragma|proxy|range|referer|referrer|retry|sec|server|set|strict|te|trailer|transfer|upgrade|user|vary|via|warning|www)$/;
/** `X-` headers a plan names for its own infrastructure, not the API's. */
const INFRASTRUCTURE =
  /^x-(forwarded-.*|real-ip|request-id|correlation-id|frame-options|content-type-options|xss-protection|powered-by|amzn-.*|b3-.*|cloud-trace-context)$/i;
const MARKED_HEADER = /\b((?:X|RateLimit|Idempotency)-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)\b/g;
const BRAND_HEADER = /\b([A-Z][A-Za-z0-9]+(?:-[A-Z][A-Za-z0-9]*)+)\b/g;

/**
 * Headers only an API defines: `X-…`, `Idempotency-Key`, `RateLimit-…` anywhere, and, inside
 * code, ones sharing the first word of a header the spec declares (`Stripe-Foo` when it has
 * `Stripe-Version`; in prose "Stripe-Hosted Checkout" is not a header). Standard HTTP headers
 * and infrastructure ones a plan names for its own side are never reported.
 */
function headersNotInSpec(vocabulary: SpecVocabulary, markdown: string): NotInSpec[] {
  const prefixes = new Set(
    [...vocabulary.headers]
      .map((header) => header.split('-')[0] ?? '')
      .filter((word) => word !== 'x' && !STANDARD.test(word)),
  );
  const code = codeRanges(markdown);
  const brand = [...markdown.matchAll(BRAND_HEADER)].filter(
    (match) => inCode(code, match.index) && prefixes.has((match[1] ?? '').split('-')[0]?.toLowerCase() ?? ''),
  );
  const found: NotInSpec[] = [];
  for (const match of [...markdown.matchAll(MARKED_HEADER), ...brand].sort((a, b) => a.index - b.index)) {
    const header = match[1] ?? '';
    const lower = header.toLowerCase();
    if (vocabulary.headers.has(lower) || STANDARD.test(lower.split('-')[0] ?? '') || INFRASTRUCTURE.test(header))
      continue;
    found.push({ kind: 'header', header });
  }
  return found;
}

/** "read:" of "read:pets", "https://www.googleapis.com/auth/" of a Google scope: a scope's family. */
const scopePrefix = (scope: string) => /^(.*[:/.])[^:/.]+$/.exec(scope)?.[1];

/**
 * Scopes, only when the spec defines OAuth scopes, and only where a plan clearly names one: a
 * code span on a line that says "scope", holding a token of a family the spec uses
 * (`write:orders` when the spec has `write:pets`). Bare words ("repo", "email") are not checked.
 */
function scopesNotInSpec(vocabulary: SpecVocabulary, markdown: string): NotInSpec[] {
  if (vocabulary.scopes.size === 0) return [];
  const families = new Set([...vocabulary.scopes].flatMap((scope) => scopePrefix(scope) ?? []));
  const found: NotInSpec[] = [];
  for (const line of markdown.split('\n')) {
    if (!/scope/i.test(line)) continue;
    for (const span of line.matchAll(/`([^`]+)`/g))
      for (const token of (span[1] ?? '').split(/[\s,]+/)) {
        const family = scopePrefix(token);
        if (family !== undefined && families.has(family) && !vocabulary.scopes.has(token))
          found.push({ kind: 'scope', scope: token });
      }
  }
  return found;
}

/**
 * What a section names that the spec does not have: endpoints (`METHOD /path` in text, code
 * spans and blocks; templates match concrete paths, server base paths and hosts tolerated),
 * OAuth scopes and API-specific headers. Each once, in order of mention, at most 30.
 */
export function findNotInSpec(markdown: string, doc: SpecDocument): readonly NotInSpec[] {
  const vocabulary = specVocabulary(doc);
  const all = [
    ...endpointsNotInSpec(vocabulary, markdown),
    ...scopesNotInSpec(vocabulary, markdown),
    ...headersNotInSpec(vocabulary, markdown),
  ];
  const seen = new Set<string>();
  return all
    .filter((item) => {
      const label = notInSpecLabel(item).toLowerCase();
      return !seen.has(label) && Boolean(seen.add(label));
    })
    .slice(0, MAX_REPORTED);
}
