import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlackApi } from '../fakes/fake-slack-api.ts';
import type { StoredMessage } from '../fakes/fake-slack-types.ts';
import { planSubmissionBody, SAMPLE_PLAN_FORM, type PlanForm } from '../helpers/plan-form.ts';
import { startResponseCollector, type ResponseCollector } from '../helpers/response-collector.ts';
import { startSlackService, type SlackService } from '../helpers/slack-service.ts';
import { until } from '../helpers/until.ts';
import { blockActionsPayload, interactionBody, postSigned, slashCommandBody } from '../helpers/slack-signing.ts';

const SECRET = 'test-signing-secret-0123456789abcdef';
const CHANNEL = 'C0PLANS';
const USER = 'U0ALICE';
let harness: SlackService;
let slack: FakeSlackApi;
let events: string;
let collector: ResponseCollector;
let responses: unknown[];
let responseUrl: string;

beforeAll(async () => {
  harness = await startSlackService({
    signingSecret: SECRET,
    provider: 'anthropic',
    writer: { inject: 'Ping <!channel> and <@U0BOSS> now!', sizing: true },
    channelsWithoutBot: ['C0NOBOT'],
  });
  ({ slack, events } = harness);
  // Alice's Slack speaks German: commands answer her in German, her forms open in German.
  slack.setUserLocale(USER, 'de-DE');
  // Bolt's respond() posts to the command's response_url: collect what it says.
  collector = await startResponseCollector();
  ({ responses, url: responseUrl } = collector);
}, 60_000);
afterAll(async () => {
  await harness.stop();
  await collector.close();
});

const command = (text: string, extra: Record<string, string> = {}) =>
  slashCommandBody({
    text,
    command: '/integration-plan',
    userId: USER,
    teamId: slack.teamId,
    channelId: CHANNEL,
    responseUrl,
    ...extra,
  });

const submission = (viewId: string, form: PlanForm, planNumber?: number) =>
  planSubmissionBody({
    viewId,
    channelId: CHANNEL,
    teamId: slack.teamId,
    userId: USER,
    form,
    ...(planNumber === undefined ? {} : { planNumber }),
  });

const FORM = SAMPLE_PLAN_FORM;

let firstPlan: Promise<{ statuses: number[]; thread: readonly StoredMessage[] }> | undefined;

/**
 * Plan 1, submitted twice as a double click does (the same view, a new request and signature),
 * and its thread once every section is in and the parent says done. Written on first use, so
 * each test that needs the plan stands alone.
 */
function writeFirstPlan() {
  return (firstPlan ??= (async () => {
    const now = Math.floor(Date.now() / 1000);
    const first = await postSigned(events, submission('V0GOOD', FORM), SECRET, { timestampSeconds: now });
    const again = await postSigned(events, submission('V0GOOD', FORM), SECRET, { timestampSeconds: now + 1 });
    const parent = await until(() =>
      slack.messages(CHANNEL).find((message) => message.thread_ts === undefined || message.thread_ts === message.ts),
    );
    const thread = await until(() => {
      const replies = slack.planThread(CHANNEL, parent.ts);
      return replies.length === 8 &&
        replies.slice(1).every((reply) => !reply.text.includes('writing…')) &&
        JSON.stringify(replies[0]?.blocks).includes('Done in')
        ? replies
        : undefined;
    }, 30_000);
    return { statuses: [first.status, again.status], thread };
  })());
}

describe('Slack: /integration-plan end to end', () => {
  it('opens the form at once, with every field and Slack limits set', async () => {
    const response = await postSigned(events, command(''), SECRET);
    expect(response.status).toBe(200);
    const opened = await until(() => slack.views().at(-1));
    const view = opened.view as {
      blocks: { block_id?: string; element?: { max_length?: number; type?: string } }[];
      title: { text: string };
    };
    expect(view.title.text).toBe('Integrationsplan');
    const fields = view.blocks.flatMap((block) => (block.block_id ? [block.block_id] : []));
    expect(fields).toEqual([
      'existingSystem',
      'targetApi',
      'useCase',
      'specFile',
      'specUrl',
      'callsPerSecond',
      'dataVolume',
      'scaleNotes',
      'budget',
      'variation',
      'language',
    ]);
    expect(view.blocks.find((block) => block.block_id === 'targetApi')?.element?.max_length).toBe(300);
    expect(view.blocks.find((block) => block.block_id === 'callsPerSecond')?.element?.type).toBe('number_input');
  });

  it('shows errors under the fields and saves nothing for bad input', async () => {
    const response = await postSigned(
      events,
      submission('V0BAD', { ...FORM, targetApi: '  ', callsPerSecond: '0' }),
      SECRET,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      response_action: 'errors',
      errors: { targetApi: 'Please fill this in.', callsPerSecond: 'Enter a number greater than 0.' },
    });
  });

  it('posts the plan in the channel: a parent and seven threaded sections, neutralised', async () => {
    const { statuses, thread: done } = await writeFirstPlan();
    expect(statuses).toEqual([200, 200]);
    expect(done[0]?.text).toContain('Integration plan: Shopware 6 (PHP 8.3), MySQL 8 → Stripe Payments API');
    const bodies = done.slice(1).map((reply) => JSON.stringify(reply.blocks));
    expect(bodies[0]).toContain('Architecture analysis');
    expect(bodies[6]).toContain('Code quality');
    const all = JSON.stringify(done);
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<@U0BOSS>');
    expect(
      slack
        .callsTo('chat.postMessage')
        .filter((call) => call.body.channel === CHANNEL && call.body.thread_ts === undefined),
    ).toHaveLength(1);
  }, 60_000);

  it('re-runs with new scale as revision 2 in the same thread, and exports as Markdown', async () => {
    await writeFirstPlan();
    const parent = slack
      .messages(CHANNEL)
      .find((message) => JSON.stringify(message.blocks ?? []).includes('plan_rerun'));
    expect(parent).toBeDefined();
    const click = (actionId: string) =>
      postSigned(
        events,
        interactionBody(
          blockActionsPayload(
            { actionId, blockId: 'plan_actions', value: '1:1', channelId: CHANNEL, messageTs: parent?.ts ?? '' },
            { teamId: slack.teamId, userId: USER },
          ),
        ),
        SECRET,
      );
    const viewsBefore = slack.views().length;
    expect((await click('plan_rerun')).status).toBe(200);
    const opened = await until(() => slack.views()[viewsBefore]);
    const form = opened.view as {
      private_metadata: string;
      blocks: { block_id?: string; element?: { initial_value?: string } }[];
    };
    expect(JSON.parse(form.private_metadata)).toEqual({ channelId: CHANNEL, language: 'en', planNumber: 1 });
    // Scale first, pre-filled from the stored revision.
    expect(form.blocks.find((block) => block.block_id !== undefined)?.block_id).toBe('callsPerSecond');
    expect(form.blocks.find((block) => block.block_id === 'callsPerSecond')?.element?.initial_value).toBe('50');
    const submitted = await postSigned(
      events,
      submission('V0RERUN', { ...FORM, callsPerSecond: '500', dataVolume: '20 GB/day' }, 1),
      SECRET,
    );
    expect(submitted.status).toBe(200);
    const summary = await until(
      () => slack.planThread(CHANNEL, parent?.ts ?? '').find((message) => message.text === 'What changed'),
      30_000,
    );
    expect(JSON.stringify(summary.blocks)).toContain('**Architecture analysis**');
    const thread = slack.planThread(CHANNEL, parent?.ts ?? '');
    const revisionTwo = thread.find((message) => JSON.stringify(message.blocks ?? []).includes('revision 2'));
    expect(JSON.stringify(revisionTwo?.blocks)).toContain(
      'Peak calls per second 50 → 500, Data volume 2 GB/day → 20 GB/day',
    );
    // One root message in the channel: revision 2 lives in the plan's thread.
    expect(
      slack.messages(CHANNEL).filter((message) => message.thread_ts === undefined || message.thread_ts === message.ts),
    ).toHaveLength(1);

    expect((await click('plan_export')).status).toBe(200);
    const file = await until(() => slack.files()[0]);
    expect(file.filename).toBe('integration-plan-1-r1.md');
    expect(file.thread_ts).toBe(parent?.ts);
    const markdown = file.content.toString('utf8');
    expect(markdown).toContain('# Shopware 6 (PHP 8.3), MySQL 8 → Stripe Payments API');
    expect(markdown.match(/^## \d\. /gmu)).toHaveLength(7);

    // Revision 1 against revision 2, posted in the plan's thread: the changed input, figure and sections.
    responses.length = 0;
    await postSigned(events, command('diff 1 1 2'), SECRET);
    expect(((await until(() => responses[0])) as { text: string }).text).toContain(
      'Der Vergleich steht im Thread von Plan 1.',
    );
    const comparison = await until(() =>
      slack
        .planThread(CHANNEL, parent?.ts ?? '')
        .find((message) => JSON.stringify(message).includes('Plan 1: revision 1 → 2')),
    );
    const shown = JSON.stringify(comparison.blocks);
    expect(shown).toContain('Peak calls per second: 50 → 500');
    expect(shown).toContain('Calls per minute at peak: 3,000 → 30,000');
    expect(shown).toContain('+ Sized for 500 calls per second at peak.');
  }, 60_000);

  it('lists the workspace plans ephemerally', async () => {
    await writeFirstPlan();
    responses.length = 0;
    await postSigned(events, command('list stripe'), SECRET);
    const answer = (await until(() => responses[0])) as { text: string; response_type: string };
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('Shopware 6 (PHP 8.3), MySQL 8 → Stripe Payments API');
  });

  it("links a saved plan's thread with show, and says when there is none", async () => {
    await writeFirstPlan();
    responses.length = 0;
    await postSigned(events, command('show 1'), SECRET);
    const found = (await until(() => responses[0])) as { text: string };
    expect(found.text).toMatch(/^\*1\* · Shopware 6 \(PHP 8\.3\), MySQL 8 → Stripe Payments API · done · http/u);
    await postSigned(events, command('show 99'), SECRET);
    const missing = (await until(() => responses[1])) as { text: string };
    // Alice's Slack speaks German.
    expect(missing.text).toBe('Es gibt keinen Plan „99“ (siehe `list`).');
  });

  it('refuses unsigned, stale and replayed requests without side effects', async () => {
    const calls = slack.calls.length;
    const body = command('help');
    expect((await postSigned(events, body, 'wrong-secret')).status).toBe(401);
    expect(
      (await postSigned(events, body, SECRET, { timestampSeconds: Math.floor(Date.now() / 1000) - 6 * 60 })).status,
    ).toBe(401);
    const timestampSeconds = Math.floor(Date.now() / 1000);
    expect((await postSigned(events, body, SECRET, { timestampSeconds })).status).toBe(200);
    expect((await postSigned(events, body, SECRET, { timestampSeconds })).status).toBe(401);
    const unsigned = await fetch(events, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(unsigned.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Only the one accepted help command reached Slack (its locale look-up).
    expect(slack.calls.slice(calls).map((call) => call.method)).toEqual(['users.info']);
  });
});
