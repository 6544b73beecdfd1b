import { closesFence, openingFence } from '../core/markdown-fence.ts';
import { markdownBlocks, type MdBlock } from './markdown-blocks.ts';

/** Slack and Teams both measure message text in UTF-16 code units, as JavaScript does. */
const textLength = (text: string): number => text.length;

/** Below this a budget cannot hold a code fence plus a line; callers get a RangeError instead. */
export const MIN_CHUNK_CHARS = 64;

/**
 * Where to cut a line that alone exceeds `limit`: after the last space in the final 30 % if
 * there is one, never between the halves of a surrogate pair, never inside an entity (`&lt;`)
 * or a mrkdwn `<url|text>` token. Returns 1..limit.
 */
export function safeCut(text: string, limit: number): number {
  let cut = Math.min(limit, textLength(text));
  const space = text.lastIndexOf(' ', cut - 1);
  if (space >= Math.floor(limit * 0.7)) cut = space + 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp > 0 && cut - amp <= 8 && /^&[a-z0-9#]*$/i.test(text.slice(amp, cut))) cut = amp;
  const open = text.lastIndexOf('<', cut - 1);
  if (open > 0 && cut - open < limit / 2 && text.indexOf('>', open) >= cut) cut = open;
  return Math.max(1, cut);
}

/**
 * Packs lines into parts of at most `firstMax` (first part) and `max` characters (the rest),
 * joined by newlines; a line longer than the room is cut with {@link safeCut}.
 */
function packLines(lines: readonly string[], firstMax: number, max: number): string[] {
  const parts: string[][] = [[]];
  let length = 0;
  let limit = firstMax;
  const startPart = (): void => {
    parts.push([]);
    length = 0;
    limit = max;
  };
  for (const original of lines) {
    let line = original;
    for (;;) {
      const current = parts[parts.length - 1] ?? [];
      const add = (current.length > 0 ? 1 : 0) + textLength(line);
      if (length + add <= limit) {
        current.push(line);
        length += add;
        break;
      }
      if (current.length > 0) {
        startPart();
        continue;
      }
      const cut = safeCut(line, limit);
      current.push(line.slice(0, cut));
      line = line.slice(cut);
      startPart();
    }
  }
  return parts.filter((part) => part.length > 0).map((part) => part.join('\n'));
}

type Run = Pick<MdBlock, 'kind' | 'lines'>;

/** A list item's lines cut around the fenced code nested in it, so that code splits as code. */
function codeRuns(lines: readonly string[]): Run[] {
  const runs: Run[] = [];
  let text: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = openingFence(lines[i] ?? '');
    const end = fence ? lines.findIndex((line, j) => j > i && closesFence(line, fence)) : -1;
    if (end < 0) {
      text.push(lines[i] ?? '');
      continue;
    }
    if (text.length > 0) runs.push({ kind: 'text', lines: text });
    runs.push({ kind: 'code', lines: lines.slice(i, end + 1) });
    text = [];
    i = end;
  }
  return text.length > 0 ? [...runs, { kind: 'text', lines: text }] : runs;
}

/** Splits one block that does not fit: code re-opens its fence, tables repeat their header. */
function splitBlock(block: Run, firstMax: number, max: number): string[] {
  if (block.kind === 'text') {
    const runs = codeRuns(block.lines);
    if (runs.length === 1 && runs[0]?.kind === 'text') return packLines(block.lines, firstMax, max);
    return runs.flatMap((run, i) => splitBlock(run, i === 0 ? firstMax : max, max));
  }
  const head = block.kind === 'code' ? 1 : 2;
  const prefix = block.lines.slice(0, head).join('\n');
  const suffix = block.kind === 'code' ? (block.lines.at(-1) ?? '') : '';
  const items = block.lines.slice(head, block.kind === 'code' ? -1 : undefined);
  const overhead = textLength(prefix) + 1 + (suffix ? textLength(suffix) + 1 : 0);
  // A fence or header too long to repeat: fall back to plain lines (still within limits).
  if (overhead > max / 8 || items.length === 0) return packLines(block.lines, firstMax, max);
  return packLines(items, firstMax - overhead, max - overhead).map((part) =>
    suffix ? `${prefix}\n${part}\n${suffix}` : `${prefix}\n${part}`,
  );
}

interface Piece {
  readonly text: string;
  readonly gap: number;
  readonly heading: boolean;
}

/**
 * Splits Markdown into chunks of at most `max` characters, on blank lines between blocks (and
 * between list items) where possible, otherwise between lines; never inside a fenced code block
 * (a long one becomes several fenced blocks with the same opening line) nor inside a table (rows
 * are split, the header and delimiter rows repeated). A heading is carried over instead of ending
 * a chunk. Leading blank lines and trailing whitespace are dropped; blank input gives no chunks.
 */
export function packMarkdown(markdown: string, max: number): string[] {
  if (max < MIN_CHUNK_CHARS) throw new RangeError(`chunk budget ${max} is below ${MIN_CHUNK_CHARS} characters`);
  const chunks: string[] = [];
  let current: Piece[] = [];
  let length = 0;
  const sepLength = (piece: Piece): number => (current.length > 0 ? piece.gap + 1 : 0);
  const push = (piece: Piece): void => {
    length += sepLength(piece) + textLength(piece.text);
    current.push(piece);
  };
  const fits = (piece: Piece): boolean => length + sepLength(piece) + textLength(piece.text) <= max;
  const flush = (carryLast: boolean): void => {
    const carry = carryLast ? current.pop() : undefined;
    if (current.length > 0) chunks.push(current.map((p, i) => (i > 0 ? '\n'.repeat(p.gap + 1) : '') + p.text).join(''));
    current = [];
    length = 0;
    if (carry) push(carry);
  };
  for (const block of markdownBlocks(markdown, { listItems: true, inline: false })) {
    const piece: Piece = { text: block.lines.join('\n'), gap: block.gap, heading: block.token.type === 'heading' };
    if (fits(piece)) {
      push(piece);
      continue;
    }
    // A block that fits a chunk of its own starts one, taking a final heading along if both fit.
    const pieceLength = textLength(piece.text);
    if (pieceLength <= max && !current.every((p) => p.heading)) {
      const last = current[current.length - 1];
      flush(last?.heading === true && textLength(last.text) + piece.gap + 1 + pieceLength <= max);
      if (fits(piece)) {
        push(piece);
        continue;
      }
    }
    // Too big for one chunk: fill what is left of this one, then whole chunks.
    let room = max - length - sepLength(piece);
    if (room < max / 4) {
      flush(false);
      room = max;
    }
    const parts = splitBlock(block, room, max);
    parts.forEach((text, index) => {
      if (index > 0) flush(false);
      push({ text, gap: index === 0 ? block.gap : 0, heading: false });
    });
  }
  flush(false);
  return chunks;
}
