import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/fake-slack-api.ts';
import { freePort } from '../helpers/free-port.ts';
import { startResponseCollector, type ResponseCollector } from '../helpers/response-collector.ts';
import { startServiceInProcess, type InProcessService } from '../helpers/service.ts';
import { postSigned, slashCommandBody } from '../helpers/slack-signing.ts';
import { until } from '../helpers/until.ts';

// Start-up against a Slack that does not answer, or rejects the token. Bolt would ask auth.test
// with the Web API client's retries (up to half an hour) before the service listened.
const SECRET = 'slack-start-signing-secret-0123456789';
let slack: FakeSlackApi | undefined;
let service: InProcessService | undefined;
let collector: ResponseCollector | undefined;
afterEach(async () => {
  await service?.stop();
  await slack?.close();
  await collector?.close();
  service = undefined;
  slack = undefined;
  collector = undefined;
});

/** The service's log lines from info up, parsed, and the logging option that collects them. */
function collectLog() {
  const lines: Record<string, unknown>[] = [];
  const destination = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
  return { lines, log: { level: 'info', destination } };
}

function start(env: { SLACK_API_URL: string; SLACK_BOT_TOKEN: string }) {
  const { lines, log } = collectLog();
  const started = startServiceInProcess({ ...env, SLACK_SIGNING_SECRET: SECRET, SLACK_POST_INTERVAL_MS: '0' }, { log });
  return { lines, started };
}

describe('Slack at start-up', () => {
  it('starts and serves while Slack does not answer auth.test, and asks again with the first request', async () => {
    slack = await startFakeSlackApi();
    slack.enqueueRateLimit('auth.test', 120);
    const { lines, started } = start({ SLACK_API_URL: slack.url, SLACK_BOT_TOKEN: slack.botToken });
    const begun = Date.now();
    service = await started;
    expect(Date.now() - begun).toBeLessThan(15_000);
    expect(lines.find((line) => String(line['msg']).startsWith('Slack did not answer auth.test'))).toMatchObject({
      level: 40,
    });
    expect((await fetch(`http://127.0.0.1:${String(service.port)}/healthz`)).status).toBe(200);

    collector = await startResponseCollector();
    const body = slashCommandBody({
      text: 'help',
      command: '/integration-plan',
      teamId: slack.teamId,
      responseUrl: collector.url,
    });
    expect((await postSigned(`http://127.0.0.1:${String(service.port)}/slack/events`, body, SECRET)).status).toBe(200);
    await until(() => (collector?.responses.length === 1 ? true : undefined), 10_000);
    expect(JSON.stringify(collector.responses[0])).toContain('/integration-plan');
    // Once at start-up (429, not waited out), once with the request; then it is known.
    expect(slack.calls.filter((call) => call.method === 'auth.test').map((call) => call.status)).toEqual([429, 200]);
  });

  it('starts and serves when Slack cannot be reached at all', async () => {
    const closed = await freePort();
    const { lines, started } = start({
      SLACK_API_URL: `http://127.0.0.1:${String(closed)}/api/`,
      SLACK_BOT_TOKEN: 'xoxb-unreachable-0001',
    });
    service = await started;
    expect((await fetch(`http://127.0.0.1:${String(service.port)}/healthz`)).status).toBe(200);
    expect(lines.map((line) => line['msg'])).toContainEqual(expect.stringContaining('Slack did not answer auth.test'));
  });

  it('stops start-up, naming the cause, when Slack rejects the bot token', async () => {
    slack = await startFakeSlackApi();
    const { started } = start({ SLACK_API_URL: slack.url, SLACK_BOT_TOKEN: 'xoxb-not-the-right-token' });
    await expect(started).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: 'Slack rejected SLACK_BOT_TOKEN (invalid_auth): check the bot token',
    });
  });
});

describe('Slack Socket Mode at start-up', () => {
  it('starts after a bounded wait when the socket cannot be opened, and keeps trying', async () => {
    const closed = await freePort();
    const { lines, log } = collectLog();
    const begun = Date.now();
    service = await startServiceInProcess(
      {
        SLACK_BOT_TOKEN: 'xoxb-unreachable-0002',
        SLACK_APP_TOKEN: 'xapp-unreachable-0002',
        SLACK_API_URL: `http://127.0.0.1:${String(closed)}/api/`,
      },
      { log },
    );
    expect(Date.now() - begun).toBeLessThan(30_000);
    expect((await fetch(`http://127.0.0.1:${String(service.port)}/healthz`)).status).toBe(200);
    expect(lines.map((line) => line['msg'])).toContain(
      'Slack Socket Mode is not connected yet; the service starts and the socket keeps trying',
    );
  }, 40_000);
});
