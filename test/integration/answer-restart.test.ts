import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/fake-slack-api.ts';
import type { FakeModelServer } from '../fakes/fake-model-types.ts';
import { createPlanWriter } from '../fakes/plan-writer.ts';
import { fakeEnv, startFake } from '../helpers/model-harness.ts';
import { planSubmissionBody, samplePlanForm } from '../helpers/plan-form.ts';
import { loadTestPrompts } from '../helpers/prompts.ts';
import { startServiceInProcess, type InProcessService } from '../helpers/service.ts';
import { eventCallbackBody, postSigned } from '../helpers/slack-signing.ts';
import { until } from '../helpers/until.ts';

// A service restarted while it streams an answer: the next one finishes that answer, in the same
// message, and nobody sees a second answer.
const SECRET = 'restart-signing-secret-0123456789abcdef';
const CHANNEL = 'C0RESTART';
let slack: FakeSlackApi;
let model: FakeModelServer;
let env: Record<string, string>;
const running: InProcessService[] = [];

beforeAll(async () => {
  slack = await startFakeSlackApi();
  model = await startFake('anthropic', { respond: createPlanWriter(await loadTestPrompts()) });
  env = {
    ...fakeEnv('anthropic', model),
    // One database on disk for both processes, one after the other.
    DATA_DIR: await mkdtemp(path.join(tmpdir(), 'answer-restart-')),
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.url,
    SLACK_POST_INTERVAL_MS: '0',
    PLAN_JOB_POLL_SECONDS: '0.5',
    PLAN_JOB_RETRY_DELAY_SECONDS: '1',
    SHUTDOWN_GRACE_SECONDS: '1',
  };
}, 60_000);
afterAll(async () => {
  for (const service of running) await service.stop().catch(() => undefined);
  await Promise.all([slack.close(), model.close()]);
});

async function start(): Promise<string> {
  const service = await startServiceInProcess(env);
  running.push(service);
  return `${service.url}/slack/events`;
}

describe('an answer interrupted by a restart', () => {
  it('is finished by the next process in the message it started', async () => {
    let events = await start();
    const form = samplePlanForm({});
    const submit = planSubmissionBody({
      viewId: 'V0RESTART',
      channelId: CHANNEL,
      teamId: slack.teamId,
      userId: 'U0ADA',
      form,
    });
    await postSigned(events, submit, SECRET);
    const parent = await until(() => slack.messages(CHANNEL).find((message) => message.thread_ts === undefined));
    await until(
      () => (JSON.stringify(slack.thread(CHANNEL, parent.ts)[0]?.blocks).includes('plan_approve') ? true : undefined),
      60_000,
    );

    // The answer streams slowly; the service stops after its first words.
    model.setTokensPerSecond(8);
    const question = eventCallbackBody(
      {
        type: 'app_mention',
        user: 'U0BEN',
        text: `<@${slack.botUserId}> why a queue and not webhooks?`,
        ts: '1700000100.000100',
        channel: CHANNEL,
        thread_ts: parent.ts,
      },
      { teamId: slack.teamId },
    );
    await postSigned(events, question, SECRET, { contentType: 'application/json' });
    // Answer streams, not the plan's progress display (task_display_mode: plan).
    const answerStreams = (method: string) =>
      slack
        .callsTo(method)
        .filter((call) => call.body['task_display_mode'] === undefined && call.body['chunks'] === undefined);
    const started = await until(() => answerStreams('chat.startStream')[0]);
    await until(() => (answerStreams('chat.appendStream').length > 0 ? true : undefined));
    await running.shift()?.stop();
    const streamed = slack.thread(CHANNEL, parent.ts).find((message) => message.text.startsWith('About'));
    expect(streamed?.text).not.toContain('Webhooks alone would lose events');

    model.setTokensPerSecond(0);
    events = await start();
    const answer = await until(() => {
      const found = slack
        .thread(CHANNEL, parent.ts)
        .find((message) => JSON.stringify(message.blocks ?? []).includes('answer_sources'));
      return found?.text.includes('Webhooks alone would lose events') === true ? found : undefined;
    }, 30_000);
    expect(answer.ts).toBe(streamed?.ts);
    expect(started.body['thread_ts']).toBe(parent.ts);
    // One answer message: started once, finished in place by the second process.
    expect(answerStreams('chat.startStream')).toHaveLength(1);
    expect(
      slack.thread(CHANNEL, parent.ts).filter((message) => message.text.includes('About "why a queue')),
    ).toHaveLength(1);
    expect(answer.text).toContain('About "why a queue and not webhooks?": revision 1 puts a queue');
    expect(answer.text).not.toContain('Sources');
    expect(events).toContain('/slack/events');
  }, 120_000);
});
