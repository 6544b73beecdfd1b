import { readConventions, type ApiConventions } from './api-conventions.ts';
import { asArray, asObject, isObject, resolveObject, type JsonObject } from './json-ref.ts';
import { listOperations, parametersOf, type SpecOperation } from './operations.ts';
import { HTTP_METHODS, type SpecDocument } from './read-spec.ts';
import { cleanText } from './untrusted-text.ts';

/** One security scheme, typed per kind. */
export type SecuritySchemeFact =
  | { readonly kind: 'oauth2'; readonly name: string; readonly flows: readonly OAuthFlowFact[] }
  | { readonly kind: 'apiKey'; readonly name: string; readonly parameter: string; readonly in: string }
  | { readonly kind: 'http'; readonly name: string; readonly scheme: string; readonly bearerFormat: string }
  | { readonly kind: 'mutualTLS'; readonly name: string }
  | { readonly kind: 'openIdConnect'; readonly name: string; readonly url: string };

export interface OAuthFlowFact {
  readonly flow: string;
  readonly authorizationUrl: string;
  readonly tokenUrl: string;
  readonly scopes: readonly string[];
}

/** What a plan needs to know about one relevant operation. */
export interface OperationFact {
  readonly key: string;
  readonly summary: string;
  readonly requiredParameters: readonly string[];
  /** Top-level request-body fields; required ones end in `*`. */
  readonly bodyFields: readonly string[];
  readonly responses: readonly string[];
  readonly deprecated: boolean;
}

/** The facts given to the model: computed here, never by the model. */
export interface ApiFacts extends ApiConventions {
  readonly title: string;
  readonly version: string;
  readonly specVersion: string;
  readonly servers: readonly string[];
  readonly security: readonly SecuritySchemeFact[];
  /** Scheme names the whole API requires (alternatives), from the top-level `security`. */
  readonly defaultSecurity: readonly string[];
  readonly operations: readonly OperationFact[];
  readonly webhooks: readonly string[];
  readonly callbacks: readonly string[];
}

const MAX_SCOPES = 40;
const MAX_BODY_FIELDS = 25;

function oauthFlows(scheme: JsonObject): OAuthFlowFact[] {
  return Object.entries(asObject(scheme.flows)).map(([flow, raw]) => {
    const body = asObject(raw);
    return {
      flow: cleanText(flow, 40),
      authorizationUrl: cleanText(body.authorizationUrl, 200),
      tokenUrl: cleanText(body.tokenUrl, 200),
      scopes: Object.keys(asObject(body.scopes))
        .slice(0, MAX_SCOPES)
        .map((scope) => cleanText(scope, 80)),
    };
  });
}

function securitySchemes(doc: SpecDocument): SecuritySchemeFact[] {
  const schemes: SecuritySchemeFact[] = [];
  for (const [rawName, raw] of Object.entries(asObject(asObject(doc.root.components).securitySchemes))) {
    const scheme = resolveObject(doc.root, raw);
    const name = cleanText(rawName, 60);
    if (scheme.type === 'oauth2') schemes.push({ kind: 'oauth2', name, flows: oauthFlows(scheme) });
    else if (scheme.type === 'apiKey')
      schemes.push({ kind: 'apiKey', name, parameter: cleanText(scheme.name, 80), in: cleanText(scheme.in, 20) });
    else if (scheme.type === 'http')
      schemes.push({
        kind: 'http',
        name,
        scheme: cleanText(scheme.scheme, 30),
        bearerFormat: cleanText(scheme.bearerFormat, 40),
      });
    else if (scheme.type === 'mutualTLS') schemes.push({ kind: 'mutualTLS', name });
    else if (scheme.type === 'openIdConnect')
      schemes.push({ kind: 'openIdConnect', name, url: cleanText(scheme.openIdConnectUrl, 200) });
  }
  return schemes;
}

/** The request body's top-level fields (JSON first, then forms), `allOf` parts merged. */
function bodyFields(doc: SpecDocument, operation: JsonObject): string[] {
  const content = asObject(resolveObject(doc.root, operation.requestBody).content);
  const media =
    Object.keys(content).find((type) => /json/i.test(type)) ??
    Object.keys(content).find((type) => /form/i.test(type)) ??
    Object.keys(content)[0];
  if (media === undefined) return [];
  const schema = resolveObject(doc.root, asObject(content[media]).schema);
  const parts = [schema, ...asArray(schema.allOf).map((part) => resolveObject(doc.root, part))];
  const required = new Set(parts.flatMap((part) => asArray(part.required)).filter((name) => typeof name === 'string'));
  const names = [...new Set(parts.flatMap((part) => Object.keys(asObject(part.properties))))];
  return names.slice(0, MAX_BODY_FIELDS).map((name) => `${cleanText(name, 60)}${required.has(name) ? '*' : ''}`);
}

function operationFact(doc: SpecDocument, op: SpecOperation): OperationFact {
  return {
    key: op.key,
    summary: op.summary,
    requiredParameters: parametersOf(doc, op)
      .filter((parameter) => parameter.required)
      .map((parameter) => `${parameter.name} (${parameter.in})`),
    bodyFields: bodyFields(doc, op.operation),
    responses: Object.keys(asObject(op.operation.responses)).map((code) => cleanText(code, 12)),
    deprecated: op.deprecated,
  };
}

function webhooks(doc: SpecDocument): string[] {
  const hooks = { ...asObject(doc.root['x-webhooks']), ...asObject(doc.root.webhooks) };
  return Object.entries(hooks).flatMap(([name, raw]) => {
    const item = resolveObject(doc.root, raw);
    return HTTP_METHODS.filter((method) => isObject(item[method])).map(
      (method) => `${cleanText(name, 80)}: ${method.toUpperCase()}`,
    );
  });
}

function callbacks(doc: SpecDocument): string[] {
  return listOperations(doc).flatMap((op) =>
    Object.keys(asObject(op.operation.callbacks)).map((name) => `${op.key} → ${cleanText(name, 80)}`),
  );
}

/**
 * The spec's facts for a plan: identity, security, conventions, and the operations named by
 * `relevantKeys` ("POST /v1/refunds", in the caller's order of relevance; unknown keys are skipped).
 */
export function computeApiFacts(doc: SpecDocument, relevantKeys: readonly string[]): ApiFacts {
  const byKey = new Map(listOperations(doc).map((op) => [op.key, op]));
  const relevant = relevantKeys.flatMap((key) => byKey.get(key) ?? []);
  return {
    title: doc.title,
    version: doc.version,
    specVersion: doc.specVersion,
    servers: asArray(doc.root.servers)
      .map((server) => cleanText(asObject(server).url, 200))
      .filter(Boolean),
    security: securitySchemes(doc),
    defaultSecurity: asArray(doc.root.security).flatMap((requirement) =>
      Object.keys(asObject(requirement)).map((name) => cleanText(name, 60)),
    ),
    operations: relevant.map((op) => operationFact(doc, op)),
    webhooks: webhooks(doc),
    callbacks: callbacks(doc),
    ...readConventions(doc),
  };
}
