import {
  closesFence,
  isBlank,
  isThematicBreak,
  matchSectionTitle,
  MAX_HEADING_LENGTH,
  openFence,
  parseHeadingLine,
  type Fence,
} from './section-heading.ts';
import type { SectionDefinition, SectionKey } from './section-keys.ts';

/** One section found in a model's answer; `heading` is the trimmed heading line as written. */
export interface FoundSection {
  key: SectionKey;
  heading: string;
  markdown: string;
}

/** A model's answer split up: text before the first section, the sections in order, closing text. */
export interface SplitResult {
  preamble: string;
  sections: FoundSection[];
  epilogue: string;
}

/** Receives sections while an answer streams in; deltas of a section concatenate to its markdown. */
export interface SectionListener {
  onSectionStart(key: SectionKey, heading: string): void;
  onSectionDelta(key: SectionKey, text: string): void;
  onSectionComplete(key: SectionKey, markdown: string): void;
}

/** An incremental splitter: `push` streamed text in any pieces, then `end` once. */
export interface SectionStream {
  push(delta: string): void;
  end(): SplitResult;
}

/** Text after the last horizontal rule longer than this stays in the last section. */
export const EPILOGUE_MAX_LENGTH = 600;

type LineKind = 'blank' | 'break' | 'fence' | 'text';

/** Tracks fenced code across lines so that nothing inside a fence is taken for structure. */
function classify(line: string, fence: Fence | null): { kind: LineKind; fence: Fence | null } {
  if (fence) {
    return { kind: isBlank(line) ? 'blank' : 'text', fence: closesFence(line, fence) ? null : fence };
  }
  const opened = openFence(line);
  if (opened) return { kind: 'fence', fence: opened };
  if (isBlank(line)) return { kind: 'blank', fence: null };
  return { kind: isThematicBreak(line) ? 'break' : 'text', fence: null };
}

/** Lines that make text after a rule more than a closing remark: headings, tables, code. */
function endsEpilogue(line: string, kind: LineKind): boolean {
  return kind === 'fence' || /^ {0,3}#{1,6}(?:\s|$)/.test(line) || /^\s*\|/.test(line);
}

/**
 * Drops leading blank lines and trailing whitespace. The first line keeps its indentation: in
 * seed-style bodies every item is indented, and unindenting only the first would nest the rest.
 */
function trimBlock(text: string): string {
  return text.replace(/^\s*\n/, '').trimEnd();
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/**
 * Final markdown of a body: trailing rules and blank lines dropped (models put `---` between
 * sections), then `trimBlock`. For the last section, a short remark after its last rule is the
 * epilogue, provided the section has content before that rule.
 */
function finishBody(raw: string, isLast: boolean): { markdown: string; epilogue: string } {
  // Lines are classified without a stray \r but kept as received, as the stream emits them.
  const lines = raw.split('\n');
  const kinds: LineKind[] = [];
  let fence: Fence | null = null;
  for (const line of lines) {
    const next = classify(stripCr(line), fence);
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

// Enough of an unfinished line's start to tell prose from a heading, rule or fence.
const HEAD_LENGTH = 4 * MAX_HEADING_LENGTH;

/** True when an unfinished line (its first HEAD_LENGTH characters) can be no heading, rule or fence. */
function isSurelyProse(partial: string): boolean {
  const text = partial.trim();
  return text.length > MAX_HEADING_LENGTH && !/^[`~]/.test(text) && /[^-*_\s]/.test(text);
}

/** An open section: its raw body, and what is held back from the listener until it is decided. */
interface OpenSection {
  readonly key: SectionKey;
  readonly heading: string;
  raw: string;
  /** Received but not yet emitted: trailing whitespace, or a rule and the text after it. */
  pending: string;
  /** Text after the last held rule, while it can still turn out to be the epilogue. */
  afterRule: string | null;
  emitted: boolean;
  /** Characters of the unfinished line already emitted (long prose lines stream early). */
  partialSent: number;
}

const NOOP_LISTENER: SectionListener = {
  onSectionStart: () => undefined,
  onSectionDelta: () => undefined,
  onSectionComplete: () => undefined,
};

/**
 * Creates an incremental splitter. Headings are only decided on complete lines (or at `end`),
 * so a section never starts on a partial line. Deltas hold back whatever the final markdown
 * may drop (trailing whitespace, a trailing rule, a possible epilogue), so a section's deltas
 * always concatenate to the markdown passed to `onSectionComplete`.
 */
export function createSectionStream(sections: readonly SectionDefinition[], listener: SectionListener): SectionStream {
  const found: FoundSection[] = [];
  const seen = new Set<SectionKey>();
  // The unfinished line, in pieces: joining it on every push would be quadratic for long lines.
  let lineParts: string[] = [];
  let lineHead = '';
  // A delta ending in \r may be half of a CRLF; it waits for the next delta.
  let heldCr = false;
  let fence: Fence | null = null;
  let rank: number | null = null;
  let lastNumber: number | null = null;
  let preambleRaw = '';
  let current: OpenSection | null = null;
  let ended = false;

  // Emits pending text, keeping trailing whitespace back; leading blank lines of a body are dropped.
  const flush = (section: OpenSection): void => {
    const text = section.pending.trimEnd();
    section.pending = section.pending.slice(text.length);
    const out = section.emitted ? text : trimBlock(text);
    if (out === '') return;
    section.emitted = true;
    listener.onSectionDelta(section.key, out);
  };

  const close = (section: OpenSection, isLast: boolean): string => {
    const tail = section.afterRule?.trim() ?? '';
    // A held rule with text after it is section content unless it becomes the epilogue.
    if (tail !== '' && !(isLast && section.emitted)) flush(section);
    const { markdown, epilogue } = finishBody(section.raw, isLast);
    found.push({ key: section.key, heading: section.heading, markdown });
    listener.onSectionComplete(section.key, markdown);
    return epilogue;
  };

  /** The section a complete line starts, applying the once-only, level and numbering rules. */
  const recognise = (line: string): SectionKey | null => {
    const heading = parseHeadingLine(line);
    const match = heading && matchSectionTitle(heading, sections);
    if (!heading || !match || seen.has(match.section.key)) return null;
    // Deeper than the first section heading: a sub-heading inside a section.
    if (rank !== null && heading.rank > rank) return null;
    // A number that is not the section's own is accepted only while numbering moves forward
    // (models renumber after skipping a section); "4. Security" inside "4. Implementation" is not.
    const foreignNumber = heading.number !== null && !match.numberMatches;
    if (foreignNumber && lastNumber !== null && heading.number <= lastNumber) return null;
    rank ??= heading.rank;
    if (heading.number !== null) lastNumber = heading.number;
    return match.section.key;
  };

  const appendBody = (section: OpenSection, raw: string, line: string, kind: LineKind): void => {
    section.raw += raw;
    const fresh = raw.slice(section.partialSent);
    section.partialSent = 0;
    if (kind === 'break') {
      // A new rule: text held after the previous one turned out to be content.
      if (section.afterRule !== null && section.afterRule.trim() !== '') flush(section);
      section.pending += fresh;
      section.afterRule = '';
      return;
    }
    section.pending += fresh;
    if (section.afterRule !== null) {
      section.afterRule += fresh;
      if (kind === 'blank') return;
      if (!endsEpilogue(line, kind) && section.afterRule.trim().length <= EPILOGUE_MAX_LENGTH) return;
      section.afterRule = null;
    }
    flush(section);
  };

  const processLine = (raw: string): void => {
    const line = stripCr(raw.endsWith('\n') ? raw.slice(0, -1) : raw);
    const next = classify(line, fence);
    const key = next.kind === 'text' && fence === null ? recognise(line) : null;
    fence = next.fence;
    if (key) {
      if (current) close(current, false);
      const heading = line.trim();
      seen.add(key);
      current = { key, heading, raw: '', pending: '', afterRule: null, emitted: false, partialSent: 0 };
      listener.onSectionStart(key, heading);
    } else if (current) {
      appendBody(current, raw, line, next.kind);
    } else {
      preambleRaw += raw;
    }
  };

  // A long unfinished line that cannot become a heading, rule or fence is streamed right away.
  const emitPartial = (tail: string): void => {
    const section = current;
    if (!section || section.afterRule !== null) return;
    let fresh = tail;
    if (section.partialSent === 0) {
      if (!isSurelyProse(lineHead)) return;
      fresh = lineParts.join('');
    }
    if (fresh === '') return;
    section.pending += fresh;
    section.partialSent += fresh.length;
    flush(section);
  };

  return {
    push(delta: string): void {
      if (ended) throw new Error('createSectionStream: push() after end()');
      let text = heldCr ? `\r${delta}` : delta;
      heldCr = text.endsWith('\r');
      // CRLF becomes LF so that streamed deltas and the final markdown agree byte for byte.
      text = (heldCr ? text.slice(0, -1) : text).replaceAll('\r\n', '\n');
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        lineParts.push(text.slice(start, nl + 1));
        const raw = lineParts.join('');
        lineParts = [];
        lineHead = '';
        processLine(raw);
        start = nl + 1;
      }
      const tail = text.slice(start);
      if (tail === '') return;
      lineParts.push(tail);
      if (lineHead.length < HEAD_LENGTH) lineHead += tail.slice(0, HEAD_LENGTH - lineHead.length);
      emitPartial(tail);
    },
    end(): SplitResult {
      if (ended) throw new Error('createSectionStream: end() called twice');
      ended = true;
      const rest = lineParts.join('') + (heldCr ? '\r' : '');
      if (rest !== '') processLine(rest);
      const epilogue = current ? close(current, true) : '';
      return { preamble: finishBody(preambleRaw, false).markdown, sections: found, epilogue };
    },
  };
}

/** Splits a complete answer into preamble, the sections found (in order of appearance) and epilogue. */
export function splitSections(text: string, sections: readonly SectionDefinition[]): SplitResult {
  const stream = createSectionStream(sections, NOOP_LISTENER);
  stream.push(text);
  return stream.end();
}
