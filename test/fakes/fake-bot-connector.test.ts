import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DOCUMENTED_THREAD_LIMITS,
  latest,
  MAX_MESSAGE_BYTES,
  startFakeBotConnector,
  type FakeBotConnector,
} from './fake-bot-connector.ts';

let connector: FakeBotConnector;
beforeAll(async () => {
  connector = await startFakeBotConnector();
});
afterAll(async () => {
  await connector.close();
});

const call = (method: string, path: string, body: object) =>
  fetch(new URL(path, connector.url), {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const message = (text: string) => ({ type: 'message', text });

describe('fake Bot Connector: the wire behaviour the bot relies on', () => {
  it('starts a channel thread and takes replies and updates in it', async () => {
    const created = await call('POST', '/v3/conversations', {
      isGroup: true,
      channelData: { channel: { id: '19:c@thread.tacv2' } },
      activity: message('root'),
    });
    expect(created.status).toBe(201);
    const { id, activityId } = (await created.json()) as { id: string; activityId: string };
    expect(id).toBe(`19:c@thread.tacv2;messageid=${activityId}`);
    const reply = await call('POST', `/v3/conversations/${encodeURIComponent(id)}/activities`, message('reply'));
    const { id: replyId } = (await reply.json()) as { id: string };
    expect(
      (await call('PUT', `/v3/conversations/${encodeURIComponent(id)}/activities/${replyId}`, message('edited')))
        .status,
    ).toBe(200);
    const thread = connector.thread('19:c@thread.tacv2', activityId);
    expect(thread.map((posted) => latest(posted).text)).toEqual(['root', 'edited']);
  });

  it('refuses what Teams refuses: oversized messages, unknown activities, empty messages', async () => {
    const big = await call('POST', '/v3/conversations/a%3A1/activities', message('x'.repeat(MAX_MESSAGE_BYTES)));
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: { code: 'MessageSizeTooBig', message: 'Message size is too big' } });
    expect((await call('PUT', '/v3/conversations/a%3A1/activities/404', message('x'))).status).toBe(404);
    expect((await call('POST', '/v3/conversations/a%3A1/activities', { type: 'message' })).status).toBe(400);
  });

  it('throttles on demand with Retry-After, then answers normally', async () => {
    connector.throttleNext(1, 2);
    const throttled = await call('POST', '/v3/conversations/a%3A1/activities', message('hi'));
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('2');
    expect((await call('POST', '/v3/conversations/a%3A1/activities', message('hi'))).status).toBe(201);
    expect(connector.messages('a:1').map((posted) => latest(posted).text)).toEqual(['hi']);
  });

  it("answers 429 beyond Teams' per-thread limits once asked to enforce them, per thread", async () => {
    const strict = await startFakeBotConnector();
    try {
      strict.enforceThreadLimits();
      const post = (conversation: string) =>
        fetch(new URL(`/v3/conversations/${encodeURIComponent(conversation)}/activities`, strict.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(message('burst')),
        });
      const statuses: number[] = [];
      for (let index = 0; index < 9; index++) statuses.push((await post('a:busy')).status);
      const [{ limit }] = DOCUMENTED_THREAD_LIMITS;
      expect(statuses).toEqual([...Array<number>(limit).fill(201), 429, 429]);
      expect(strict.calls.at(-1)?.thread).toBe('a:busy');
      // Another thread has its own allowance.
      expect((await post('a:quiet')).status).toBe(201);
      expect(strict.messages('a:busy')).toHaveLength(limit);
    } finally {
      await strict.close();
    }
  });
});
