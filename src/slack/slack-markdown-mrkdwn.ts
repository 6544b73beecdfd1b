import type { MarkedToken, Tokens } from 'marked';
import { blankLineAfter, itemMarker, markdownBlocks, ownTokens, rawLines } from '../render/markdown-blocks.ts';
import { slackLength } from './slack-markdown-limits.ts';
import { headingMrkdwn, inlineMrkdwn } from './slack-markdown-inline.ts';
import { defangBroadcasts, escapeMrkdwn } from './slack-markdown-neutralize.ts';
import { packMarkdown, safeCut } from '../render/markdown-split.ts';

/** A fenced block; code keeps its characters, only `&<>` escaped (Slack decodes them inside code too). */
function codeBlock(lines: readonly string[]): string[] {
  // A literal ``` inside the code would end the mrkdwn block early.
  return ['```', ...lines.map((line) => escapeMrkdwn(line).replace(/```/g, '`\u2060``')), '```'];
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Width for column padding: grapheme clusters, so "ü" and "🚀" count one each. */
function cellWidth(text: string): number {
  // Printable ASCII is one grapheme per character; segmenting is much slower.
  return /^[\x20-\x7e]*$/.test(text) ? text.length : Array.from(graphemes.segment(text)).length;
}

/** A cell as plain text: links as "text (url)", emphasis and code markers dropped. */
function cellText(cell: Tokens.TableCell): string {
  return cell.text
    .trim()
    .replace(/!?\[([^\]]*)\]\(([^)\s]+)[^)]*\)/g, (_, text: string, url: string) => (text ? `${text} (${url})` : url))
    .replace(/\*\*|__|`/g, '');
}

/** Tables become monospace code blocks with padded columns, readable where mrkdwn has no tables. */
function tableBlock(table: Tokens.Table): string[] {
  const grid = [table.header.map(cellText), ...table.rows.map((row) => row.map(cellText))];
  const columns = Math.max(...grid.map((cells) => cells.length));
  const widths = Array.from({ length: columns }, (_, c) =>
    Math.max(3, ...grid.map((cells) => cellWidth(cells[c] ?? ''))),
  );
  const render = (cells: readonly string[]): string =>
    widths
      .map((width, c) => {
        const cell = cells[c] ?? '';
        return cell + ' '.repeat(width - cellWidth(cell));
      })
      .join(' | ')
      .trimEnd();
  const [header = [], ...body] = grid;
  return codeBlock([render(header), widths.map((w) => '-'.repeat(w)).join('-+-'), ...body.map(render)]);
}

/** Child blocks of a list item or quote, one line each; a blank line where the source had one. */
function childLines(tokens: readonly MarkedToken[], depth: number): string[] {
  const blank = (i: number): string[] => (i > 0 && i < tokens.length - 1 ? [''] : []);
  return tokens.flatMap((token, i) => (token.type === 'space' ? blank(i) : tokenLines(token, depth)));
}

/** Items as `•`/`1.` lines, task boxes as ☐/☑, nested lists indented two spaces a level. */
function listLines(list: Tokens.List, depth: number): string[] {
  const items = list.items.map((item, index) => {
    const marker = list.ordered ? itemMarker(list, item, index) : '•';
    const check = item.task ? (item.checked ? '☑ ' : '☐ ') : '';
    const children = ownTokens(item.tokens).filter((token) => token.type !== 'checkbox');
    const [first = '', ...rest] = childLines(children, depth + 1);
    const gap = blankLineAfter(item) && index < list.items.length - 1 ? [''] : [];
    return [`${'  '.repeat(depth)}${marker} ${check}${first}`, ...rest, ...gap];
  });
  return items.flat();
}

/** One block of the tree as mrkdwn lines; whatever it does not know is escaped as prose. */
function tokenLines(token: MarkedToken, depth = 0): string[] {
  switch (token.type) {
    case 'code':
      return codeBlock(token.text === '' ? [] : token.text.split('\n'));
    case 'table':
      return tableBlock(token);
    case 'heading':
      return [headingMrkdwn(token.text)];
    case 'hr':
      return ['──────────'];
    case 'list':
      return listLines(token, depth);
    case 'blockquote':
      // mrkdwn quotes do not nest: every quoted line gets one `>`.
      return childLines(ownTokens(token.tokens), 0).map((line) => (line.startsWith('> ') ? line : `> ${line}`));
    case 'paragraph':
    case 'text':
      return inlineMrkdwn(ownTokens(token.tokens ?? [])).split('\n');
    default:
      return rawLines(token).map(escapeMrkdwn);
  }
}

/**
 * Converts standard Markdown to Slack mrkdwn for surfaces without the `markdown` block (section
 * blocks in App Home, ephemeral messages): `**b**`→`*b*`, `*i*`/`_i_`→`_i_`, `~~s~~`→`~s~`,
 * `# H`→`*H*`, `[t](https://…)`→`<https://…|t>` (other schemes stay text), `-` items→`•`,
 * fenced code stays fenced (language dropped), tables become padded code blocks. `&<>` are
 * escaped everywhere and bare broadcasts defanged, so model text cannot ping or forge links.
 */
export function mrkdwnFallback(markdown: string): string {
  const blocks = markdownBlocks(markdown);
  const mrkdwn = blocks.map(
    (block, i) => (i > 0 ? '\n'.repeat(block.gap + 1) : '') + tokenLines(block.token).join('\n'),
  );
  // Text is escaped token by token; a broadcast split across tokens is caught on the whole.
  return defangBroadcasts(mrkdwn.join(''));
}

/** Shortens mrkdwn to at most `max` characters with a trailing `…`, keeping it well-formed. */
export function truncateMrkdwn(text: string, max: number): string {
  if (slackLength(text) <= max) return text;
  // packMarkdown never cuts an entity or a `<…>` link, and closes a ``` block it splits.
  const [first = ''] = packMarkdown(text, Math.max(max - 1, 64));
  const head = slackLength(first) <= max - 1 ? first : first.slice(0, safeCut(first, max - 1));
  return `${head}…`;
}
