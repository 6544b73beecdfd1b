import type { ApiFacts, OperationFact, SecuritySchemeFact } from './api-facts.ts';

/**
 * About 3,000 tokens (≈ 4 characters each): room for the identity, conventions and 25–40
 * operations, small next to a section prompt. The facts go into a delimited data block (the
 * prompt layer's job); every string in them was cleaned when it was read (untrusted-text.ts).
 */
export const FACTS_BUDGET_CHARS = 12_000;

const MAX_LINE_CHARS = 700;
const MAX_LIST_ITEMS = 30;

const list = (items: readonly string[], none = 'none declared in the spec') =>
  items.length === 0
    ? none
    : items.slice(0, MAX_LIST_ITEMS).join(', ') + (items.length > MAX_LIST_ITEMS ? `, … (${items.length} in all)` : '');

const clip = (line: string) => (line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS - 1)}…` : line);

function schemeLine(scheme: SecuritySchemeFact): string {
  switch (scheme.kind) {
    case 'oauth2':
      return `- ${scheme.name}: OAuth 2 ${scheme.flows
        .map((flow) => {
          const urls = [
            flow.authorizationUrl && `authorize ${flow.authorizationUrl}`,
            flow.tokenUrl && `token ${flow.tokenUrl}`,
          ];
          return `${flow.flow} flow (${urls.filter(Boolean).join(', ')}; scopes: ${list(flow.scopes, 'none')})`;
        })
        .join('; ')}`;
    case 'apiKey':
      return `- ${scheme.name}: API key \`${scheme.parameter}\` in ${scheme.in}`;
    case 'http':
      return `- ${scheme.name}: HTTP ${scheme.scheme}${scheme.bearerFormat ? ` (format ${scheme.bearerFormat})` : ''}`;
    case 'mutualTLS':
      return `- ${scheme.name}: mutual TLS (client certificate)`;
    case 'openIdConnect':
      return `- ${scheme.name}: OpenID Connect (${scheme.url})`;
  }
}

function operationLine(op: OperationFact): string {
  const parts = [
    `- ${op.key}${op.deprecated ? ' [DEPRECATED]' : ''}${op.summary ? ` — ${op.summary}` : ''}`,
    op.requiredParameters.length > 0 ? `required: ${op.requiredParameters.join(', ')}` : '',
    op.bodyFields.length > 0 ? `body: ${op.bodyFields.join(', ')}` : '',
    `responses: ${op.responses.join(', ') || 'none'}`,
  ];
  return clip(parts.filter(Boolean).join('; '));
}

function conventionLines(facts: ApiFacts): string[] {
  const pagination = facts.pagination.map(
    (entry) => `${entry.style} (${entry.parameters.join(', ')}) on ${entry.operations} operations`,
  );
  const rate = facts.rateLimit;
  return [
    `Pagination: ${list(pagination)}`,
    `Rate limits: ${rate.operationsWith429 > 0 ? `429 documented on ${rate.operationsWith429} operations` : 'no 429 responses documented'}; headers: ${list(rate.headers)}`,
    `Idempotency headers: ${list(facts.idempotencyHeaders)}`,
    `Versioning: ${list(facts.versioning)}`,
    `Error model: ${facts.errorModel ? `schema ${facts.errorModel.schema} with ${facts.errorModel.fields.join(', ')}` : 'none declared in the spec'}`,
    `Webhooks: ${list(facts.webhooks)}`,
    `Callbacks: ${list(facts.callbacks)}`,
  ].map(clip);
}

/** The facts as compact Markdown for a prompt's data block, at most `budgetChars` long. */
export function renderApiFacts(facts: ApiFacts, budgetChars = FACTS_BUDGET_CHARS): string {
  const head = [
    clip(
      `API: ${facts.title || 'untitled'}, version ${facts.version || 'unknown'} (OpenAPI/Swagger ${facts.specVersion})`,
    ),
    clip(`Servers: ${list(facts.servers)}`),
    `Security schemes${facts.defaultSecurity.length > 0 ? ` (default: ${facts.defaultSecurity.join(' or ')})` : ''}:`,
    ...(facts.security.length > 0
      ? facts.security.map((scheme) => clip(schemeLine(scheme)))
      : ['- none declared in the spec']),
    ...conventionLines(facts),
    `Relevant operations (${facts.operations.length}):`,
  ];
  const lines = [...head];
  let used = head.join('\n').length;
  for (const [index, op] of facts.operations.entries()) {
    const line = operationLine(op);
    const rest = facts.operations.length - index;
    if (used + line.length + 60 > budgetChars) {
      lines.push(`- … ${rest} more relevant operations left out for length`);
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  return lines.join('\n').slice(0, budgetChars);
}
