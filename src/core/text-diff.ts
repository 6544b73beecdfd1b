import { diffLines } from 'diff';

/** One line of a readable diff: added, removed, or unchanged context. */
export interface DiffLine {
  readonly kind: '+' | '-' | ' ';
  readonly text: string;
}

/** A text's changes as lines with a little context, and how many lines each side changed. */
export interface TextDiff {
  readonly added: number;
  readonly removed: number;
  /** Changed lines with `context` unchanged lines around each run; gaps are marked by `…` context lines. */
  readonly lines: readonly DiffLine[];
  /** Changed lines left out beyond `maxLines`. */
  readonly omitted: number;
}

const splitLines = (value: string) => value.replace(/\n$/u, '').split('\n');

/**
 * A line diff (jsdiff's Myers diff) of two texts, blank lines ignored as changes, with `context`
 * unchanged lines around each change and at most `maxLines` lines in all.
 */
export function diffText(
  before: string,
  after: string,
  options: { context?: number; maxLines?: number } = {},
): TextDiff {
  const context = options.context ?? 1;
  const maxLines = options.maxLines ?? 60;
  const all: DiffLine[] = [];
  for (const part of diffLines(before.trim(), after.trim(), { ignoreWhitespace: false })) {
    const kind = part.added ? '+' : part.removed ? '-' : ' ';
    for (const text of splitLines(part.value)) all.push({ kind, text });
  }
  const changed = (line: DiffLine) => line.kind !== ' ' && line.text.trim() !== '';
  const keep = all.map((_line, index) =>
    all.slice(Math.max(0, index - context), index + context + 1).some((near) => changed(near)),
  );
  const lines: DiffLine[] = [];
  let gap = false;
  all.forEach((line, index) => {
    if (!keep[index]) {
      gap = true;
      return;
    }
    if (gap && lines.length > 0) lines.push({ kind: ' ', text: '…' });
    gap = false;
    if (line.text.trim() === '') return;
    lines.push(line);
  });
  const added = all.filter((line) => line.kind === '+' && changed(line)).length;
  const removed = all.filter((line) => line.kind === '-' && changed(line)).length;
  const shown = lines.slice(0, maxLines);
  const omitted = lines.slice(maxLines).filter((line) => line.kind !== ' ').length;
  return { added, removed, lines: shown, omitted };
}
