import { describe, expect, it } from 'vitest';
import { LIVE_TOKEN } from '../../test/helpers/slack-markdown-fixtures.ts';
import { defangPlainText, escapeMrkdwn, neutralizeSlackText } from './slack-markdown.ts';

const WJ = '\u2060';

describe('neutralizeSlackText: Slack tokens', () => {
  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<!here>', '&lt;!here&gt;'],
    ['<!here|here>', '&lt;!here|here&gt;'],
    ['<!everyone>', '&lt;!everyone&gt;'],
    ['<!subteam^S012AB3CD|@platform>', '&lt;!subteam^S012AB3CD|@platform&gt;'],
    ['<!date^1392734382^{date_short}|Feb 18>', '&lt;!date^1392734382^{date_short}|Feb 18&gt;'],
    ['<@U012AB3CD>', '&lt;@U012AB3CD&gt;'],
    ['<@W012AB3CD>', '&lt;@W012AB3CD&gt;'],
    ['<#C012AB3CD|general>', '&lt;#C012AB3CD|general&gt;'],
    ['<https://evil.example|bank.example>', '&lt;https://evil.example|bank.example&gt;'],
    ['<http://example.com>', '&lt;http://example.com&gt;'],
    ['<mailto:ops@example.com|mail us>', '&lt;mailto:ops@example.com|mail us&gt;'],
  ])('makes %s literal text', (input, expected) => {
    expect(neutralizeSlackText(`Heads up ${input} now`)).toBe(`Heads up ${expected} now`);
  });

  it.each([
    ['@channel', `@${WJ}channel`],
    ['@here', `@${WJ}here`],
    ['@everyone', `@${WJ}everyone`],
    ['@Here!', `@${WJ}Here!`],
    ['(@channel)', `(@${WJ}channel)`],
    ['**@here**', `**@${WJ}here**`],
  ])('defangs bare %s with a word joiner', (input, expected) => {
    expect(neutralizeSlackText(`ping ${input}`)).toBe(`ping ${expected}`);
  });

  it('leaves e-mail addresses, URL paths and other handles alone', () => {
    const text = 'Mail ops@here.example or see https://social.example/@here and @channels-team, @heroku.';
    expect(neutralizeSlackText(text)).toBe(text);
  });

  it('escapes < and > in prose but keeps block quote markers', () => {
    expect(neutralizeSlackText('> Note: latency < 200 ms -> retry\n>> nested <b>')).toBe(
      '> Note: latency &lt; 200 ms -&gt; retry\n>> nested &lt;b&gt;',
    );
  });

  it('leaves ordinary Markdown unchanged, including links with & in the query', () => {
    const text = [
      '## Übersicht 🚀',
      '',
      'Use **OAuth 2.0** (client credentials) and _idempotency keys_; see [Stripe docs](https://stripe.com/docs/api?lang=node&v=2).',
      '',
      '| Feld | Typ |',
      '|---|---|',
      '| `amount` | integer |',
      '',
      '1. Größe prüfen',
      '- [ ] Retry & backoff',
      '',
      '```ts',
      'const ok = a < b && c > d;',
      '```',
    ].join('\n');
    expect(neutralizeSlackText(text)).toBe(text);
  });
});

describe('neutralizeSlackText: code', () => {
  it('keeps ordinary code in fences as written', () => {
    const code = '```java\nMap<String, List<Integer>> m = new HashMap<>();\nif (a < b || c > d) return x -> x;\n```';
    expect(neutralizeSlackText(code)).toBe(code);
  });

  it('still escapes token-shaped <…> and broadcasts inside fences (be safe)', () => {
    const code = '~~~\n// notify <!here> and <@U123>, see <https://x.example|docs>\necho "@channel"\n~~~';
    expect(neutralizeSlackText(code)).toBe(
      `~~~\n// notify &lt;!here&gt; and &lt;@U123&gt;, see &lt;https://x.example|docs&gt;\necho "@${WJ}channel"\n~~~`,
    );
  });

  it('treats inline code spans like code: tokens escaped, the rest kept', () => {
    expect(neutralizeSlackText('Type `<!channel>` or `Vec<u8>`, not <!channel> or a < b')).toBe(
      'Type `&lt;!channel&gt;` or `Vec<u8>`, not &lt;!channel&gt; or a &lt; b',
    );
    expect(neutralizeSlackText('``a `<@U1>` b`` and `x')).toBe('``a `&lt;@U1&gt;` b`` and `x');
  });

  it('treats text after a closing fence as prose again', () => {
    expect(neutralizeSlackText('```\na < b\n```\na < b')).toBe('```\na < b\n```\na &lt; b');
  });
});

describe('neutralizeSlackText: properties', () => {
  const nasty = [
    '<!channel> <!here> <!everyone> <!subteam^S1> <@U1> <#C1> <https://e.x|y> @here @channel @everyone',
    '`<!here>` ```<!channel>``` <!date^1^{date}|x>',
    '```\n<!everyone> @here\n```',
    '| <!here> | <@U1> |\n|---|---|\n| @channel | <#C1|x> |',
  ];

  it('leaves no live token in any input', () => {
    for (const input of nasty) expect(neutralizeSlackText(input)).not.toMatch(LIVE_TOKEN);
  });

  it('is idempotent', () => {
    for (const input of nasty) {
      const once = neutralizeSlackText(input);
      expect(neutralizeSlackText(once)).toBe(once);
    }
  });
});

describe('escapeMrkdwn and defangPlainText', () => {
  it('escapes &, <, > for mrkdwn and defangs broadcasts', () => {
    expect(escapeMrkdwn('R&D <!here> a>b @everyone')).toBe(`R&amp;D &lt;!here&gt; a&gt;b @${WJ}everyone`);
  });

  it('keeps plain text readable but makes token starts inert', () => {
    expect(defangPlainText('Deploy <!here> a < b @here')).toBe(`Deploy <${WJ}!here> a < b @${WJ}here`);
  });
});
