/**
 * The Slack Web API fake driven through the REAL `@slack/web-api` WebClient:
 * wire format, message store and threads, auth, rate limiting with
 * Retry-After, files.uploadV2 end to end, views, users and conversations.
 */
import type { SectionBlock } from '@slack/types';
import { ErrorCode, WebAPIRateLimitedError, WebAPIRequestError, WebClientEvent } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { clientFor, fakeSlackTracker, platformErrorOf, rejectionOf, timed } from './fake-slack-testkit.ts';

const { start, closeAll } = fakeSlackTracker();
afterEach(closeAll);

const CHANNEL = 'C0PLANS01';
const section = (text: string): SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('Slack fake: wire format and messages', () => {
  it('serves POST /api/<method>: form body, bearer token, JSON fields decoded', async () => {
    const fake = await start();
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const result = await clientFor(fake).chat.postMessage({
      channel: CHANNEL,
      text: 'Plan ready',
      blocks: [section('*Plan*')],
    });
    expect(result.ok).toBe(true);
    expect(result.channel).toBe(CHANNEL);
    expect(result.message?.text).toBe('Plan ready');
    expect(result.message?.bot_id).toBe(fake.botId);
    const [call] = fake.callsTo('chat.postMessage');
    expect(call?.contentType).toBe('application/x-www-form-urlencoded');
    expect(call?.tokenSource).toBe('header');
    expect(call?.token).toBe(fake.botToken);
    expect(call?.status).toBe(200);
    expect(call?.body['blocks']).toEqual([section('*Plan*')]);
    expect(call?.body['text']).toBe('Plan ready');
  });

  it('hands out unique, increasing ts and reconstructs the final thread after updates', async () => {
    const fake = await start();
    const client = clientFor(fake);
    const parent = await client.chat.postMessage({ channel: CHANNEL, text: 'Working on it…' });
    const parentTs = parent.ts ?? '';
    const first = await client.chat.postMessage({ channel: CHANNEL, thread_ts: parentTs, text: 'Step 1' });
    // Threading onto a reply's ts lands in the parent's thread, as Slack does.
    const second = await client.chat.postMessage({ channel: CHANNEL, thread_ts: first.ts ?? '', text: 'Step 2' });
    await client.chat.postMessage({ channel: CHANNEL, text: 'unrelated' });
    await client.chat.update({ channel: CHANNEL, ts: parentTs, text: 'Plan ready', blocks: [section('*Done*')] });
    await client.chat.update({ channel: CHANNEL, ts: first.ts ?? '', text: 'Step 1 (revised)' });

    const timestamps = fake.messages(CHANNEL).map((message) => message.ts);
    expect(new Set(timestamps).size).toBe(4);
    expect([...timestamps].sort((a, b) => Number(a) - Number(b))).toEqual(timestamps);
    expect(timestamps[0]).toMatch(/^\d{10}\.\d{6}$/);
    expect(second.message?.thread_ts).toBe(parentTs);
    const thread = fake.thread(CHANNEL, parentTs);
    expect(thread.map((message) => [message.text, message.thread_ts])).toEqual([
      ['Plan ready', undefined],
      ['Step 1 (revised)', parentTs],
      ['Step 2', parentTs],
    ]);
    expect(thread[0]?.blocks).toEqual([section('*Done*')]);
    expect(thread[0]?.edits).toHaveLength(1);
  });

  it('chat.update keeps omitted blocks, removes them on [], and answers message_not_found', async () => {
    const fake = await start();
    const client = clientFor(fake);
    const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'a', blocks: [section('kept')] });
    const ts = posted.ts ?? '';
    const updated = await client.chat.update({ channel: CHANNEL, ts, text: 'b' });
    expect(updated.text).toBe('b');
    expect(fake.messages(CHANNEL)[0]?.blocks).toEqual([section('kept')]);
    await client.chat.update({ channel: CHANNEL, ts, text: 'c', blocks: [] });
    expect(fake.messages(CHANNEL)[0]?.blocks).toBeUndefined();
    const data = await platformErrorOf(client.chat.update({ channel: CHANNEL, ts: '1.000001', text: 'x' }));
    expect(data.error).toBe('message_not_found');
  });

  it('builds permalinks for messages and thread replies; records ephemerals apart', async () => {
    const fake = await start();
    const client = clientFor(fake);
    const parentTs = (await client.chat.postMessage({ channel: CHANNEL, text: 'p' })).ts ?? '';
    const replyTs = (await client.chat.postMessage({ channel: CHANNEL, text: 'r', thread_ts: parentTs })).ts ?? '';
    const parentLink = await client.chat.getPermalink({ channel: CHANNEL, message_ts: parentTs });
    expect(parentLink.permalink).toBe(
      `https://fake-workspace.slack.com/archives/${CHANNEL}/p${parentTs.replace('.', '')}`,
    );
    const replyLink = await client.chat.getPermalink({ channel: CHANNEL, message_ts: replyTs });
    expect(replyLink.permalink).toBe(
      `https://fake-workspace.slack.com/archives/${CHANNEL}/p${replyTs.replace('.', '')}?thread_ts=${parentTs}&cid=${CHANNEL}`,
    );
    const ephemeral = await client.chat.postEphemeral({ channel: CHANNEL, user: 'U0ASKER', text: 'only you' });
    expect(ephemeral.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(fake.ephemerals(CHANNEL)).toEqual([expect.objectContaining({ user: 'U0ASKER', text: 'only you' })]);
    expect(fake.messages(CHANNEL)).toHaveLength(2);
  });

  it('answers unknown methods with unknown_method and accepts JSON bodies with a bearer token', async () => {
    const fake = await start();
    const data = await platformErrorOf(clientFor(fake).apiCall('chat.postMesage', { channel: CHANNEL, text: 'typo' }));
    expect(data.error).toBe('unknown_method');
    const response = await fetch(`${fake.url}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${fake.botToken}` },
      body: JSON.stringify({ channel: CHANNEL, text: 'json', blocks: [section('j')] }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, channel: CHANNEL, message: { text: 'json' } });
    expect(fake.messages(CHANNEL)[0]?.blocks).toEqual([section('j')]);
  });
});

describe('Slack fake: auth and channel errors', () => {
  it('answers invalid_auth for a wrong token and not_authed for none', async () => {
    const fake = await start();
    const wrong = await platformErrorOf(
      clientFor(fake, {}, 'xoxb-wrong').chat.postMessage({ channel: CHANNEL, text: 'x' }),
    );
    expect(wrong.error).toBe('invalid_auth');
    const none = await platformErrorOf(clientFor(fake, {}, null).chat.postMessage({ channel: CHANNEL, text: 'x' }));
    expect(none.error).toBe('not_authed');
    expect(fake.messages(CHANNEL)).toEqual([]);
    expect(fake.calls.map((call) => call.error)).toEqual(['invalid_auth', 'not_authed']);
  });

  it('answers not_in_channel / channel_not_found, and reports membership in conversations.info', async () => {
    const fake = await start({ channelsWithoutBot: ['C0NOBOT'], missingChannels: ['C0GONE'] });
    const client = clientFor(fake);
    expect((await platformErrorOf(client.chat.postMessage({ channel: 'C0NOBOT', text: 'x' }))).error).toBe(
      'not_in_channel',
    );
    expect((await platformErrorOf(client.chat.postMessage({ channel: 'C0GONE', text: 'x' }))).error).toBe(
      'channel_not_found',
    );
    expect((await platformErrorOf(client.conversations.info({ channel: 'C0GONE' }))).error).toBe('channel_not_found');
    expect((await client.conversations.info({ channel: 'C0NOBOT' })).channel?.is_member).toBe(false);
    expect((await client.conversations.info({ channel: CHANNEL })).channel).toMatchObject({
      id: CHANNEL,
      is_member: true,
      is_channel: true,
    });
  });

  it('reports the bot identity in auth.test and needs the app token for apps.connections.open', async () => {
    const fake = await start({ teamId: 'T0TEAM', botUserId: 'U0MYBOT' });
    const auth = await clientFor(fake).auth.test();
    expect(auth).toMatchObject({ ok: true, team_id: 'T0TEAM', user_id: 'U0MYBOT', bot_id: fake.botId });
    const open = await clientFor(fake, {}, fake.appToken).apps.connections.open();
    expect(open.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/);
    const refused = await platformErrorOf(clientFor(fake).apps.connections.open());
    expect(refused.error).toBe('not_allowed_token_type');
  });
});

describe('Slack fake: rate limiting', () => {
  it('answers 429 + Retry-After once; the real client waits it out and retries', async () => {
    const fake = await start();
    fake.enqueueRateLimit('chat.postMessage', 1);
    const client = clientFor(fake, { retryConfig: { retries: 1, factor: 1, minTimeout: 0, maxTimeout: 0 } });
    const announced: number[] = [];
    client.on(WebClientEvent.RATE_LIMITED, (seconds: number) => announced.push(seconds));
    const { value, ms } = await timed(() => client.chat.postMessage({ channel: CHANNEL, text: 'after the wait' }));
    expect(value.ok).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(1000);
    expect(announced).toEqual([1]);
    expect(fake.callsTo('chat.postMessage').map((call) => [call.status, call.error])).toEqual([
      [429, 'ratelimited'],
      [200, undefined],
    ]);
    expect(fake.messages(CHANNEL).map((message) => message.text)).toEqual(['after the wait']);
  });

  it('surfaces as WebAPIRateLimitedError with rejectRateLimitedCalls, only for the enqueued method', async () => {
    const fake = await start();
    fake.enqueueRateLimit('chat.update', 7);
    const client = clientFor(fake, { rejectRateLimitedCalls: true });
    await client.chat.postMessage({ channel: CHANNEL, text: 'not limited' });
    const error = await rejectionOf(client.chat.update({ channel: CHANNEL, ts: '1.000001', text: 'x' }));
    expect(error).toBeInstanceOf(WebAPIRateLimitedError);
    expect((error as WebAPIRateLimitedError).code).toBe(ErrorCode.RateLimitedError);
    expect((error as WebAPIRateLimitedError).retryAfter).toBe(7);
    expect(fake.callsTo('chat.update')).toHaveLength(1);
  });

  it('without retries left, the client gives up with a request error after the wait', async () => {
    const fake = await start();
    fake.enqueueRateLimit('auth.test', 1);
    const error = await rejectionOf(clientFor(fake).auth.test());
    expect(error).toBeInstanceOf(WebAPIRequestError);
    expect((error as WebAPIRequestError).original.message).toContain('retry-after: 1');
  });
});

describe('Slack fake: files, views and users', () => {
  it('runs files.uploadV2 end to end and records the exact bytes, title and thread', async () => {
    const fake = await start();
    const client = clientFor(fake);
    const parentTs = (await client.chat.postMessage({ channel: CHANNEL, text: 'plan thread' })).ts ?? '';
    const content = '# Integration plan\n\n1. Ship it \u{1F680}\n';
    const result = await client.files.uploadV2({
      channel_id: CHANNEL,
      thread_ts: parentTs,
      initial_comment: 'Full plan attached',
      filename: 'plan.md',
      title: 'Integration plan',
      content,
    });
    expect(result.ok).toBe(true);
    expect(fake.calls.map((call) => call.method)).toEqual([
      'chat.postMessage',
      'files.getUploadURLExternal',
      'files.completeUploadExternal',
    ]);
    expect(fake.callsTo('files.getUploadURLExternal')[0]?.body).toMatchObject({
      filename: 'plan.md',
      length: String(Buffer.byteLength(content)),
    });
    const [file] = fake.files();
    expect(file?.content.toString('utf8')).toBe(content);
    expect(file).toMatchObject({
      filename: 'plan.md',
      title: 'Integration plan',
      channel_id: CHANNEL,
      thread_ts: parentTs,
    });
    expect(file?.id).toMatch(/^F[A-Z0-9]{10}$/);
    expect(fake.thread(CHANNEL, parentTs).map((message) => [message.text, message.files])).toEqual([
      ['plan thread', []],
      ['Full plan attached', [file?.id]],
    ]);
  });

  it('keeps binary uploads byte-exact', async () => {
    const fake = await start();
    const bytes = Buffer.from([0, 255, 128, 10, 13, 45, 45, 0xc3, 0x28]);
    await clientFor(fake).files.uploadV2({ channel_id: CHANNEL, filename: 'blob.bin', file: bytes });
    expect(fake.files()[0]?.content.equals(bytes)).toBe(true);
    expect(fake.files()[0]?.title).toBe('blob.bin');
  });

  it('refuses to complete an upload whose bytes never arrived', async () => {
    const fake = await start();
    const client = clientFor(fake);
    const { file_id: fileId } = await client.files.getUploadURLExternal({ filename: 'plan.md', length: 10 });
    const data = await platformErrorOf(
      client.files.completeUploadExternal({ files: [{ id: fileId ?? '' }], channel_id: CHANNEL }),
    );
    expect(data.error).toBe('file_not_found');
    expect(fake.files()).toEqual([]);
  });

  it('opens, updates (with hash check) and pushes modals, and publishes Home tabs', async () => {
    const fake = await start();
    const client = clientFor(fake);
    const modal = {
      type: 'modal' as const,
      callback_id: 'plan_form',
      title: { type: 'plain_text' as const, text: 'New plan' },
      blocks: [],
    };
    const opened = await client.views.open({ trigger_id: '123.456.abc', view: modal });
    const id = opened.view?.id ?? '';
    expect(id).toMatch(/^V[A-Z0-9]{10}$/);
    expect(opened.view).toMatchObject({ callback_id: 'plan_form', root_view_id: id, state: { values: {} } });
    expect(opened.view?.hash).toMatch(/^\d+\.[a-z0-9]+$/);
    const updated = await client.views.update({
      view_id: id,
      hash: opened.view?.hash ?? '',
      view: { ...modal, callback_id: 'plan_form_2' },
    });
    expect(updated.view?.hash).not.toBe(opened.view?.hash);
    const stale = await platformErrorOf(
      client.views.update({ view_id: id, hash: opened.view?.hash ?? '', view: modal }),
    );
    expect(stale.error).toBe('hash_conflict');
    expect((await platformErrorOf(client.views.update({ view_id: 'V0NOPE00000', view: modal }))).error).toBe(
      'not_found',
    );
    const pushed = await client.views.push({ trigger_id: '123.456.def', view: modal });
    expect(pushed.view?.id).not.toBe(id);
    await client.views.publish({ user_id: 'U0HOME', view: { type: 'home', blocks: [section('Home')] } });
    expect(fake.homeView('U0HOME')?.view['blocks']).toEqual([section('Home')]);
    expect(fake.views().map((view) => view.type)).toEqual(['modal', 'modal', 'home']);
  });

  it('returns a user locale only with include_locale, as set by setUserLocale', async () => {
    const fake = await start();
    fake.setUserLocale('U0DE', 'de-DE');
    const client = clientFor(fake);
    expect((await client.users.info({ user: 'U0DE', include_locale: true })).user?.locale).toBe('de-DE');
    expect((await client.users.info({ user: 'U0OTHER', include_locale: true })).user?.locale).toBe('en-US');
    expect((await client.users.info({ user: 'U0DE' })).user?.locale).toBeUndefined();
  });

  it('close() returns promptly even with a keep-alive connection open', async () => {
    const fake = await start();
    await clientFor(fake).auth.test();
    const { ms } = await timed(() => fake.close());
    expect(ms).toBeLessThan(1000);
  });
});
