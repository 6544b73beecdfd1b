import { closesFence, openingFence, type Fence } from './markdown-fence.ts';
import { isThematicBreak } from './section-heading.ts';

/** Text after the last horizontal rule longer than this stays in the last section. */
export const EPILOGUE_MAX_LENGTH = 600;

/** What a line is to the splitter; nothing inside a fence is ever a break. */
export type LineKind = 'blank' | 'break' | 'fence' | 'text';

/** Tracks fenced code across lines so that nothing inside a fence is taken for structure. */
export function classifyLine(line: string, fence: Fence | undefined): { kind: LineKind; fence: Fence | undefined } {
  const blank = line.trim() === '';
  if (fence) return { kind: blank ? 'blank' : 'text', fence: closesFence(line, fence) ? undefined : fence };
  const opened = openingFence(line);
  if (opened) return { kind: 'fence', fence: opened };
  if (blank) return { kind: 'blank', fence: undefined };
  return { kind: isThematicBreak(line) ? 'break' : 'text', fence: undefined };
}

/** Lines that make text after a rule more than a closing remark: headings, tables, code. */
export function endsEpilogue(line: string, kind: LineKind): boolean {
  return kind === 'fence' || /^ {0,3}#{1,6}(?:\s|$)/.test(line) || /^\s*\|/.test(line);
}

/**
 * Drops leading blank lines and trailing whitespace. The first line keeps its indentation: in
 * seed-style bodies every item is indented, and unindenting only the first would nest the rest.
 */
export function trimBlock(text: string): string {
  return text.replace(/^\s*\n/, '').trimEnd();
}

/** The line without a trailing carriage return. */
export function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/**
 * Final markdown of a body: trailing rules and blank lines dropped (models put `---` between
 * sections), then `trimBlock`. For the last section, a short remark after its last rule is the
 * epilogue, provided the section has content before that rule.
 */
export function finishBody(raw: string, isLast: boolean): { markdown: string; epilogue: string } {
  // Lines are classified without a stray \r but kept as received, as the stream emits them.
  const lines = raw.split('\n');
  const kinds: LineKind[] = [];
  let fence: Fence | undefined;
  for (const line of lines) {
    const next = classifyLine(stripCr(line), fence);
    kinds.push(next.kind);
    fence = next.fence;
  }
  const bodyEnd = (limit: number): number => {
    let end = limit;
    while (end > 0 && (kinds[end - 1] === 'blank' || kinds[end - 1] === 'break')) end -= 1;
    return end;
  };
  const rule = kinds.lastIndexOf('break');
  if (isLast && rule >= 0) {
    const tail = lines.slice(rule + 1);
    const epilogue = trimBlock(tail.join('\n'));
    const length = epilogue.trim().length;
    const closing =
      length > 0 &&
      length <= EPILOGUE_MAX_LENGTH &&
      !tail.some((line, i) => endsEpilogue(stripCr(line), kinds[rule + 1 + i] ?? 'text'));
    const end = bodyEnd(rule);
    if (closing && end > 0) return { markdown: trimBlock(lines.slice(0, end).join('\n')), epilogue };
  }
  return { markdown: trimBlock(lines.slice(0, bodyEnd(lines.length)).join('\n')), epilogue: '' };
}
