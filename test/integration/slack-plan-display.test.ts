import { afterEach, describe, expect, it } from 'vitest';
import type { FakeSlackApi } from '../fakes/fake-slack-api.ts';
import { planSubmissionBody, samplePlanForm } from '../helpers/plan-form.ts';
import { loadTestPrompts } from '../helpers/prompts.ts';
import { startSlackService, type SlackService } from '../helpers/slack-service.ts';
import { postSigned } from '../helpers/slack-signing.ts';
import { until } from '../helpers/until.ts';

// A plan's progress as Slack's plan display (a streamed reply, task_display_mode plan), and the
// placeholders it falls back to, through the signed endpoint against the fake Web API.
const SECRET = 'plan-display-signing-secret-0123456789';
const CHANNEL = 'C0DISPLAY';
const USER = 'U0ASKER';

let harness: SlackService | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function headers(): Promise<string[]> {
  const prompts = await loadTestPrompts();
  return prompts.plan('en').sections.map((section) => `${section.number}. ${section.title}`);
}

/** Submits a plan and waits until its parent says done; the parent and the thread as it stands. */
async function writePlan(service: SlackService, viewId = 'V0DISPLAY1') {
  const { slack, events } = service;
  const body = planSubmissionBody({
    viewId,
    channelId: CHANNEL,
    teamId: slack.teamId,
    userId: USER,
    form: samplePlanForm({}),
  });
  expect((await postSigned(events, body, SECRET)).status).toBe(200);
  const parent = await until(
    () => slack.messages(CHANNEL).find((message) => JSON.stringify(message.blocks ?? []).includes('Done in')),
    30_000,
  );
  return parent;
}

const displaysIn = (slack: FakeSlackApi, threadTs: string) =>
  slack.thread(CHANNEL, threadTs).filter((message) => slack.stream(CHANNEL, message.ts)?.displayMode === 'plan');

/** The section replies in order (their headers), and how often each was posted and updated. */
function sectionsOf(slack: FakeSlackApi, threadTs: string) {
  const replies = slack.planThread(CHANNEL, threadTs).slice(1);
  const shown = replies.map((reply) => (reply.blocks?.[0] as { text?: { text?: string } } | undefined)?.text?.text);
  const posts = slack.callsTo('chat.postMessage').filter((call) => call.body['thread_ts'] === threadTs && !call.error);
  const updates = slack.callsTo('chat.update').filter((call) => call.body['ts'] !== threadTs && !call.error);
  return { shown, posts: posts.length, updates: updates.length };
}

describe("Slack: a plan's progress in Slack's plan display", () => {
  it('shows one task per section to the person who asked, all ending complete; the sections follow in plan order', async () => {
    harness = await startSlackService({ signingSecret: SECRET, provider: 'anthropic' });
    const { slack } = harness;
    const parent = await writePlan(harness);
    const displays = displaysIn(slack, parent.ts);
    expect(displays).toHaveLength(1);
    const start = slack.callsTo('chat.startStream')[0]?.body;
    expect(start).toMatchObject({
      channel: CHANNEL,
      thread_ts: parent.ts,
      recipient_user_id: USER,
      recipient_team_id: slack.teamId,
      task_display_mode: 'plan',
    });
    const stream = slack.stream(CHANNEL, displays[0]?.ts ?? '');
    expect(stream?.streaming).toBe(false);
    expect(stream?.planTitle).toBe('Plan 1, revision 1: writing the sections');
    const tasks = [...(stream?.tasks.values() ?? [])];
    expect(tasks.map((task) => task.title)).toEqual(await headers());
    for (const task of tasks) {
      expect(task.statuses[0]).toBe('pending');
      expect(task.status).toBe('complete');
      // Never back to an earlier state.
      expect(task.statuses.indexOf('complete')).toBe(task.statuses.length - 1);
    }
    // The sections are the durable record: each posted once, in plan order, no placeholder replaced.
    const sections = sectionsOf(slack, parent.ts);
    expect(sections.shown).toEqual(await headers());
    expect(sections.posts).toBe(7);
    expect(sections.updates).toBe(0);
    expect(JSON.stringify(slack.planThread(CHANNEL, parent.ts))).not.toContain('writing…');
  }, 60_000);

  it('falls back to placeholders when Slack refuses the stream, every section posted once', async () => {
    harness = await startSlackService({ signingSecret: SECRET, provider: 'anthropic' });
    const { slack } = harness;
    slack.refuseStreaming('unknown_method');
    const parent = await writePlan(harness);
    expect(slack.callsTo('chat.startStream').map((call) => call.error)).toEqual(['unknown_method']);
    expect(displaysIn(slack, parent.ts)).toEqual([]);
    // Today's shape: seven placeholders, each replaced once by its section.
    const sections = sectionsOf(slack, parent.ts);
    expect(sections.shown).toEqual(await headers());
    expect(sections.posts).toBe(7);
    expect(sections.updates).toBe(7);
  }, 60_000);

  it('does not wait when Slack rate-limits the stream (a burst of plans): placeholders at once', async () => {
    harness = await startSlackService({ signingSecret: SECRET, provider: 'anthropic' });
    const { slack } = harness;
    // Tier 2: chat.startStream answers 429 with a long Retry-After; waiting it out would hold the plan.
    slack.enqueueRateLimit('chat.startStream', 120);
    const parent = await writePlan(harness);
    expect(slack.callsTo('chat.startStream').map((call) => call.status)).toEqual([429]);
    expect(displaysIn(slack, parent.ts)).toEqual([]);
    const sections = sectionsOf(slack, parent.ts);
    expect(sections.shown).toEqual(await headers());
    expect(sections.updates).toBe(7);
  }, 60_000);

  it('keeps posting the sections when the display expires, and says nothing twice', async () => {
    // Slack stops a stream nothing was appended to for a while; here after 200 ms, while the
    // model takes longer than that for a section.
    harness = await startSlackService({
      signingSecret: SECRET,
      provider: 'anthropic',
      streamExpiryMs: 200,
      pace: { tokensPerSecond: 400, firstTokenLatencyMs: 400 },
      env: { PLAN_STRATEGY: 'single' },
    });
    const { slack } = harness;
    const parent = await writePlan(harness);
    const refused = slack
      .callsTo('chat.appendStream')
      .concat(slack.callsTo('chat.stopStream'))
      .filter((call) => call.error === 'message_not_in_streaming_state');
    expect(refused.length).toBeGreaterThan(0);
    const sections = sectionsOf(slack, parent.ts);
    expect(sections.shown).toEqual(await headers());
    expect(sections.posts).toBe(7);
    // After the first refusal the display is left alone: no more calls to it.
    const afterRefusal = slack
      .callsTo('chat.appendStream')
      .concat(slack.callsTo('chat.stopStream'))
      .filter((call) => call.at > (refused[0]?.at ?? 0));
    expect(afterRefusal).toEqual([]);
  }, 60_000);
});
