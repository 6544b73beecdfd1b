import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSigned } from '../helpers/slack-signing.ts';
import { startSlackService, type SlackService } from '../helpers/slack-service.ts';
import { logInto } from '../helpers/service.ts';

// Client faults on the Slack endpoint and the service's own routes: the status they call for,
// at once, with one warning line and a count on /metrics, never an error or Bolt's 3-second wait.
const SECRET = 'test-signing-secret-ingress-012345';
let harness: SlackService;
const lines: string[] = [];

beforeAll(async () => {
  harness = await startSlackService({
    signingSecret: SECRET,
    provider: 'anthropic',
    log: logInto(lines),
  });
}, 60_000);
afterAll(() => harness.stop());

const records = (from: number) => lines.slice(from).map((line) => JSON.parse(line) as { level: number; msg: string });
const route = (path: string) => harness.events.replace('/slack/events', path);

describe('Slack endpoint: signed requests of no known kind', () => {
  it.each([
    ['a payload that is not JSON', 'payload=notjson', 'application/x-www-form-urlencoded'],
    ['a form with neither command nor payload', 'foo=bar', 'application/x-www-form-urlencoded'],
    ['an empty body', '', 'application/x-www-form-urlencoded'],
    [
      'a payload of an unknown type',
      `payload=${encodeURIComponent('{"type":"telepathy"}')}`,
      'application/x-www-form-urlencoded',
    ],
    ['truncated JSON', '{"type":', 'application/json'],
    ['an event callback without its event', '{"type":"event_callback"}', 'application/json'],
  ])('answers %s with 400 and one warning line', async (_name, body, contentType) => {
    const before = lines.length;
    const response = await postSigned(harness.events, body, SECRET, { contentType });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'not a slash command, interaction or event' });
    expect(records(before).map((record) => [record.level, record.msg])).toEqual([
      [40, 'signed Slack request of no known kind refused'],
    ]);
  });

  it('counts refusals by reason on /metrics', async () => {
    await fetch(harness.events, { method: 'POST', body: 'command=%2Fx' });
    const metrics = await (await fetch(route('/metrics'))).text();
    expect(metrics).toContain('planner_ingress_refused_total{surface="slack",reason="unrecognised request"} 6');
    expect(metrics).toMatch(/planner_ingress_refused_total\{surface="slack",reason="signature"\} [1-9]/u);
  });
});

describe('the service’s routes', () => {
  it('answers a wrong method 405 with Allow, an unknown path 404', async () => {
    for (const [method, path, allow] of [
      ['POST', '/healthz', 'GET'],
      ['DELETE', '/metrics', 'GET'],
      ['PUT', '/readyz', 'GET'],
      ['GET', '/slack/events', 'POST'],
    ] as const) {
      const response = await fetch(route(path), { method });
      expect([method, path, response.status, response.headers.get('allow')]).toEqual([method, path, 405, allow]);
    }
    expect((await fetch(route('/nope'))).status).toBe(404);
  });
});
