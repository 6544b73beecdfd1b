// The one fence reader, line by line: for the streaming section splitter (which sees lines
// before the answer is complete), the Slack neutraliser and splitting code nested in lists.

/** An open fenced code block: its indentation, marker character and length. */
export interface Fence {
  readonly indent: string;
  readonly char: '`' | '~';
  readonly length: number;
}

/**
 * The fence a line opens (CommonMark: 3+ backticks or tildes; a backtick info string has no
 * backtick, else it is inline code). Any indentation counts: models indent fences in lists.
 */
export function openingFence(line: string): Fence | undefined {
  const match = /^([ \t]*)(`{3,}|~{3,})(.*)$/.exec(line);
  if (!match) return undefined;
  const [, indent = '', marker = '', info = ''] = match;
  if (marker.startsWith('`') && info.includes('`')) return undefined;
  return { indent, char: marker.startsWith('`') ? '`' : '~', length: marker.length };
}

/** Whether `line` closes `fence`: same character, at least as long, nothing but spaces after. */
export function closesFence(line: string, fence: Fence): boolean {
  const marker = /^[ \t]*(`{3,}|~{3,})\s*$/.exec(line)?.[1];
  return marker !== undefined && marker.startsWith(fence.char) && marker.length >= fence.length;
}
