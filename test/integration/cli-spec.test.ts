import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PromptLibrary } from '../../src/prompts/load-prompts.ts';
import type { FakeModelRequest, FakeModelServer } from '../fakes/fake-model-types.ts';
import { createPlanWriter } from '../fakes/plan-writer.ts';
import { fakeEnv, startFake } from '../helpers/model-harness.ts';
import { loadTestPrompts, REPO_ROOT } from '../helpers/prompts.ts';
import { runCli } from '../helpers/run-cli.ts';

// Grounded plans through the CLI: a real Swagger 2.0 document (the petstore of @readme/oas-examples),
// the fake model writing a section that names an endpoint the spec does not have.
const PETSTORE = path.join(REPO_ROOT, 'node_modules/@readme/oas-examples/2.0/yaml/petstore.yaml');
const INVENTED = 'Adoptions are booked with `POST /pet/{petId}/adopt`; orders go through `POST /store/order`.';

let prompts: PromptLibrary;
let dataDir: string;
let server: FakeModelServer | undefined;
beforeAll(async () => {
  prompts = await loadTestPrompts();
  dataDir = await mkdtemp(path.join(tmpdir(), 'cli-spec-'));
}, 60_000);
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const FLAGS = [
  '--system',
  'Shopware 6 (PHP 8.3)',
  '--target',
  'Swagger Petstore',
  '--use-case',
  'Book pet adoptions and place store orders',
  '--calls-per-second',
  '5',
  '--data-volume',
  '1 GB/day',
  '--budget',
  '6 weeks',
  '--strategy',
  'parallel',
];

interface JsonPlan {
  planId: number;
  spec: { source: string; title: string; version: string; sha256: string; operations: number } | null;
  sections: { key: string; markdown: string; notInSpec: string[] }[];
  changes: { field: string; from: string; to: string }[];
}

const cli = (args: readonly string[], env: Record<string, string> = {}) => runCli(args, { DATA_DIR: dataDir, ...env });
const userText = (request: FakeModelRequest) => request.messages.map((message) => message.content).join('\n');
const isRepair = (request: FakeModelRequest) => userText(request).includes("not in the target API's spec");
const isPick = (request: FakeModelRequest) => userText(request).includes('<data name="operation_index">');

/** What a model would pick for the use case: the order and pet operations. */
const ordersAndPets = (operations: readonly string[]) =>
  operations.filter((op) => /\/store\/order|\/pet\/\{petId\}/u.test(op));

async function planWithSpec(repair: 'fix' | 'keep' | 'worse', inject = INVENTED) {
  const model = await startFake('anthropic', {
    respond: createPlanWriter(prompts, { inject, repair, pick: ordersAndPets }),
  });
  server = model;
  const run = await cli(['plan', ...FLAGS, '--spec', PETSTORE, '--json'], fakeEnv('anthropic', model));
  expect(run.stderr).not.toContain('error');
  expect(run.code).toBe(0);
  return { output: JSON.parse(run.stdout) as JsonPlan, requests: model.requests, env: fakeEnv('anthropic', model) };
}

describe('integration-planner plan --spec', () => {
  it('gives every prompt the spec facts, sends a section naming an unknown endpoint back once, keeps the repair', async () => {
    const { output, requests } = await planWithSpec('fix');
    expect(output.spec).toMatchObject({ source: 'petstore.yaml', title: 'Swagger Petstore', operations: 20 });
    expect(output.spec?.sha256).toMatch(/^[0-9a-f]{64}$/u);
    const sectionCalls = requests.filter((request) => !isRepair(request) && !isPick(request));
    for (const request of sectionCalls) {
      expect(userText(request)).toContain('<data name="api_spec">');
      expect(userText(request)).toContain('API: Swagger Petstore');
    }
    expect(sectionCalls.some((request) => userText(request).includes('POST /store/order'))).toBe(true);
    const repairs = requests.filter(isRepair);
    expect(repairs).toHaveLength(1);
    expect(repairs.map(userText).join('\n')).toContain('- POST /pet/{petId}/adopt');
    expect(output.sections.every((section) => section.notInSpec.length === 0)).toBe(true);
    expect(output.sections.map((section) => section.markdown).join('\n')).not.toContain('/adopt');
  });

  it('reports what is still not in the spec after the repair, with the section, in JSON and Markdown', async () => {
    const { output } = await planWithSpec('keep');
    const flagged = output.sections.filter((section) => section.notInSpec.length > 0);
    expect(flagged).toHaveLength(1);
    expect(flagged[0]?.notInSpec).toEqual(['POST /pet/{petId}/adopt']);
    const shown = await cli(['show', String(output.planId)]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('API spec: Swagger Petstore 1.0.0 (petstore.yaml)');
    expect(shown.stdout).toContain('> **Not in the API spec:** POST /pet/{petId}/adopt');
  });

  it('keeps the first version when the repair names more unknown endpoints', async () => {
    const { output, requests } = await planWithSpec('worse');
    expect(requests.filter(isRepair)).toHaveLength(1);
    const flagged = output.sections.filter((section) => section.notInSpec.length > 0);
    expect(flagged.map((section) => section.notInSpec)).toEqual([['POST /pet/{petId}/adopt']]);
    expect(output.sections.map((section) => section.markdown).join('\n')).not.toContain('/strays');
  });

  it('does not send back what a section itself says the spec lacks, but reports it', async () => {
    const said = 'Bulk adoptions would need `POST /pet/{petId}/adopt`, which is not in the API spec; ask the vendor.';
    const { output, requests } = await planWithSpec('fix', said);
    expect(requests.filter(isRepair)).toHaveLength(0);
    expect(output.sections.flatMap((section) => section.notInSpec)).toEqual(['POST /pet/{petId}/adopt']);
  });

  it('keeps the revision’s spec on a re-run without --spec', async () => {
    const { output, requests, env } = await planWithSpec('fix');
    const grounded = () => requests.filter((request) => userText(request).includes('<data name="api_spec">')).length;
    const firstRevision = grounded();
    const rerun = await cli(['rerun', String(output.planId), '--calls-per-second', '50', '--json'], env);
    expect(rerun.code).toBe(0);
    const second = JSON.parse(rerun.stdout) as JsonPlan;
    expect(second.spec).toEqual(output.spec);
    // The re-run's decisions and seven sections are grounded in the same spec.
    expect(grounded() - firstRevision).toBeGreaterThanOrEqual(8);
    expect(second.changes).toEqual([{ field: 'callsPerSecond', from: '5', to: '50' }]);
  });

  it('says in "what changed" that a re-run’s spec is another document, and refuses the same one again', async () => {
    const { output, requests, env } = await planWithSpec('fix');
    const before = requests.length;
    const openapi3 = path.join(REPO_ROOT, 'node_modules/@readme/oas-examples/3.0/yaml/petstore.yaml');
    const rerun = await cli(['rerun', String(output.planId), '--spec', openapi3, '--json'], env);
    expect(rerun.code).toBe(0);
    const second = JSON.parse(rerun.stdout) as JsonPlan;
    const short = (sha: string) => sha.slice(0, 8);
    expect(second.spec?.source).toBe('petstore.yaml');
    expect(second.spec?.sha256).not.toBe(output.spec?.sha256);
    expect(second.changes).toEqual([
      {
        field: 'apiSpec',
        from: `${output.spec?.version} · sha256 ${short(output.spec?.sha256 ?? '')}`,
        to: `${second.spec?.version} · sha256 ${short(second.spec?.sha256 ?? '')}`,
      },
    ]);
    // The sections are told what changed, in the prompt's own words.
    const told = requests.slice(before).filter((request) => userText(request).includes('API spec: '));
    expect(told.length).toBeGreaterThanOrEqual(7);
    const again = await cli(['rerun', String(output.planId), '--spec', openapi3], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('Nothing changed');
  });

  it('lets the model pick the operations for a German use case; invented ones are dropped', async () => {
    const pick = () => ['POST /store/order', '`GET /pet/{petId}`', 'DELETE /nowhere'];
    const model = await startFake('anthropic', { respond: createPlanWriter(prompts, { pick }) });
    server = model;
    const german = FLAGS.map((flag) =>
      flag === 'Book pet adoptions and place store orders'
        ? 'Haustier-Adoptionen buchen und Bestellungen im Laden aufgeben'
        : flag,
    );
    const run = await cli(['plan', ...german, '--spec', PETSTORE, '--json'], fakeEnv('anthropic', model));
    expect(run.code).toBe(0);
    const picks = model.requests.filter(isPick);
    expect(picks).toHaveLength(1);
    expect(userText(picks[0] as FakeModelRequest)).toContain('POST /store/order | Place an order for a pet');
    const section = model.requests.find((request) => userText(request).includes('<data name="api_spec">'));
    const facts = userText(section as FakeModelRequest);
    expect(facts).toContain('Relevant operations (2)');
    expect(facts).toContain('POST /store/order');
    expect(facts).toContain('GET /pet/{petId}');
    expect(facts).not.toContain('/nowhere');
  });

  it('refuses a file that is not a spec with its reason, asks no model and saves nothing', async () => {
    server = await startFake('anthropic', { respond: createPlanWriter(prompts) });
    const notSpec = path.join(dataDir, 'notes.yaml');
    await writeFile(notSpec, 'title: meeting notes\nitems: [a, b]\n');
    const before = await cli(['list', '--json']);
    const run = await cli(['plan', ...FLAGS, '--spec', notSpec], fakeEnv('anthropic', server));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('notes.yaml');
    expect(run.stderr).toContain('no `openapi` or `swagger` field');
    expect(server.requests).toHaveLength(0);
    expect((await cli(['list', '--json'])).stdout).toBe(before.stdout);
  });

  it('downloads the spec from an allow-listed URL, and refuses a loopback URL without the allow-list', async () => {
    const body = await readFile(PETSTORE);
    const specServer: Server = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/yaml' }).end(body),
    );
    await new Promise<void>((resolve) => specServer.listen(0, '127.0.0.1', resolve));
    const { port } = specServer.address() as { port: number };
    const url = `http://127.0.0.1:${port}/petstore.yaml`;
    try {
      const model = await startFake('anthropic', { respond: createPlanWriter(prompts) });
      server = model;
      const refused = await cli(['plan', ...FLAGS, '--spec', url], fakeEnv('anthropic', model));
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('127.0.0.1');
      expect(model.requests).toHaveLength(0);
      const env = fakeEnv('anthropic', model, { SPEC_FETCH_ALLOW_HOSTS: '127.0.0.1' });
      const run = await cli(['plan', ...FLAGS, '--spec', url, '--json'], env);
      expect(run.code).toBe(0);
      expect((JSON.parse(run.stdout) as JsonPlan).spec).toMatchObject({ source: url, title: 'Swagger Petstore' });
    } finally {
      await new Promise((resolve) => specServer.close(resolve));
    }
  });

  it('finds a spec for the target API in SPEC_CATALOG_DIR when none is given, and names it', async () => {
    const catalog = await mkdtemp(path.join(tmpdir(), 'catalog-'));
    await mkdir(path.join(catalog, 'swagger.io'));
    await writeFile(path.join(catalog, 'swagger.io', 'petstore.yaml'), await readFile(PETSTORE));
    const model = await startFake('anthropic', { respond: createPlanWriter(prompts) });
    server = model;
    const env = fakeEnv('anthropic', model, { SPEC_CATALOG_DIR: catalog });
    const found = await cli(['plan', ...FLAGS, '--json'], env);
    expect(found.code).toBe(0);
    const plan = JSON.parse(found.stdout) as JsonPlan;
    expect(plan.spec).toMatchObject({ source: 'catalog swagger.io/petstore', title: 'Swagger Petstore' });
    const grounded = model.requests.filter((request) =>
      userText(request).includes('Source: catalog swagger.io/petstore'),
    );
    expect(grounded.length).toBeGreaterThanOrEqual(7);
    // A spec given wins over the catalog; a target no provider in it has gets none.
    const given = await cli(['plan', ...FLAGS, '--spec', PETSTORE, '--json'], env);
    expect((JSON.parse(given.stdout) as JsonPlan).spec?.source).toBe('petstore.yaml');
    const other = await cli(
      ['plan', ...FLAGS.map((flag) => (flag === 'Swagger Petstore' ? 'Globex ERP' : flag)), '--json'],
      env,
    );
    expect((JSON.parse(other.stdout) as JsonPlan).spec).toBeNull();
  });

  it('refuses a missing file as a usage error', async () => {
    const model = { LLM_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: 'sk-ant-test-key' };
    const run = await cli(['plan', ...FLAGS, '--spec', path.join(dataDir, 'nope.json')], model);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no such file');
  });
});
