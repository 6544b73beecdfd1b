import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latest, type FakeBotConnector, type PostedMessage } from '../fakes/fake-bot-connector.ts';
import { executeActivity, messageActivity, type TeamsScene } from '../fakes/fake-bot-connector-activities.ts';
import { SAMPLE_PLAN_FORM } from '../helpers/plan-form.ts';
import { startTeamsService, type TeamsService } from '../helpers/teams-service.ts';
import { until } from '../helpers/until.ts';

// Questions about a plan in Teams, through /api/messages: a reply in the plan's channel thread
// that mentions the bot, and a message in the 1:1 chat after a plan.
const TENANT = 'tenant-questions';
const CHANNEL = '19:questions@thread.tacv2';
const CHAT = 'a:1personal-chat-with-ada';
let harness: TeamsService;
let connector: FakeBotConnector;
const user = { id: '29:ada', name: 'Ada', aadObjectId: '00000000-0000-0000-0000-0000000000ad' };
let channel: TeamsScene;
let chat: TeamsScene;

beforeAll(async () => {
  harness = await startTeamsService({ provider: 'openai' });
  connector = harness.connector;
  channel = { serviceUrl: connector.url, tenantId: TENANT, user, kind: 'channel', conversationId: CHANNEL };
  chat = { serviceUrl: connector.url, tenantId: TENANT, user, kind: 'personal', conversationId: CHAT };
}, 60_000);
afterAll(async () => {
  await harness.stop();
});

const shown = (message: PostedMessage | undefined) => JSON.stringify(latest(message));
const isAnswer = (message: PostedMessage) => message.versions.some((v) => JSON.stringify(v).includes('Revision 1 ·'));

async function post(activity: object) {
  const response = await harness.post(activity);
  expect(response.status).toBe(200);
}

/** A plan submitted in `scene`, written to the end: the messages it posted. */
async function writePlan(scene: TeamsScene, conversation: string): Promise<readonly PostedMessage[]> {
  await post(executeActivity(scene, 'plan.submit', { action: 'plan.submit', formLanguage: 'en', ...SAMPLE_PLAN_FORM }));
  return until(() => {
    const messages = connector.messages(conversation);
    const done = messages.some((message) => shown(message).includes('Done in'));
    return done && !messages.some((message) => shown(message).includes('writing…')) ? messages : undefined;
  }, 30_000);
}

let channelPlan: Promise<string> | undefined;
const channelThread = () =>
  (channelPlan ??= (async () => {
    const messages = await writePlan(channel, CHANNEL);
    const root = messages.find((message) => message.threadId === message.id);
    if (root === undefined) throw new Error('no thread root');
    return root.id;
  })());

describe('Teams: questions about a plan', () => {
  it('answers a mention in the plan’s channel thread in that thread, updated in place', async () => {
    const rootId = await channelThread();
    await post(messageActivity(channel, 'why a queue and not webhooks?', { threadRootId: rootId }));
    const answer = await until(() =>
      connector.thread(CHANNEL, rootId).find((message) => shown(message).includes('Revision 1 · Drawn from')),
    );
    expect(shown(answer)).toContain('About \\"why a queue and not webhooks?\\": revision 1 puts a queue');
    expect(shown(answer)).toContain('Drawn from: 1. Architecture analysis, 2. Technical specification');
    expect(shown(answer)).not.toContain('Sources:');
    // Posted once, then edited: never a second answer message.
    expect(connector.thread(CHANNEL, rootId).filter(isAnswer)).toHaveLength(1);
  }, 90_000);

  it('answers a message in the 1:1 chat after a plan, with the chat’s earlier questions', async () => {
    await writePlan(chat, CHAT);
    await post(messageActivity(chat, 'Welches Rate Limit hast du angenommen?'));
    await until(() => connector.messages(CHAT).find((message) => shown(message).includes('Gestützt auf')));
    await post(messageActivity(chat, 'and the retries?'));
    const second = await until(() =>
      connector.messages(CHAT).find((message) => shown(message).includes('About \\"and the retries?\\"')),
    );
    expect(shown(second)).toContain('(1 earlier: Welches Rate Limit hast du angenommen?)');
    await until(() => (shown(second).includes('Revision 1 · Drawn from') ? true : undefined));
  }, 90_000);

  it('keeps the help for text in a conversation without a plan', async () => {
    const lonely: TeamsScene = { ...chat, conversationId: 'a:1personal-chat-without-plans' };
    await post(messageActivity(lonely, 'hello'));
    const help = await until(() => connector.messages('a:1personal-chat-without-plans')[0]);
    expect(shown(help)).toContain('plan.form');
  }, 30_000);
});
