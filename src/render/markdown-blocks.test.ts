import { describe, expect, it } from 'vitest';
import { isTableStart, markdownBlocks } from './markdown-blocks.ts';
import { packMarkdown } from './markdown-split.ts';

const rejoin = (blocks: ReturnType<typeof markdownBlocks>): string =>
  blocks.map((block, i) => (i > 0 ? '\n'.repeat(block.gap + 1) : '') + block.lines.join('\n')).join('');

describe('markdownBlocks', () => {
  it('keeps the blank lines between blocks so that rejoining reproduces the source', () => {
    const markdown = '# Title\nIntro\n\n\n- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |\n```ts\nconst a = 1;\n```\nEnd';
    const blocks = markdownBlocks(markdown);
    expect(blocks.map((block) => [block.kind, block.token.type, block.gap])).toEqual([
      ['text', 'heading', 0],
      ['text', 'paragraph', 0],
      ['text', 'list', 2],
      ['table', 'table', 1],
      ['code', 'code', 0],
      ['text', 'paragraph', 0],
    ]);
    expect(rejoin(blocks)).toBe(markdown);
  });

  it('gives each list item a block of its own when asked, blank lines between items kept', () => {
    const markdown = '1. first\n\n2. second\n   ```sh\n   npm ci\n   ```\n3. third';
    const blocks = markdownBlocks(markdown, { listItems: true });
    expect(blocks.map((block) => [block.token.type, block.gap, block.lines.length])).toEqual([
      ['list_item', 0, 1],
      ['list_item', 1, 4],
      ['list_item', 0, 1],
    ]);
    expect(rejoin(blocks)).toBe(markdown);
  });

  it('closes a fence the answer left open', () => {
    const [code] = markdownBlocks('~~~~json\n{ "a": 1 }');
    expect(code?.lines).toEqual(['~~~~json', '{ "a": 1 }', '~~~~']);
  });

  it('knows a GFM table start', () => {
    expect(isTableStart('| a | b |', '|---|:-:|')).toBe(true);
    expect(isTableStart('a - b', '---')).toBe(false);
  });
});

describe('packMarkdown', () => {
  it('splits a long list between items, never inside the code of an item', () => {
    const item = (i: number): string => `- step ${i} ${'x'.repeat(40)}\n  \`\`\`sh\n  run ${i}\n  \`\`\``;
    const markdown = Array.from({ length: 12 }, (_, i) => item(i)).join('\n');
    const chunks = packMarkdown(markdown, 200);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) expect(chunk.startsWith('- step')).toBe(true);
    expect(chunks.join('\n')).toBe(markdown);
  });

  it('splits code nested in an oversized list item as code, re-opening its fence', () => {
    const code = Array.from({ length: 40 }, (_, i) => `  echo ${i} ${'y'.repeat(30)}`);
    const markdown = ['- install:', '  ```sh', ...code, '  ```', '  then restart'].join('\n');
    const chunks = packMarkdown(markdown, 600);
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks.filter((part) => part.includes('echo'))) {
      expect(chunk.startsWith('  ```sh\n')).toBe(true);
      expect(chunk.endsWith('\n  ```')).toBe(true);
    }
  });
});
