import { Lexer, type MarkedToken, type Token, type Tokens } from 'marked';
import { closesFence, openingFence } from '../core/markdown-fence.ts';

/**
 * A block of Markdown as marked's lexer (CommonMark + GFM tables) found it: the token, its
 * source lines and `gap`, the number of blank lines before it, so that rejoining blocks with
 * `gap + 1` newlines reproduces the source. Fenced code always ends in a closing fence (an
 * unclosed one, from a truncated answer, gets one so that later text renders as text).
 */
export interface MdBlock {
  readonly kind: 'text' | 'code' | 'table';
  readonly gap: number;
  readonly lines: readonly string[];
  readonly token: MarkedToken;
}

/**
 * marked's lexer is the one Markdown parser of the renderers; GFM for tables and task items.
 * Without `inline`, only the block structure (what splitting needs): marked lexes inline markup
 * in a second pass, which is most of its cost (its `lex()` is this plus that pass).
 */
function lexMarkdown(markdown: string, inline = true): MarkedToken[] {
  if (inline) return ownTokens(Lexer.lex(markdown, { gfm: true }));
  return ownTokens(new Lexer({ gfm: true }).blockTokens(markdown.replace(/\r\n|\r/g, '\n')));
}

/** Inline Markdown (emphasis, links, code spans) as marked's inline tokens. */
export function lexInline(text: string): MarkedToken[] {
  return ownTokens(Lexer.lexInline(text, { gfm: true }));
}

/** Child tokens with their types: without extensions, marked emits only its own token kinds. */
export function ownTokens(tokens: readonly Token[]): MarkedToken[] {
  return tokens as MarkedToken[];
}

function blockKind(token: MarkedToken): MdBlock['kind'] {
  if (token.type === 'table') return 'table';
  return token.type === 'code' && token.codeBlockStyle !== 'indented' ? 'code' : 'text';
}

function closedCode(lines: string[]): string[] {
  const [open = '', ...rest] = lines;
  const fence = openingFence(open);
  const last = rest.at(-1);
  if (!fence || (last !== undefined && closesFence(last, fence))) return lines;
  return [...lines, fence.indent + fence.char.repeat(fence.length)];
}

/**
 * The top-level blocks of `markdown`. With `listItems`, each item of a list is a block of its
 * own, so that a long list can be split between items; `inline: false` leaves the tokens without
 * their inline children, for callers that only need the blocks' kinds and lines.
 */
export function markdownBlocks(
  markdown: string,
  options: { readonly listItems?: boolean; readonly inline?: boolean } = {},
): MdBlock[] {
  const blocks: MdBlock[] = [];
  let line = 0;
  let lastLine = -1;
  const newlines = (text: string): number => text.split('\n').length - 1;
  const add = (raw: string, token: MarkedToken): void => {
    const start = line + newlines(/^\n*/.exec(raw)?.[0] ?? '');
    const content = raw.replace(/^\n+/, '').trimEnd();
    line += newlines(raw);
    if (token.type === 'space' || content.trim() === '') return;
    const lines = content.split('\n');
    const kind = blockKind(token);
    blocks.push({
      kind,
      gap: Math.max(0, start - lastLine - 1),
      lines: kind === 'code' ? closedCode(lines) : lines,
      token,
    });
    lastLine = start + lines.length - 1;
  };
  for (const token of lexMarkdown(markdown, options.inline ?? true)) {
    if (token.type !== 'list' || !options.listItems) {
      add(token.raw, token);
      continue;
    }
    for (const item of token.items) add(item.raw, item);
    line += newlines(token.raw.slice(token.items.reduce((sum, item) => sum + item.raw.length, 0)));
  }
  return blocks;
}

/** A token's source lines, without the newlines that end it. */
export function rawLines(token: MarkedToken): string[] {
  return token.raw.replace(/\n+$/, '').split('\n');
}

/** The marker a list item was written with (`1.`, `2)`), or `-` for any bullet. */
export function itemMarker(list: Tokens.List, item: Tokens.ListItem, index: number): string {
  if (!list.ordered) return '-';
  return /^\s*(\d{1,9}[.)])/.exec(item.raw)?.[1] ?? `${(list.start || 1) + index}.`;
}

/** Whether the source has a blank line after this list item (before the next one). */
export function blankLineAfter(item: Tokens.ListItem): boolean {
  return /\n[ \t]*\n\s*$/.test(item.raw);
}

/** Whether a header row and the line after it start a GFM table. */
export function isTableStart(line: string, next: string | undefined): boolean {
  return next !== undefined && lexMarkdown(`${line}\n${next}`, false)[0]?.type === 'table';
}
