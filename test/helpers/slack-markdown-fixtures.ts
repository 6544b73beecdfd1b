import type { KnownBlock } from '@slack/types';
import { expect } from 'vitest';
import { closesFence, openingFence, type Fence } from '../../src/core/markdown-fence.ts';
import { isTableStart } from '../../src/render/markdown-blocks.ts';
import { DEFAULT_SLACK_LIMITS, slackLength, type SlackLimits } from '../../src/slack/slack-markdown-limits.ts';
import type { SlackMessagePayload } from '../../src/slack/slack-markdown.ts';

/** Raw Slack tokens and bare broadcasts that must never reach Slack from model text. */
export const LIVE_TOKEN = /<[!@#]|<[a-z][a-z0-9+.-]*:|(?<![\w/@.+-])@(?:channel|here|everyone|group)(?![\w-])/i;

/** All text Slack counts towards a message's block text. */
export function blockTexts(block: KnownBlock): string[] {
  switch (block.type) {
    case 'header':
    case 'markdown':
      return [block.type === 'header' ? block.text.text : block.text];
    case 'context':
      return block.elements.flatMap((element) => ('text' in element ? [element.text] : []));
    default:
      throw new Error(`unexpected block type ${block.type}`);
  }
}

/** The `markdown` block texts of a message. */
export function markdownTexts(message: SlackMessagePayload): string[] {
  return message.blocks.flatMap((block) => (block.type === 'markdown' ? [block.text] : []));
}

/** Whether every fence opened in `markdown` is closed again before it ends. */
export function fencesBalanced(markdown: string): boolean {
  let fence: Fence | undefined;
  for (const line of markdown.split('\n')) {
    if (fence) {
      if (closesFence(line, fence)) fence = undefined;
    } else {
      fence = openingFence(line);
    }
  }
  return fence === undefined;
}

/** Whether every table row in `markdown` sits under a header and delimiter row in the same text. */
export function tableRowsHaveHeader(markdown: string, isRow: (line: string) => boolean): boolean {
  const lines = markdown.split('\n');
  let inTable = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (isTableStart(line, lines[i + 1])) {
      inTable = true;
      i++;
      continue;
    }
    if (line.trim() === '' || !line.includes('|')) inTable = false;
    if (isRow(line) && !inTable) return false;
  }
  return true;
}

/** Asserts every limit Slack enforces on every message, one by one. */
export function expectWithinLimits(
  messages: readonly SlackMessagePayload[],
  limits: SlackLimits = DEFAULT_SLACK_LIMITS,
): void {
  expect(messages.length).toBeGreaterThan(0);
  const blockIds = new Set<string>();
  for (const message of messages) {
    expect(message.blocks.length).toBeGreaterThan(0);
    expect(message.blocks.length).toBeLessThanOrEqual(limits.maxBlocksPerMessage);
    expect(slackLength(message.text)).toBeGreaterThan(0);
    expect(slackLength(message.text)).toBeLessThanOrEqual(limits.maxFallbackTextChars);
    expect(message.text).not.toMatch(LIVE_TOKEN);
    expect(message.text.isWellFormed()).toBe(true);
    const markdown = markdownTexts(message);
    for (const text of markdown) {
      expect(slackLength(text)).toBeGreaterThan(0);
      expect(slackLength(text)).toBeLessThanOrEqual(limits.maxMarkdownBlockChars);
      expect(fencesBalanced(text)).toBe(true);
    }
    expect(markdown.reduce((sum, text) => sum + slackLength(text), 0)).toBeLessThanOrEqual(
      limits.maxMarkdownCharsPerMessage,
    );
    let blockText = 0;
    for (const block of message.blocks) {
      if (block.block_id !== undefined) {
        expect(blockIds.has(block.block_id)).toBe(false);
        blockIds.add(block.block_id);
      }
      const texts = blockTexts(block);
      for (const text of texts) {
        expect(text.isWellFormed()).toBe(true);
        expect(text).not.toMatch(LIVE_TOKEN);
        blockText += slackLength(text);
      }
      if (block.type === 'header') expect(slackLength(block.text.text)).toBeLessThanOrEqual(limits.maxHeaderChars);
      if (block.type === 'context') {
        for (const text of texts) expect(slackLength(text)).toBeLessThanOrEqual(limits.maxContextTextChars);
      }
    }
    expect(blockText).toBeLessThanOrEqual(limits.maxBlockTextCharsPerMessage);
  }
}

/**
 * Checks that every non-blank line of `expected` appears in `parts`, in order, and that the only
 * other lines are the ones `isRepeat` allows (re-opened fences, repeated table headers).
 * Returns the extra lines so tests can check how many were added.
 */
export function expectLinesInOrder(
  expected: string,
  parts: readonly string[],
  isRepeat: (line: string) => boolean,
): string[] {
  const want = expected.split('\n').filter((line) => line.trim() !== '');
  const got = parts.flatMap((part) => part.split('\n')).filter((line) => line.trim() !== '');
  const extra: string[] = [];
  let next = 0;
  for (const line of got) {
    if (next < want.length && line === want[next]) next++;
    else extra.push(line);
  }
  expect(want.slice(next, next + 1)).toEqual([]);
  expect(next).toBe(want.length);
  for (const line of extra) expect({ line, allowed: isRepeat(line) }).toEqual({ line, allowed: true });
  return extra;
}

const WORDS = [
  'Bestellung',
  'Übertragung',
  'Größe',
  'webhook',
  'idempotent',
  'retry',
  'Schlüssel',
  'OAuth',
  'payload',
  'Prüfung',
];

function sentence(seed: number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[(seed * 7 + i * 3) % WORDS.length] ?? 'x');
  return `${out.join(' ')}.`;
}

/** A realistic long plan section: headings, prose, tables, code blocks and long lists. */
export function longSection(minChars: number): string {
  const parts: string[] = [];
  for (let step = 1; parts.join('\n\n').length < minChars; step++) {
    parts.push(`### Step ${step}: Sync orders 🚀`);
    parts.push(`${sentence(step, 40)} Rate limit < 50 req/s & retries > 3 are handled by **Cockatiel**.`);
    const rows = Array.from(
      { length: 25 },
      (_, r) => `| /v1/orders/${step}/${r} | GET | ${r * 10} ms | Größe ${r} KB |`,
    );
    parts.push(['| Endpoint | Method | p95 | Notes |', '|---|---|---:|---|', ...rows].join('\n'));
    const code = Array.from(
      { length: 45 },
      (_, l) => `  const order${l} = await client.get<Order>(\`/orders/\${id}/${l}\`); // Prüfung ${l}`,
    );
    parts.push(
      ['```ts', `export async function syncStep${step}(id: string): Promise<void> {`, ...code, '}', '```'].join('\n'),
    );
    parts.push(Array.from({ length: 30 }, (_, i) => `- ${sentence(step + i, 8)} (item ${step}.${i})`).join('\n'));
  }
  return parts.join('\n\n');
}
