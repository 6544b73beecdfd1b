import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlackApi } from '../fakes/fake-slack-api.ts';
import { startResponseCollector, type ResponseCollector } from '../helpers/response-collector.ts';
import { blockActionsPayload, interactionBody, postSigned, viewSubmissionPayload } from '../helpers/slack-signing.ts';
import { startSlackService, type SlackService } from '../helpers/slack-service.ts';
import { until } from '../helpers/until.ts';
import { logInto } from '../helpers/service.ts';

// After an upgrade, people click buttons and submit forms that an older version posted: no handler
// knows their ids. Each is acknowledged at once and explained, never left to Slack's timeout.
const SECRET = 'test-signing-secret-stale-0123456789';
let harness: SlackService;
let slack: FakeSlackApi;
let collector: ResponseCollector;
const lines: string[] = [];

beforeAll(async () => {
  harness = await startSlackService({
    signingSecret: SECRET,
    provider: 'anthropic',
    log: logInto(lines),
  });
  slack = harness.slack;
  slack.setUserLocale('U0HANS', 'de-DE');
  collector = await startResponseCollector();
}, 60_000);
afterAll(async () => {
  await harness.stop();
  await collector.close();
});

const post = (payload: object) => postSigned(harness.events, interactionBody(payload), SECRET);
const logged = () => lines.map((line) => (JSON.parse(line) as { msg: string }).msg);

describe('Slack: interactions of an older version', () => {
  it('acknowledges a button no handler knows and says so to the person, in their language', async () => {
    const click = blockActionsPayload(
      { actionId: 'plan_approve_v0', value: '1:1', responseUrl: collector.url },
      { teamId: slack.teamId, userId: 'U0HANS' },
    );
    const response = await post(click);
    expect(response.status).toBe(200);
    const said = await until(() => collector.responses[0]);
    expect(said).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(JSON.stringify(said)).toContain('gehört zu einer älteren Version dieser Nachricht');
  });

  it('replaces a form no handler knows with a notice in the form’s language', async () => {
    const submission = viewSubmissionPayload(
      { callbackId: 'plan_modal_v0', values: {}, privateMetadata: JSON.stringify({ channelId: 'C1', language: 'en' }) },
      { teamId: slack.teamId, userId: 'U0ANNA' },
    );
    const response = await post(submission);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { response_action: string; view: { blocks: unknown[] } };
    expect(answer.response_action).toBe('update');
    expect(JSON.stringify(answer.view)).toContain('This form belongs to an older version of the app');
    // The plan form's own callback id with metadata this version cannot read: the same notice, in German here.
    const older = viewSubmissionPayload(
      { callbackId: 'plan_modal', values: {}, privateMetadata: JSON.stringify({ channel: 'C1', language: 'de' }) },
      { teamId: slack.teamId, userId: 'U0ANNA' },
    );
    const olderAnswer = (await (await post(older)).json()) as { response_action: string; view: unknown };
    expect(olderAnswer.response_action).toBe('update');
    expect(JSON.stringify(olderAnswer.view)).toContain('gehört zu einer älteren Version der App');
  });

  it('answers a shortcut no handler knows with a notice window', async () => {
    const shortcut = {
      type: 'shortcut',
      callback_id: 'plan_from_shortcut',
      trigger_id: '12345.98765.abcdef',
      team: { id: slack.teamId, domain: 'fake' },
      user: { id: 'U0ANNA', username: 'anna', team_id: slack.teamId },
      api_app_id: 'A0FAKEAPP',
      token: 'fakeVerificationToken0001',
      action_ts: '1700000000.000001',
      is_enterprise_install: false,
      enterprise: null,
    };
    expect((await post(shortcut)).status).toBe(200);
    const opened = await until(() =>
      slack.callsTo('views.open').find((call) => call.body['trigger_id'] === '12345.98765.abcdef'),
    );
    expect(JSON.stringify(opened.body['view'])).toContain('no longer offered');
    // Bolt never had to wait out its 3 seconds for any of them.
    expect(logged().some((msg) => /not acknowledged/iu.test(msg))).toBe(false);
    expect(logged().filter((msg) => msg === 'Slack interaction of an older version acknowledged')).toHaveLength(3);
  });
});
