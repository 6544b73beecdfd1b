import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlackApi, StoredMessage } from '../fakes/fake-slack-api.ts';
import { answerText } from '../fakes/plan-writer.ts';
import { planSubmissionBody, samplePlanForm } from '../helpers/plan-form.ts';
import { startSlackService, type SlackService } from '../helpers/slack-service.ts';
import { startResponseCollector, type ResponseCollector } from '../helpers/response-collector.ts';
import { blockActionsPayload, eventCallbackBody, interactionBody, postSigned } from '../helpers/slack-signing.ts';
import { until } from '../helpers/until.ts';

// Questions in a plan's thread, through the signed /slack/events endpoint: mention → streamed answer.
const SECRET = 'questions-signing-secret-0123456789abcdef';
const CHANNEL = 'C0QUESTIONS';
const ALICE = 'U0ALICE';
let harness: SlackService;
let slack: FakeSlackApi;
let events: string;
let collector: ResponseCollector;

beforeAll(async () => {
  collector = await startResponseCollector();
  harness = await startSlackService({
    signingSecret: SECRET,
    provider: 'anthropic',
    // Two plans or questions per person and hour: Carol's third question is refused.
    env: { PLAN_LIMIT_USER_PER_HOUR: '2', PLAN_LIMIT_WORKSPACE_PER_HOUR: '100' },
    writer: {
      answer: (ask) =>
        ask.question.includes('everyone')
          ? 'Tell <!channel> and @here, then ping <@U0BOSS>: `<!here>` stays code.\n\nSources: §3'
          : answerText(ask),
    },
  });
  ({ slack, events } = harness);
}, 60_000);
afterAll(async () => {
  await harness.stop();
  await collector.close();
});

let planThread: Promise<string> | undefined;

/** Alice's plan in CHANNEL, written to the end: its thread's ts. */
function writePlan(): Promise<string> {
  return (planThread ??= (async () => {
    const form = samplePlanForm({});
    const body = planSubmissionBody({
      viewId: 'V0QPLAN',
      channelId: CHANNEL,
      teamId: slack.teamId,
      userId: ALICE,
      form,
    });
    expect((await postSigned(events, body, SECRET)).status).toBe(200);
    const parent = await until(() => slack.messages(CHANNEL).find((message) => message.thread_ts === undefined));
    await until(
      () => (JSON.stringify(slack.thread(CHANNEL, parent.ts)[0]?.blocks).includes('plan_approve') ? true : undefined),
      60_000,
    );
    return parent.ts;
  })());
}

let eventCount = 0;

/** A user's message mentioning the bot, delivered as Slack delivers app_mention; its event body. */
function mention(text: string, user: string, threadTs: string | undefined): string {
  eventCount += 1;
  const ts = `17000000${String(eventCount).padStart(2, '0')}.000100`;
  return eventCallbackBody(
    {
      type: 'app_mention',
      user,
      text: `<@${slack.botUserId}> ${text}`,
      ts,
      channel: CHANNEL,
      ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    },
    { teamId: slack.teamId },
  );
}

const isAnswer = (message: StoredMessage) => JSON.stringify(message.blocks ?? []).includes('answer_sources');
const answers = (threadTs: string) => slack.thread(CHANNEL, threadTs).filter(isAnswer);
const footerOf = (message: StoredMessage | undefined) =>
  JSON.stringify(
    (message?.blocks ?? []).find((block) => (block as { block_id?: string }).block_id === 'answer_sources'),
  );

/** Asks and waits until the thread has `count` finished answers; the newest one. */
async function ask(text: string, user: string, count: number): Promise<StoredMessage> {
  const threadTs = await writePlan();
  const response = await postSigned(events, mention(text, user, threadTs), SECRET, { contentType: 'application/json' });
  expect(response.status).toBe(200);
  return until(() => answers(threadTs)[count - 1], 30_000);
}

let firstTwo: Promise<[StoredMessage, StoredMessage]> | undefined;
const askTwice = () =>
  (firstTwo ??= (async () => {
    const first = await ask('why a queue and not webhooks?', 'U0BOB', 1);
    const second = await ask('and which rate limit did you assume?', 'U0BOB2', 2);
    return [first, second];
  })());

describe('Slack: questions in a plan thread', () => {
  it('streams an answer to the person who asked, citing the sections it draws from', async () => {
    const [first] = await askTwice();
    // The first answer's stream (the plan's own progress display streams in plan mode).
    const start = slack.callsTo('chat.startStream').find((call) => call.body['task_display_mode'] === undefined)?.body;
    expect(start).toMatchObject({
      channel: CHANNEL,
      thread_ts: await writePlan(),
      recipient_user_id: 'U0BOB',
      recipient_team_id: slack.teamId,
    });
    // Streamed in parts, the sources line never shown; the footer names the sections by title.
    const chunks = slack.streamChunks(CHANNEL, first.ts);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(first.text);
    expect(first.text).toContain('About "why a queue and not webhooks?": revision 1 puts a queue');
    expect(first.text).not.toContain('Sources');
    expect(footerOf(first)).toContain('Revision 1 · Drawn from: 1. Architecture analysis, 2. Technical specification');
  }, 90_000);

  it('gives the next question the thread so far', async () => {
    const [, second] = await askTwice();
    expect(second.text).toContain('(1 earlier: why a queue and not webhooks?)');
  }, 90_000);

  it('answers the same event delivered again once', async () => {
    const threadTs = await writePlan();
    const body = mention('what about retries?', 'U0RETRY', threadTs);
    await postSigned(events, body, SECRET, { contentType: 'application/json' });
    const before = (await until(() => answers(threadTs).find((m) => m.text.includes('what about retries?')))).ts;
    const again = await postSigned(events, body, SECRET, {
      contentType: 'application/json',
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      // The replay guard refuses an identical signature: Slack's retry is signed anew.
      timestampSeconds: Math.floor(Date.now() / 1000) + 1,
    });
    expect(again.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(
      answers(threadTs)
        .filter((m) => m.text.includes('what about retries?'))
        .map((m) => m.ts),
    ).toEqual([before]);
  }, 90_000);

  it('answers in the language of the question', async () => {
    const answer = await ask('Warum eine Queue und nicht Webhooks?', 'U0DIETER', 4);
    expect(answer.text).toContain('Zu „Warum eine Queue und nicht Webhooks?“');
    expect(answer.text).not.toContain('Quellen');
    expect(footerOf(answer)).toContain(
      // The sections keep the plan's (English) titles.
      'Revision 1 · Gestützt auf: 1. Architecture analysis, 2. Technical specification',
    );
  }, 90_000);

  it('neutralises mentions in the answer as in sections', async () => {
    const answer = await ask('should everyone be told?', 'U0EVE', 5);
    expect(answer.text).not.toMatch(/<!channel>|<@U0BOSS>|(?<!\u2060)@here/u);
    expect(answer.text).toContain('&lt;!channel&gt;');
    expect(footerOf(answer)).toContain('3. Security');
  }, 90_000);

  it('falls back to a posted message edited in place where Slack refuses streaming', async () => {
    const threadTs = await writePlan();
    slack.refuseStreaming('unknown_method');
    try {
      const posts = slack.callsTo('chat.postMessage').length;
      const answer = await ask('how do we roll back?', 'U0FRANK', 6);
      expect(answer.text).toContain('About "how do we roll back?"');
      expect(slack.streamChunks(CHANNEL, answer.ts)).toEqual([]);
      expect(
        slack
          .callsTo('chat.postMessage')
          .slice(posts)
          .filter((call) => call.body['thread_ts'] === threadTs),
      ).toHaveLength(1);
      expect(slack.callsTo('chat.update').some((call) => call.body['ts'] === answer.ts)).toBe(true);
    } finally {
      slack.refuseStreaming(undefined);
    }
  }, 90_000);

  it('counts questions toward the plan limits', async () => {
    const threadTs = await writePlan();
    await ask('first question from Carol?', 'U0CAROL', 7);
    await ask('second question from Carol?', 'U0CAROL', 8);
    await postSigned(events, mention('third question from Carol?', 'U0CAROL', threadTs), SECRET, {
      contentType: 'application/json',
    });
    const refusal = await until(() =>
      slack
        .thread(CHANNEL, threadTs)
        .find((m) => m.text.startsWith('You have reached your limit of 2 plans and questions per hour')),
    );
    expect(refusal.text).toMatch(/You can start the next plan in (59|60) min/u);
    expect(answers(threadTs)).toHaveLength(8);
  }, 90_000);

  it('says what it can do when mentioned outside a plan thread', async () => {
    await writePlan();
    const body = mention('hello there', 'U0GINA', undefined);
    await postSigned(events, body, SECRET, { contentType: 'application/json' });
    const note = await until(() =>
      slack.messages(CHANNEL).find((m) => m.text.startsWith('I answer questions about a plan in its thread')),
    );
    expect(note.thread_ts).toBeDefined();
    expect(note.text).toContain(`<@${slack.botUserId}>`);
  }, 60_000);

  it('says a named revision does not exist instead of answering', async () => {
    const threadTs = await writePlan();
    await postSigned(events, mention('what changed in revision 4?', 'U0HANS', threadTs), SECRET, {
      contentType: 'application/json',
    });
    const note = await until(() => slack.thread(CHANNEL, threadTs).find((m) => m.text.startsWith('Plan ')));
    expect(note.text).toMatch(/^Plan \d+ has no revision 4 \(its revisions are 1–1\)/u);
  }, 60_000);

  it('counts answers on /metrics', async () => {
    await askTwice();
    const metrics = await (await fetch(`http://127.0.0.1:${harness.service.port}/metrics`)).text();
    const done = /^planner_answers_total\{outcome="done"\} (\d+)$/mu.exec(metrics)?.[1];
    expect(Number(done)).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it("takes feedback on an answer with Slack's feedback buttons: one vote per person, a second click changes it", async () => {
    const [first] = await askTwice();
    const element = (
      (first.blocks ?? []).find((block) => (block as { type: string }).type === 'context_actions') as
        | { elements: { action_id: string; positive_button: { value: string }; negative_button: { value: string } }[] }
        | undefined
    )?.elements[0];
    expect(element?.action_id).toBe('answer_feedback');
    expect(element?.positive_button.value).toMatch(/^up:[0-9a-f-]{36}$/u);
    const click = (value: string, user: string) =>
      postSigned(
        events,
        interactionBody(
          blockActionsPayload(
            {
              actionId: 'answer_feedback',
              elementType: 'feedback_buttons',
              blockId: 'answer_feedback',
              value,
              channelId: CHANNEL,
              messageTs: first.ts,
              responseUrl: collector.url,
            },
            { teamId: slack.teamId, userId: user },
          ),
        ),
        SECRET,
      );
    collector.responses.length = 0;
    expect((await click(element?.positive_button.value ?? '', 'U0BOB')).status).toBe(200);
    await until(() => collector.responses[0]);
    await click(element?.positive_button.value ?? '', ALICE);
    await until(() => collector.responses[1]);
    await click(element?.negative_button.value ?? '', 'U0BOB');
    await until(() => collector.responses[2]);
    await click('up:00000000-0000-4000-8000-000000000000', ALICE);
    await until(() => collector.responses[3]);
    const texts = (collector.responses as { text: string; response_type: string }[]).map((answer) => answer.text);
    expect(texts[0]).toBe('Thanks: you marked this answer as helpful. Votes now :+1: 1 · :-1: 0.');
    // Bob changes his mind: still one vote of his.
    expect(texts[2]).toBe('Thanks: you marked this answer as not helpful. Votes now :+1: 1 · :-1: 1.');
    expect(texts[3]).toBe('That answer no longer exists, so the vote was not recorded.');
  }, 90_000);
});
