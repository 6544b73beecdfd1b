/**
 * The subset of the Adaptive Card schema 1.5 this app builds, typed so a misspelt property is a
 * compile error. Every card is also parsed with Microsoft's `adaptivecards` package in tests.
 * @see https://adaptivecards.io/explorer/
 */

export type Spacing = 'none' | 'small' | 'default' | 'medium' | 'large';

/** What every element may carry. */
interface ElementBase {
  readonly id?: string;
  readonly spacing?: Spacing;
  readonly separator?: boolean;
}

export interface TextBlock extends ElementBase {
  readonly type: 'TextBlock';
  readonly text: string;
  readonly wrap?: boolean;
  readonly size?: 'small' | 'default' | 'medium' | 'large' | 'extraLarge';
  readonly weight?: 'lighter' | 'default' | 'bolder';
  readonly color?: 'default' | 'accent' | 'good' | 'warning' | 'attention';
  readonly isSubtle?: boolean;
  readonly style?: 'default' | 'heading';
}

/** Text runs are never parsed as Markdown: used for code, which must show as typed. */
export interface TextRun extends Pick<TextBlock, 'weight' | 'size' | 'isSubtle'> {
  readonly type: 'TextRun';
  readonly text: string;
  readonly fontType?: 'default' | 'monospace';
}

export interface RichTextBlock extends ElementBase {
  readonly type: 'RichTextBlock';
  readonly inlines: readonly TextRun[];
}

export interface FactSet extends ElementBase {
  readonly type: 'FactSet';
  readonly facts: readonly { readonly title: string; readonly value: string }[];
}

export interface Container extends ElementBase {
  readonly type: 'Container';
  readonly items: readonly CardElement[];
  readonly style?: 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';
}

export interface TableCell {
  readonly type: 'TableCell';
  readonly items: readonly CardElement[];
}

export interface Table extends ElementBase {
  readonly type: 'Table';
  readonly columns: readonly { readonly width: number }[];
  readonly rows: readonly { readonly type: 'TableRow'; readonly cells: readonly TableCell[] }[];
  readonly firstRowAsHeader?: boolean;
  readonly gridStyle?: 'default' | 'emphasis' | 'accent';
}

interface InputBase extends ElementBase {
  readonly id: string;
  readonly label: string;
  readonly isRequired?: boolean;
  readonly errorMessage?: string;
}

export interface InputText extends InputBase {
  readonly type: 'Input.Text';
  readonly maxLength?: number;
  readonly isMultiline?: boolean;
  readonly placeholder?: string;
  readonly value?: string;
  /** `Url` shows a URL keyboard and, in some clients, checks the form. */
  readonly style?: 'Text' | 'Url';
}

export interface InputNumber extends InputBase {
  readonly type: 'Input.Number';
  readonly min?: number;
  readonly max?: number;
  readonly placeholder?: string;
  readonly value?: number;
}

export interface InputChoiceSet extends InputBase {
  readonly type: 'Input.ChoiceSet';
  readonly choices: readonly { readonly title: string; readonly value: string }[];
  readonly style?: 'compact' | 'expanded';
  readonly value?: string;
}

export interface ActionSubmit {
  readonly type: 'Action.Submit';
  readonly title: string;
  readonly data?: Readonly<Record<string, unknown>>;
  readonly style?: 'default' | 'positive' | 'destructive';
  /** "none": the action sends no inputs (a Cancel button). */
  readonly associatedInputs?: 'auto' | 'none';
}

export interface ActionExecute extends Omit<ActionSubmit, 'type'> {
  readonly type: 'Action.Execute';
  readonly verb: string;
}

export type CardAction = ActionExecute | ActionSubmit;

export interface ActionSet extends ElementBase {
  readonly type: 'ActionSet';
  readonly actions: readonly CardAction[];
}

export type CardElement =
  TextBlock | RichTextBlock | FactSet | Container | Table | InputText | InputNumber | InputChoiceSet | ActionSet;

export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  readonly version: '1.5';
  readonly body: readonly CardElement[];
  readonly actions?: readonly CardAction[];
  /** Teams: use the full message width (long sections and tables read better). */
  readonly msteams?: { readonly width: 'Full' };
}

export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** A card with the schema header Teams expects. */
export function adaptiveCard(body: readonly CardElement[], actions?: readonly CardAction[]): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(actions === undefined || actions.length === 0 ? {} : { actions }),
    msteams: { width: 'Full' },
  };
}

/** The attachment that carries a card in a message activity. */
export function cardAttachment(card: AdaptiveCard) {
  return { contentType: CARD_CONTENT_TYPE, content: card };
}

/** A message activity with one card; `summary` is what notifications and previews show. */
export function cardMessage(card: AdaptiveCard, summary: string) {
  return { type: 'message' as const, summary, attachments: [cardAttachment(card)] };
}

export const text = (value: string, extra: Omit<TextBlock, 'type' | 'text'> = {}): TextBlock => ({
  type: 'TextBlock',
  text: value,
  wrap: true,
  ...extra,
});

/** A card's heading: bold, and marked as a heading for screen readers. */
export const heading = (value: string, size: 'medium' | 'large' = 'medium'): TextBlock =>
  text(value, { size, weight: 'bolder', style: 'heading' });

/**
 * A title that shows exactly as written: in a Markdown TextBlock "7. Code quality" would render
 * as an ordered-list item; a text run is never read as Markdown.
 */
export const title = (value: string, extra: Omit<TextRun, 'type' | 'text'> = {}): RichTextBlock => ({
  type: 'RichTextBlock',
  inlines: [{ type: 'TextRun', text: value, weight: 'bolder', ...extra }],
});

/**
 * Teams refuses messages above about 28 KB (the whole activity as JSON). Cards stay below this
 * many UTF-8 bytes, leaving room for the envelope the SDK adds (ids, conversation, from …).
 * @see https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages
 */
export const MAX_CARD_BYTES = 24_000;

export function cardBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
