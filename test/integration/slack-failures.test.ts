import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeModelServer } from '../fakes/fake-model-types.ts';
import type { FakeSlackApi } from '../fakes/fake-slack-api.ts';
import { startSlackService, type SlackService } from '../helpers/slack-service.ts';
import { until } from '../helpers/until.ts';
import { planSubmissionBody, samplePlanForm } from '../helpers/plan-form.ts';
import { postSigned } from '../helpers/slack-signing.ts';

const SECRET = 'another-signing-secret-fedcba9876543210';
let harness: SlackService;
let slack: FakeSlackApi;
let model: FakeModelServer;
let events: string;

beforeAll(async () => {
  // About 27,000 characters per section: far beyond one Slack message.
  harness = await startSlackService({
    signingSecret: SECRET,
    provider: 'openai',
    writer: { paragraphsPerItem: 30 },
    channelsWithoutBot: ['C0NOBOT'],
  });
  ({ slack, model, events } = harness);
}, 60_000);
afterAll(() => harness.stop());

const FORM = samplePlanForm({ variation: 'legacy', language: 'de' });

const submit = (viewId: string, channelId: string) =>
  postSigned(
    events,
    planSubmissionBody({ viewId, channelId, teamId: slack.teamId, userId: 'U0BOB', form: FORM, language: 'de' }),
    SECRET,
  );

describe('Slack delivery under pressure', () => {
  it('splits 27,000-character sections into continuation messages that Slack accepts, losing nothing', async () => {
    expect((await submit('V0LONG', 'C0LONG')).status).toBe(200);
    const root = await until(() =>
      slack.messages('C0LONG').find((message) => message.thread_ts === undefined || message.thread_ts === message.ts),
    );
    await until(
      () =>
        JSON.stringify(slack.messages('C0LONG').find((m) => m.ts === root.ts)?.blocks).includes('Fertig in')
          ? true
          : undefined,
      60_000,
    );
    const rejected = slack.calls.filter((call) => call.error !== undefined);
    expect(rejected).toEqual([]);
    const thread = slack.planThread('C0LONG', root.ts);
    // 7 sections, each over twice Slack's 12,000-character markdown budget: continuations.
    expect(thread.length).toBeGreaterThan(1 + 7 * 2);
    const text = JSON.stringify(thread.map((message) => message.blocks));
    for (const label of [
      'API-Typ (REST, GraphQL, SOAP, gRPC)',
      'Rate Limiting pro Client',
      'SLA-Definition',
      'Idempotenz wo nötig',
    ]) {
      expect(text).toContain(label);
    }
    expect(text).toContain('(Fortsetzung 2/');
  }, 90_000);

  it('posts the plan by direct message, saying why, when the bot is not in the channel', async () => {
    expect((await submit('V0NOBOT', 'C0NOBOT')).status).toBe(200);
    const note = await until(() => slack.calls.find((call) => call.method === 'conversations.open'));
    expect(note.body.users).toBe('U0BOB');
    const dm = await until(() =>
      slack.calls.find((call) => call.method === 'chat.postMessage' && String(call.body.text).includes('C0NOBOT')),
    );
    expect(String(dm.body.text)).toContain('nicht Mitglied');
  }, 60_000);

  it('waits out Slack rate limits (429 + Retry-After) and drops nothing', async () => {
    slack.enqueueRateLimit('chat.postMessage', 1);
    slack.enqueueRateLimit('chat.update', 1);
    expect((await submit('V0LIMIT', 'C0LIMIT')).status).toBe(200);
    const root = await until(() =>
      slack.messages('C0LIMIT').find((message) => message.thread_ts === undefined || message.thread_ts === message.ts),
    );
    await until(
      () =>
        JSON.stringify(slack.messages('C0LIMIT').find((m) => m.ts === root.ts)?.blocks).includes('Fertig in')
          ? true
          : undefined,
      60_000,
    );
    const limited = slack.calls.filter((call) => call.status === 429);
    expect(limited.map((call) => call.method).toSorted()).toEqual(['chat.postMessage', 'chat.update']);
    const thread = slack.planThread('C0LIMIT', root.ts);
    for (const label of ['1. Architektur-Analyse', '4. Implementierung', '7. Code-Qualität']) {
      expect(JSON.stringify(thread.map((message) => message.blocks))).toContain(label);
    }
    expect(thread.filter((message) => message.text.includes('wird geschrieben'))).toEqual([]);
  }, 90_000);

  it('tells the thread plainly when the model rejects the key, without retrying', async () => {
    model.enqueueFaults({ kind: 'unauthorized' });
    const before = model.requests.length;
    expect((await submit('V0KEY', 'C0KEY')).status).toBe(200);
    const root = await until(() =>
      slack.messages('C0KEY').find((message) => message.thread_ts === undefined || message.thread_ts === message.ts),
    );
    const failure = await until(() =>
      slack.planThread('C0KEY', root.ts).find((message) => message.text.includes('API-Schlüssel')),
    );
    expect(failure.text).toBe(
      ':x: Der Plan konnte nicht geschrieben werden. Das Modell hat den API-Schlüssel abgelehnt. Ein Administrator muss den Schlüssel prüfen.',
    );
    expect(failure.text).not.toMatch(/Error|stack|401/u);
    expect(model.requests.length - before).toBe(1);
  }, 60_000);

  it('keeps the form open and says so when a re-run names a plan the workspace does not have', async () => {
    const body = planSubmissionBody({
      viewId: 'V0GONE',
      channelId: 'C0GONE',
      teamId: slack.teamId,
      userId: 'U0BOB',
      form: FORM,
      language: 'de',
      planNumber: 999,
    });
    const response = await postSigned(events, body, SECRET);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      response_action: 'errors',
      errors: { [Object.keys(FORM)[0] ?? '']: 'Es gibt keinen Plan „999“ (siehe `list`).' },
    });
    expect(slack.messages('C0GONE')).toEqual([]);
  });
});
