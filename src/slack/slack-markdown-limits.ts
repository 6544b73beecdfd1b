/** Slack message limits used when rendering plan sections, all counted with {@link slackLength}. */
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
   * All block text in one message (header + markdown + context). Undocumented: Slack answers
   * `msg_blocks_too_long` at roughly 13,200 characters, less with more blocks (slackapi/bolt-js#2509,
   * #2867), so header and footer must fit inside the markdown's 12,000, not on top of it.
   */
  readonly maxBlockTextCharsPerMessage: number;
  /** `header` block text (docs: plain_text, "Maximum length for the text in this field is 150 characters"). */
  readonly maxHeaderChars: number;
  /** A text object in a `context` block (text objects: 3000 characters). */
  readonly maxContextTextChars: number;
  /** Top-level `text` (the notification): Slack truncates past 40,000 and advises ~4,000; 3,000 is plenty. */
  readonly maxFallbackTextChars: number;
}

/** The limits `sectionMessages` uses unless told otherwise. */
export const DEFAULT_SLACK_LIMITS: SlackLimits = Object.freeze({
  maxBlocksPerMessage: 50,
  maxMarkdownBlockChars: 12_000,
  maxMarkdownCharsPerMessage: 12_000,
  maxBlockTextCharsPerMessage: 12_000,
  maxHeaderChars: 150,
  maxContextTextChars: 3_000,
  maxFallbackTextChars: 3_000,
});

/**
 * Length in UTF-16 code units (🚀 counts 2). Slack does not document its unit; code units are never
 * fewer than code points, so this can only over-count, never let through a payload Slack rejects.
 */
export function slackLength(text: string): number {
  return text.length;
}
