/**
 * Every Block Kit / view limit of the Slack fake, at the limit (accepted) and
 * one past it (refused with Slack's error code and its json-pointer reason),
 * through the real WebClient, which must throw a platform error carrying it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { chars, clientFor, fakeSlackTracker, platformErrorOf } from './fake-slack-testkit.ts';

const { start, closeAll } = fakeSlackTracker();
afterEach(closeAll);

type Args = Record<string, unknown>;

interface LimitCase {
  readonly name: string;
  readonly method: 'chat.postMessage' | 'views.open' | 'views.publish';
  readonly ok: Args;
  readonly bad: Args;
  readonly error: string;
  readonly reason: string;
}

const plain = (text: string): Args => ({ type: 'plain_text', text });
const divider = (): Args => ({ type: 'divider' });
const sectionText = (text: string): Args => ({ type: 'section', text: { type: 'mrkdwn', text } });
const fieldsSection = (fields: string[]): Args => ({
  type: 'section',
  fields: fields.map((text) => ({ type: 'mrkdwn', text })),
});
const markdown = (text: string): Args => ({ type: 'markdown', text });
const button = (text: string, actionId = 'go'): Args => ({ type: 'button', text: plain(text), action_id: actionId });
const actions = (elements: Args[]): Args => ({ type: 'actions', elements });
const feedback = (positive = '👍', value = 'up'): Args => ({
  type: 'feedback_buttons',
  action_id: 'feedback',
  positive_button: { text: plain(positive), value },
  negative_button: { text: plain('👎'), value: 'down' },
});
const contextActions = (elements: Args[]): Args => ({ type: 'context_actions', elements });
const repeat = <T>(count: number, make: (i: number) => T): T[] => Array.from({ length: count }, (_, i) => make(i));

const message = (blocks: Args[], text = 'fallback'): Args => ({ channel: 'C0LIMITS', text, blocks });
const modal = (overrides: Args = {}): Args => ({
  trigger_id: '123.456.abc',
  view: { type: 'modal', title: plain('Plan'), submit: plain('Go'), blocks: [], ...overrides },
});
const input = (element: Args, label = 'Label'): Args => ({
  type: 'input',
  block_id: 'in',
  label: plain(label),
  element,
});

const MESSAGE_CASES: LimitCase[] = [
  {
    name: '50 blocks per message',
    method: 'chat.postMessage',
    ok: message(repeat(50, divider)),
    bad: message(repeat(51, divider)),
    error: 'invalid_blocks',
    reason: 'no more than 50 items allowed [json-pointer:/blocks]',
  },
  {
    name: 'section text 3000',
    method: 'chat.postMessage',
    ok: message([sectionText(chars(3000))]),
    bad: message([sectionText(chars(3001))]),
    error: 'invalid_blocks',
    reason: 'must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
  },
  {
    name: 'section field text 2000',
    method: 'chat.postMessage',
    ok: message([fieldsSection([chars(2000)])]),
    bad: message([fieldsSection([chars(2001)])]),
    error: 'invalid_blocks',
    reason: 'must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]',
  },
  {
    name: 'section 10 fields',
    method: 'chat.postMessage',
    ok: message([fieldsSection(repeat(10, () => 'f'))]),
    bad: message([fieldsSection(repeat(11, () => 'f'))]),
    error: 'invalid_blocks',
    reason: 'no more than 10 items allowed [json-pointer:/blocks/0/fields]',
  },
  {
    name: 'header text 150',
    method: 'chat.postMessage',
    ok: message([{ type: 'header', text: plain(chars(150)) }]),
    bad: message([{ type: 'header', text: plain(chars(151)) }]),
    error: 'invalid_blocks',
    reason: 'must be less than 151 characters [json-pointer:/blocks/0/text/text]',
  },
  {
    name: 'context 10 elements',
    method: 'chat.postMessage',
    ok: message([{ type: 'context', elements: repeat(10, () => plain('c')) }]),
    bad: message([{ type: 'context', elements: repeat(11, () => plain('c')) }]),
    error: 'invalid_blocks',
    reason: 'no more than 10 items allowed [json-pointer:/blocks/0/elements]',
  },
  {
    name: 'markdown block 12000',
    method: 'chat.postMessage',
    ok: message([markdown(chars(12_000))]),
    bad: message([markdown(chars(12_001))]),
    error: 'invalid_blocks',
    reason: 'must be less than 12001 characters [json-pointer:/blocks/0/text]',
  },
  {
    name: 'markdown 12000 cumulative',
    method: 'chat.postMessage',
    ok: message([markdown(chars(6000)), markdown(chars(6000))]),
    bad: message([markdown(chars(6000)), markdown(chars(6001))]),
    error: 'invalid_blocks',
    reason: 'cumulative text of all markdown blocks (12001) must be less than 12001 characters [json-pointer:/blocks]',
  },
  {
    name: 'unique block_id',
    method: 'chat.postMessage',
    ok: message([
      { ...divider(), block_id: 'a' },
      { ...divider(), block_id: 'b' },
    ]),
    bad: message([
      { ...divider(), block_id: 'a' },
      { ...divider(), block_id: 'a' },
    ]),
    error: 'invalid_blocks',
    reason: 'block_id "a" is already used by another block [json-pointer:/blocks/1/block_id]',
  },
  {
    name: 'actions 25 elements',
    method: 'chat.postMessage',
    ok: message([actions(repeat(25, (i) => button('b', `a${i}`)))]),
    bad: message([actions(repeat(26, (i) => button('b', `a${i}`)))]),
    error: 'invalid_blocks',
    reason: 'no more than 25 items allowed [json-pointer:/blocks/0/elements]',
  },
  {
    name: 'button text 75',
    method: 'chat.postMessage',
    ok: message([actions([button(chars(75))])]),
    bad: message([actions([button(chars(76))])]),
    error: 'invalid_blocks',
    reason: 'must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]',
  },
  {
    name: 'action_id 255',
    method: 'chat.postMessage',
    ok: message([actions([button('b', chars(255))])]),
    bad: message([actions([button('b', chars(256))])]),
    error: 'invalid_blocks',
    reason: 'must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]',
  },
  {
    name: 'context_actions: 5 elements',
    method: 'chat.postMessage',
    ok: message([contextActions(repeat(5, () => feedback()))]),
    bad: message([contextActions(repeat(6, () => feedback()))]),
    error: 'invalid_blocks',
    reason: 'no more than 5 items allowed [json-pointer:/blocks/0/elements]',
  },
  {
    name: 'context_actions: feedback and icon buttons only',
    method: 'chat.postMessage',
    ok: message([contextActions([feedback()])]),
    bad: message([contextActions([button('b')])]),
    error: 'invalid_blocks',
    reason: 'unsupported element type in context_actions [json-pointer:/blocks/0/elements/0/type]',
  },
  {
    name: 'feedback button text 75',
    method: 'chat.postMessage',
    ok: message([contextActions([feedback(chars(75))])]),
    bad: message([contextActions([feedback(chars(76))])]),
    error: 'invalid_blocks',
    reason: 'must be less than 76 characters [json-pointer:/blocks/0/elements/0/positive_button/text/text]',
  },
  {
    name: 'feedback button value 2000',
    method: 'chat.postMessage',
    ok: message([contextActions([feedback('👍', chars(2000))])]),
    bad: message([contextActions([feedback('👍', chars(2001))])]),
    error: 'invalid_blocks',
    reason: 'must be less than 2001 characters [json-pointer:/blocks/0/elements/0/positive_button/value]',
  },
  {
    name: 'message text 40000',
    method: 'chat.postMessage',
    ok: { channel: 'C0LIMITS', text: chars(40_000) },
    bad: { channel: 'C0LIMITS', text: chars(40_001) },
    error: 'msg_too_long',
    reason: 'text must be no longer than 40000 characters [json-pointer:/text]',
  },
];

const VIEW_CASES: LimitCase[] = [
  {
    name: 'modal title 24',
    method: 'views.open',
    ok: modal({ title: plain(chars(24)) }),
    bad: modal({ title: plain(chars(25)) }),
    error: 'invalid_arguments',
    reason: 'must be less than 25 characters [json-pointer:/view/title/text]',
  },
  {
    name: 'modal submit 24',
    method: 'views.open',
    ok: modal({ submit: plain(chars(24)) }),
    bad: modal({ submit: plain(chars(25)) }),
    error: 'invalid_arguments',
    reason: 'must be less than 25 characters [json-pointer:/view/submit/text]',
  },
  {
    name: 'modal close 24',
    method: 'views.open',
    ok: modal({ close: plain(chars(24)) }),
    bad: modal({ close: plain(chars(25)) }),
    error: 'invalid_arguments',
    reason: 'must be less than 25 characters [json-pointer:/view/close/text]',
  },
  {
    name: 'private_metadata 3000',
    method: 'views.open',
    ok: modal({ private_metadata: chars(3000) }),
    bad: modal({ private_metadata: chars(3001) }),
    error: 'invalid_arguments',
    reason: 'must be less than 3001 characters [json-pointer:/view/private_metadata]',
  },
  {
    name: 'callback_id 255',
    method: 'views.open',
    ok: modal({ callback_id: chars(255) }),
    bad: modal({ callback_id: chars(256) }),
    error: 'invalid_arguments',
    reason: 'must be less than 256 characters [json-pointer:/view/callback_id]',
  },
  {
    name: '100 blocks per modal',
    method: 'views.open',
    ok: modal({ blocks: repeat(100, divider) }),
    bad: modal({ blocks: repeat(101, divider) }),
    error: 'invalid_arguments',
    reason: 'no more than 100 items allowed [json-pointer:/view/blocks]',
  },
  {
    name: '100 blocks per Home tab',
    method: 'views.publish',
    ok: { user_id: 'U0HOME', view: { type: 'home', blocks: repeat(100, divider) } },
    bad: { user_id: 'U0HOME', view: { type: 'home', blocks: repeat(101, divider) } },
    error: 'invalid_arguments',
    reason: 'no more than 100 items allowed [json-pointer:/view/blocks]',
  },
  {
    name: 'input label 2000',
    method: 'views.open',
    ok: modal({ blocks: [input({ type: 'plain_text_input', action_id: 'v' }, chars(2000))] }),
    bad: modal({ blocks: [input({ type: 'plain_text_input', action_id: 'v' }, chars(2001))] }),
    error: 'invalid_arguments',
    reason: 'must be less than 2001 characters [json-pointer:/view/blocks/0/label/text]',
  },
  {
    name: 'plain_text_input max_length 3000',
    method: 'views.open',
    ok: modal({ blocks: [input({ type: 'plain_text_input', action_id: 'v', max_length: 3000 })] }),
    bad: modal({ blocks: [input({ type: 'plain_text_input', action_id: 'v', max_length: 3001 })] }),
    error: 'invalid_arguments',
    reason: 'must be an integer between 1 and 3000 [json-pointer:/view/blocks/0/element/max_length]',
  },
  {
    name: 'number_input needs is_decimal_allowed',
    method: 'views.open',
    ok: modal({ blocks: [input({ type: 'number_input', action_id: 'n', is_decimal_allowed: false })] }),
    bad: modal({ blocks: [input({ type: 'number_input', action_id: 'n' })] }),
    error: 'invalid_arguments',
    reason: 'missing required field: is_decimal_allowed [json-pointer:/view/blocks/0/element]',
  },
  {
    name: 'block limits inside a modal',
    method: 'views.open',
    ok: modal({ blocks: [sectionText(chars(3000))] }),
    bad: modal({ blocks: [sectionText(chars(3001))] }),
    error: 'invalid_arguments',
    reason: 'must be less than 3001 characters [json-pointer:/view/blocks/0/text/text]',
  },
];

describe('Slack fake: documented limits', () => {
  it.each([...MESSAGE_CASES, ...VIEW_CASES])('$name: accepted at the limit, $error one past it', async (limit) => {
    const fake = await start();
    const client = clientFor(fake);
    expect((await client.apiCall(limit.method, limit.ok)).ok).toBe(true);
    const data = await platformErrorOf(client.apiCall(limit.method, limit.bad));
    expect(data.error).toBe(limit.error);
    expect(data.response_metadata?.messages).toContain(`[ERROR] ${limit.reason}`);
    if (limit.error === 'invalid_arguments') {
      // Slack leads a view's report with the schema-union failure.
      expect(data.response_metadata?.messages?.[0]).toBe(
        '[ERROR] failed to match all allowed schemas [json-pointer:/view]',
      );
    }
    if (limit.error === 'invalid_blocks') expect(data).toHaveProperty('errors', [limit.reason]);
    expect(fake.calls.map((call) => call.error)).toEqual([undefined, limit.error]);
  });

  it('stores nothing for a refused message', async () => {
    const fake = await start();
    await platformErrorOf(clientFor(fake).apiCall('chat.postMessage', message([sectionText(chars(3001))])));
    expect(fake.messages('C0LIMITS')).toEqual([]);
  });

  it('applies the same limits to chat.update', async () => {
    const fake = await start();
    const client = clientFor(fake);
    const ts = (await client.chat.postMessage({ channel: 'C0LIMITS', text: 'short' })).ts ?? '';
    const data = await platformErrorOf(client.chat.update({ channel: 'C0LIMITS', ts, text: chars(40_001) }));
    expect(data.error).toBe('msg_too_long');
    expect(fake.messages('C0LIMITS')[0]?.text).toBe('short');
  });

  it('answers invalid_blocks_format when blocks is not JSON, and no_text for an empty message', async () => {
    const fake = await start();
    const post = (body: string): Promise<unknown> =>
      fetch(`${fake.url}chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${fake.botToken}` },
        body,
      }).then((response) => response.json());
    expect(await post('channel=C0LIMITS&blocks=%5B%7Bnot-json')).toMatchObject({
      ok: false,
      error: 'invalid_blocks_format',
    });
    expect(await post('channel=C0LIMITS')).toEqual({ ok: false, error: 'no_text' });
  });

  it('requires submit on a modal with an input block', async () => {
    const fake = await start();
    const data = await platformErrorOf(
      clientFor(fake).apiCall(
        'views.open',
        modal({ submit: undefined, blocks: [input({ type: 'plain_text_input', action_id: 'v' })] }),
      ),
    );
    expect(data.error).toBe('invalid_arguments');
    expect(data.response_metadata?.messages).toContain('[ERROR] missing required field: submit [json-pointer:/view]');
  });
});
