import { describe, expect, it } from 'vitest';
import { parsePlanCommand, parsePlanNumber } from './plan-commands.ts';

describe('parsePlanNumber', () => {
  it.each([
    ['42', 42],
    ['#42', 42],
    [' 7 ', 7],
  ])('reads %j as %d', (text, number) => {
    expect(parsePlanNumber(text)).toBe(number);
  });

  it.each(['', '0', '#0', '-3', '4.5', '42abc', 'forty-two', '1234567890', undefined])('refuses %j', (text) => {
    expect(parsePlanNumber(text)).toBeUndefined();
  });
});

describe('parsePlanCommand', () => {
  it('reads the shared subcommands the same on every surface, in any case', () => {
    for (const bare of ['useCase', 'help'] as const) {
      expect(parsePlanCommand('HELP', bare)).toEqual({ kind: 'help' });
      expect(parsePlanCommand('list', bare)).toEqual({ kind: 'list', search: undefined });
      expect(parsePlanCommand('list  stripe  webhooks ', bare)).toEqual({ kind: 'list', search: 'stripe webhooks' });
      expect(parsePlanCommand('show #12', bare)).toEqual({ kind: 'show', number: 12, argument: '#12' });
      expect(parsePlanCommand('show twelve', bare)).toEqual({ kind: 'show', number: undefined, argument: 'twelve' });
      expect(parsePlanCommand('plan Sync orders', bare)).toEqual({ kind: 'form', useCase: 'Sync orders' });
    }
  });

  it('takes other text as the use case where the command itself means "plan" (Slack)', () => {
    expect(parsePlanCommand('  Sync Shopify orders into SAP ', 'useCase')).toEqual({
      kind: 'form',
      useCase: 'Sync Shopify orders into SAP',
    });
    expect(parsePlanCommand('', 'useCase')).toEqual({ kind: 'form', useCase: '' });
  });

  it('answers other text with the help in a chat (Teams)', () => {
    expect(parsePlanCommand('hello there', 'help')).toEqual({ kind: 'help' });
    expect(parsePlanCommand('', 'help')).toEqual({ kind: 'help' });
  });
});

describe('parsePlanCommand: diff', () => {
  it('reads a plan alone (its last two revisions) or a plan and two revisions', () => {
    expect(parsePlanCommand('diff 42', 'useCase')).toEqual({
      kind: 'diff',
      number: 42,
      from: undefined,
      to: undefined,
      argument: '42',
    });
    expect(parsePlanCommand('DIFF #42 1 3', 'help')).toEqual({
      kind: 'diff',
      number: 42,
      from: 1,
      to: 3,
      argument: '#42 1 3',
    });
  });

  it('keeps what was typed when it is no comparison, so the surface can say what to type', () => {
    for (const text of ['diff', 'diff abc', 'diff 42 1', 'diff 42 1 x', 'diff 42 1 2 3']) {
      expect(parsePlanCommand(text, 'useCase')).toMatchObject({ kind: 'diff', number: undefined });
    }
  });
});
