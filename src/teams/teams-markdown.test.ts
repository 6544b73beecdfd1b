import { describe, expect, it } from 'vitest';
import { markdownElements } from './teams-markdown.ts';

describe('Markdown as Teams card elements', () => {
  it('turns headings into bold text and keeps lists as Markdown TextBlocks', () => {
    const elements = markdownElements(
      '## Retries\n\nUse **exponential** backoff:\n- 1 s\n- 2 s\n\n### Limits\n1. 100 req/s\n2. burst 200',
    );
    expect(elements).toEqual([
      { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'Retries', weight: 'bolder', size: 'medium' }] },
      { type: 'TextBlock', text: 'Use **exponential** backoff:\n- 1 s\n- 2 s', wrap: true },
      { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'Limits', weight: 'bolder', size: 'default' }] },
      { type: 'TextBlock', text: '1. 100 req/s\n2. burst 200', wrap: true },
    ]);
  });

  it('keeps numbered headings from turning into list items', () => {
    expect(markdownElements('### 2. **Retry** budget')).toEqual([
      {
        type: 'RichTextBlock',
        inlines: [{ type: 'TextRun', text: '2. Retry budget', weight: 'bolder', size: 'default' }],
      },
    ]);
  });

  it('shows code exactly as written, in monospace runs that are never read as Markdown', () => {
    const [code] = markdownElements('```ts\nconst a = b * c_d; // <at>x</at>\n```');
    expect(code).toEqual({
      type: 'Container',
      style: 'emphasis',
      items: [
        {
          type: 'RichTextBlock',
          inlines: [{ type: 'TextRun', text: 'const a = b * c_d; // <at>x</at>', fontType: 'monospace' }],
        },
      ],
    });
  });

  it('renders GFM tables as Table elements with a header row, padding short rows', () => {
    const [table] = markdownElements('| Limit | Value |\n|---|---:|\n| Rate | 100/s |\n| Burst |');
    expect(table).toMatchObject({ type: 'Table', firstRowAsHeader: true, columns: [{ width: 1 }, { width: 1 }] });
    const rows = table?.type === 'Table' ? table.rows : [];
    const cells = rows.map((row) =>
      row.cells.map((cell) => (cell.items[0]?.type === 'TextBlock' ? cell.items[0].text : '')),
    );
    expect(cells).toEqual([
      ['Limit', 'Value'],
      ['Rate', '100/s'],
      ['Burst', ' '],
    ]);
  });

  it('draws quotes as an emphasised container, rules as separators, nested items indented', () => {
    const elements = markdownElements('> Note: test in staging\n\n---\n\nAfter\n- top\n  - nested');
    expect(elements[0]).toEqual({
      type: 'Container',
      style: 'emphasis',
      items: [{ type: 'TextBlock', text: 'Note: test in staging', wrap: true, isSubtle: true }],
    });
    expect(elements[1]).toEqual({
      type: 'TextBlock',
      text: 'After\n- top\n\u00a0\u00a0\u00a0\u00a0◦ nested',
      wrap: true,
      separator: true,
    });
  });

  it('neutralises mentions and deceptive links in prose and table cells', () => {
    const text = JSON.stringify(
      markdownElements('Hi <at>CEO</at>, see [stripe.com](https://evil.example)\n\n| a |\n|---|\n| <at>x</at> |'),
    );
    expect(text).not.toContain('<at>');
    expect(text).toContain('stripe.com (https://evil.example)');
  });
});

describe('Markdown as Teams card elements: lists', () => {
  it('draws task boxes and shows code inside a list item without the item indentation', () => {
    expect(markdownElements('- [ ] open\n- [x] done\n  ```sh\n  npm ci\n  ```')).toEqual([
      { type: 'TextBlock', text: '- ☐ open\n- ☑ done', wrap: true },
      {
        type: 'Container',
        style: 'emphasis',
        items: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'npm ci', fontType: 'monospace' }] }],
      },
    ]);
  });
});
