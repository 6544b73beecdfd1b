import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlackApi, StoredMessage } from '../fakes/fake-slack-api.ts';
import { planSubmissionBody, samplePlanForm } from '../helpers/plan-form.ts';
import { startResponseCollector, type ResponseCollector } from '../helpers/response-collector.ts';
import { startSlackService, type SlackService } from '../helpers/slack-service.ts';
import { until } from '../helpers/until.ts';
import {
  blockActionsPayload,
  eventCallbackBody,
  interactionBody,
  postSigned,
  slashCommandBody,
} from '../helpers/slack-signing.ts';

// Feedback votes, App Home and plan limits, through the real /slack/events endpoint.
const SECRET = 'review-signing-secret-0123456789abcdef';
const CHANNEL = 'C0REVIEW';
const ALICE = 'U0ALICE';
const BOB = 'U0BOB';
let harness: SlackService;
let slack: FakeSlackApi;
let events: string;
let collector: ResponseCollector;

beforeAll(async () => {
  // One plan per person per hour, three per workspace: small enough to hit in a test.
  harness = await startSlackService({
    signingSecret: SECRET,
    provider: 'openai',
    env: { PLAN_LIMIT_USER_PER_HOUR: '1', PLAN_LIMIT_WORKSPACE_PER_HOUR: '3' },
  });
  ({ slack, events } = harness);
  collector = await startResponseCollector();
}, 60_000);
afterAll(async () => {
  await harness.stop();
  await collector.close();
});

const command = (text: string, user = ALICE) =>
  slashCommandBody({
    text,
    command: '/integration-plan',
    userId: user,
    teamId: slack.teamId,
    channelId: CHANNEL,
    responseUrl: collector.url,
  });

const FORM = samplePlanForm({ variation: 'legacy' });

const submission = (viewId: string, user: string) =>
  planSubmissionBody({ viewId, channelId: CHANNEL, teamId: slack.teamId, userId: user, form: FORM });

/** A click on Slack's feedback element (`section_feedback`) or on an older message's plain button. */
const click = (actionId: string, value: string, user: string, messageTs: string) =>
  postSigned(
    events,
    interactionBody(
      blockActionsPayload(
        {
          actionId,
          elementType: actionId === 'section_feedback' ? 'feedback_buttons' : 'button',
          blockId: 'votes',
          value,
          channelId: CHANNEL,
          messageTs,
          responseUrl: collector.url,
        },
        { teamId: slack.teamId, userId: user },
      ),
    ),
    SECRET,
  );

/** The feedback element of a section reply. */
interface FeedbackElement {
  type: string;
  action_id: string;
  positive_button: { text: { type: string; text: string }; value: string; accessibility_label: string };
  negative_button: { text: { type: string; text: string }; value: string; accessibility_label: string };
}
const feedbackOf = (section: StoredMessage | undefined) =>
  (
    (section?.blocks ?? []).find((block) => (block as { type: string }).type === 'context_actions') as
      { elements: FeedbackElement[] } | undefined
  )?.elements[0];

/*
 * Each test stands alone: what it reads (Alice's plan, the votes on its third section) is made by
 * the helpers below on first use and shared after that, so a test runs the same alone (-t) or in
 * the file.
 */
let alicePlan: Promise<{ status: number; sections: StoredMessage[] }> | undefined;

/** Alice's plan (V0ALICE1): the submission's HTTP status and its seven section replies. */
function writeAlicePlan() {
  return (alicePlan ??= (async () => {
    const { status } = await postSigned(events, submission('V0ALICE1', ALICE), SECRET);
    const parent = await until(() =>
      slack.messages(CHANNEL).find((message) => message.thread_ts === undefined || message.thread_ts === message.ts),
    );
    const sections = await until(() => {
      const replies = slack.planThread(CHANNEL, parent.ts).slice(1);
      return replies.length === 7 && replies.every((reply) => JSON.stringify(reply.blocks).includes('section_feedback'))
        ? [...replies]
        : undefined;
    }, 30_000);
    return { status, sections };
  })());
}

let votes: Promise<{ first: number; answers: { text: string }[] }> | undefined;

/**
 * Votes on section 3 of Alice's plan: Alice up (Slack's feedback element), Bob up (the plain
 * button of a message posted before it), Alice down (a change of mind), and a forged value; the
 * first click's HTTP status and the four ephemeral answers.
 */
function castVotes() {
  return (votes ??= (async () => {
    const { sections } = await writeAlicePlan();
    const ts = sections[2]?.ts ?? '';
    const feedback = feedbackOf(sections[2]);
    const up = feedback?.positive_button.value ?? '';
    collector.responses.length = 0;
    const first = (await click('section_feedback', up, ALICE, ts)).status;
    await until(() => collector.responses[0]);
    // An older message's plain button: its value is the revision and section without the side.
    await click('section_vote_up', up.replace(/^up:/u, ''), BOB, ts);
    await until(() => collector.responses[1]);
    await click('section_feedback', feedback?.negative_button.value ?? '', ALICE, ts);
    await until(() => collector.responses[2]);
    await click('section_feedback', 'up:00000000-0000-4000-8000-000000000000:security', ALICE, ts);
    await until(() => collector.responses[3]);
    return { first, answers: collector.responses.slice(0, 4) as { text: string }[] };
  })());
}

describe('Slack: feedback, App Home and plan limits', () => {
  it("writes a plan whose section replies carry Slack's feedback element", async () => {
    const { status, sections } = await writeAlicePlan();
    expect(status).toBe(200);
    for (const section of sections) expect(feedbackOf(section)?.type).toBe('feedback_buttons');
    const feedback = feedbackOf(sections[2]);
    expect(feedback?.action_id).toBe('section_feedback');
    expect(feedback?.positive_button.value).toMatch(/^up:[0-9a-f-]{36}:security$/u);
    expect(feedback?.negative_button.value).toMatch(/^down:[0-9a-f-]{36}:security$/u);
    expect(feedback?.positive_button.accessibility_label).toBe('Helpful');
    // No plain buttons any more on new messages.
    expect(JSON.stringify(sections)).not.toContain('section_vote_up');
  }, 60_000);

  it('records one vote per person and section, a second click changes it', async () => {
    const { first, answers } = await castVotes();
    expect(first).toBe(200);
    expect(answers[0]).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('section 3 as helpful. Votes now :+1: 1 · :-1: 0') as unknown,
    });
    // Alice changes her mind: still one vote of hers.
    expect(answers[2]?.text).toContain('Votes now :+1: 1 · :-1: 1');
    // A forged value (another revision id) records nothing.
    expect(answers[3]?.text).toBe('That section no longer exists, so the vote was not recorded.');
  }, 60_000);

  it('shows the feedback with show', async () => {
    await castVotes();
    collector.responses.length = 0;
    await postSigned(events, command('show 1'), SECRET);
    const answer = (await until(() => collector.responses[0])) as { text: string };
    expect(answer.text).toContain('· done · http');
    expect(answer.text).toContain('Feedback (revision 1): :+1: 1 · :-1: 1');
  }, 60_000);

  it('publishes App Home with the user’s and the workspace’s plans, links, re-run buttons and feedback', async () => {
    await castVotes();
    const response = await postSigned(
      events,
      eventCallbackBody(
        { type: 'app_home_opened', user: BOB, channel: 'D0BOB', tab: 'home' },
        { teamId: slack.teamId },
      ),
      SECRET,
      {
        contentType: 'application/json',
      },
    );
    expect(response.status).toBe(200);
    const home = await until(() => slack.homeView(BOB));
    const text = JSON.stringify(home.view);
    const blocks = home.view['blocks'] as {
      type: string;
      block_id?: string;
      text?: { text: string };
      elements?: { action_id: string; url?: string; value?: string }[];
    }[];
    // Bob has no plans of his own; the workspace has Alice's.
    const headers = blocks.filter((block) => block.type === 'header').map((block) => block.text?.text);
    expect(headers).toEqual([
      'Integration plans',
      'Waiting for review',
      'Your recent plans',
      "This workspace's recent plans",
      'Section feedback by prompt version',
    ]);
    expect(text).toContain('No plans yet.');
    // Alice's finished plan has no decision yet: it waits for review.
    expect(blocks.find((block) => block.block_id === 'waiting_1')).toBeDefined();
    expect(text).toContain('1 rev. · done · in review');
    const recent = blocks.find((block) => block.block_id === 'recent_1');
    expect(recent?.elements?.map((element) => element.action_id)).toEqual(['plan_open', 'plan_rerun']);
    expect(recent?.elements?.[0]?.url).toMatch(/^https:\/\/.+\/archives\/C0REVIEW\/p\d+/u);
    expect(recent?.elements?.[1]?.value).toBe('1:1');
    expect(text).toMatch(/\*Prompt \d+\.\d+\.\d+\*: :\+1: 1 · :-1: 1 \(50 % helpful\)/u);
    expect(blocks.length).toBeLessThanOrEqual(100);
  }, 60_000);

  it('says when a person may plan again, before the form opens and on submission, and keeps the form', async () => {
    await writeAlicePlan();
    collector.responses.length = 0;
    const viewsBefore = slack.views().length;
    await postSigned(events, command(''), SECRET);
    const answer = (await until(() => collector.responses[0])) as { text: string };
    expect(answer.text).toMatch(
      /^You have reached your limit of 1 plans and questions per hour\. You can start the next plan in (59|60) min \(\d\d:\d\d UTC\)/u,
    );
    expect(slack.views()).toHaveLength(viewsBefore);
    // A form opened earlier and submitted now: the message sits under the first field.
    const refused = await postSigned(events, submission('V0ALICE2', ALICE), SECRET);
    const body = (await refused.json()) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors)).toEqual(['existingSystem']);
    expect(body.errors['existingSystem']).toContain('limit of 1 plans and questions per hour');
    // Slack retrying the first, accepted submission is not a new plan and is not refused.
    const retried = await postSigned(events, submission('V0ALICE1', ALICE), SECRET);
    expect(await retried.text()).toBe('');
  }, 60_000);

  it('limits the workspace as a whole, naming it', async () => {
    await writeAlicePlan();
    for (const [index, user] of [BOB, 'U0CAROL'].entries()) {
      const accepted = await postSigned(events, submission(`V0OTHER${String(index)}`, user), SECRET);
      expect(await accepted.text()).toBe('');
    }
    collector.responses.length = 0;
    await postSigned(events, command('', 'U0DAVE'), SECRET);
    const answer = (await until(() => collector.responses[0])) as { text: string };
    expect(answer.text).toMatch(/^This workspace has reached its limit of 3 plans and questions per hour\./u);
  }, 60_000);
});
