import type { Language } from '../core/section-keys.ts';
import { parseMarkdownBlocks, type MdBlock } from '../render/markdown-blocks.ts';
import { MIN_CHUNK_CHARS, packMarkdown } from '../render/markdown-split.ts';
import {
  adaptiveCard,
  cardBytes,
  MAX_CARD_BYTES,
  text,
  title,
  type AdaptiveCard,
  type CardElement,
  type Container,
  type Table,
  type TableCell,
} from './adaptive-card.ts';
import { neutralizeTeamsText } from './teams-neutralize.ts';
import { TEAMS_TEXTS } from './teams-texts.ts';

const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$/u;
const RULE = /^ {0,3}(?:[-*_][ \t]*){3,}$/u;
const QUOTE = /^ {0,3}>[ \t]?/u;
// A nested list item: TextBlock lists do not nest, so deeper items are drawn with an indent.
const NESTED_ITEM = /^([ \t]{2,})(?:[-*+]|\d+[.)])[ \t]+(.*)$/u;

/** Cells of a GFM table row: split on unescaped pipes, outer pipes dropped. */
function tableCells(row: string): string[] {
  const trimmed = row
    .trim()
    .replace(/^\|/u, '')
    .replace(/(?<!\\)\|$/u, '');
  return trimmed.split(/(?<!\\)\|/u).map((cell) => cell.trim().replace(/\\\|/gu, '|'));
}

function tableElement(head: readonly string[], rows: readonly string[]): Table {
  const header = tableCells(head[0] ?? '');
  const width = Math.max(1, header.length);
  const cell = (value: string): TableCell => ({ type: 'TableCell', items: [text(neutralizeTeamsText(value) || ' ')] });
  const row = (cells: readonly string[]) => ({
    type: 'TableRow' as const,
    cells: Array.from({ length: width }, (_, index) => cell(cells[index] ?? '')),
  });
  return {
    type: 'Table',
    columns: Array.from({ length: width }, () => ({ width: 1 })),
    rows: [row(header), ...rows.map((line) => row(tableCells(line)))],
    firstRowAsHeader: true,
    gridStyle: 'accent',
  };
}

function codeElement(body: readonly string[]): Container {
  // A TextRun is never read as Markdown: `*`, `_` and `<` show exactly as written.
  return {
    type: 'Container',
    style: 'emphasis',
    items: [
      { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: body.join('\n') || ' ', fontType: 'monospace' }] },
    ],
  };
}

/** Prose lines: headings become bold TextBlocks, quotes an emphasised container, rules separators. */
function textElements(lines: readonly string[]): Converted {
  const elements: CardElement[] = [];
  let paragraph: string[] = [];
  let quote: string[] = [];
  let separator = false;
  const add = (element: CardElement) => {
    elements.push(separator ? { ...element, separator: true } : element);
    separator = false;
  };
  const flush = () => {
    if (paragraph.length > 0) add(text(neutralizeTeamsText(paragraph.join('\n'))));
    if (quote.length > 0)
      add({
        type: 'Container',
        style: 'emphasis',
        items: [text(neutralizeTeamsText(quote.join('\n')), { isSubtle: true })],
      });
    paragraph = [];
    quote = [];
  };
  for (const line of lines) {
    const heading = HEADING.exec(line);
    if (heading !== null) {
      flush();
      const level = heading[1]?.length ?? 3;
      // Emphasis markers would show literally in a text run; the heading is bold anyway.
      add(title((heading[2] ?? '').replace(/\*\*|__|`/gu, ''), { size: level <= 2 ? 'medium' : 'default' }));
    } else if (RULE.test(line)) {
      flush();
      separator = true;
    } else if (QUOTE.test(line)) {
      if (paragraph.length > 0) flush();
      quote.push(line.replace(QUOTE, ''));
    } else {
      if (quote.length > 0) flush();
      const nested = NESTED_ITEM.exec(line);
      paragraph.push(
        nested === null
          ? line.trimStart()
          : `${'\u00a0'.repeat(Math.min(8, (nested[1] ?? '').length * 2))}◦ ${nested[2] ?? ''}`,
      );
    }
  }
  flush();
  return { elements, trailingRule: separator };
}

/** A block's elements, and whether it ended in a rule (the next block's first element gets the separator). */
interface Converted {
  readonly elements: readonly CardElement[];
  readonly trailingRule: boolean;
}

function blockElements(block: MdBlock): Converted {
  switch (block.kind) {
    case 'code':
      return { elements: [codeElement(block.body)], trailingRule: false };
    case 'table':
      return { elements: [tableElement(block.head, block.rows)], trailingRule: false };
    case 'text':
      return textElements(block.lines);
  }
}

/**
 * Markdown as Adaptive Card elements Teams renders readably: paragraphs and lists as Markdown
 * TextBlocks (Teams' card Markdown: bold, italic, lists, links), headings as bold text, fenced
 * code as monospace text runs, GFM tables as `Table` elements, rules as separators. Text is
 * neutralised first (see {@link neutralizeTeamsText}); code is shown exactly as written.
 */
export function markdownElements(markdown: string): CardElement[] {
  const out: CardElement[] = [];
  let rule = false;
  for (const block of parseMarkdownBlocks(markdown, { tables: true })) {
    const { elements, trailingRule } = blockElements(block);
    const [first, ...rest] = elements;
    if (first !== undefined) {
      out.push(rule ? { ...first, separator: true } : first, ...rest);
      rule = false;
    }
    rule ||= trailingRule;
  }
  return out;
}

/** One plan section as the model wrote it. */
export interface SectionInput {
  readonly title: string;
  readonly number: number;
  readonly markdown: string;
  readonly language: Language;
  /** Shown under the last card, e.g. what the section still misses. */
  readonly footer?: string | undefined;
}

function sectionCardsWithin(input: SectionInput, budget: number): AdaptiveCard[] {
  const label = `${input.number}. ${input.title.replace(/\s+/gu, ' ').trim()}`;
  const body = input.markdown
    .replace(/\r\n?/gu, '\n')
    .replace(/^(?:[ \t]*\n)+/u, '')
    .trimEnd();
  const chunks = body === '' ? [''] : packMarkdown(body, budget, { tables: true });
  const t = TEAMS_TEXTS[input.language];
  return chunks.map((chunk, index) => {
    const heading =
      index === 0
        ? title(label, { size: 'large' })
        : title(`${label} (${t.continued} ${index + 1}/${chunks.length})`, { isSubtle: true });
    const footer =
      input.footer !== undefined && index === chunks.length - 1
        ? [text(neutralizeTeamsText(input.footer), { isSubtle: true, size: 'small', separator: true })]
        : [];
    return adaptiveCard([heading, ...markdownElements(chunk), ...footer]);
  });
}

/**
 * A plan section as one or more cards, each under {@link MAX_CARD_BYTES}: split on paragraph
 * boundaries (never inside code or a table; long code or tables repeat their fence/header),
 * continuation cards titled "N. Title (continued k/n)".
 */
export function sectionCards(input: SectionInput): AdaptiveCard[] {
  // Card JSON costs more than the Markdown (escapes, element wrappers, multi-byte text): start
  // with a character budget that usually fits and shrink it until every card does.
  for (let budget = 12_000; ; budget = Math.floor(budget * 0.7)) {
    const cards = sectionCardsWithin(input, Math.max(budget, MIN_CHUNK_CHARS));
    if (cards.every((card) => cardBytes(card) <= MAX_CARD_BYTES) || budget <= MIN_CHUNK_CHARS) return cards;
  }
}
