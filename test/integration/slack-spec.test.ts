import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlackApi, StoredView } from '../fakes/fake-slack-api.ts';
import { startSpecHost, type SpecHost } from '../fakes/spec-host.ts';
import { planSubmissionBody, SAMPLE_PLAN_FORM, type PlanSubmission } from '../helpers/plan-form.ts';
import { REPO_ROOT } from '../helpers/prompts.ts';
import { postSigned, slashCommandBody } from '../helpers/slack-signing.ts';
import { startSlackService, type SlackService } from '../helpers/slack-service.ts';
import { until } from '../helpers/until.ts';

// Grounded plans through the signed Slack endpoint: a real Swagger 2.0 document uploaded in the
// form (downloaded from the fake Slack's file host with the bot token) or given by URL (a loopback
// host opened by SPEC_FETCH_ALLOW_HOSTS); the fake model names an endpoint the spec lacks.
const SECRET = 'test-signing-secret-spec-0123456789';
const CHANNEL = 'C0SPECS';
const USER = 'U0GRACE';
const PETSTORE = readFileSync(path.join(REPO_ROOT, 'node_modules/@readme/oas-examples/2.0/yaml/petstore.yaml'));
const INVENTED = 'Adoptions are booked with `POST /pet/{petId}/adopt`.';

let harness: SlackService;
let slack: FakeSlackApi;
let events: string;
let specHost: SpecHost;

beforeAll(async () => {
  specHost = await startSpecHost((req, res) => {
    if (req.url === '/petstore.yaml') res.writeHead(200, { 'content-type': 'application/yaml' }).end(PETSTORE);
    else res.writeHead(404).end('not found');
  });
  harness = await startSlackService({
    signingSecret: SECRET,
    provider: 'anthropic',
    writer: { inject: INVENTED, repair: 'keep' },
    env: { SPEC_FETCH_ALLOW_HOSTS: `127.0.0.1:${specHost.port}`, PLAN_STRATEGY: 'parallel' },
  });
  ({ slack, events } = harness);
}, 60_000);
afterAll(async () => {
  await harness.stop();
  await specHost.close();
});

/** Opens the form as the slash command does, so the fake knows the view that views.update changes. */
async function openForm(): Promise<StoredView> {
  const before = slack.views().length;
  const command = slashCommandBody({
    text: '',
    command: '/integration-plan',
    userId: USER,
    teamId: slack.teamId,
    channelId: CHANNEL,
    responseUrl: 'http://127.0.0.1:9/unused',
    triggerId: `${before}.${Date.now()}.trigger`,
  });
  expect((await postSigned(events, command, SECRET)).status).toBe(200);
  return until(() => slack.views()[before]);
}

async function submit(viewId: string, spec: PlanSubmission['spec'], form = SAMPLE_PLAN_FORM) {
  const body = planSubmissionBody({ viewId, channelId: CHANNEL, teamId: slack.teamId, userId: USER, form, spec });
  const response = await postSigned(events, body, SECRET);
  expect(response.status).toBe(200);
  return (await response.json()) as { response_action: string; view?: unknown; errors?: Record<string, string> };
}

const blocksText = (view: StoredView | undefined) => JSON.stringify(view?.view['blocks'] ?? []);
/** The view once views.update has replaced the "reading the spec" window (the ack's `update`). */
const settled = (viewId: string) =>
  until(() => {
    const updated = slack
      .callsTo('views.update')
      .some((call) => call.body['view_id'] === viewId && call.error === undefined);
    return updated ? slack.views().find((candidate) => candidate.id === viewId) : undefined;
  }, 20_000);

/** The plan's thread once all seven sections are in. */
const finishedThread = (title: string) =>
  until(() => {
    const parent = slack
      .messages(CHANNEL)
      .find((message) => message.text.includes(title) && message.thread_ts === undefined);
    const thread = parent === undefined ? [] : slack.planThread(CHANNEL, parent.ts);
    return thread.length === 8 && JSON.stringify(thread[0]?.blocks).includes('Done in') ? thread : undefined;
  }, 40_000);

const groundedRequests = () =>
  harness.model.requests.filter((request) =>
    request.messages.some((message) => message.content.includes('<data name="api_spec">')),
  ).length;

describe('Slack: a plan grounded in an API spec from the form', () => {
  it('downloads an uploaded spec with the bot token, answers at once, and grounds and checks the plan', async () => {
    const opened = await openForm();
    const file = slack.userUpload('petstore.yaml', PETSTORE, 'application/x-yaml');
    const form = { ...SAMPLE_PLAN_FORM, targetApi: 'Swagger Petstore (upload)' };
    const before = groundedRequests();
    const ack = await submit(opened.id, { file }, form);
    expect(ack.response_action).toBe('update');
    expect(JSON.stringify(ack.view)).toContain('Reading the API spec *petstore.yaml*');
    const started = await settled(opened.id);
    expect(blocksText(started)).toContain('grounded in *Swagger Petstore 1.0.0*');
    expect(slack.fileDownloads).toEqual([{ fileId: file['id'], token: slack.botToken }]);
    const thread = await finishedThread('Swagger Petstore (upload)');
    expect(groundedRequests() - before).toBeGreaterThanOrEqual(7);
    // The parent names the spec the plan was written against.
    expect(JSON.stringify(thread[0]?.blocks)).toMatch(/Swagger Petstore 1\.0\.0 · petstore\.yaml · \d+ operations/u);
    // The section that kept the invented endpoint after its repair says so in its footer.
    expect(JSON.stringify(thread)).toContain('Not in the API spec: POST /pet/{petId}/adopt');
  }, 60_000);

  it('downloads a spec from a URL', async () => {
    const opened = await openForm();
    const form = { ...SAMPLE_PLAN_FORM, targetApi: 'Swagger Petstore (URL)' };
    const ack = await submit(opened.id, { url: specHost.url('/petstore.yaml') }, form);
    expect(ack.response_action).toBe('update');
    expect(blocksText(await settled(opened.id))).toContain('Swagger Petstore 1.0.0');
    const thread = await finishedThread('Swagger Petstore (URL)');
    expect(JSON.stringify(thread[0]?.blocks)).toContain('Swagger Petstore');
    expect(specHost.requests.some((request) => request.url === '/petstore.yaml')).toBe(true);
  }, 60_000);

  it('brings the form back with everything typed and the reason when the file is not a spec', async () => {
    const opened = await openForm();
    const file = slack.userUpload('notes.yaml', 'title: meeting notes\nitems: [a, b]\n', 'application/x-yaml');
    const form = { ...SAMPLE_PLAN_FORM, targetApi: 'Not-a-spec API' };
    expect((await submit(opened.id, { file }, form)).response_action).toBe('update');
    const back = await settled(opened.id);
    expect(back.view['callback_id']).toBe('plan_modal');
    const text = blocksText(back);
    expect(text).toContain('The API spec (notes.yaml) cannot be used');
    expect(text).toContain('no `openapi` or `swagger` field');
    expect(text).toContain('"initial_value":"Not-a-spec API"');
    expect(slack.messages(CHANNEL).some((message) => message.text.includes('Not-a-spec API'))).toBe(false);
  }, 30_000);

  it('refuses a URL that cannot work and a file with a URL at once, under the field', async () => {
    const opened = await openForm();
    const plain = await submit(opened.id, { url: 'http://specs.example.com/openapi.yaml' });
    expect(plain.response_action).toBe('errors');
    expect(plain.errors?.['specUrl']).toContain('only https URLs are downloaded');
    const file = slack.userUpload('petstore.yaml', PETSTORE);
    const both = await submit(opened.id, { file, url: specHost.url('/petstore.yaml') });
    expect(both).toEqual({
      response_action: 'errors',
      errors: { specUrl: 'Give the spec as a file or as a URL, not both.' },
    });
  });
});
