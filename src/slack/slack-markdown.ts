import type { ContextBlock, HeaderBlock, KnownBlock, MarkdownBlock } from '@slack/types';
import { DEFAULT_SLACK_LIMITS, slackLength, type SlackLimits } from './slack-markdown-limits.ts';
import { mrkdwnFallback, truncateMrkdwn } from './slack-markdown-mrkdwn.ts';
import { defangPlainText, escapeMrkdwn, neutralizeSlackText, unneutralize } from './slack-markdown-neutralize.ts';
import { MIN_CHUNK_CHARS, packMarkdown } from '../render/markdown-split.ts';
import { SHARED_TEXTS } from '../render/shared-texts.ts';

export { DEFAULT_SLACK_LIMITS, slackLength, type SlackLimits } from './slack-markdown-limits.ts';
export { mrkdwnFallback, truncateMrkdwn } from './slack-markdown-mrkdwn.ts';
export { defangPlainText, escapeMrkdwn, neutralizeSlackText } from './slack-markdown-neutralize.ts';

/** One `chat.postMessage` payload (without channel/thread). */
export interface SlackMessagePayload {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

/** One plan section as the model wrote it. */
export interface SectionInput {
  readonly title: string;
  /** Shown before the title ("3. Security"); a message that is no plan section has none. */
  readonly number?: number | undefined;
  readonly markdown: string;
  /** Shown under the last message, e.g. "Missing: …" or a feedback prompt (Markdown). */
  readonly footer?: string | undefined;
  /** Language of the continuation line ("continued 2/3" / "Fortsetzung 2/3"); default English. */
  readonly language?: 'de' | 'en';
}

function truncatePlain(text: string, max: number): string {
  if (slackLength(text) <= max) return text;
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${text.slice(0, cut)}…`;
}

function contextBlock(text: string): ContextBlock {
  // verbatim: Slack would otherwise auto-link channel names and parse some mentions itself.
  return { type: 'context', elements: [{ type: 'mrkdwn', text, verbatim: true }] };
}

function continuationLine(label: string, part: number, total: number, language: 'de' | 'en' = 'en'): string {
  return `${escapeMrkdwn(label)} (${SHARED_TEXTS[language].continued} ${part}/${total})`;
}

function fallbackText(label: string, part: number, total: number, markdown: string, max: number): string {
  const title = escapeMrkdwn(total > 1 ? `${label} (${part}/${total})` : label);
  const room = max - slackLength(title) - 1;
  if (room < 16) return truncatePlain(title, max);
  // Only the start is shown in notifications; convert a little more than fits, then truncate.
  const body = truncateMrkdwn(mrkdwnFallback(unneutralize(markdown).slice(0, room * 2)), room);
  return body ? `${title}\n${body}` : title;
}

function groupChunks(chunks: readonly string[], maxChars: number, maxBlocks: number): string[][] {
  const groups: string[][] = [];
  let group: string[] = [];
  let length = 0;
  for (const chunk of chunks) {
    if (group.length > 0 && (length + slackLength(chunk) > maxChars || group.length >= maxBlocks)) {
      groups.push(group);
      group = [];
      length = 0;
    }
    group.push(chunk);
    length += slackLength(chunk);
  }
  groups.push(group);
  return groups;
}

/**
 * Renders one plan section as one or more Slack messages: a `header` block with "N. Title", the
 * body (neutralized, see {@link neutralizeSlackText}) in `markdown` blocks, an optional footer in
 * a `context` block under the last message. Long sections continue in further messages that open
 * with "N. Title (continued k/n)"; splits fall on blank lines, never inside a code block or table
 * (see `packMarkdown`). Every message stays within `limits` (default {@link DEFAULT_SLACK_LIMITS}).
 */
export function sectionMessages(input: SectionInput, limits: Partial<SlackLimits> = {}): SlackMessagePayload[] {
  const lim: SlackLimits = { ...DEFAULT_SLACK_LIMITS, ...limits };
  const title = input.title.replace(/\s+/g, ' ').trim();
  const label = input.number === undefined ? title : `${input.number}. ${title}`;
  const header: HeaderBlock = {
    type: 'header',
    text: { type: 'plain_text', text: truncatePlain(defangPlainText(label), lim.maxHeaderChars), emoji: true },
  };
  const shortLabel = truncatePlain(label, lim.maxHeaderChars);
  const footer = input.footer?.trim()
    ? truncateMrkdwn(mrkdwnFallback(input.footer.trim()), lim.maxContextTextChars)
    : undefined;
  // Header, continuation line and footer share the message's block-text budget with the markdown.
  const titleReserve = Math.max(
    slackLength(header.text.text),
    slackLength(continuationLine(shortLabel, 9999, 9999, 'de')),
  );
  const messageBudget = Math.min(
    lim.maxMarkdownCharsPerMessage,
    lim.maxBlockTextCharsPerMessage - titleReserve - (footer ? slackLength(footer) : 0),
  );
  const blockBudget = Math.min(lim.maxMarkdownBlockChars, messageBudget);
  if (blockBudget < MIN_CHUNK_CHARS) throw new RangeError(`no room for section text within limits (${blockBudget})`);
  const fixedBlocks = 1 + (footer ? 1 : 0);
  if (lim.maxBlocksPerMessage <= fixedBlocks) throw new RangeError('maxBlocksPerMessage leaves no room for text');

  // CRLF first: the neutraliser reads fences line by line.
  const chunks = packMarkdown(neutralizeSlackText(input.markdown.replace(/\r\n?/g, '\n')), blockBudget);
  const groups = groupChunks(chunks, messageBudget, lim.maxBlocksPerMessage - fixedBlocks);
  return groups.map((group, index) => {
    const part = index + 1;
    const blocks: KnownBlock[] = [
      index === 0 ? header : contextBlock(continuationLine(shortLabel, part, groups.length, input.language)),
    ];
    blocks.push(...group.map((text): MarkdownBlock => ({ type: 'markdown', text })));
    if (footer && part === groups.length) blocks.push(contextBlock(footer));
    const text = fallbackText(shortLabel, part, groups.length, group.join('\n\n'), lim.maxFallbackTextChars);
    return { text, blocks };
  });
}
