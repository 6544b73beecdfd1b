import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latest, type FakeBotConnector, type PostedMessage } from '../fakes/fake-bot-connector.ts';
import { executeActivity, invokeActivity, type TeamsScene } from '../fakes/fake-bot-connector-activities.ts';
import { SAMPLE_PLAN_FORM } from '../helpers/plan-form.ts';
import { startTeamsService, type TeamsService } from '../helpers/teams-service.ts';
import { until } from '../helpers/until.ts';

// Messages the model wrote carry Teams' "AI generated" label and its feedback loop; a vote with
// the thumbs (and a comment) is recorded with the section it was given on, through /api/messages.
const CHAT = 'a:1personal-chat-with-ada';
let harness: TeamsService;
let connector: FakeBotConnector;
let scene: TeamsScene;

beforeAll(async () => {
  harness = await startTeamsService({ provider: 'anthropic' });
  connector = harness.connector;
  scene = {
    serviceUrl: connector.url,
    tenantId: 'tenant-ada',
    user: { id: '29:ada', name: 'Ada', aadObjectId: '00000000-0000-0000-0000-000000000ada' },
    kind: 'personal',
    conversationId: CHAT,
  };
}, 60_000);
afterAll(async () => {
  await harness.stop();
});

interface Entity {
  type: string;
  additionalType?: string[];
}
const entitiesOf = (message: PostedMessage | undefined) => (latest(message)['entities'] ?? []) as Entity[];
const isLabelled = (message: PostedMessage | undefined) =>
  entitiesOf(message).some((entity) => entity.additionalType?.includes('AIGeneratedContent') === true);
const feedbackOn = (message: PostedMessage | undefined) =>
  (latest(message)['channelData'] as { feedbackLoopEnabled?: boolean } | undefined)?.feedbackLoopEnabled === true;

let plan: Promise<readonly PostedMessage[]> | undefined;
/** A plan written in Ada's chat: its parent and sections once the parent says done. */
function writePlan() {
  return (plan ??= (async () => {
    const submit = executeActivity(scene, 'plan.submit', {
      action: 'plan.submit',
      formLanguage: 'en',
      ...SAMPLE_PLAN_FORM,
    });
    expect((await harness.post(submit)).status).toBe(200);
    return until(() => {
      const messages = connector.messages(CHAT);
      return messages.length >= 8 && JSON.stringify(latest(messages[0])).includes('Done in') ? messages : undefined;
    }, 30_000);
  })());
}

const feedback = (replyToId: string, reaction: 'like' | 'dislike', text?: string) =>
  invokeActivity(
    scene,
    'message/submitAction',
    {
      actionName: 'feedback',
      actionValue: { reaction, feedback: JSON.stringify({ feedbackText: text ?? '' }) },
    },
    { replyToId },
  );

async function feedbackCount(target: string, vote: string): Promise<number> {
  const metrics = await (await fetch(`http://127.0.0.1:${harness.service.port}/metrics`)).text();
  const line = new RegExp(`^planner_feedback_total\\{target="${target}",vote="${vote}"\\} (\\d+)$`, 'mu').exec(metrics);
  return Number(line?.[1] ?? 0);
}

describe('Teams: AI label and feedback loop', () => {
  it('labels every section as AI generated and enables feedback on it; the parent is ours, unlabelled', async () => {
    const [parent, ...sections] = await writePlan();
    expect(isLabelled(parent)).toBe(false);
    expect(feedbackOn(parent)).toBe(false);
    expect(sections).toHaveLength(7);
    for (const section of sections) {
      expect(isLabelled(section)).toBe(true);
      // One root message entity: Teams refuses a message with two.
      expect(entitiesOf(section).filter((entity) => entity.type === 'https://schema.org/Message')).toHaveLength(1);
      expect(feedbackOn(section)).toBe(true);
    }
  }, 60_000);

  it('records a vote with its comment on the section it was given on, and changes it on a second one', async () => {
    const [parent, first] = await writePlan();
    const before = { up: await feedbackCount('section', 'up'), down: await feedbackCount('section', 'down') };
    const liked = await harness.post(feedback(first?.id ?? '', 'like', 'Clear and complete'));
    expect(liked.status).toBe(200);
    const disliked = await harness.post(feedback(first?.id ?? '', 'dislike'));
    expect(disliked.status).toBe(200);
    expect(await feedbackCount('section', 'up')).toBe(before.up + 1);
    expect(await feedbackCount('section', 'down')).toBe(before.down + 1);
    // On a message that shows no section (the parent): answered, nothing recorded.
    expect((await harness.post(feedback(parent?.id ?? '', 'like'))).status).toBe(200);
    expect(await feedbackCount('section', 'up')).toBe(before.up + 1);
  }, 60_000);

  it('refuses a feedback invoke that is not one (400), without recording anything', async () => {
    const [, first] = await writePlan();
    const before = await feedbackCount('section', 'up');
    const malformed = invokeActivity(
      scene,
      'message/submitAction',
      { actionName: 'feedback', actionValue: { reaction: 'love' } },
      { replyToId: first?.id ?? '' },
    );
    expect((await harness.post(malformed)).status).toBe(400);
    expect(await feedbackCount('section', 'up')).toBe(before);
  }, 60_000);
});
