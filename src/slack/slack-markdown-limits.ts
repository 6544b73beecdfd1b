/**
 * Slack message limits used when rendering plan sections. All lengths are counted with
 * {@link slackLength} (UTF-16 code units), which is never less than Slack's "characters"
 * whether Slack counts code points or UTF-16 units, so staying under these numbers is safe.
 */
export interface SlackLimits {
  /** Blocks in one message (docs.slack.dev/reference/block-kit/blocks: "up to 50 blocks in each message"). */
  readonly maxBlocksPerMessage: number;
  /** Text of one `markdown` block (@slack/types MarkdownBlock: "Limit 12,000 characters max"). */
  readonly maxMarkdownBlockChars: number;
  /**
   * All `markdown` block text in one payload (docs.slack.dev/reference/block-kit/blocks/markdown-block:
   * "The cumulative limit for all markdown blocks in a single payload is 12,000 characters").
   */
  readonly maxMarkdownCharsPerMessage: number;
  /**
   * All block text in one message (header + markdown + context). Not documented as such: Slack
   * rejects payloads with `msg_blocks_too_long` at roughly 13,200 characters of block text, less with
   * more block containers (slackapi/bolt-js#2509, #2867), so header and footer must fit inside the
   * same 12,000 as the markdown instead of on top of it.
   */
  readonly maxBlockTextCharsPerMessage: number;
  /** `header` block text (docs: plain_text, "Maximum length for the text in this field is 150 characters"). */
  readonly maxHeaderChars: number;
  /** `section` block text (docs: "maximum length is 3000 characters"). */
  readonly maxSectionTextChars: number;
  /** A text object in a `context` block (text objects: 3000 characters). */
  readonly maxContextTextChars: number;
  /**
   * Top-level `text` (notification fallback). Slack truncates `text` past 40,000 characters and
   * recommends keeping it to about 4,000; notifications show only the start, so 3,000 is plenty.
   */
  readonly maxFallbackTextChars: number;
}

/** The limits `sectionMessages` uses unless told otherwise (also used by the fake Slack server). */
export const DEFAULT_SLACK_LIMITS: SlackLimits = Object.freeze({
  maxBlocksPerMessage: 50,
  maxMarkdownBlockChars: 12_000,
  maxMarkdownCharsPerMessage: 12_000,
  maxBlockTextCharsPerMessage: 12_000,
  maxHeaderChars: 150,
  maxSectionTextChars: 3_000,
  maxContextTextChars: 3_000,
  maxFallbackTextChars: 3_000,
});

/**
 * Length as Slack limits are checked here: UTF-16 code units (`String#length`). An emoji such as
 * 🚀 counts 2, a precomposed umlaut counts 1. Slack does not document its unit; code units are
 * >= code points, so this can only over-count, never let a payload through that Slack rejects.
 */
export function slackLength(text: string): number {
  return text.length;
}
