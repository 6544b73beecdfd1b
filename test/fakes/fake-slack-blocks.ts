/**
 * Block Kit and view limits as Slack enforces them, phrased the way Slack's
 * schema validator reports them (`must be less than 3001 characters
 * [json-pointer:/blocks/0/text/text]`). Each limit cites the page it comes from.
 * Lengths are counted in Unicode code points, as Slack counts "characters".
 */
import { isRecord } from './fake-slack-wire.ts';

/** https://docs.slack.dev/reference/block-kit/blocks — "up to 50 blocks in each message, and 100 blocks in modals or Home tabs". */
export const MAX_MESSAGE_BLOCKS = 50;
export const MAX_VIEW_BLOCKS = 100;
/** chat.postMessage: "Slack will truncate messages containing more than 40,000 characters"; the API answers msg_too_long. */
export const MAX_MESSAGE_TEXT = 40_000;

// https://docs.slack.dev/reference/block-kit/blocks/section-block — text 3000; fields: 10 items, 2000 each.
const SECTION_TEXT = 3000;
const SECTION_FIELDS = 10;
const SECTION_FIELD_TEXT = 2000;
// https://docs.slack.dev/reference/block-kit/blocks/header-block — text 150.
const HEADER_TEXT = 150;
// https://docs.slack.dev/reference/block-kit/blocks/context-block — elements: maximum 10 items.
const CONTEXT_ELEMENTS = 10;
// https://docs.slack.dev/reference/block-kit/blocks/markdown-block — "The cumulative limit for all
// markdown blocks in a single payload is 12,000 characters" (so one block is capped at 12,000 too).
const MARKDOWN_TEXT = 12_000;
// https://docs.slack.dev/reference/block-kit/blocks/actions-block — "a maximum of 25 elements".
const ACTIONS_ELEMENTS = 25;
/** context_actions: feedback_buttons and icon_button elements only, at most 5 (docs.slack.dev/reference/block-kit/blocks/context-actions-block). */
const CONTEXT_ACTIONS_ELEMENTS = 5;
const CONTEXT_ACTIONS_TYPES = new Set(['feedback_buttons', 'icon_button']);
/** A feedback button's value (docs.slack.dev/reference/block-kit/block-elements/feedback-buttons-element). */
const FEEDBACK_VALUE = 2000;
// Every block page: block_id max 255, unique per message/view.
const BLOCK_ID = 255;
// https://docs.slack.dev/reference/block-kit/block-elements/button-element — text 75, action_id 255.
const BUTTON_TEXT = 75;
const ACTION_ID = 255;
// https://docs.slack.dev/reference/block-kit/blocks/input-block — label 2000.
const INPUT_LABEL = 2000;
// https://docs.slack.dev/reference/block-kit/block-elements/plain-text-input-element — max_length 1..3000, min_length 0..3000.
const TEXT_INPUT_LENGTH = 3000;
// https://docs.slack.dev/reference/views/modal-views — title/submit/close 24, private_metadata 3000, callback_id 255.
const VIEW_BUTTON_TEXT = 24;
const PRIVATE_METADATA = 3000;
const CALLBACK_ID = 255;

/** Slack's notion of characters: code points, so an emoji counts once. */
export function charCount(text: string): number {
  return Array.from(text).length;
}

function tooLong(max: number, pointer: string): string {
  return `must be less than ${max + 1} characters [json-pointer:${pointer}]`;
}

function stringAt(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

/** The `text` of a text object such as `{ type: 'plain_text', text }`. */
function textObjectText(value: unknown): string | undefined {
  return isRecord(value) ? stringAt(value, 'text') : undefined;
}

class Checker {
  readonly problems: string[] = [];
  readonly blockIds = new Set<string>();
  markdownChars = 0;
  /** A single over-long markdown block is reported on its own, not again as the cumulative overflow. */
  markdownBlockTooLong = false;

  length(value: string | undefined, max: number, pointer: string): void {
    if (value !== undefined && charCount(value) > max) this.problems.push(tooLong(max, pointer));
  }

  items(value: unknown, max: number, pointer: string): unknown[] {
    if (!Array.isArray(value)) return [];
    if (value.length > max) this.problems.push(`no more than ${max} items allowed [json-pointer:${pointer}]`);
    return value;
  }

  element(element: unknown, pointer: string): void {
    if (!isRecord(element)) return;
    this.length(stringAt(element, 'action_id'), ACTION_ID, `${pointer}/action_id`);
    const type = element['type'];
    if (type === 'button') this.length(textObjectText(element['text']), BUTTON_TEXT, `${pointer}/text/text`);
    if (type === 'feedback_buttons') {
      for (const side of ['positive_button', 'negative_button'])
        this.feedbackButton(element[side], `${pointer}/${side}`);
    }
    if (type === 'plain_text_input') {
      this.bounded(element['max_length'], 1, TEXT_INPUT_LENGTH, `${pointer}/max_length`);
      this.bounded(element['min_length'], 0, TEXT_INPUT_LENGTH, `${pointer}/min_length`);
    }
    // A file_input takes 1 to 10 files; Slack refuses other counts.
    if (type === 'file_input') this.bounded(element['max_files'], 1, 10, `${pointer}/max_files`);
    if (type === 'number_input' && typeof element['is_decimal_allowed'] !== 'boolean') {
      this.problems.push(`missing required field: is_decimal_allowed [json-pointer:${pointer}]`);
    }
  }

  /** One side of feedback_buttons: a plain_text text of at most 75 characters and a value, both required. */
  feedbackButton(button: unknown, pointer: string): void {
    if (!isRecord(button)) {
      this.problems.push(`missing required field: ${pointer.split('/').at(-1) ?? ''} [json-pointer:${pointer}]`);
      return;
    }
    const text = button['text'];
    if (!isRecord(text) || text['type'] !== 'plain_text' || typeof text['text'] !== 'string') {
      this.problems.push(`must be a plain_text text object [json-pointer:${pointer}/text]`);
    } else this.length(text['text'], BUTTON_TEXT, `${pointer}/text/text`);
    const value = stringAt(button, 'value');
    if (value === undefined) this.problems.push(`missing required field: value [json-pointer:${pointer}/value]`);
    this.length(value, FEEDBACK_VALUE, `${pointer}/value`);
    this.length(stringAt(button, 'accessibility_label'), BUTTON_TEXT, `${pointer}/accessibility_label`);
  }

  bounded(value: unknown, min: number, max: number, pointer: string): void {
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`must be an integer between ${min} and ${max} [json-pointer:${pointer}]`);
    }
  }

  block(block: unknown, pointer: string): void {
    if (!isRecord(block)) {
      this.problems.push(`must provide an object [json-pointer:${pointer}]`);
      return;
    }
    const blockId = stringAt(block, 'block_id');
    if (blockId !== undefined) {
      this.length(blockId, BLOCK_ID, `${pointer}/block_id`);
      if (this.blockIds.has(blockId)) {
        this.problems.push(`block_id "${blockId}" is already used by another block [json-pointer:${pointer}/block_id]`);
      }
      this.blockIds.add(blockId);
    }
    switch (block['type']) {
      case 'section': {
        this.length(textObjectText(block['text']), SECTION_TEXT, `${pointer}/text/text`);
        const fields = this.items(block['fields'], SECTION_FIELDS, `${pointer}/fields`);
        fields.forEach((field, i) =>
          this.length(textObjectText(field), SECTION_FIELD_TEXT, `${pointer}/fields/${i}/text`),
        );
        this.element(block['accessory'], `${pointer}/accessory`);
        break;
      }
      case 'header':
        this.length(textObjectText(block['text']), HEADER_TEXT, `${pointer}/text/text`);
        break;
      case 'context':
        this.items(block['elements'], CONTEXT_ELEMENTS, `${pointer}/elements`);
        break;
      case 'markdown': {
        const text = stringAt(block, 'text') ?? '';
        this.length(text, MARKDOWN_TEXT, `${pointer}/text`);
        this.markdownBlockTooLong ||= charCount(text) > MARKDOWN_TEXT;
        this.markdownChars += charCount(text);
        break;
      }
      case 'actions':
        this.items(block['elements'], ACTIONS_ELEMENTS, `${pointer}/elements`).forEach((element, i) =>
          this.element(element, `${pointer}/elements/${i}`),
        );
        break;
      case 'context_actions':
        this.items(block['elements'], CONTEXT_ACTIONS_ELEMENTS, `${pointer}/elements`).forEach((element, i) => {
          const type = isRecord(element) ? element['type'] : undefined;
          if (typeof type !== 'string' || !CONTEXT_ACTIONS_TYPES.has(type)) {
            this.problems.push(
              `unsupported element type in context_actions [json-pointer:${pointer}/elements/${i}/type]`,
            );
          }
          this.element(element, `${pointer}/elements/${i}`);
        });
        break;
      case 'input':
        this.length(textObjectText(block['label']), INPUT_LABEL, `${pointer}/label/text`);
        this.element(block['element'], `${pointer}/element`);
        break;
      default:
        break;
    }
  }

  blocks(blocks: unknown, pointer: string, maxBlocks: number): void {
    if (!Array.isArray(blocks)) {
      this.problems.push(`must provide an array [json-pointer:${pointer}]`);
      return;
    }
    this.items(blocks, maxBlocks, pointer).forEach((block, i) => this.block(block, `${pointer}/${i}`));
    if (this.markdownChars > MARKDOWN_TEXT && !this.markdownBlockTooLong) {
      this.problems.push(
        `cumulative text of all markdown blocks (${this.markdownChars}) must be less than ${MARKDOWN_TEXT + 1} characters [json-pointer:${pointer}]`,
      );
    }
  }
}

/** Problems with a message's `blocks` (empty when Slack would accept them). */
export function messageBlockProblems(blocks: unknown): string[] {
  const checker = new Checker();
  checker.blocks(blocks, '/blocks', MAX_MESSAGE_BLOCKS);
  return checker.problems;
}

/** Problems with a `view` argument; `expectedType` is `modal` for open/push/update, `home` for publish. */
export function viewProblems(view: unknown, expectedType: 'modal' | 'home' | 'any'): string[] {
  const checker = new Checker();
  if (!isRecord(view)) return ['must provide an object [json-pointer:/view]'];
  const type = view['type'];
  const allowed = expectedType === 'any' ? ['modal', 'home'] : [expectedType];
  if (typeof type !== 'string' || !allowed.includes(type)) {
    checker.problems.push(`must be one of ${allowed.join(', ')} [json-pointer:/view/type]`);
  }
  if (type === 'modal') {
    const title = textObjectText(view['title']);
    if (title === undefined) checker.problems.push('missing required field: title [json-pointer:/view]');
    checker.length(title, VIEW_BUTTON_TEXT, '/view/title/text');
    checker.length(textObjectText(view['submit']), VIEW_BUTTON_TEXT, '/view/submit/text');
    checker.length(textObjectText(view['close']), VIEW_BUTTON_TEXT, '/view/close/text');
    const blocks = view['blocks'];
    const hasInput = Array.isArray(blocks) && blocks.some((block) => isRecord(block) && block['type'] === 'input');
    // modal-views: "submit is required when an input block is within the blocks array".
    if (hasInput && view['submit'] === undefined)
      checker.problems.push('missing required field: submit [json-pointer:/view]');
  }
  checker.length(stringAt(view, 'private_metadata'), PRIVATE_METADATA, '/view/private_metadata');
  checker.length(stringAt(view, 'callback_id'), CALLBACK_ID, '/view/callback_id');
  checker.blocks(view['blocks'], '/view/blocks', MAX_VIEW_BLOCKS);
  // Slack leads a view's report with the schema-union failure, then the specific reasons.
  return checker.problems.length === 0
    ? []
    : ['failed to match all allowed schemas [json-pointer:/view]', ...checker.problems];
}
