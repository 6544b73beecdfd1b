import { asArray, asObject, resolveObject } from './json-ref.ts';
import { listOperations, parametersOf } from './operations.ts';
import type { SpecDocument } from './read-spec.ts';

/** What a section may name, read from the spec once: operations, server prefixes, scopes, headers. */
export interface SpecVocabulary {
  /** Per operation: its method and its path split into segments. */
  readonly operations: readonly { readonly method: string; readonly segments: readonly string[] }[];
  /** First segments of the spec's paths: a mentioned path starting elsewhere is not the API's. */
  readonly firstSegments: ReadonlySet<string>;
  /** Base paths of the servers ("/v2", "/api/v3"), longest first; "" always included. */
  readonly basePaths: readonly string[];
  /** Host names of the servers. */
  readonly hosts: ReadonlySet<string>;
  /** OAuth scopes, as written. */
  readonly scopes: ReadonlySet<string>;
  /** Header names the spec declares anywhere, lower-case. */
  readonly headers: ReadonlySet<string>;
}

export const pathSegments = (path: string) => path.split('/').filter((segment) => segment !== '');

function serverUrls(doc: SpecDocument): URL[] {
  return asArray(doc.root.servers).flatMap((server) => {
    const url = asObject(server).url;
    if (typeof url !== 'string') return [];
    try {
      // Server variables ("https://{region}.example.com/{version}") cannot be parsed as they are.
      return [new URL(url.replace(/\{[^}]*\}/g, 'x'), 'https://relative.invalid')];
    } catch {
      return [];
    }
  });
}

function scopesOf(doc: SpecDocument): Set<string> {
  const scopes = new Set<string>();
  for (const raw of Object.values(asObject(asObject(doc.root.components).securitySchemes))) {
    const scheme = resolveObject(doc.root, raw);
    if (scheme.type !== 'oauth2') continue;
    for (const flow of Object.values(asObject(scheme.flows)))
      for (const scope of Object.keys(asObject(asObject(flow).scopes))) scopes.add(scope);
  }
  return scopes;
}

function headersOf(doc: SpecDocument): Set<string> {
  const headers = new Set<string>();
  const components = asObject(doc.root.components);
  for (const name of Object.keys(asObject(components.headers))) headers.add(name.toLowerCase());
  for (const raw of Object.values(asObject(components.securitySchemes))) {
    const scheme = resolveObject(doc.root, raw);
    if (scheme.type === 'apiKey' && scheme.in === 'header' && typeof scheme.name === 'string')
      headers.add(scheme.name.toLowerCase());
  }
  for (const op of listOperations(doc)) {
    for (const parameter of parametersOf(doc, op))
      if (parameter.in === 'header') headers.add(parameter.name.toLowerCase());
    for (const response of Object.values(asObject(op.operation.responses)))
      for (const name of Object.keys(asObject(resolveObject(doc.root, response).headers)))
        headers.add(name.toLowerCase());
  }
  return headers;
}

const cache = new WeakMap<SpecDocument, SpecVocabulary>();

/** The spec's vocabulary (computed once per document). */
export function specVocabulary(doc: SpecDocument): SpecVocabulary {
  const known = cache.get(doc);
  if (known) return known;
  const operations = listOperations(doc).map((op) => ({
    method: op.method.toUpperCase(),
    segments: pathSegments(op.path),
  }));
  const servers = serverUrls(doc);
  const basePaths = [...new Set(['', ...servers.map((url) => url.pathname.replace(/\/+$/, ''))])].sort(
    (a, b) => b.length - a.length,
  );
  const vocabulary: SpecVocabulary = {
    operations,
    firstSegments: new Set(operations.flatMap((op) => op.segments.slice(0, 1).map((segment) => segment.toLowerCase()))),
    basePaths,
    hosts: new Set(servers.map((url) => url.hostname.toLowerCase()).filter((host) => host !== 'relative.invalid')),
    scopes: scopesOf(doc),
    headers: headersOf(doc),
  };
  cache.set(doc, vocabulary);
  return vocabulary;
}
