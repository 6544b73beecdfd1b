import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latest, type FakeBotConnector, type PostedMessage } from '../fakes/fake-bot-connector.ts';
import {
  executeActivity,
  fileMessageActivity,
  messageActivity,
  type TeamsScene,
} from '../fakes/fake-bot-connector-activities.ts';
import { startSpecHost, type SpecHost } from '../fakes/spec-host.ts';
import { SAMPLE_PLAN_FORM } from '../helpers/plan-form.ts';
import { REPO_ROOT } from '../helpers/prompts.ts';
import { startTeamsService, type TeamsService } from '../helpers/teams-service.ts';
import { until } from '../helpers/until.ts';

// Grounded plans through /api/messages: a real Swagger 2.0 document sent as a file in the 1:1
// chat (Teams' pre-authenticated downloadUrl, here a loopback host opened by
// SPEC_FETCH_ALLOW_HOSTS) or typed as a URL in the form card.
const PETSTORE = readFileSync(path.join(REPO_ROOT, 'node_modules/@readme/oas-examples/2.0/yaml/petstore.yaml'));
const CHAT = 'a:1personal-chat-with-dana';

let harness: TeamsService;
let connector: FakeBotConnector;
let specHost: SpecHost;
let scene: TeamsScene;

beforeAll(async () => {
  specHost = await startSpecHost((req, res) => {
    if (req.url?.startsWith('/personal/dana/petstore.yaml?tempauth=') === true) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(PETSTORE);
    } else res.writeHead(404).end('not found');
  });
  harness = await startTeamsService({
    provider: 'openai',
    writer: { inject: 'Adoptions are booked with `POST /pet/{petId}/adopt`.', repair: 'fix' },
    env: { SPEC_FETCH_ALLOW_HOSTS: `127.0.0.1:${specHost.port}` },
  });
  connector = harness.connector;
  scene = {
    serviceUrl: connector.url,
    tenantId: 'tenant-dana',
    user: { id: '29:dana', name: 'Dana', aadObjectId: '00000000-0000-0000-0000-00000000da0a' },
    kind: 'personal',
    conversationId: CHAT,
  };
}, 60_000);
afterAll(async () => {
  await harness.stop();
  await specHost.close();
});

const textOf = (value: unknown) => JSON.stringify(value);
const FORM = { action: 'plan.submit', formLanguage: 'en', ...SAMPLE_PLAN_FORM, callsPerSecond: 50 };
const grounded = () =>
  harness.model.requests.filter((request) => textOf(request.messages).includes('<data name=\\"api_spec\\">')).length;

/** Sends `activity` and waits for the bot's next message in the chat. */
async function reply(activity: object): Promise<PostedMessage> {
  const before = connector.messages(CHAT).length;
  expect((await harness.post(activity)).status).toBe(200);
  return until(() => connector.messages(CHAT)[before]);
}

/** The form card, posted by `plan`, whose Action.Execute the tests press. */
const formMessage = () => reply(messageActivity(scene, 'plan'));

/** The chat's plan parent for `target` once it says done. */
const finishedPlan = (target: string) =>
  until(
    () =>
      connector
        .messages(CHAT)
        .find((message) => textOf(latest(message)).includes(target) && textOf(latest(message)).includes('Done in')),
    30_000,
  );

describe('Teams: a plan grounded in an API spec', () => {
  it('keeps a spec file sent in the 1:1 chat for the next plan, which uses it once', async () => {
    const downloadUrl = specHost.url('/personal/dana/petstore.yaml?tempauth=v1.secret-token');
    const answer = await reply(fileMessageActivity(scene, { name: 'petstore.yaml', downloadUrl }));
    expect(textOf(latest(answer))).toContain('Got it: **Swagger Petstore 1.0.0** (');
    expect(textOf(latest(answer))).toContain('petstore.yaml) grounds your next plan');

    const form = await formMessage();
    const before = grounded();
    const target = 'Swagger Petstore (chat file)';
    const submit = executeActivity(scene, 'plan.submit', { ...FORM, targetApi: target }, { replyToId: form.id });
    const response = await harness.post(submit);
    expect(textOf(await response.json())).toContain('Working on it');
    const parent = await finishedPlan(target);
    expect(textOf(latest(parent))).toMatch(/Swagger Petstore 1\.0\.0 · petstore\.yaml · \d+ operations/u);
    expect(grounded() - before).toBeGreaterThanOrEqual(7);
    // The section that named an endpoint the spec lacks was sent back once and came back without it.
    const repairs = harness.model.requests.filter((request) =>
      textOf(request.messages).includes("not in the target API's spec"),
    );
    expect(repairs).toHaveLength(1);
    expect(textOf(connector.messages(CHAT).map(latest))).not.toContain('/adopt');

    // Used once: the next plan has no spec.
    const next = await formMessage();
    const afterFirst = grounded();
    await harness.post(
      executeActivity(scene, 'plan.submit', { ...FORM, targetApi: 'No spec API' }, { replyToId: next.id }),
    );
    await finishedPlan('No spec API');
    expect(grounded()).toBe(afterFirst);
  }, 60_000);

  it('reads a spec URL after answering the invoke, then replaces the card', async () => {
    const form = await formMessage();
    const url = specHost.url('/personal/dana/petstore.yaml?tempauth=v1.form');
    const target = 'Swagger Petstore (URL)';
    const response = await harness.post(
      executeActivity(scene, 'plan.submit', { ...FORM, targetApi: target, specUrl: url }, { replyToId: form.id }),
    );
    expect(textOf(await response.json())).toContain('Reading the API spec');
    const replaced = await until(() => {
      const card = connector.messages(CHAT).find((message) => message.id === form.id);
      return card !== undefined && textOf(latest(card)).includes('Working on it') ? card : undefined;
    });
    expect(replaced.versions.length).toBeGreaterThanOrEqual(2);
    await finishedPlan(target);
  }, 60_000);

  it('brings the form back with the URL kept and the reason under it when the spec cannot be read', async () => {
    const form = await formMessage();
    const url = specHost.url('/missing.yaml');
    await harness.post(
      executeActivity(
        scene,
        'plan.submit',
        { ...FORM, targetApi: 'Missing spec', specUrl: url },
        { replyToId: form.id },
      ),
    );
    const back = await until(() => {
      const card = connector.messages(CHAT).find((message) => message.id === form.id);
      return card !== undefined && textOf(latest(card)).includes('specUrlError') ? card : undefined;
    });
    const card = textOf(latest(back));
    expect(card).toContain('the server answered with HTTP status 404');
    expect(card).toContain(url);
    expect(card).toContain('Missing spec');
  }, 30_000);

  it('refuses what is not a spec file, and files outside the 1:1 chat', async () => {
    const notes = await reply(fileMessageActivity(scene, { name: 'notes.docx', downloadUrl: specHost.url('/x') }));
    expect(textOf(latest(notes))).toContain('notes.docx is not a spec file');
    const channel: TeamsScene = { ...scene, kind: 'channel', conversationId: '19:specs@thread.tacv2' };
    const before = connector.messages().length;
    await harness.post(fileMessageActivity(channel, { name: 'petstore.yaml', downloadUrl: specHost.url('/x') }));
    const answer = await until(() => connector.messages()[before]);
    expect(textOf(latest(answer))).toContain('Send a spec file to me in our 1:1 chat');
  });
});
