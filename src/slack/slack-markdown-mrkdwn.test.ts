import { describe, expect, it } from 'vitest';
import {
  expectLinesInOrder,
  fencesBalanced,
  LIVE_TOKEN,
  longSection,
} from '../../test/helpers/slack-markdown-fixtures.ts';
import { packMarkdown } from '../render/markdown-split.ts';
import { mrkdwnFallback, truncateMrkdwn } from './slack-markdown.ts';

const WJ = '\u2060';

describe('mrkdwnFallback: inline formatting', () => {
  it.each([
    ['**bold**', '*bold*'],
    ['__bold__', '*bold*'],
    ['*italic*', '_italic_'],
    ['_italic_', '_italic_'],
    ['***both***', '_*both*_'],
    ['~~gone~~', '~gone~'],
    ['**bold with *it* inside**', '*bold with _it_ inside*'],
    ['2 * 3 * 4', '2 * 3 * 4'],
    ['snake_case_name', 'snake_case_name'],
    ['`**not bold**` and `a < b`', '`**not bold**` and `a &lt; b`'],
    ['R&D <b> 3 > 2', 'R&amp;D &lt;b&gt; 3 &gt; 2'],
  ])('%s → %s', (input, expected) => {
    expect(mrkdwnFallback(input)).toBe(expected);
  });
});

describe('mrkdwnFallback: links', () => {
  it.each([
    ['[Stripe docs](https://stripe.com/docs?a=1&b=2)', '<https://stripe.com/docs?a=1&amp;b=2|Stripe docs>'],
    ['[a | b > c](https://x.example)', '<https://x.example|a ∣ b &gt; c>'],
    ['[x](https://x.example/a|b>c)', '<https://x.example/a%7Cb%3Ec|x>'],
    ['[Wiki](https://en.wikipedia.org/wiki/Foo_(bar))', '<https://en.wikipedia.org/wiki/Foo_(bar)|Wiki>'],
    ['[docs](https://x.example "Title")', '<https://x.example|docs>'],
    ['<https://x.example/path>', '<https://x.example/path>'],
    ['[click](javascript:alert(1))', 'click (javascript:alert(1))'],
    ['[open](slack://channel?id=C1)', 'open (slack://channel?id=C1)'],
    ['![diagram](https://x.example/d.png)', '<https://x.example/d.png|diagram>'],
    // An autolink to its own text: the `|` is encoded, so no other label can appear.
    ['<https://evil.example|bank.example>', '<https://evil.example%7Cbank.example>'],
  ])('%s → %s', (input, expected) => {
    expect(mrkdwnFallback(input)).toBe(expected);
  });
});

describe('mrkdwnFallback: blocks', () => {
  it('converts headings, lists, quotes and rules', () => {
    const markdown = [
      '# Architecture **overview** #',
      '',
      '- first',
      '* second',
      '  + nested',
      '- [ ] open task',
      '- [x] done task',
      '1. one',
      '2) two',
      '',
      '> quoted **text**',
      '',
      '---',
    ].join('\n');
    expect(mrkdwnFallback(markdown)).toBe(
      [
        '*Architecture overview*',
        '',
        '• first',
        '• second',
        '  • nested',
        '• ☐ open task',
        '• ☑ done task',
        '1. one',
        '2) two',
        '',
        '> quoted *text*',
        '',
        '──────────',
      ].join('\n'),
    );
  });

  it('keeps code blocks fenced, drops the language, escapes but does not format inside', () => {
    const markdown = '```ts\nconst x = a < b && **c**; // [a](https://x.example)\n```';
    expect(mrkdwnFallback(markdown)).toBe('```\nconst x = a &lt; b &amp;&amp; **c**; // [a](https://x.example)\n```');
  });

  it('keeps code of a fence nested in a list item at its own indentation', () => {
    expect(mrkdwnFallback('- step\n  ```sh\n  npm ci\n    --quiet\n  ```')).toBe('• step\n```\nnpm ci\n  --quiet\n```');
  });

  it('turns tables into padded monospace code blocks', () => {
    const markdown =
      '| Feld | Typ | Pflicht |\n|---|:---:|---|\n| `amount` | integer | ja |\n| **währung** | string | ja |';
    expect(mrkdwnFallback(markdown)).toBe(
      [
        '```',
        'Feld    | Typ     | Pflicht',
        '--------+---------+--------',
        'amount  | integer | ja',
        'währung | string  | ja',
        '```',
      ].join('\n'),
    );
  });

  it('neutralizes every mention form, in text and in code', () => {
    const markdown =
      'Hi <!channel> <!here> <!everyone> <!subteam^S1> <@U1> <@W1> <#C1> @here\n\n```\n<!here> @channel\n```';
    const out = mrkdwnFallback(markdown);
    expect(out).toBe(
      `Hi &lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;!subteam^S1&gt; &lt;@U1&gt; &lt;@W1&gt; &lt;#C1&gt; @${WJ}here\n\n` +
        `\`\`\`\n&lt;!here&gt; @${WJ}channel\n\`\`\``,
    );
    expect(out).not.toMatch(LIVE_TOKEN);
  });

  it('leaves no live token whichever inline or block construct carries it', () => {
    const inputs = [
      '**<!here>** _<@U1>_ ~~<#C1>~~ [<!channel>](slack://x) ![<!here>](ftp://x.example/i.png)',
      '<a href="https://evil.example">bank.example</a> [x](javascript:alert(1)) <!subteam^S1|@team>',
      '# <!here> @channel\n\n> <@U1> @everyone\n\n- [ ] <!here>\n  1. @here\n\n| <!here> | @channel |\n|---|---|',
      'x\\\n@here, a@b.example @here\n<div><!everyone></div>',
    ];
    for (const input of inputs) expect(mrkdwnFallback(input)).not.toMatch(LIVE_TOKEN);
  });

  it('keeps the blank lines between blocks', () => {
    expect(mrkdwnFallback('a\n\n\nb\n```\nc\n```\nd')).toBe('a\n\n\nb\n```\nc\n```\nd');
  });
});

describe('packMarkdown on mrkdwn', () => {
  it('splits a long plan into pieces of at most 3,000 characters, losing nothing', () => {
    const mrkdwn = mrkdwnFallback(longSection(12_000));
    const pieces = packMarkdown(mrkdwn, 3000);
    expect(pieces.length).toBeGreaterThanOrEqual(5);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(3000);
      expect(piece.length).toBeGreaterThan(0);
      expect(fencesBalanced(piece)).toBe(true);
    }
    expectLinesInOrder(mrkdwn, pieces, (line) => line === '```');
  });

  it('closes and re-opens a code block it has to split', () => {
    const code = `\`\`\`\n${Array.from({ length: 200 }, (_, i) => `line ${i} &lt;tag&gt;`).join('\n')}\n\`\`\``;
    const pieces = packMarkdown(code, 1000);
    expect(pieces.length).toBeGreaterThan(3);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(1000);
      expect(piece.startsWith('```\n')).toBe(true);
      expect(piece.endsWith('\n```')).toBe(true);
    }
  });

  it('never cuts an entity or a <url|text> link when a single line is too long', () => {
    const line = Array.from({ length: 400 }, (_, i) => `R&amp;D <https://x.example/${i}|link ${i}>`).join(' ');
    const pieces = packMarkdown(line, 500);
    expect(pieces.length).toBeGreaterThan(10);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(500);
      expect(piece).not.toMatch(/&[a-z]*$|^[a-z]*;/);
      expect(piece.split('<').length).toBe(piece.split('>').length);
    }
    expect(pieces.join('')).toBe(line);
  });

  it('fills each piece close to the limit', () => {
    const text = Array.from({ length: 100 }, (_, i) => `Paragraph ${i} ${'x'.repeat(80)}`).join('\n\n');
    const pieces = packMarkdown(text, 3000);
    expect(pieces).toHaveLength(4);
    expect(pieces.every((piece) => piece.length <= 3000)).toBe(true);
    expect(pieces.slice(0, -1).every((piece) => piece.length > 2900)).toBe(true);
    expect(pieces.join('\n\n')).toBe(text);
  });
});

describe('truncateMrkdwn', () => {
  it('returns short text unchanged', () => {
    expect(truncateMrkdwn('short *text*', 100)).toBe('short *text*');
  });

  it('shortens to the limit with an ellipsis and keeps code fences closed', () => {
    const text = `Intro\n\n\`\`\`\n${'code line\n'.repeat(300)}\`\`\``;
    const out = truncateMrkdwn(text, 500);
    expect(out.length).toBeLessThanOrEqual(500);
    expect(out.endsWith('…')).toBe(true);
    expect(fencesBalanced(out.slice(0, -1))).toBe(true);
  });
});
