import { describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../test/helpers/slack-signing.ts';
import { createSlackSignatureCheck, MAX_SIGNATURE_AGE_SECONDS } from './slack-signature.ts';

const SECRET = 'signature-test-secret-0123456789';
const NOW_MS = 1_800_000_000_000;
const nowSeconds = NOW_MS / 1000;
const body = 'payload=%7B%22type%22%3A%22view_submission%22%7D';
const check = createSlackSignatureCheck(SECRET, () => NOW_MS);
const signed = (text: string, secret = SECRET, at = nowSeconds) => signSlackRequest(text, secret, at);

describe('Slack signature check', () => {
  it('accepts a body signed with the secret, the way Slack signs it', () => {
    const headers = signed(body);
    expect(check(Buffer.from(body), headers['x-slack-signature'], headers['x-slack-request-timestamp'])).toBe(true);
  });

  it('refuses another secret, a changed body, a stale timestamp and a changed timestamp', () => {
    const other = signed(body, 'another-secret');
    expect(check(Buffer.from(body), other['x-slack-signature'], other['x-slack-request-timestamp'])).toBe(false);
    const headers = signed(body);
    expect(check(Buffer.from(`${body}x`), headers['x-slack-signature'], headers['x-slack-request-timestamp'])).toBe(
      false,
    );
    const staleAt = nowSeconds - MAX_SIGNATURE_AGE_SECONDS - 1;
    const stale = signed(body, SECRET, staleAt);
    expect(check(Buffer.from(body), stale['x-slack-signature'], stale['x-slack-request-timestamp'])).toBe(false);
    const edge = signed(body, SECRET, nowSeconds - MAX_SIGNATURE_AGE_SECONDS);
    expect(check(Buffer.from(body), edge['x-slack-signature'], edge['x-slack-request-timestamp'])).toBe(true);
    expect(check(Buffer.from(body), headers['x-slack-signature'], String(nowSeconds + 1))).toBe(false);
  });

  it('refuses malformed headers without throwing', () => {
    const { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp } = signed(body);
    const bad: [string | undefined, string | undefined][] = [
      [undefined, timestamp],
      [signature, undefined],
      ['', timestamp],
      [signature.replace('v0=', 'v1='), timestamp],
      [signature.slice(0, -2), timestamp],
      [signature.toUpperCase(), timestamp],
      [signature, `${timestamp}.5`],
      [signature, '-1'],
    ];
    for (const [candidate, at] of bad) expect(check(Buffer.from(body), candidate, at)).toBe(false);
  });

  it('refuses everything when no signing secret is set', () => {
    const headers = signSlackRequest(body, '', nowSeconds);
    const unset = createSlackSignatureCheck('', () => NOW_MS);
    expect(unset(Buffer.from(body), headers['x-slack-signature'], headers['x-slack-request-timestamp'])).toBe(false);
  });
});
