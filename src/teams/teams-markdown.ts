import type { Language } from '../prompts/section-keys.ts';
import type { MarkedToken, Tokens } from 'marked';
import { blankLineAfter, itemMarker, markdownBlocks, ownTokens, rawLines } from '../render/markdown-blocks.ts';
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

function tableElement(table: Tokens.Table): Table {
  const width = Math.max(1, table.header.length);
  const cell = (value: string): TableCell => ({ type: 'TableCell', items: [text(neutralizeTeamsText(value) || ' ')] });
  const row = (cells: readonly Tokens.TableCell[]) => ({
    type: 'TableRow' as const,
    cells: Array.from({ length: width }, (_, index) => cell(cells[index]?.text.trim() ?? '')),
  });
  return {
    type: 'Table',
    columns: Array.from({ length: width }, () => ({ width: 1 })),
    rows: [row(table.header), ...table.rows.map(row)],
    firstRowAsHeader: true,
    gridStyle: 'accent',
  };
}

function codeElement(code: string): Container {
  // A TextRun is never read as Markdown: `*`, `_` and `<` show exactly as written.
  return {
    type: 'Container',
    style: 'emphasis',
    items: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: code || ' ', fontType: 'monospace' }] }],
  };
}

/** Collects card elements: adjacent prose shares one Markdown TextBlock; a rule separates the next element. */
class CardBody {
  readonly elements: CardElement[] = [];
  private prose: string[] = [];
  private separator = false;

  add(element: CardElement): void {
    this.flush();
    this.elements.push(this.separator ? { ...element, separator: true } : element);
    this.separator = false;
  }

  rule(): void {
    this.flush();
    this.separator = true;
  }

  write(lines: readonly string[]): void {
    this.prose.push(...lines);
  }

  flush(): void {
    if (this.prose.length === 0) return;
    const paragraph = neutralizeTeamsText(this.prose.join('\n'));
    this.prose = [];
    this.add(text(paragraph));
  }
}

/** TextBlock lists do not nest: deeper items are drawn indented, with a hollow bullet. */
function addList(body: CardBody, list: Tokens.List, depth: number): void {
  list.items.forEach((item, index) => {
    const marker = depth === 0 ? itemMarker(list, item, index) : `${'\u00a0'.repeat(Math.min(8, depth * 4))}◦`;
    let prefix = `${marker} ${item.task ? (item.checked ? '☑ ' : '☐ ') : ''}`;
    for (const child of ownTokens(item.tokens)) {
      if (child.type === 'checkbox' || child.type === 'space') continue;
      if (child.type !== 'text' && child.type !== 'paragraph') {
        addToken(body, child, depth + 1);
        continue;
      }
      const [first = '', ...rest] = child.text.split('\n').map((line) => line.trim());
      body.write([`${prefix}${first}`, ...rest]);
      prefix = '';
    }
    // Items set apart by blank lines are separate TextBlocks, as paragraphs are.
    if (blankLineAfter(item)) body.flush();
  });
}

function addToken(body: CardBody, token: MarkedToken, depth: number): void {
  switch (token.type) {
    case 'heading':
      // Emphasis markers would show literally in a text run; the heading is bold anyway.
      body.add(title(token.text.replace(/\*\*|__|`/gu, ''), { size: token.depth <= 2 ? 'medium' : 'default' }));
      return;
    case 'hr':
      body.rule();
      return;
    case 'code':
      body.add(codeElement(token.text));
      return;
    case 'table':
      body.add(tableElement(token));
      return;
    case 'blockquote': {
      const quote = neutralizeTeamsText(token.text.trim());
      body.add({ type: 'Container', style: 'emphasis', items: [text(quote, { isSubtle: true })] });
      return;
    }
    case 'list':
      addList(body, token, depth);
      return;
    case 'space':
      return;
    default:
      body.write(rawLines(token).map((line) => line.trimStart()));
  }
}

/**
 * Markdown as Adaptive Card elements: prose and lists as Markdown TextBlocks, headings as bold
 * text, code as monospace text runs (shown exactly as written), GFM tables as `Table`, quotes as
 * emphasised containers, rules as separators. Text is neutralised ({@link neutralizeTeamsText}).
 */
export function markdownElements(markdown: string): CardElement[] {
  const body = new CardBody();
  // Teams renders inline Markdown itself: the block structure is all this needs.
  for (const block of markdownBlocks(markdown, { inline: false })) {
    if (block.gap > 0) body.flush();
    addToken(body, block.token, 0);
  }
  body.flush();
  return body.elements;
}

/** One plan section as the model wrote it. */
export interface SectionInput {
  readonly title: string;
  /** Shown before the title ("3. Security"); a card that is no plan section has none. */
  readonly number?: number | undefined;
  readonly markdown: string;
  readonly language: Language;
  /** Shown under the last card, e.g. what the section still misses. */
  readonly footer?: string | undefined;
}

function sectionCardsWithin(input: SectionInput, budget: number): AdaptiveCard[] {
  const name = input.title.replace(/\s+/gu, ' ').trim();
  const label = input.number === undefined ? name : `${input.number}. ${name}`;
  const packed = packMarkdown(input.markdown, budget);
  const chunks = packed.length > 0 ? packed : [''];
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
