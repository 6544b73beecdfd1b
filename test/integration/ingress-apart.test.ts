import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeModelServer } from '../fakes/fake-model-types.ts';
import { createPlanWriter } from '../fakes/plan-writer.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/fake-slack-api.ts';
import { fakeEnv, startFake } from '../helpers/model-harness.ts';
import { planSubmissionBody, samplePlanForm } from '../helpers/plan-form.ts';
import { loadTestPrompts } from '../helpers/prompts.ts';
import { NO_PLAN_LIMITS, type ServiceProcess, slackServiceEnv, startServiceProcess } from '../helpers/service.ts';
import { postSigned, slashCommandBody } from '../helpers/slack-signing.ts';
import { dropSchemas, TEST_DATABASE_URL, uniqueSchema } from '../helpers/test-database.ts';
import { until } from '../helpers/until.ts';

// `npm start` on Postgres: the web process answers Slack while its plan worker process is frozen
// (SIGSTOP: a worker as busy as one can be); the plan waits in the queue until the worker is back.
const SECRET = 'ingress-apart-signing-secret-0123456789';
const CHANNEL = 'C0APART';

if (TEST_DATABASE_URL === undefined) {
  console.warn(
    '\n!!! ingress-apart.test.ts SKIPPED: the web/worker split runs on Postgres; set TEST_DATABASE_URL. !!!\n',
  );
}

describe.skipIf(TEST_DATABASE_URL === undefined)('the web process apart from plan work (Postgres)', () => {
  const url = TEST_DATABASE_URL ?? '';
  const schema = uniqueSchema();
  let slack: FakeSlackApi;
  let model: FakeModelServer;
  let service: ServiceProcess | undefined;
  let workerPid = 0;

  beforeAll(async () => {
    slack = await startFakeSlackApi();
    model = await startFake('anthropic', { respond: createPlanWriter(await loadTestPrompts()) });
    const env = slackServiceEnv(
      { model: fakeEnv('anthropic', model), slack, databaseUrl: url, schema, signingSecret: SECRET },
      { ...NO_PLAN_LIMITS, PLAN_WORKER_PROCESSES: '1' },
    );
    service = await startServiceProcess(env);
    const started = await service.waitForLog((record) => record.msg === 'plan worker process started');
    workerPid = Number(started['pid']);
  }, 90_000);
  afterAll(async () => {
    if (workerPid > 0) process.kill(workerPid, 'SIGCONT');
    await service?.stop('SIGKILL');
    await Promise.all([slack.close(), model.close()]);
    await dropSchemas(url, schema);
  });

  const command = (triggerId: string) =>
    slashCommandBody({
      text: '',
      command: '/integration-plan',
      userId: 'U0APART',
      teamId: slack.teamId,
      channelId: CHANNEL,
      responseUrl: 'http://127.0.0.1:9/unused',
      triggerId,
    });

  it('acknowledges commands and submissions while every plan worker is blocked, and runs the plan once it is back', async () => {
    const events = `${service?.url ?? ''}/slack/events`;
    expect(workerPid).toBeGreaterThan(0);
    expect(workerPid).not.toBe(service?.pid);
    process.kill(workerPid, 'SIGSTOP');
    try {
      const opened = slack.callsTo('views.open').length;
      expect((await postSigned(events, command('13345224609.738474920.apart1'), SECRET)).status).toBe(200);
      await until(() => slack.callsTo('views.open')[opened]);
      const form = samplePlanForm({});
      const submit = planSubmissionBody({
        viewId: 'V0APART',
        channelId: CHANNEL,
        teamId: slack.teamId,
        userId: 'U0APART',
        form,
      });
      expect((await postSigned(events, submit, SECRET)).status).toBe(200);
      // The web process does no plan work: nothing is posted while the only worker is frozen.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(slack.messages(CHANNEL)).toEqual([]);
      expect(model.requests).toHaveLength(0);
    } finally {
      process.kill(workerPid, 'SIGCONT');
    }
    const parent = await until(
      () => slack.messages(CHANNEL).find((message) => message.thread_ts === undefined),
      30_000,
    );
    await until(
      () => (JSON.stringify(slack.thread(CHANNEL, parent.ts)[0]?.blocks).includes('plan_approve') ? true : undefined),
      60_000,
    );
  }, 120_000);

  it('shows the web process and its worker on /metrics', async () => {
    const text = await (await fetch(`${service?.url ?? ''}/metrics`)).text();
    expect(text).toMatch(/^process_resident_memory_bytes\{[^}]*part="web"[^}]*\} \d+/mu);
    expect(text).toMatch(
      new RegExp(`^process_resident_memory_bytes\\{[^}]*part="worker",pid="${workerPid}"[^}]*\\} \\d+`, 'mu'),
    );
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds\{[^}]*part="worker"/mu);
    expect(text).toMatch(/^planner_queue_jobs\{[^}]*part="worker"/mu);
  }, 30_000);
});
