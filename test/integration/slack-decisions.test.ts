import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlackApi, StoredMessage } from '../fakes/fake-slack-api.ts';
import { planSubmissionBody, SAMPLE_PLAN_FORM } from '../helpers/plan-form.ts';
import { startResponseCollector, type ResponseCollector } from '../helpers/response-collector.ts';
import { blockActionsPayload, interactionBody, postSigned, viewSubmissionPayload } from '../helpers/slack-signing.ts';
import { startSlackService, type SlackService } from '../helpers/slack-service.ts';
import { until } from '../helpers/until.ts';

// Review decisions on a plan's parent message through the signed endpoint: PLAN_APPROVERS names Ada.
const SECRET = 'test-signing-secret-decisions-0123';
const CHANNEL = 'C0REVIEW';
const ADA = 'U0ADA';
const MALLORY = 'U0MALLORY';
let harness: SlackService;
let slack: FakeSlackApi;
let collector: ResponseCollector;

beforeAll(async () => {
  harness = await startSlackService({
    signingSecret: SECRET,
    provider: 'anthropic',
    env: { PLAN_APPROVERS: `${ADA}, U0GRACE` },
  });
  slack = harness.slack;
  collector = await startResponseCollector();
}, 60_000);
afterAll(async () => {
  await harness.stop();
  await collector.close();
});

const post = (body: string) => postSigned(harness.events, body, SECRET);
const parentOf = (revision: number) =>
  slack
    .messages(CHANNEL)
    .concat(slack.messages(CHANNEL).flatMap((root) => slack.planThread(CHANNEL, root.ts).slice(1)))
    .find(
      (message) =>
        JSON.stringify(message.blocks ?? []).includes(`"plan_approve"`) &&
        JSON.stringify(message.blocks ?? []).includes(`"value":"1:${revision}"`),
    );
const reviewText = (message: StoredMessage | undefined) =>
  JSON.stringify(
    (message?.blocks as { block_id?: string }[] | undefined)?.find((block) => block.block_id === 'plan_review'),
  );
const click = (actionId: string, user: string, messageTs: string) =>
  post(
    interactionBody(
      blockActionsPayload(
        { actionId, blockId: 'plan_actions', value: '1:1', channelId: CHANNEL, messageTs, responseUrl: collector.url },
        { teamId: slack.teamId, userId: user },
      ),
    ),
  );

describe('Slack: approve and request changes on the parent message', () => {
  it('records decisions of approvers only and shows the latest on the parent', async () => {
    const submitted = await post(
      planSubmissionBody({
        viewId: 'V0REVIEW1',
        channelId: CHANNEL,
        teamId: slack.teamId,
        userId: ADA,
        form: SAMPLE_PLAN_FORM,
      }),
    );
    expect(submitted.status).toBe(200);
    const parent = await until(() => parentOf(1), 30_000);
    expect(reviewText(parent)).toContain('In review');

    // Mallory is not an approver: told so, and nothing changes.
    await click('plan_approve', MALLORY, parent.ts);
    expect(JSON.stringify(await until(() => collector.responses[0]))).toContain('Only the approvers');
    expect(reviewText(parentOf(1))).toContain('In review');

    await click('plan_approve', ADA, parent.ts);
    await until(() => (reviewText(parentOf(1)).includes('Approved by <@U0ADA>') ? true : undefined));
    expect(reviewText(parentOf(1))).toMatch(/Approved by <@U0ADA>, \d{1,2} [A-Z][a-z]{2}, \d{2}:\d{2} UTC/u);

    // "Request changes" asks for the reason in a form first.
    const views = slack.views().length;
    await click('plan_request_changes', ADA, parent.ts);
    const form = await until(() => slack.views()[views]);
    expect(form.view['callback_id']).toBe('plan_changes');
    const submit = (reason: string) =>
      post(
        interactionBody(
          viewSubmissionPayload(
            {
              callbackId: 'plan_changes',
              viewId: form.id,
              privateMetadata: String(form.view['private_metadata']),
              values: { reason: { value: { type: 'plain_text_input', value: reason } } },
              blocks: [{ type: 'input', block_id: 'reason' }],
            },
            { teamId: slack.teamId, userId: ADA },
          ),
        ),
      );
    const empty = await submit('   ');
    expect(await empty.json()).toEqual({
      response_action: 'errors',
      errors: { reason: 'Please say what should change.' },
    });
    expect((await submit('Use webhooks instead of polling <!channel>')).status).toBe(200);
    await until(() => (reviewText(parentOf(1)).includes('Changes requested') ? true : undefined));
    const review = reviewText(parentOf(1));
    expect(review).toContain('Changes requested by <@U0ADA>');
    expect(review).toContain('Use webhooks instead of polling &lt;!channel&gt;');

    // Mallory gets no form to fill in for nothing.
    const opened = slack.views().length;
    collector.responses.length = 0;
    await click('plan_request_changes', MALLORY, parent.ts);
    expect(JSON.stringify(await until(() => collector.responses[0]))).toContain('Only the approvers');
    expect(slack.views()).toHaveLength(opened);

    // A re-run is a new revision: it starts in review, whatever revision 1's state.
    const rerun = planSubmissionBody({
      viewId: 'V0REVIEW2',
      channelId: CHANNEL,
      teamId: slack.teamId,
      userId: ADA,
      form: { ...SAMPLE_PLAN_FORM, callsPerSecond: '500' },
      planNumber: 1,
    });
    expect((await post(rerun)).status).toBe(200);
    expect(reviewText(await until(() => parentOf(2), 30_000))).toContain('In review');
    expect(reviewText(parentOf(1))).toContain('Changes requested');
  }, 60_000);

  it('keeps the plan as one canvas, shared read-only with the channel, updated by revisions and decisions', async () => {
    // The test above made revision 1, two decisions and revision 2 of plan 1.
    await until(() => (JSON.stringify(parentOf(2)?.blocks).includes('plan_canvas') ? true : undefined), 30_000);
    const canvases = slack.canvases();
    expect(canvases).toHaveLength(1);
    const [canvas] = canvases;
    expect(canvas?.title).toBe('Plan 1: Shopware 6 (PHP 8.3), MySQL 8 → Stripe Payments API');
    expect([...(canvas?.access ?? [])]).toEqual([[CHANNEL, 'read']]);
    // Created with revision 1, edited for each decision and for revision 2.
    expect(canvas?.edits).toBe(3);
    expect(canvas?.markdown).toContain('Plan 1, revision 2');
    expect(canvas?.markdown.match(/^## \d\. /gmu)).toHaveLength(7);
    expect(canvas?.markdown).toContain('## Review\n\n- In review');
    const link = JSON.stringify(parentOf(2)?.blocks);
    expect(link).toContain(`/docs/${slack.teamId}/${canvas?.id}|The plan as a canvas>`);
  }, 60_000);
});

/**
 * A plan of the sample form on a service of its own (`prepare` shapes its fake Slack first), and
 * that service's first parent message once it says done.
 */
async function planOnOwnService(
  options: { canvasError?: string },
  prepare: (slack: FakeSlackApi) => void = () => undefined,
): Promise<{ harness: SlackService; parent: StoredMessage }> {
  const own = await startSlackService({ signingSecret: SECRET, provider: 'anthropic', ...options });
  try {
    prepare(own.slack);
    const body = planSubmissionBody({
      viewId: 'V0OWN1',
      channelId: CHANNEL,
      teamId: own.slack.teamId,
      form: SAMPLE_PLAN_FORM,
    });
    expect((await postSigned(own.events, body, SECRET)).status).toBe(200);
    const parent = await until(
      () => own.slack.messages(CHANNEL).find((message) => JSON.stringify(message.blocks ?? []).includes('Done in')),
      30_000,
    );
    return { harness: own, parent };
  } catch (error) {
    await own.stop();
    throw error;
  }
}

describe('Slack: where canvases are not available', () => {
  it('says so on the parent and keeps the Markdown export', async () => {
    const { harness: free, parent } = await planOnOwnService({
      canvasError: 'free_teams_cannot_create_non_tabbed_canvases',
    });
    try {
      const blocks = JSON.stringify(parent.blocks);
      expect(blocks).toContain(
        'No canvas for this plan: Slack answered `free_teams_cannot_create_non_tabbed_canvases`',
      );
      expect(blocks).toContain('plan_export');
      expect(free.slack.canvases()).toHaveLength(0);
    } finally {
      await free.stop();
    }
  }, 60_000);

  it('does not hold the plan when Slack rate-limits the canvas: the plan finishes, the canvas waits for the next change', async () => {
    // A Retry-After of 120 s: a client that waited it out would keep the plan from finishing here.
    const { harness: busy, parent } = await planOnOwnService({}, (slack) =>
      slack.enqueueRateLimit('canvases.create', 120),
    );
    try {
      expect(JSON.stringify(parent.blocks)).not.toContain('plan_canvas');
      expect(busy.slack.callsTo('canvases.create').map((call) => call.status)).toEqual([429]);
      expect(busy.slack.canvases()).toHaveLength(0);
    } finally {
      await busy.stop();
    }
  }, 60_000);
});
