import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latest, type FakeBotConnector, type PostedMessage } from '../fakes/fake-bot-connector.ts';
import { executeActivity, messageActivity, type TeamsScene } from '../fakes/fake-bot-connector-activities.ts';
import { until } from '../helpers/until.ts';
import { startTeamsService, type TeamsService } from '../helpers/teams-service.ts';
import { SAMPLE_PLAN_FORM } from '../helpers/plan-form.ts';

const CHANNEL = '19:plans0123@thread.tacv2';
const TENANT = '72f988bf-0000-4000-8000-000000000001';
let harness: TeamsService;
let connector: FakeBotConnector;
let scene: TeamsScene;

beforeAll(async () => {
  harness = await startTeamsService({
    provider: 'anthropic',
    writer: { inject: 'Ping <at>Boss</at> and [bank.com](https://evil.example/login) now!', sizing: true },
  });
  connector = harness.connector;
  // Teams' per-thread limits, as Teams enforces them: the service must pace itself under them.
  connector.enforceThreadLimits();
  scene = {
    serviceUrl: connector.url,
    tenantId: TENANT,
    user: { id: '29:alice', name: 'Alice', aadObjectId: '00000000-0000-0000-0000-0000000a11ce' },
    kind: 'channel',
    conversationId: CHANNEL,
  };
}, 60_000);
afterAll(async () => {
  await harness.stop();
});

interface CardJson {
  body: { type: string; id?: string; text?: string; value?: unknown; maxLength?: number; items?: unknown[] }[];
  actions?: { type: string; verb?: string; data?: Record<string, unknown> }[];
}
const cardOf = (activity: Record<string, unknown>): CardJson =>
  (activity.attachments as { content: CardJson }[] | undefined)?.[0]?.content ?? { body: [] };
const inputIds = (card: CardJson) =>
  card.body.filter((element) => element.type.startsWith('Input.')).map((element) => element.id);

const FORM = SAMPLE_PLAN_FORM;

async function invoke(activity: object) {
  const response = await harness.post(activity);
  expect(response.status).toBe(200);
  return (await response.json()) as { statusCode: number; type: string; value: CardJson };
}

/** The thread once its parent says done and every section placeholder has been replaced. */
const finishedThread = (rootId: string, replies: number) =>
  until(() => {
    const thread = connector.thread(CHANNEL, rootId);
    const parents = thread.filter((message) => JSON.stringify(latest(message)).includes('Integration plan:'));
    const done = parents.length > 0 && parents.every((message) => JSON.stringify(latest(message)).includes('Done in'));
    const writing = thread.some((message) => JSON.stringify(latest(message)).includes('writing…'));
    return thread.length >= replies && done && !writing ? thread : undefined;
  }, 20_000);

/*
 * Each test stands alone: plan 1 and its re-run, which several tests read, are made by the helpers
 * below on first use and shared after that, so a test runs the same alone (-t) or in the file.
 */
let firstPlan: Promise<{ answer: string; root: PostedMessage; thread: readonly PostedMessage[] }> | undefined;

/**
 * Plan 1: the submit's answer, delivered twice as Teams re-delivers an activity it got no answer
 * for, then the thread's root and the finished thread (parent and seven sections).
 */
function writeFirstPlan() {
  return (firstPlan ??= (async () => {
    const submit = executeActivity(scene, 'plan.submit', { action: 'plan.submit', formLanguage: 'en', ...FORM });
    const answer = JSON.stringify((await invoke(submit)).value);
    await invoke(submit);
    const root = await until(() => connector.messages(CHANNEL).find((message) => message.threadId === message.id));
    return { answer, root, thread: await finishedThread(root.id, 8) };
  })());
}

let firstRerun:
  Promise<{ form: CardJson; submitted: string; rootId: string; thread: readonly PostedMessage[] }> | undefined;

/** "Re-run with new scale" on plan 1 (500 calls/s, 20 GB/day): the form, the submit's answer, the finished thread. */
function rerunFirstPlan() {
  return (firstRerun ??= (async () => {
    const rootId = (await writeFirstPlan()).root.id;
    const form = await invoke(
      executeActivity(scene, 'plan.rerun', { planNumber: 1, fromRevision: 1 }, { replyToId: rootId }),
    );
    const submitted = await invoke(
      executeActivity(scene, 'plan.submit', {
        action: 'plan.submit',
        formLanguage: 'en',
        planNumber: 1,
        fromRevision: 1,
        ...FORM,
        callsPerSecond: 500,
        dataVolume: '20 GB/day',
      }),
    );
    await until(
      () =>
        connector.thread(CHANNEL, rootId).find((message) => JSON.stringify(latest(message)).includes('What changed')),
      20_000,
    );
    const thread = await finishedThread(rootId, 17);
    return { form: form.value, submitted: JSON.stringify(submitted.value), rootId, thread };
  })());
}

describe('Teams: plan in a channel through /api/messages', () => {
  it('answers "plan <use case>" with the form card, the use case filled in', async () => {
    const response = await harness.post(messageActivity(scene, 'plan Card payments at checkout'));
    expect(response.status).toBe(200);
    const form = await until(() =>
      connector.messages(CHANNEL).find((message) => JSON.stringify(latest(message)).includes('plan.submit')),
    );
    const card = cardOf(latest(form));
    expect(inputIds(card)).toEqual([
      'existingSystem',
      'targetApi',
      'useCase',
      'specUrl',
      'callsPerSecond',
      'dataVolume',
      'scaleNotes',
      'budget',
      'variation',
      'language',
    ]);
    expect(card.body.find((element) => element.id === 'useCase')?.value).toBe('Card payments at checkout');
    expect(card.body.find((element) => element.id === 'targetApi')?.maxLength).toBe(300);
    // Posted in the thread of the message that asked (the @mention's conversation).
    expect(form.threadId).toBeDefined();
  });

  it('keeps what was typed and shows errors under the fields for empty or over-long input', async () => {
    const callsBefore = connector.calls.length;
    const answer = await invoke(
      executeActivity(scene, 'plan.submit', {
        action: 'plan.submit',
        formLanguage: 'en',
        ...FORM,
        targetApi: '  ',
        budget: 'x'.repeat(501),
      }),
    );
    expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
    const body = answer.value.body;
    expect(body.find((element) => element.id === 'targetApiError')?.text).toBe('Please fill this in.');
    expect(body.find((element) => element.id === 'budgetError')?.text).toBe('At most 500 characters, this has 501.');
    expect(body.find((element) => element.id === 'existingSystem')?.value).toBe(FORM.existingSystem);
    expect(body.find((element) => element.id === 'callsPerSecond')?.value).toBe(50);
    expect(connector.calls.length).toBe(callsBefore);
  });

  it('acknowledges the submit at once, then posts a parent card and seven section replies in a new thread', async () => {
    const { answer, thread } = await writeFirstPlan();
    expect(answer).toContain('Working on it');
    // Teams re-delivered the submit (writeFirstPlan): the same id makes no second plan.
    expect(thread).toHaveLength(8);
    expect(JSON.stringify(latest(thread[0]))).toContain(
      'Integration plan: Shopware 6 (PHP 8.3), MySQL 8 → Stripe Payments API',
    );
    const sections = thread.slice(1).map((message) => JSON.stringify(latest(message)));
    expect(sections[0]).toContain('1. Architecture analysis');
    expect(sections[6]).toContain('7. Code quality');
    // Placeholders first, replaced in place.
    expect(thread.slice(1).every((message) => message.versions.length === 2)).toBe(true);
    const all = JSON.stringify(thread.map(latest));
    expect(all).not.toContain('<at>Boss</at>');
    expect(all).not.toContain('[bank.com](https://evil.example/login)');
    // Shown, inert: the mention markup broken by a word joiner, the disguised link spelled out.
    expect(all).toContain('Ping <\u2060at>Boss<\u2060/at>');
    expect(all).toContain('bank.com (https://evil.example/login)');
    expect(connector.calls.filter((call) => call.method === 'POST' && call.path === '/v3/conversations')).toHaveLength(
      1,
    );
    // Thread, placeholders, sections and typing went out at Teams' pace: not one answered 429.
    expect(connector.calls.filter((call) => call.status === 429).map((call) => `${call.method} ${call.path}`)).toEqual(
      [],
    );
    const rerun = cardOf(latest(thread[0])).actions?.find((action) => action.verb === 'plan.rerun');
    expect(rerun?.data).toEqual({ planNumber: 1, fromRevision: 1 });
  }, 30_000);

  it('re-runs with new scale: pre-filled form in place, revision 2 in the same thread with what changed', async () => {
    const { form, submitted, thread } = await rerunFirstPlan();
    expect(inputIds(form)[0]).toBe('callsPerSecond');
    expect(form.body.find((element) => element.id === 'callsPerSecond')?.value).toBe(50);
    // The parent card comes back in its finished state; the new revision follows in the thread,
    // with what changed (rerunFirstPlan waits for both).
    expect(submitted).toContain('Done in');
    expect(thread.find((message) => JSON.stringify(latest(message)).includes('What changed'))).toBeDefined();
    const revisionTwo = thread.find((message) => JSON.stringify(latest(message)).includes('revision 2'));
    expect(JSON.stringify(latest(revisionTwo))).toContain(
      'Peak calls per second 50 → 500, Data volume 2 GB/day → 20 GB/day',
    );
    expect(connector.messages(CHANNEL).filter((message) => message.threadId === message.id)).toHaveLength(1);
  }, 60_000);

  it('approves and requests changes with a reason from the parent card', async () => {
    const { root } = await writeFirstPlan();
    const data = { planNumber: 1, fromRevision: 1 };
    const approved = await invoke(executeActivity(scene, 'plan.approve', data, { replyToId: root.id }));
    expect(JSON.stringify(approved.value)).toMatch(/Approved by Alice, \d{1,2} [A-Z][a-z]{2}, \d{2}:\d{2} UTC/u);
    const form = await invoke(executeActivity(scene, 'plan.requestChanges', data, { replyToId: root.id }));
    expect(inputIds(form.value)).toEqual(['reason']);
    const empty = await invoke(
      executeActivity(scene, 'plan.sendChanges', { ...data, reason: ' ' }, { replyToId: root.id }),
    );
    expect(JSON.stringify(empty.value)).toContain('reasonError');
    const sent = await invoke(
      executeActivity(
        scene,
        'plan.sendChanges',
        { ...data, reason: 'Budget for two developers only' },
        { replyToId: root.id },
      ),
    );
    expect(JSON.stringify(sent.value)).toContain('Changes requested by Alice');
    expect(JSON.stringify(sent.value)).toContain('Budget for two developers only');
    // `show` posts the latest revision's card again with its review.
    await rerunFirstPlan();
    await invoke(executeActivity(scene, 'plan.approve', { planNumber: 1, fromRevision: 2 }));
    const before = connector.messages(CHANNEL).length;
    await harness.post(messageActivity(scene, 'show 1'));
    const shown = JSON.stringify(latest(await until(() => connector.messages(CHANNEL)[before])));
    expect(shown).toContain('Plan 1 · revision 2');
    expect(shown).toContain('Approved by 00000000-0000-0000-0000-0000000a11ce');
  }, 60_000);

  it('compares revisions 1 and 2 with diff: changed input, figures and sections', async () => {
    await rerunFirstPlan();
    const before = connector.messages(CHANNEL).length;
    await harness.post(messageActivity(scene, 'diff 1'));
    const card = JSON.stringify(latest(await until(() => connector.messages(CHANNEL)[before])));
    expect(card).toContain('Plan 1: revision 1 → 2');
    expect(card).toContain('Peak calls per second: 50 → 500');
    expect(card).toContain('Calls per minute at peak: 3,000 → 30,000');
    expect(card).toContain('+ Sized for 500 calls per second at peak.');
    const wrong = connector.messages(CHANNEL).length;
    await harness.post(messageActivity(scene, 'diff 1 1 5'));
    expect(JSON.stringify(latest(await until(() => connector.messages(CHANNEL)[wrong])))).toContain(
      'The plan has no revision 5: it has revisions 1 to 2.',
    );
  }, 60_000);

  it("lists the organisation's plans with both revisions", async () => {
    await rerunFirstPlan();
    const before = connector.messages(CHANNEL).length;
    await harness.post(messageActivity(scene, 'list stripe'));
    const list = await until(() => connector.messages(CHANNEL)[before]);
    const text = JSON.stringify(latest(list));
    expect(text).toContain('Shopware 6 (PHP 8.3), MySQL 8 → Stripe Payments API');
    expect(text).toContain('2 rev. · done');
    // "Show" on a row posts the plan's card again and leaves the list as it is.
    const shownFrom = connector.messages(CHANNEL).length;
    const shown = await harness.post(executeActivity(scene, 'plan.show', { planNumber: 1 }, { replyToId: list.id }));
    expect(await shown.json()).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'Plan 1 posted below.',
    });
    const card = JSON.stringify(latest(await until(() => connector.messages(CHANNEL)[shownFrom])));
    expect(card).toContain('Plan 1 · revision 2');
    expect(card).toContain('plan.rerun');
    // A colleague sees who made it (the name from the conversation's roster).
    connector.addMember({ id: scene.user.aadObjectId, name: 'Alice Example', aadObjectId: scene.user.aadObjectId });
    const bob = { ...scene, user: { id: '29:bob', name: 'Bob', aadObjectId: '00000000-0000-0000-0000-000000000b0b' } };
    const seenBy = connector.messages(CHANNEL).length;
    await harness.post(messageActivity(bob, 'list'));
    expect(JSON.stringify(latest(await until(() => connector.messages(CHANNEL)[seenBy])))).toMatch(
      /2 rev\. · done · (?:in review|approved) · \d{4}-\d{2}-\d{2} · Alice Example/u,
    );
    // Another tenant sees none of them.
    const other = connector.messages(CHANNEL).length;
    await harness.post(messageActivity({ ...scene, tenantId: 'another-tenant' }, 'list'));
    expect(JSON.stringify(latest(await until(() => connector.messages(CHANNEL)[other])))).toContain('no plans yet');
  }, 60_000);

  it('refuses malformed JSON and malformed activities with 400, posting nothing', async () => {
    const calls = connector.calls.length;
    expect((await harness.post('{"type": "message", ')).status).toBe(400);
    const noConversation: Record<string, unknown> = messageActivity(scene, 'help');
    delete noConversation.conversation;
    expect((await harness.post(noConversation)).status).toBe(400);
    expect((await harness.post({ ...messageActivity(scene, 'help'), serviceUrl: 'file:///etc/passwd' })).status).toBe(
      400,
    );
    expect(connector.calls.length).toBe(calls);
  });
});
