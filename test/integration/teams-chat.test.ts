import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latest, MAX_MESSAGE_BYTES, type FakeBotConnector, type PostedMessage } from '../fakes/fake-bot-connector.ts';
import {
  executeActivity,
  installActivity,
  invokeActivity,
  messageActivity,
  type TeamsScene,
} from '../fakes/fake-bot-connector-activities.ts';
import { until } from '../helpers/until.ts';
import { startTeamsService, type TeamsService } from '../helpers/teams-service.ts';

const CHAT = 'a:1personal-chat-with-bob';
let harness: TeamsService;
let connector: FakeBotConnector;
let scene: TeamsScene;

beforeAll(async () => {
  // Long sections (about 40 KB each), so they must be split to fit Teams' message size.
  harness = await startTeamsService({ provider: 'openai', writer: { paragraphsPerItem: 40 } });
  connector = harness.connector;
  scene = {
    serviceUrl: connector.url,
    tenantId: 'tenant-bob',
    user: { id: '29:bob', name: 'Bob', aadObjectId: '00000000-0000-0000-0000-000000000b0b' },
    kind: 'personal',
    conversationId: CHAT,
    locale: 'de-DE',
  };
}, 60_000);
afterAll(async () => {
  await harness.stop();
});

const FORM = {
  existingSystem: 'SAP ECC 6 (ABAP), Oracle 19c',
  targetApi: 'Salesforce REST API',
  useCase: 'Kundenstammdaten nachts abgleichen',
  callsPerSecond: 5,
  dataVolume: '500 MB/Tag',
  budget: '2 Monate',
  variation: 'legacy',
  language: 'de',
};
const textOf = (value: unknown) => JSON.stringify(value);

interface TaskAnswer {
  task: {
    type: string;
    value:
      | { card?: { content: { body: { id?: string; type: string; value?: unknown }[]; actions: { type: string }[] } } }
      | string;
  };
}

let greeting: Promise<PostedMessage> | undefined;
/** The bot installed in Bob's chat, and its greeting (the chat's first message); done on first use. */
function greeted() {
  return (greeting ??= (async () => {
    expect((await harness.post(installActivity(scene))).status).toBe(200);
    return until(() => connector.messages(CHAT)[0]);
  })());
}

let dialogs: Promise<{ invalid: TaskAnswer; accepted: TaskAnswer }> | undefined;
/** Plan 1 from the dialogs: first with a bad value (kept open), then valid from the message extension. */
function submitFromDialogs() {
  return (dialogs ??= (async () => {
    await greeted();
    const bad = await harness.post(
      invokeActivity(scene, 'task/submit', {
        data: { action: 'plan.submit', formLanguage: 'de', ...FORM, callsPerSecond: 0 },
      }),
    );
    const good = await harness.post(
      invokeActivity(scene, 'composeExtension/submitAction', {
        commandId: 'newPlan',
        commandContext: 'compose',
        data: { action: 'plan.submit', formLanguage: 'de', ...FORM },
      }),
    );
    return { invalid: (await bad.json()) as TaskAnswer, accepted: (await good.json()) as TaskAnswer };
  })());
}

describe('Teams: 1:1 chat, dialogs and the message extension', () => {
  it("greets once when installed, in the user's language", async () => {
    expect(textOf(latest(await greeted()))).toContain('Hallo, ich schreibe Pläne für API-Integrationen');
  });

  it('opens the form as a dialog from task/fetch and from the message extension', async () => {
    for (const name of ['task/fetch', 'composeExtension/fetchTask']) {
      const response = await harness.post(
        invokeActivity(scene, name, { commandId: 'newPlan', commandContext: 'compose', data: {} }),
      );
      expect(response.status).toBe(200);
      const answer = (await response.json()) as TaskAnswer;
      expect(answer.task.type).toBe('continue');
      const card = typeof answer.task.value === 'string' ? undefined : answer.task.value.card?.content;
      expect(
        card?.body.filter((element) => element.type.startsWith('Input.')).map((element) => element.id),
      ).toHaveLength(10);
      // Dialogs submit with Action.Submit (Action.Execute is for cards in messages).
      expect(card?.actions.map((action) => action.type)).toEqual(['Action.Submit']);
    }
  });

  it('keeps the dialog open with errors, and closes it once a plan is queued', async () => {
    const { invalid, accepted } = await submitFromDialogs();
    expect(invalid.task.type).toBe('continue');
    expect(textOf(invalid)).toContain('Bitte eine Zahl größer als 0 eingeben.');
    expect(accepted.task.type).toBe('message');
    expect(textOf(accepted)).toContain('Ich arbeite daran');
  });

  it('delivers into the chat through throttling, long sections split under the size limit', async () => {
    await submitFromDialogs();
    const parent = await until(() =>
      connector.messages(CHAT).find((message) => textOf(latest(message)).includes('Integrationsplan: SAP ECC 6')),
    );
    connector.throttleNext(20, 0);
    await until(() => (textOf(latest(parent)).includes('Fertig in') ? true : undefined), 20_000);
    const posted = connector.messages(CHAT).filter((message) => message.id >= parent.id);
    const sections = posted.filter((message) => /"text":"\d\. /u.test(textOf(latest(message))));
    expect(sections.length).toBeGreaterThan(7);
    expect(posted.some((message) => textOf(latest(message)).includes('(Fortsetzung 2/'))).toBe(true);
    for (const number of [1, 2, 3, 4, 5, 6, 7])
      expect(sections.some((message) => textOf(latest(message)).includes(`"text":"${number}. `))).toBe(true);
    expect(connector.calls.filter((call) => call.status === 429)).toHaveLength(20);
    expect(connector.calls.filter((call) => call.status === 413)).toHaveLength(0);
    expect(Math.max(...connector.calls.map((call) => call.bytes))).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    // Every placeholder was replaced in place: nothing was dropped on the way.
    expect(posted.filter((message) => textOf(latest(message)).includes('wird geschrieben…'))).toEqual([]);
    // The SDK retries a 429 three times itself; the 20 here outlast that, so ours wait them out too, counted.
    const metrics = await (await fetch(harness.endpoint.replace('/api/messages', '/metrics'))).text();
    expect(metrics).toMatch(
      /planner_platform_rate_limited_total\{platform="teams",method="(send|update|typing)"\} [1-9]/u,
    );
  }, 30_000);

  it('submits from Action.Submit (a message with value), replacing the form message', async () => {
    await greeted();
    const before = connector.messages(CHAT).length;
    const invalid = messageActivity(scene, '', {
      value: { action: 'plan.submit', formLanguage: 'de', ...FORM, targetApi: '' },
      replyToId: connector.messages(CHAT)[0]?.id ?? '',
    });
    expect((await harness.post(invalid)).status).toBe(200);
    const replaced = await until(() => {
      const greeting = connector.messages(CHAT)[0];
      return greeting !== undefined && greeting.versions.length === 2 ? greeting : undefined;
    });
    expect(textOf(latest(replaced))).toContain('targetApiError');
    expect(connector.messages(CHAT)).toHaveLength(before);
  });

  it("shows a saved plan again with show, and never another organisation's", async () => {
    await submitFromDialogs();
    const before = connector.messages(CHAT).length;
    await harness.post(messageActivity(scene, 'show 1'));
    expect(textOf(latest(await until(() => connector.messages(CHAT)[before])))).toContain(
      'Integrationsplan: SAP ECC 6',
    );
    await harness.post(messageActivity({ ...scene, tenantId: 'tenant-eve' }, 'show 1'));
    expect(textOf(latest(await until(() => connector.messages(CHAT)[before + 1])))).toContain(
      'Es gibt keinen Plan „1“',
    );
  });

  it('tells the chat plainly when the model rejects the key, without retrying', async () => {
    const chat = 'a:1another-chat-with-bob';
    harness.model.enqueueFaults({ kind: 'unauthorized' });
    const before = harness.model.requests.length;
    const response = await harness.post(
      executeActivity({ ...scene, conversationId: chat }, 'plan.submit', {
        action: 'plan.submit',
        formLanguage: 'de',
        ...FORM,
      }),
    );
    expect(response.status).toBe(200);
    const failure = await until(
      () => connector.messages(chat).find((message) => textOf(latest(message)).includes('❌')),
      20_000,
    );
    expect(textOf(latest(failure))).toContain(
      '❌ Der Plan konnte nicht geschrieben werden. Das Modell hat den API-Schlüssel abgelehnt. Ein Administrator muss den Schlüssel prüfen.',
    );
    // What the person sees (the card), not the activity around it: its service URL's random port
    // may well contain "401".
    expect(textOf(latest(failure)['attachments'])).not.toMatch(/Error|stack|401/u);
    // The parent card says so too, and offers no re-run of a plan that was never written.
    const parent = connector.messages(chat)[0];
    expect(textOf(latest(parent))).toContain('API-Schlüssel');
    expect(textOf(latest(parent))).not.toContain('plan.rerun');
    expect(harness.model.requests.length - before).toBe(1);
  }, 30_000);

  it('shows "typing…" in a chat while sections stream, and keeps to Teams\' pace meanwhile', async () => {
    const chat = 'a:1typing-chat-with-bob';
    // About 10,000 tokens a section: a few seconds of streaming each.
    harness.model.setTokensPerSecond(3000);
    try {
      const response = await harness.post(
        executeActivity({ ...scene, conversationId: chat }, 'plan.submit', {
          action: 'plan.submit',
          formLanguage: 'de',
          ...FORM,
        }),
      );
      expect(response.status).toBe(200);
      const parent = await until(() => connector.messages(chat)[0], 10_000);
      await until(() => (textOf(latest(parent)).includes('Fertig in') ? true : undefined), 30_000);
    } finally {
      harness.model.setTokensPerSecond(0);
    }
    expect(connector.typingCount(chat)).toBeGreaterThan(0);
    const writes = connector.calls
      .filter((call) => call.thread === chat && call.method !== 'GET')
      .map((call) => call.at);
    const busiestSecond = Math.max(
      ...writes.map((start) => writes.filter((at) => at >= start && at < start + 1000).length),
    );
    expect(busiestSecond).toBeLessThanOrEqual(7);
  }, 60_000);
});
