import { describe, expect, it } from 'vitest';
import { WORD_JOINER as WJ } from '../core/text.ts';
import { neutralizeTeamsText } from './teams-neutralize.ts';

describe('neutralizeTeamsText', () => {
  it('breaks Teams mention markup and HTML tags with an invisible word joiner', () => {
    expect(neutralizeTeamsText('<at>Everyone</at> look')).toBe(`<${WJ}at>Everyone<${WJ}/at> look`);
    expect(neutralizeTeamsText('<img src=x onerror=alert(1)> <!-- c -->')).toBe(
      `<${WJ}img src=x onerror=alert(1)> <${WJ}!-- c -->`,
    );
  });

  it('leaves comparisons and generics alone', () => {
    expect(neutralizeTeamsText('a < b, 3 <= 4, Map< K >')).toBe('a < b, 3 <= 4, Map< K >');
  });

  it('keeps honest http(s) and mailto links clickable', () => {
    const text =
      '[Stripe docs](https://stripe.com/docs) and [mail](mailto:ops@example.com) and [docs.stripe.com](https://docs.stripe.com/api)';
    expect(neutralizeTeamsText(text)).toBe(text);
  });

  it('spells out a link whose label names another host', () => {
    expect(neutralizeTeamsText('[https://bank.com](https://evil.example/x)')).toBe(
      'https://bank.com (https://evil.example/x)',
    );
    expect(neutralizeTeamsText('[bank.com/login](http://evil.example)')).toBe('bank.com/login (http://evil.example)');
  });

  it('turns other schemes into inert text', () => {
    expect(neutralizeTeamsText('[click](javascript:alert(1))')).toBe(`click (javascript:${WJ}alert(1))`);
    expect(neutralizeTeamsText('[open](msteams://teams.microsoft.com/l/call)')).toBe(
      `open (msteams:${WJ}//teams.microsoft.com/l/call)`,
    );
    expect(neutralizeTeamsText('[f](file:///etc/passwd)')).toBe(`f (file:${WJ}///etc/passwd)`);
  });

  it('unwraps autolinks into bare URLs', () => {
    expect(neutralizeTeamsText('see <https://example.com/a?b=1&c=2>')).toBe('see https://example.com/a?b=1&c=2');
  });

  it('is idempotent', () => {
    const once = neutralizeTeamsText(
      '<at>x</at> [bank.com](https://evil.example) [a](data:text/html,hi) <https://a.b>',
    );
    expect(neutralizeTeamsText(once)).toBe(once);
  });
});
