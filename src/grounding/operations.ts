import { asArray, asObject, isObject, resolveObject, type JsonObject } from './json-ref.ts';
import { HTTP_METHODS, pathItemOf, type HttpMethod, type SpecDocument } from './read-spec.ts';
import { cleanText } from './untrusted-text.ts';

/** One operation of a spec. `key` ("POST /v1/refunds") is unique in a spec and names it everywhere. */
export interface SpecOperation {
  readonly key: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly operationId: string;
  /** The summary, or the description's first sentence when there is none (Stripe has none). */
  readonly summary: string;
  readonly tags: readonly string[];
  readonly deprecated: boolean;
  readonly operation: JsonObject;
  readonly pathItem: JsonObject;
}

const SUMMARY_CHARS = 160;

function summaryOf(operation: JsonObject): string {
  const summary = cleanText(operation.summary, SUMMARY_CHARS);
  if (summary !== '') return summary;
  const description = descriptionOf(operation, 600);
  const sentence = /^.*?[.!?](?=\s|$)/.exec(description)?.[0] ?? description;
  return cleanText(sentence, SUMMARY_CHARS);
}

/** The description as plain text (specs often write HTML in it), clipped. */
export function descriptionOf(operation: JsonObject, maxChars: number): string {
  const text = typeof operation.description === 'string' ? operation.description.slice(0, maxChars * 4) : '';
  return cleanText(text.replace(/<[^>]*>/g, ' '), maxChars);
}

const cache = new WeakMap<SpecDocument, readonly SpecOperation[]>();

/** The spec's operations in document order (computed once per document). */
export function listOperations(doc: SpecDocument): readonly SpecOperation[] {
  const known = cache.get(doc);
  if (known) return known;
  const operations: SpecOperation[] = [];
  for (const [path, item] of Object.entries(asObject(doc.root.paths))) {
    const pathItem = pathItemOf(doc.root, item);
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (!isObject(operation)) continue;
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method,
        path,
        operationId: cleanText(operation.operationId, 120),
        summary: summaryOf(operation),
        tags: asArray(operation.tags)
          .map((tag) => cleanText(tag, 60))
          .filter((tag) => tag !== ''),
        deprecated: operation.deprecated === true,
        operation,
        pathItem,
      });
    }
  }
  cache.set(doc, operations);
  return operations;
}

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

/** A parameter after `$ref` resolution; path-level parameters merged, the operation's win. */
export interface SpecParameter {
  readonly name: string;
  readonly in: ParameterLocation;
  readonly required: boolean;
}

/** The operation's parameters, path-level ones included (OpenAPI: the operation's override them). */
export function parametersOf(doc: SpecDocument, op: SpecOperation): readonly SpecParameter[] {
  const byKey = new Map<string, SpecParameter>();
  for (const raw of [...asArray(op.pathItem.parameters), ...asArray(op.operation.parameters)]) {
    const parameter = resolveObject(doc.root, raw);
    const name = cleanText(parameter.name, 80);
    const location = parameter.in;
    if (name === '' || !['path', 'query', 'header', 'cookie'].includes(String(location))) continue;
    const where = location as ParameterLocation;
    byKey.set(`${where}:${name.toLowerCase()}`, {
      name,
      in: where,
      required: where === 'path' || parameter.required === true,
    });
  }
  return [...byKey.values()];
}
