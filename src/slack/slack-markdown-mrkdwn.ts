import { parseMarkdownBlocks, type MdBlock } from '../render/markdown-blocks.ts';
import { slackLength } from './slack-markdown-limits.ts';
import { convertInline } from './slack-markdown-inline.ts';
import { escapeMrkdwn } from './slack-markdown-neutralize.ts';
import { packMarkdown, safeCut } from '../render/markdown-split.ts';

function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** Code keeps its characters; only `&<>` are escaped (Slack decodes them inside code too). */
function codeLine(line: string): string {
  // A literal ``` inside the code would end the mrkdwn block early.
  return escapeMrkdwn(line).replace(/```/g, '`\u2060``');
}

function codeBlock(lines: readonly string[]): string {
  return lines.length === 0 ? '```\n```' : `\`\`\`\n${lines.map(codeLine).join('\n')}\n\`\`\``;
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Width for column padding: grapheme clusters, so "ü" and "🚀" count one each. */
function cellWidth(text: string): number {
  // Printable ASCII is one grapheme per character; segmenting is much slower.
  return /^[\x20-\x7e]*$/.test(text) ? text.length : Array.from(graphemes.segment(text)).length;
}

function tableCells(row: string): string[] {
  const cells = row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/);
  return cells.map((cell) =>
    cell
      .trim()
      .replace(/\\\|/g, '|')
      .replace(/!?\[([^\]]*)\]\(([^)\s]+)[^)]*\)/g, (_, text: string, url: string) => (text ? `${text} (${url})` : url))
      .replace(/\*\*|__|`/g, ''),
  );
}

/** Tables become monospace code blocks with padded columns, readable where mrkdwn has no tables. */
function tableBlock(head: readonly string[], rows: readonly string[]): string {
  const grid = [tableCells(head[0] ?? ''), ...rows.map(tableCells)];
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

function textLine(line: string): string {
  const heading = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
  if (heading) {
    const content = (heading[1] ?? '').replace(/\*\*|__/g, '');
    return content ? `*${convertInline(content)}*` : '';
  }
  if (/^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/.test(line)) return '──────────';
  const bullet = /^([ \t]*)[-*+][ \t]+(?:\[([ xX])\][ \t]+)?(.*)$/.exec(line);
  if (bullet) {
    const [, indent = '', box, rest = ''] = bullet;
    const check = box === undefined ? '' : box === ' ' ? '☐ ' : '☑ ';
    return `${indent}• ${check}${convertInline(rest)}`;
  }
  const quote = /^ {0,3}(?:>[ \t]?)+(.*)$/.exec(line);
  if (quote) return `> ${convertInline(quote[1] ?? '')}`;
  return convertInline(line);
}

function convertBlock(block: MdBlock): string {
  switch (block.kind) {
    case 'code': {
      // Drop the fence's own indentation from the body (fences nested in list items).
      const indent = /^[ \t]*/.exec(block.open)?.[0].length ?? 0;
      return codeBlock(block.body.map((line) => line.replace(new RegExp(`^[ \\t]{0,${indent}}`), '')));
    }
    case 'table':
      return tableBlock(block.head, block.rows);
    case 'text':
      return block.lines.map(textLine).join('\n');
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
  const blocks = parseMarkdownBlocks(normalizeNewlines(markdown).replace(/[\uE000-\uE002]/g, ''), { tables: true });
  return blocks.map((block, i) => (i > 0 ? '\n'.repeat(block.gap + 1) : '') + convertBlock(block)).join('');
}

/**
 * Splits mrkdwn into pieces of at most `max` characters for `section` blocks: between paragraphs,
 * then lines; a ``` block split across pieces is closed and re-opened; entities and `<…>` links
 * are never cut.
 */
export function splitMrkdwn(text: string, max = 3000): string[] {
  return packMarkdown(normalizeNewlines(text), max, { tables: false });
}

/** Shortens mrkdwn to at most `max` characters with a trailing `…`, keeping it well-formed. */
export function truncateMrkdwn(text: string, max: number): string {
  if (slackLength(text) <= max) return text;
  const [first = ''] = splitMrkdwn(text, Math.max(max - 1, 64));
  const head = slackLength(first) <= max - 1 ? first : first.slice(0, safeCut(first, max - 1));
  return `${head}…`;
}
