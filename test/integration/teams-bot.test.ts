import { TestAdapter, type Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../helpers/test-database.ts';
import { createLogger } from '../../src/logger.ts';
import { createPlanStore } from '../../src/store/plan-store.ts';
import { createFeedbackStore } from '../../src/store/feedback-store.ts';
import { PlanBot } from '../../src/teams/teams-bot.ts';
import { loadTestPrompts } from '../helpers/prompts.ts';

const BOT = { id: '28:bot', name: 'Integration Planner' };
let database: TestDatabase;
let adapter: TestAdapter;

beforeAll(async () => {
  database = await openTestDatabase('pglite');
  const prompts = await loadTestPrompts();
  // No model configured: `plan` must say so instead of showing a form nobody can submit.
  const bot = new PlanBot({
    logger: createLogger({ level: 'silent', pretty: false }),
    store: createPlanStore(database.db),
    feedback: createFeedbackStore(database.db),
    prompts,
    service: undefined,
  });
  adapter = new TestAdapter((context) => bot.run(context), { channelId: 'msteams', recipient: BOT });
});
afterAll(async () => {
  await database.drop();
});

/** A message as Teams sends it in a channel: the bot @mentioned, the tenant in the conversation. */
function said(text: string, options: { locale?: string; tenant?: string | null } = {}): Partial<Activity> {
  const mention = `<at>${BOT.name}</at>`;
  return {
    type: 'message',
    text: `${mention} ${text}`,
    locale: options.locale ?? 'en-US',
    recipient: BOT,
    from: { id: '29:alice', name: 'Alice', aadObjectId: 'aad-alice' },
    conversation: {
      id: '19:c@thread.tacv2;messageid=1',
      conversationType: 'channel',
      isGroup: true,
      name: '',
      ...(options.tenant === null ? {} : { tenantId: options.tenant ?? 'tenant-1' }),
    },
    entities: [{ type: 'mention', mentioned: BOT, text: mention }],
  };
}

const cardText = (activity: Partial<Activity>) => JSON.stringify(activity.attachments?.[0]?.content);

describe('PlanBot command routing (botbuilder TestAdapter)', () => {
  it('answers help, and anything it does not know, with the commands', async () => {
    for (const text of ['help', 'what can you do?', '']) {
      await adapter.send(said(text)).assertReply((reply) => {
        expect(reply.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
        expect(cardText(reply)).toContain('**list [text]**');
      });
    }
  });

  it('strips the @mention and speaks German to German locales', async () => {
    await adapter
      .send(said('HELP', { locale: 'de-AT' }))
      .assertReply((reply) => expect(cardText(reply)).toContain('Befehle'));
  });

  it('says why there is no form when no model is configured', async () => {
    await adapter
      .send(said('plan Checkout payments'))
      .assertReply((reply) => expect(cardText(reply)).toContain('no model API key is configured'));
  });

  it("reads only the tenant's plans, and refuses without a tenant", async () => {
    await adapter
      .send(said('list'))
      .assertReply((reply) => expect(cardText(reply)).toContain('This organisation has no plans yet.'));
    await adapter
      .send(said('show 3'))
      .assertReply((reply) => expect(cardText(reply)).toContain('There is no plan \\"3\\"'));
    await adapter
      .send(said('list', { tenant: null }))
      .assertReply((reply) => expect(cardText(reply)).toContain('no Microsoft 365 organisation'));
  });
});
