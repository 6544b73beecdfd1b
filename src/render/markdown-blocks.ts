/** An open fenced code block: its indentation, marker character and length. */
export interface Fence {
  readonly indent: string;
  readonly char: '`' | '~';
  readonly length: number;
}

/**
 * A top-level Markdown block as the splitter sees it. `gap` is the number of blank lines before
 * the block in the source, so rejoining blocks reproduces the source exactly.
 */
export type MdBlock =
  | { readonly kind: 'text'; readonly gap: number; readonly lines: readonly string[] }
  | {
      readonly kind: 'code';
      readonly gap: number;
      readonly open: string;
      readonly close: string;
      readonly body: readonly string[];
    }
  | {
      readonly kind: 'table';
      readonly gap: number;
      readonly head: readonly string[];
      readonly rows: readonly string[];
    };

/** A fence opener (CommonMark: 3+ backticks or tildes; a backtick info string has no backtick). */
export function openingFence(line: string): Fence | undefined {
  const match = /^([ \t]*)(`{3,}|~{3,})(.*)$/.exec(line);
  if (!match) return undefined;
  const [, indent = '', marker = '', info = ''] = match;
  if (marker.startsWith('`') && info.includes('`')) return undefined;
  return { indent, char: marker.startsWith('`') ? '`' : '~', length: marker.length };
}

/** Whether `line` closes `fence`: same character, at least as long, nothing but spaces after. */
export function closesFence(line: string, fence: Fence): boolean {
  const match = /^[ \t]*(`{3,}|~{3,})[ \t]*\r?$/.exec(line);
  const marker = match?.[1];
  return marker !== undefined && marker.startsWith(fence.char) && marker.length >= fence.length;
}

const DELIMITER_ROW = /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*\r?$/;

/** A GFM table starts with a header row and a delimiter row (`|---|:--:|`), both with pipes. */
export function isTableStart(line: string, next: string | undefined): boolean {
  return next !== undefined && line.includes('|') && next.includes('|') && DELIMITER_ROW.test(next);
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** Splits Markdown into text, fenced code and table blocks (tables only when `tables`). */
export function parseMarkdownBlocks(markdown: string, options: { readonly tables: boolean }): MdBlock[] {
  const lines = markdown.split('\n');
  const blocks: MdBlock[] = [];
  let gap = 0;
  let text: { gap: number; lines: string[] } | undefined;
  const flushText = (): void => {
    if (text) blocks.push({ kind: 'text', gap: text.gap, lines: text.lines });
    text = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (isBlank(line)) {
      flushText();
      gap++;
      continue;
    }
    const fence = openingFence(line);
    if (fence) {
      flushText();
      const body: string[] = [];
      let close: string | undefined;
      for (i++; i < lines.length; i++) {
        const inner = lines[i] ?? '';
        if (closesFence(inner, fence)) {
          close = inner;
          break;
        }
        body.push(inner);
      }
      // An unclosed fence (a truncated answer) runs to the end; close it so later parts render.
      const closing = close ?? fence.indent + fence.char.repeat(fence.length);
      blocks.push({ kind: 'code', gap, open: line, close: closing, body });
      gap = 0;
      continue;
    }
    if (options.tables && isTableStart(line, lines[i + 1])) {
      flushText();
      const head = [line, lines[i + 1] ?? ''];
      const rows: string[] = [];
      let j = i + 2;
      for (; j < lines.length; j++) {
        const row = lines[j] ?? '';
        if (isBlank(row) || !row.includes('|') || openingFence(row)) break;
        rows.push(row);
      }
      blocks.push({ kind: 'table', gap, head, rows });
      gap = 0;
      i = j - 1;
      continue;
    }
    text ??= { gap, lines: [] };
    gap = 0;
    text.lines.push(line);
  }
  flushText();
  return blocks;
}

/** The block's source lines, as they appear in the Markdown. */
export function blockLines(block: MdBlock): readonly string[] {
  switch (block.kind) {
    case 'text':
      return block.lines;
    case 'code':
      return [block.open, ...block.body, block.close];
    case 'table':
      return [...block.head, ...block.rows];
  }
}
