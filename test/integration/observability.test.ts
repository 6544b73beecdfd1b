import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlackApi } from '../fakes/fake-slack-api.ts';
import { startSlackService, type SlackService } from '../helpers/slack-service.ts';
import { until } from '../helpers/until.ts';
import { planSubmissionBody, samplePlanForm } from '../helpers/plan-form.ts';
import { postSigned } from '../helpers/slack-signing.ts';
import { logInto } from '../helpers/service.ts';

// One plan through the real service with recognisable secrets, a Slack 429 and a model 529:
// /metrics counts what happened, /readyz names its parts, and no secret reaches the logs.
const SIGNING_SECRET = 'sig-SECRET-7f3a9c1d2e4b5a6f';
const BOT_TOKEN = 'xoxb-SECRET-BOT-424242424242';
const MODEL_KEY = 'sk-ant-SECRET-MODEL-999999999';
const SECRETS = [SIGNING_SECRET, BOT_TOKEN, MODEL_KEY, 'SECRET-'];
const CHANNEL = 'C0METRICS';
const lines: string[] = [];
let harness: SlackService;
let slack: FakeSlackApi;
let base: string;

beforeAll(async () => {
  harness = await startSlackService({
    signingSecret: SIGNING_SECRET,
    botToken: BOT_TOKEN,
    provider: 'anthropic',
    env: { ANTHROPIC_API_KEY: MODEL_KEY, LLM_RETRY_BASE_MS: '20' },
    log: logInto(lines, 'trace'),
  });
  slack = harness.slack;
  base = `http://127.0.0.1:${harness.service.port}`;
}, 60_000);
afterAll(async () => {
  await harness.stop();
});

const submission = (viewId: string) =>
  planSubmissionBody({
    viewId,
    channelId: CHANNEL,
    teamId: slack.teamId,
    userId: 'U0OPS',
    form: samplePlanForm(),
  });

/** The value of one sample line of the Prometheus text, by metric name and labels. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text
    .split('\n')
    .find((candidate) => candidate.startsWith(`${name}{`) && wanted.every((label) => candidate.includes(label)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('observability of a running service', () => {
  it('is ready with every part named', async () => {
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok', queue: 'ok' } });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('counts requests, plans, tokens, cost, model errors and Slack 429s on /metrics', async () => {
    slack.enqueueRateLimit('chat.update', 1);
    harness.model.enqueueFaults({ kind: 'overloaded' });
    expect((await postSigned(`${base}/slack/events`, submission('V0METRICS'), SIGNING_SECRET)).status).toBe(200);
    await until(
      () => slack.messages(CHANNEL).find((message) => JSON.stringify(message.blocks ?? []).includes('Done in')),
      45_000,
    );
    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(sample(text, 'planner_http_requests_total', { route: '/slack/events', method: 'POST', status: '200' })).toBe(
      1,
    );
    expect(sample(text, 'planner_http_requests_total', { route: '/readyz', status: '200' })).toBe(1);
    // The ack as the server saw it: one answer to /slack/events, timed.
    expect(sample(text, 'planner_http_request_duration_seconds_count', { route: '/slack/events' })).toBe(1);
    expect(sample(text, 'planner_http_request_duration_seconds_sum', { route: '/slack/events' })).toBeGreaterThan(0);
    expect(
      sample(text, 'planner_plan_duration_seconds_count', { platform: 'slack', strategy: 'parallel', status: 'done' }),
    ).toBe(1);
    expect(sample(text, 'planner_plan_first_section_seconds_count', { platform: 'slack' })).toBe(1);
    expect(sample(text, 'planner_model_tokens_total', { provider: 'anthropic', kind: 'output' })).toBeGreaterThan(1000);
    expect(sample(text, 'planner_model_cost_usd_total', { provider: 'anthropic' })).toBeGreaterThan(0);
    expect(sample(text, 'planner_model_errors_total', { provider: 'anthropic', code: 'MODEL_OVERLOADED' })).toBe(1);
    expect(sample(text, 'planner_model_circuit_state', { provider: 'anthropic' })).toBe(0);
    expect(sample(text, 'planner_platform_rate_limited_total', { platform: 'slack', method: 'chat.update' })).toBe(1);
    expect(
      sample(text, 'planner_platform_api_calls_total', {
        platform: 'slack',
        method: 'chat.postMessage',
        outcome: 'ok',
      }),
    ).toBeGreaterThanOrEqual(8);
    expect(sample(text, 'planner_queue_jobs', { queue: 'plan-run', state: 'queued' })).toBe(0);
    expect(sample(text, 'planner_queue_oldest_job_age_seconds', { queue: 'plan-run' })).toBe(0);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/mu);
  }, 60_000);

  it('logs the plan with its ids on every line and no secret anywhere', () => {
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const done = records.find((record) => record['msg'] === 'plan done');
    expect(done).toMatchObject({ planNumber: 1, revision: 1, platform: 'slack', channelId: CHANNEL });
    expect(done?.['planId']).toMatch(/^[0-9a-f-]{36}$/u);
    expect(done?.['jobId']).toEqual(expect.any(String));
    // Every line the plan job wrote carries the job and the plan.
    const jobLines = records.filter((record) => record['jobId'] !== undefined && record['planNumber'] !== undefined);
    expect(jobLines.length).toBeGreaterThan(0);
    for (const record of jobLines) expect(record).toMatchObject({ planId: done?.['planId'], revision: 1 });
    // So do the lines libraries write for the plan: Slack's Web API client waiting out the 429 on
    // chat.update logs through ours (JSON, not the console) inside the job's log context.
    // (The delivery's client posts only for plan jobs; it says 'initialized' once, at start-up.)
    const slackClientLines = records.filter(
      (record) => record['component'] === 'slack-web-api' && record['msg'] !== 'initialized',
    );
    expect(slackClientLines.map((record) => record['msg'])).toContainEqual(expect.stringContaining('rate limit'));
    for (const record of slackClientLines) {
      expect(record).toMatchObject({
        jobId: done?.['jobId'],
        planId: done?.['planId'],
        planNumber: 1,
        revision: 1,
        platform: 'slack',
        channelId: CHANNEL,
      });
    }
    // Nothing else names the plan with other ids.
    for (const record of records.filter((candidate) => candidate['planId'] !== undefined))
      expect(record['jobId']).toBe(done?.['jobId']);
    const all = lines.join('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const secret of SECRETS) expect(all).not.toContain(secret);
  });
});
