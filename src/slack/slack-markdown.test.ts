import { describe, expect, it } from 'vitest';
import {
  blockTexts,
  expectLinesInOrder,
  expectWithinLimits,
  fencesBalanced,
  longSection,
  markdownTexts,
  tableRowsHaveHeader,
} from '../../test/helpers/slack-markdown-fixtures.ts';
import {
  DEFAULT_SLACK_LIMITS,
  neutralizeSlackText,
  sectionMessages,
  slackLength,
  type SlackLimits,
} from './slack-markdown.ts';

const isFence = (line: string): boolean => /^\s*(`{3,}|~{3,})/.test(line);

describe('DEFAULT_SLACK_LIMITS', () => {
  it('holds the documented numbers', () => {
    expect(DEFAULT_SLACK_LIMITS).toEqual({
      maxBlocksPerMessage: 50,
      maxMarkdownBlockChars: 12_000,
      maxMarkdownCharsPerMessage: 12_000,
      maxBlockTextCharsPerMessage: 12_000,
      maxHeaderChars: 150,
      maxContextTextChars: 3_000,
      maxFallbackTextChars: 3_000,
    });
  });
});

describe('slackLength', () => {
  it('counts UTF-16 code units: umlauts one, emoji two, never bytes', () => {
    expect(slackLength('Grüße')).toBe(5);
    expect(Buffer.byteLength('Grüße')).toBe(7);
    expect(slackLength('🚀')).toBe(2);
    expect(slackLength('a\u0308')).toBe(2);
  });
});

describe('sectionMessages: short sections', () => {
  it('renders one message: header, markdown, fallback text', () => {
    const messages = sectionMessages({ title: 'Architecture', number: 2, markdown: 'Use **webhooks**.\n\n- a\n- b\n' });
    expect(messages).toHaveLength(1);
    expect(messages[0]?.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: '2. Architecture', emoji: true } },
      { type: 'markdown', text: 'Use **webhooks**.\n\n- a\n- b' },
    ]);
    expect(messages[0]?.text).toBe('2. Architecture\nUse *webhooks*.\n\n• a\n• b');
  });

  it('puts the footer in a context block under the last message only', () => {
    const markdown = longSection(20_000);
    const messages = sectionMessages({
      title: 'Security',
      number: 3,
      markdown,
      footer: 'Missing: **budget** & <scale>',
    });
    expect(messages.length).toBeGreaterThan(1);
    const footers = messages.map((m) => m.blocks.filter((b) => b.type === 'context' && m.blocks.indexOf(b) > 0));
    expect(footers.slice(0, -1).every((f) => f.length === 0)).toBe(true);
    expect(footers.at(-1)).toEqual([
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'Missing: *budget* &amp; &lt;scale&gt;', verbatim: true }],
      },
    ]);
    expectWithinLimits(messages);
  });

  it('truncates a long title to the header limit and neutralizes it everywhere', () => {
    const title = `Deploy <!here> @channel ${'x'.repeat(300)}`;
    const [message] = sectionMessages({ title, number: 5, markdown: 'Body.' });
    const header = message?.blocks[0];
    expect(header?.type).toBe('header');
    const text = header?.type === 'header' ? header.text.text : '';
    expect(slackLength(text)).toBe(150);
    expect(text.startsWith('5. Deploy <\u2060!here> @\u2060channel xxx')).toBe(true);
    expect(text.endsWith('…')).toBe(true);
    expect(message?.text.startsWith('5. Deploy &lt;!here&gt; @\u2060channel xxx')).toBe(true);
    expectWithinLimits(sectionMessages({ title, number: 5, markdown: 'Body.' }));
  });

  it('sends only the header (and footer) for an empty body', () => {
    const messages = sectionMessages({
      title: 'Maintenance',
      number: 6,
      markdown: '\n\n  \n',
      footer: 'Was this useful?',
    });
    expect(messages).toEqual([
      {
        text: '6. Maintenance',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: '6. Maintenance', emoji: true } },
          { type: 'context', elements: [{ type: 'mrkdwn', text: 'Was this useful?', verbatim: true }] },
        ],
      },
    ]);
  });

  it('caps a huge footer at the context limit', () => {
    const footer = `Missing: ${'budget, '.repeat(600)}`;
    const messages = sectionMessages({ title: 'Code quality', number: 7, markdown: 'Fine.', footer });
    const context = messages[0]?.blocks[2];
    const text = context?.type === 'context' && context.elements[0]?.type === 'mrkdwn' ? context.elements[0].text : '';
    expect(slackLength(text)).toBeLessThanOrEqual(3000);
    expect(text.endsWith('…')).toBe(true);
    expectWithinLimits(messages);
  });

  it('refuses limits that leave no room for text', () => {
    expect(() =>
      sectionMessages({ title: 'T', number: 1, markdown: 'x' }, { maxBlockTextCharsPerMessage: 80 }),
    ).toThrow(RangeError);
  });
});

describe('sectionMessages: long sections', () => {
  const markdown = longSection(30_000);

  it('splits a 30,000-character section into messages within every limit', () => {
    expect(slackLength(markdown)).toBeGreaterThanOrEqual(30_000);
    const messages = sectionMessages({ title: 'Implementation', number: 4, markdown, footer: 'Missing: data volume' });
    expect(messages.length).toBeGreaterThanOrEqual(3);
    expectWithinLimits(messages);
    messages.forEach((message, index) => {
      const first = message.blocks[0];
      if (index === 0) expect(first?.type).toBe('header');
      else
        expect(first).toEqual({
          type: 'context',
          elements: [
            { type: 'mrkdwn', text: `4. Implementation (continued ${index + 1}/${messages.length})`, verbatim: true },
          ],
        });
      expect(
        message.text.startsWith(messages.length > 1 ? `4. Implementation (${index + 1}/${messages.length})\n` : ''),
      ).toBe(true);
      for (const text of markdownTexts(message)) {
        expect(tableRowsHaveHeader(text, (line) => line.startsWith('| /v1/'))).toBe(true);
        expect(text.trimEnd().split('\n').at(-1)).not.toMatch(/^###/);
      }
    });
    const parts = messages.flatMap(markdownTexts);
    const header = '| Endpoint | Method | p95 | Notes |';
    expectLinesInOrder(
      neutralizeSlackText(markdown),
      parts,
      (line) => isFence(line) || line === header || line === '|---|---|---:|---|',
    );
  });

  it('fills messages: all but the last carry most of the budget', () => {
    const messages = sectionMessages({ title: 'Implementation', number: 4, markdown });
    const sizes = messages.map((m) => markdownTexts(m).reduce((sum, t) => sum + slackLength(t), 0));
    for (const size of sizes.slice(0, -1)) expect(size).toBeGreaterThan(8_000);
  });

  it('keeps header + markdown + footer within 12,000 block characters when paragraphs fill a message', () => {
    const markdown = Array.from({ length: 3_000 }, (_, i) => `line ${String(i).padStart(4, '0')}`).join('\n\n');
    const messages = sectionMessages({ title: 'Fill', number: 1, markdown, footer: 'Feedback?' });
    expectWithinLimits(messages);
    const total = (m: (typeof messages)[number]): number =>
      m.blocks.flatMap(blockTexts).reduce((s, t) => s + slackLength(t), 0);
    expect(total(messages[0] ?? { text: '', blocks: [] })).toBeGreaterThan(11_900);
    expect(messages.slice(0, -1).every((m) => total(m) <= 12_000 - 'Feedback?'.length)).toBe(true);
    expect(messages.flatMap(markdownTexts).join('\n\n')).toBe(markdown);
  });

  it('moves a heading that would end a message to the next one, with its paragraph', () => {
    const first = 'Erster Absatz mit Details. '.repeat(440).trimEnd();
    const second = 'Zweiter Absatz. '.repeat(60).trimEnd();
    const markdown = `${first}\n\n### Schritt 2\n\n${second}`;
    const parts = sectionMessages({ title: 'Plan', number: 1, markdown }).flatMap(markdownTexts);
    expect(parts).toEqual([first, `### Schritt 2\n\n${second}`]);
  });

  it('splits one 15,000-character code block into fenced blocks re-opened with its language', () => {
    const body = Array.from(
      { length: 300 },
      (_, i) => `  { "id": ${i}, "kunde": "Müller", "status": "übertragen", "n": ${i * 7} },`,
    );
    const markdown = ['Payload example:', '', '```json', '[', ...body, ']', '```', '', 'Done.'].join('\n');
    expect(slackLength(markdown)).toBeGreaterThan(15_000);
    const messages = sectionMessages({ title: 'Technical specification', number: 2, markdown });
    expectWithinLimits(messages);
    expect(messages).toHaveLength(2);
    const parts = messages.flatMap(markdownTexts);
    for (const part of parts) {
      const fences = part.split('\n').filter(isFence);
      expect(fences).toEqual(['```json', '```']);
      expect(fencesBalanced(part)).toBe(true);
    }
    const extra = expectLinesInOrder(markdown, parts, isFence);
    expect(extra).toEqual(['```', '```json']);
  });

  it('splits a 500-row table between rows, repeating the header row', () => {
    const rows = Array.from(
      { length: 500 },
      (_, i) => `| ${i} | order.created | Prüfung ${i % 7} | ${'✓'.repeat(i % 5)} | retry after ${i} s |`,
    );
    const head = ['| # | Event | Check | Flags | Note |', '|---|-------|-------|-------|------|'];
    const markdown = ['Event catalogue:', '', ...head, ...rows].join('\n');
    const messages = sectionMessages({ title: 'Events', number: 3, markdown });
    expectWithinLimits(messages);
    expect(messages.length).toBeGreaterThanOrEqual(3);
    const parts = messages.flatMap(markdownTexts);
    for (const part of parts) {
      const lines = part.split('\n').filter((line) => line.startsWith('|'));
      expect(lines.slice(0, 2)).toEqual(head);
      expect(tableRowsHaveHeader(part, (line) => /^\| \d+ \|/.test(line))).toBe(true);
    }
    const seenRows = parts.flatMap((part) => part.split('\n').filter((line) => /^\| \d+ \|/.test(line)));
    expect(seenRows).toEqual(rows);
    const extra = expectLinesInOrder(markdown, parts, (line) => head.includes(line));
    expect(extra).toHaveLength(2 * (parts.length - 1));
  });

  it('counts umlauts as one character: 11,500 characters (more bytes) fit one message', () => {
    const markdown = 'Grüße aus Köln, Übergrößenträger. '.repeat(340).trimEnd();
    expect(slackLength(markdown)).toBeGreaterThan(11_500);
    expect(Buffer.byteLength(markdown)).toBeGreaterThan(12_000);
    const messages = sectionMessages({ title: 'Übersicht', number: 1, markdown });
    expect(messages).toHaveLength(1);
    expect(markdownTexts(messages[0] ?? { text: '', blocks: [] })).toEqual([markdown]);
    expectWithinLimits(messages);
  });

  it('counts emoji as two and never splits a surrogate pair', () => {
    const lines = Array.from({ length: 130 }, () => '🚀'.repeat(50));
    const markdown = lines.join('\n');
    expect(Array.from(markdown).length).toBeLessThan(7_000); // code points: would fit one message
    const messages = sectionMessages({ title: 'Launch', number: 5, markdown });
    expect(messages).toHaveLength(2);
    expectWithinLimits(messages);
    expect(messages.flatMap(markdownTexts).join('\n')).toBe(markdown);

    const oneLine = '🚀'.repeat(7_000);
    const parts = sectionMessages({ title: 'Launch', number: 5, markdown: oneLine }).flatMap(markdownTexts);
    expect(parts).toHaveLength(2);
    expect(parts.every((part) => part.isWellFormed())).toBe(true);
    expect(parts.join('')).toBe(oneLine);
  });

  it('respects smaller limits: several markdown blocks per message, block count capped', () => {
    const limits: Partial<SlackLimits> = {
      maxMarkdownBlockChars: 500,
      maxMarkdownCharsPerMessage: 3_000,
      maxBlockTextCharsPerMessage: 3_500,
      maxBlocksPerMessage: 4,
    };
    const markdown = longSection(12_000);
    const messages = sectionMessages({ title: 'Deployment', number: 5, markdown, footer: 'Feedback?' }, limits);
    expectWithinLimits(messages, { ...DEFAULT_SLACK_LIMITS, ...limits });
    // 4 blocks minus header/continuation and the footer's reserved slot leave 2 markdown blocks.
    expect(Math.max(...messages.map((m) => markdownTexts(m).length))).toBe(2);
    expect(messages.at(-1)?.blocks.at(-1)?.type).toBe('context');
    const header = '| Endpoint | Method | p95 | Notes |';
    expectLinesInOrder(
      neutralizeSlackText(markdown),
      messages.flatMap(markdownTexts),
      (line) => isFence(line) || line === header || line === '|---|---|---:|---|',
    );
  });

  it('neutralizes mentions in every part and in the fallback text', () => {
    const markdown = `${longSection(14_000)}\n\nPing <!channel> and @here, <@U123> in <#C42>.\n\n\`<!everyone>\``;
    const messages = sectionMessages({ title: 'Ops', number: 6, markdown });
    expectWithinLimits(messages);
    const last = markdownTexts(messages.at(-1) ?? { text: '', blocks: [] }).join('\n');
    expect(last).toContain('Ping &lt;!channel&gt; and @\u2060here, &lt;@U123&gt; in &lt;#C42&gt;.');
    expect(last).toContain('`&lt;!everyone&gt;`');
  });
});
