/** U+2060 WORD JOINER: invisible, breaks a mention or a link pattern without changing what is read. */
export const WORD_JOINER = '\u2060';

/** One line of at most `max` characters (code points): whitespace collapsed, an ellipsis where cut. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/gu, ' ').trim());
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}
