import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PromptLibrary } from '../../src/prompts/load-prompts.ts';
import { createPgDatabase } from '../../src/store/pg-database.ts';
import { createPlanStore } from '../../src/store/plan-store.ts';
import type { FakeModelServer } from '../fakes/fake-model-types.ts';
import { classifyAsk, createPlanWriter } from '../fakes/plan-writer.ts';
import { startFakeSlackApi, type FakeSlackApi, type SlackCall } from '../fakes/fake-slack-api.ts';
import { fakeEnv, startFake } from '../helpers/model-harness.ts';
import { probe, type ServiceProcess, slackServiceEnv, startServiceProcess } from '../helpers/service.ts';
import { until } from '../helpers/until.ts';
import { planSubmissionBody, samplePlanForm } from '../helpers/plan-form.ts';
import { postSigned } from '../helpers/slack-signing.ts';
import { dropSchemas, TEST_DATABASE_URL, uniqueSchema } from '../helpers/test-database.ts';
import { loadTestPrompts } from '../helpers/prompts.ts';

// SIGTERM in the middle of a plan: the replica stops taking requests, gives the running plan a
// short grace period, hands it back to the queue unfinished and exits 0; a second replica on the
// same database resumes it where it stopped. Two real processes need Postgres (PGlite is
// single-process), so this runs only with TEST_DATABASE_URL.
const SECRET = 'shutdown-signing-secret-0123456789';
const CHANNEL = 'C0SHUTDOWN';
const GRACE_SECONDS = 1;
// Slow enough that the plan (about 1,800 tokens, streamed in one response) takes about 7 s,
// so it is still running when the grace period ends.
const TOKENS_PER_SECOND = 250;
// Longer than the second process is given to resume the plan: a job left `active` by the
// stopped process (instead of handed back) would only come back after this.
const HEARTBEAT_SECONDS = 30;

if (TEST_DATABASE_URL === undefined) {
  console.warn(
    '\n!!! shutdown.test.ts SKIPPED: graceful shutdown needs two processes on Postgres; set TEST_DATABASE_URL (CI does). !!!\n',
  );
}

const FORM = samplePlanForm();

const submission = (teamId: string): string =>
  planSubmissionBody({ viewId: 'V0SHUTDOWN', channelId: CHANNEL, teamId, userId: 'U0SHUTDOWN', form: FORM });

const ok = (call: SlackCall) => call.body['channel'] === CHANNEL && call.status === 200 && call.error === undefined;

describe.skipIf(TEST_DATABASE_URL === undefined)('SIGTERM during a plan (two processes on Postgres)', () => {
  const url = TEST_DATABASE_URL ?? '';
  const schema = uniqueSchema();
  let prompts: PromptLibrary;
  let slack: FakeSlackApi;
  let model: FakeModelServer;
  let env: Record<string, string>;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    prompts = await loadTestPrompts();
    slack = await startFakeSlackApi();
    model = await startFake('anthropic', { respond: createPlanWriter(prompts), tokensPerSecond: TOKENS_PER_SECOND });
    env = slackServiceEnv(
      { model: fakeEnv('anthropic', model), slack, databaseUrl: url, schema, signingSecret: SECRET },
      {
        // One response for the whole plan: sections arrive one after another.
        PLAN_STRATEGY: 'single',
        SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS),
        // Longer than the test waits: a handed-back job is due at once, not after the retry backoff.
        PLAN_JOB_RETRY_DELAY_SECONDS: '120',
        PLAN_JOB_HEARTBEAT_SECONDS: String(HEARTBEAT_SECONDS),
        LLM_RETRY_BASE_MS: '50',
      },
    );
  });
  afterAll(async () => {
    await Promise.all(processes.map((child) => child.stop('SIGKILL')));
    await Promise.all([slack.close(), model.close()]);
    await dropSchemas(url, schema);
  });

  it('hands the running plan back and a second process finishes it, posting nothing twice', async () => {
    const first = await startServiceProcess(env);
    processes.push(first);
    const answer = await postSigned(`${first.url}/slack/events`, submission(slack.teamId), SECRET);
    expect(answer.status).toBe(200);

    // The parent and Slack's plan display are posted; wait until two sections are.
    const parent = await until(
      () =>
        slack.messages(CHANNEL).find((message) => message.thread_ts === undefined || message.thread_ts === message.ts),
      30_000,
    );
    const sectionPosts = () =>
      slack.callsTo('chat.postMessage').filter((call) => ok(call) && call.body['thread_ts'] === parent.ts);
    await until(() => (sectionPosts().length >= 2 ? true : undefined), 30_000);
    expect(JSON.stringify(slack.planThread(CHANNEL, parent.ts)[0]?.blocks)).not.toContain('Done in');

    const signalledAt = Date.now();
    const exitCode = first.stop('SIGTERM');
    await first.waitForLog((record) => record.msg === 'shutting down', 10_000);
    // It leaves the load balancer at once: not ready, or not listening any more (a connection
    // that arrives while the listener closes is reset rather than refused).
    expect([503, 'ECONNREFUSED', 'ECONNRESET']).toContain(await probe(`${first.url}/readyz`));
    expect(await exitCode).toBe(0);
    const stopSeconds = (Date.now() - signalledAt) / 1000;
    console.log(`first process: SIGTERM → exit 0 in ${stopSeconds.toFixed(1)} s (grace ${GRACE_SECONDS} s)`);
    // Grace, plus up to 2 s for open HTTP requests, plus start-up noise of a loaded machine.
    expect(stopSeconds).toBeLessThan(GRACE_SECONDS + 10);
    const firstLog = first.records().map((record) => record.msg);
    expect(firstLog).toContain('plan job interrupted; it goes back to the queue and resumes from its stored sections');
    expect(firstLog).toContain('plan jobs handed back to the queue, due at once');
    expect(firstLog).toContain('stopped');
    expect(firstLog).not.toContain('plan done');
    // What it had written was stored and posted before the database closed.
    expect(firstLog).not.toContain('plan side effect failed');

    // What the first process left behind: the job back in the queue (not `active` until its
    // heartbeat runs out), the revision running with the sections it stored.
    const db = await createPgDatabase({ connectionString: url, schema, maxConnections: 1 });
    let storedKeys: Set<string>;
    try {
      const jobs = await db.query<{ state: string; due: boolean; hand_backs: number }>(
        `SELECT state, start_after <= now() AS due, (data->>'handBacks')::int AS hand_backs FROM "${schema}_boss".job WHERE name = 'plan-run'`,
      );
      expect(jobs).toEqual([{ state: 'retry', due: true, hand_backs: 1 }]);
      const stored = await createPlanStore(db).getRevision(slack.teamId, 1);
      expect(stored?.status).toBe('running');
      storedKeys = new Set(stored?.sections.map((section) => section.key));
    } finally {
      await db.close();
    }
    expect(storedKeys.size).toBeGreaterThanOrEqual(2);
    expect(storedKeys.size).toBeLessThan(7);

    // The second process: a fast model now, so what is left takes a moment.
    model.setTokensPerSecond(0);
    const asked = model.requests.length;
    const second = await startServiceProcess(env);
    processes.push(second);
    const readyAt = Date.now();
    const done = await second.waitForLog((record) => record.msg === 'plan done', (HEARTBEAT_SECONDS - 5) * 1000);
    console.log(
      `second process: ready → plan done in ${((Date.now() - readyAt) / 1000).toFixed(1)} s; ${storedKeys.size} of 7 sections were stored by the first`,
    );
    expect(done['attempt']).toBe(2);
    expect(done['handBacks']).toBe(1);

    const thread = await until(() => {
      const messages = slack.planThread(CHANNEL, parent.ts);
      return JSON.stringify(messages[0]?.blocks).includes('Done in') ? messages : undefined;
    }, 10_000);
    const sections = prompts.plan('en').sections;
    // The parent and seven replies, in plan order, each showing its section (no placeholder left).
    expect(thread).toHaveLength(1 + sections.length);
    expect(
      thread.slice(1).map((reply) => (reply.blocks?.[0] as { text?: { text?: string } } | undefined)?.text?.text),
    ).toEqual(sections.map((section) => `${section.number}. ${section.title}`));
    for (const reply of thread.slice(1)) expect(reply.text).not.toContain('writing…');

    // Posted once each: the parent and the seven sections (Slack's plan display shows progress,
    // so there are no placeholders), the parent updated once (done), no section ever replaced.
    const posts = slack.callsTo('chat.postMessage').filter(ok);
    expect(posts.filter((call) => call.body['thread_ts'] === undefined)).toHaveLength(1);
    expect(posts.filter((call) => call.body['thread_ts'] === parent.ts)).toHaveLength(sections.length);
    const updatesPerTs = new Map<string, number>();
    for (const call of slack.callsTo('chat.update').filter(ok)) {
      const ts = String(call.body['ts']);
      updatesPerTs.set(ts, (updatesPerTs.get(ts) ?? 0) + 1);
    }
    expect(Object.fromEntries(updatesPerTs)).toEqual({ [parent.ts]: 1 });
    // One plan display, started by the first process and stopped by the second with every task complete.
    expect(slack.callsTo('chat.startStream').filter(ok)).toHaveLength(1);
    const displays = slack
      .thread(CHANNEL, parent.ts)
      .filter((message) => slack.stream(CHANNEL, message.ts)?.displayMode === 'plan');
    expect(displays).toHaveLength(1);
    const stream = slack.stream(CHANNEL, displays[0]?.ts ?? '');
    expect(stream?.streaming).toBe(false);
    expect([...(stream?.tasks.values() ?? [])].map((task) => task.status)).toEqual(sections.map(() => 'complete'));

    // The second process asked the model only for the sections the first did not store.
    const resumed = model.requests.slice(asked).map((request) => classifyAsk(prompts, request));
    expect(resumed.map((ask) => (ask.kind === 'section' ? ask.section.key : ask.kind)).toSorted()).toEqual(
      sections
        .map((section) => section.key)
        .filter((key) => !storedKeys.has(key))
        .toSorted(),
    );
    expect(await second.stop('SIGTERM')).toBe(0);
  }, 120_000);
});
