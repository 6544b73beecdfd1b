/**
 * The signing helper against Slack's documented example and Bolt's own
 * verifier, and the whole loop through a REAL Bolt App: signed slash command,
 * block action and view submission in over HTTP, Web API calls out to the fake.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, verifySlackRequest } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import {
  blockActionsPayload,
  interactionBody,
  postSigned,
  signSlackRequest,
  slashCommandBody,
  viewSubmissionPayload,
} from '../helpers/slack-signing.ts';
import type { FakeSlackApi } from './fake-slack-api.ts';
import { fakeSlackTracker } from './fake-slack-testkit.ts';

const { start, closeAll } = fakeSlackTracker();
const SECRET = 'test-signing-secret';

// https://docs.slack.dev/authentication/verifying-requests-from-slack — the worked example.
const DOC_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const DOC_TIMESTAMP = 1531420618;
const DOC_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
  '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com' +
  '%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const DOC_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

describe('signSlackRequest', () => {
  it("reproduces Slack's documented example signature", () => {
    expect(signSlackRequest(DOC_BODY, DOC_SECRET, DOC_TIMESTAMP)).toEqual({
      'x-slack-signature': DOC_SIGNATURE,
      'x-slack-request-timestamp': '1531420618',
    });
  });

  it("is accepted by Bolt's verifier, which rejects a tampered body or another secret", () => {
    const body = slashCommandBody({ text: 'plan stripe → hubspot' });
    const headers = signSlackRequest(body, SECRET);
    const verify = (candidate: string, secret: string): void =>
      verifySlackRequest({
        signingSecret: secret,
        body: candidate,
        headers: {
          'x-slack-signature': headers['x-slack-signature'],
          'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
        },
      });
    expect(() => verify(body, SECRET)).not.toThrow();
    expect(() => verify(body.replace('stripe', 'strip3'), SECRET)).toThrow(/signature mismatch/);
    expect(() => verify(body, 'other-secret')).toThrow(/signature mismatch/);
  });

  it('builds slash command bodies with every documented field, form-encoded', () => {
    const params = new URLSearchParams(
      slashCommandBody({ text: 'a & b', userId: 'U1', channelId: 'C1', teamId: 'T1', triggerId: 'tr.1' }),
    );
    expect([...params.keys()]).toEqual([
      'token',
      'team_id',
      'team_domain',
      'channel_id',
      'channel_name',
      'user_id',
      'user_name',
      'command',
      'text',
      'api_app_id',
      'is_enterprise_install',
      'response_url',
      'trigger_id',
    ]);
    expect(Object.fromEntries(params)).toMatchObject({
      text: 'a & b',
      user_id: 'U1',
      channel_id: 'C1',
      team_id: 'T1',
      trigger_id: 'tr.1',
    });
  });
});

interface BoltRun {
  readonly fake: FakeSlackApi;
  readonly url: string;
  readonly seen: string[];
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
  await closeAll();
});

/** A real Bolt App over HTTP whose Web API client talks to the fake. */
async function startBolt(): Promise<BoltRun> {
  const fake = await start();
  const seen: string[] = [];
  const app = new App({
    token: fake.botToken,
    signingSecret: SECRET,
    logLevel: LogLevel.ERROR,
    // Bolt answers Slack only after the listener ran, so the fake's state is final when fetch returns.
    processBeforeResponse: true,
    clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 0 } },
  });
  app.command('/plan', async ({ command, ack, client }) => {
    await ack();
    seen.push(`command:${command.text}:${command.user_id}`);
    await client.chat.postMessage({ channel: command.channel_id, text: `Planning ${command.text}` });
  });
  app.action('approve', async ({ ack, action }) => {
    await ack();
    seen.push(`action:${'value' in action ? String(action.value) : ''}`);
  });
  app.view('plan_form', async ({ ack, view }) => {
    await ack();
    seen.push(`view:${JSON.stringify(view.state.values)}`);
  });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  stops.push(async () => {
    server.closeAllConnections();
    await app.stop();
  });
  return { fake, seen, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events` };
}

describe('Bolt against the fake', () => {
  it('verifies the token with auth.test, then runs a signed slash command that posts through the fake', async () => {
    const { fake, url, seen } = await startBolt();
    const body = slashCommandBody({ text: 'stripe to hubspot', userId: 'U0ASKER', channelId: 'C0PLANS' });
    const response = await postSigned(url, body, SECRET);
    expect(response.status).toBe(200);
    expect(seen).toEqual(['command:stripe to hubspot:U0ASKER']);
    expect(fake.calls[0]).toMatchObject({ method: 'auth.test', token: fake.botToken, error: undefined });
    expect(fake.messages('C0PLANS').map((message) => message.text)).toEqual(['Planning stripe to hubspot']);
  });

  it('delivers signed block_actions and view_submission payloads to their listeners', async () => {
    const { url, seen } = await startBolt();
    const action = await postSigned(
      url,
      interactionBody(blockActionsPayload({ actionId: 'approve', value: 'plan-42' })),
      SECRET,
    );
    expect(action.status).toBe(200);
    const values = { goal: { goal_input: { type: 'plain_text_input', value: 'Sync invoices' } } };
    const view = await postSigned(
      url,
      interactionBody(viewSubmissionPayload({ callbackId: 'plan_form', values })),
      SECRET,
    );
    expect(view.status).toBe(200);
    expect(seen).toEqual(['action:plan-42', `view:${JSON.stringify(values)}`]);
  });

  it('rejects a request signed with another secret or too long ago, without running listeners', async () => {
    const { fake, url, seen } = await startBolt();
    const body = slashCommandBody({ text: 'nope', channelId: 'C0PLANS' });
    expect((await postSigned(url, body, 'wrong-secret')).status).toBe(401);
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await postSigned(url, body, SECRET, { timestampSeconds: sixMinutesAgo })).status).toBe(401);
    expect(seen).toEqual([]);
    expect(fake.messages('C0PLANS')).toEqual([]);
  });
});
