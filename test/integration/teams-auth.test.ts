import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { executeActivity, messageActivity, type TeamsScene } from '../fakes/fake-bot-connector-activities.ts';
import { startTeamsService, type TeamsService } from '../helpers/teams-service.ts';
import { logInto } from '../helpers/service.ts';

const APP_ID = '8f0b3a52-0000-4000-8000-00000000b07a';
let harness: TeamsService;
let scene: TeamsScene;
const lines: string[] = [];

beforeAll(async () => {
  harness = await startTeamsService({
    provider: 'anthropic',
    env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret' },
    log: logInto(lines),
  });
  scene = {
    serviceUrl: harness.connector.url,
    tenantId: 'tenant-auth',
    user: { id: '29:mallory', name: 'Mallory', aadObjectId: '00000000-0000-0000-0000-00000000ba0d' },
    kind: 'personal',
    conversationId: 'a:1mallory',
  };
}, 60_000);
afterAll(async () => {
  await harness.stop();
});

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A token as an attacker forges it: unsigned (`alg: none`), with the claims Bot Framework checks. */
const unsigned = () =>
  `${b64({ alg: 'none', typ: 'JWT' })}.${b64({
    iss: 'https://api.botframework.com',
    aud: APP_ID,
    serviceurl: scene.serviceUrl,
    exp: Math.floor(Date.now() / 1000) + 600,
  })}.`;
const records = () => lines.map((line) => JSON.parse(line) as { level: number; msg: string; err?: unknown });

describe('Teams with an app id: only authenticated activities', () => {
  it('refuses missing, forged and garbage tokens with 401, one warning line each, counted', async () => {
    // botbuilder must not report them on the console either.
    const console = vi.spyOn(globalThis.console, 'error').mockImplementation(() => undefined);
    const form = {
      action: 'plan.submit',
      formLanguage: 'en',
      existingSystem: 'a',
      targetApi: 'b',
      useCase: 'c',
      callsPerSecond: 1,
      dataVolume: '1 GB/day',
      budget: 'd',
    };
    const before = lines.length;
    const attempts: [object, string | undefined][] = [
      [messageActivity(scene, 'plan'), undefined],
      [executeActivity(scene, 'plan.submit', form), undefined],
      [messageActivity(scene, 'help'), 'Bearer'],
      [messageActivity(scene, 'help'), `Bearer ${unsigned()}`],
      [executeActivity(scene, 'plan.submit', form), `Bearer ${unsigned()}`],
      [messageActivity(scene, 'help'), 'Bearer garbage'],
      [messageActivity(scene, 'help'), 'Bearer a.b.c'],
    ];
    for (const [activity, authorization] of attempts) {
      const response = await harness.post(activity, authorization);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'unauthorized' });
    }
    expect(harness.connector.calls).toHaveLength(0);
    expect(console).not.toHaveBeenCalled();
    console.mockRestore();
    const written = records().slice(before);
    expect(written.map((record) => [record.level, record.msg])).toEqual(
      attempts.map(() => [40, 'Teams request refused']),
    );
    expect(written.some((record) => record.err !== undefined)).toBe(false);
    const metrics = await (await fetch(harness.endpoint.replace('/api/messages', '/metrics'))).text();
    expect(metrics).toContain('planner_ingress_refused_total{surface="teams",reason="no bearer JWT"} 4');
    expect(metrics).toContain('planner_ingress_refused_total{surface="teams",reason="token algorithm"} 2');
    expect(metrics).toContain('planner_ingress_refused_total{surface="teams",reason="unreadable token header"} 1');
    expect(metrics).not.toMatch(/planner_http_requests_total\{route="\/api\/messages",method="POST",status="5/u);
  });

  it('answers a malformed body 400 with one warning line', async () => {
    const before = lines.length;
    const response = await fetch(harness.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
      body: '{"type": "message"',
    });
    expect(response.status).toBe(400);
    expect(
      records()
        .slice(before)
        .map((record) => record.msg),
    ).toEqual(['Teams request refused']);
  });
});
