import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postSigned, signSlackRequest } from '../helpers/slack-signing.ts';
import { createLogger } from '../../src/logger.ts';
import { createReplayGuard, type ReplayGuard } from '../../src/slack/replay-guard.ts';
import { MAX_SLACK_BODY_BYTES, verifiedSlackRequests } from '../../src/slack/verified-requests.ts';

const SECRET = 'verified-requests-secret-0123456789';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** The guard in front of a stand-in for Bolt that records the body it was handed. */
async function start(): Promise<{ url: string; replay: ReplayGuard; received: string[] }> {
  const replay = createReplayGuard();
  const received: string[] = [];
  const downstream = (req: IncomingMessage & { rawBody?: Buffer }, res: import('node:http').ServerResponse) => {
    received.push(req.rawBody?.toString('utf8') ?? '(no rawBody)');
    res.writeHead(200).end();
  };
  server = createServer(
    verifiedSlackRequests(downstream, {
      signingSecret: SECRET,
      replay,
      logger: createLogger({ level: 'silent', pretty: false }),
    }),
  );
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/slack/events`, replay, received };
}

describe('verified Slack requests', () => {
  it('hands a signed request to Bolt with its body read, and refuses the same request again', async () => {
    const { url, replay, received } = await start();
    const body = 'command=%2Fintegration-plan&text=help&team_id=T1';
    const timestampSeconds = Math.floor(Date.now() / 1000);
    expect((await postSigned(url, body, SECRET, { timestampSeconds })).status).toBe(200);
    const again = await postSigned(url, body, SECRET, { timestampSeconds });
    expect(again.status).toBe(401);
    expect(await again.json()).toEqual({ error: 'replayed request' });
    expect(received).toEqual([body]);
    expect(replay.size()).toBe(1);
  });

  it('refuses unsigned, wrongly signed and stale requests itself (401) and remembers none of their signatures', async () => {
    const { url, replay, received } = await start();
    const body = 'command=%2Fintegration-plan&text=list';
    const bodies = Array.from({ length: 50 }, (_, index) => `${body}&n=${String(index)}`);
    for (const junk of bodies) {
      const refused = await postSigned(url, junk, 'not-the-secret');
      expect(refused.status).toBe(401);
      expect(await refused.json()).toEqual({ error: 'invalid signature' });
    }
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await postSigned(url, body, SECRET, { timestampSeconds: stale })).status).toBe(401);
    expect((await fetch(url, { method: 'POST', body })).status).toBe(401);
    expect(received).toEqual([]);
    expect(replay.size()).toBe(0);
    // Someone who saw a real request's signature cannot spend it on another body to block the
    // real request: the forged one does not verify, so it is not remembered.
    const real = 'command=%2Fintegration-plan&text=show%201';
    const signed = signSlackRequest(real, SECRET);
    const forged = await fetch(url, {
      method: 'POST',
      body: `${real}&text=list`,
      headers: { ...signed, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(forged.status).toBe(401);
    expect(
      (
        await fetch(url, {
          method: 'POST',
          body: real,
          headers: { ...signed, 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).status,
    ).toBe(200);
    expect(received).toEqual([real]);
    expect(replay.size()).toBe(1);
  });

  it("passes Slack's unsigned SSL check on to Bolt, which answers it", async () => {
    const { url, received } = await start();
    const check = await fetch(url, {
      method: 'POST',
      body: 'ssl_check=1&token=fakeVerificationToken0001',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(check.status).toBe(200);
    expect(received).toEqual(['ssl_check=1&token=fakeVerificationToken0001']);
  });

  it('answers 413 to a body over the cap, without reading all of it or passing it on', async () => {
    const { url, replay, received } = await start();
    const body = `payload=${'x'.repeat(MAX_SLACK_BODY_BYTES)}`;
    const response = await postSigned(url, body, SECRET);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'request too large' });
    expect(received).toEqual([]);
    expect(replay.size()).toBe(0);
  });
});
