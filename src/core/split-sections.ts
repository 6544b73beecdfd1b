import type { Fence } from './markdown-fence.ts';
import {
  classifyLine,
  EPILOGUE_MAX_LENGTH,
  endsEpilogue,
  finishBody,
  stripCr,
  trimBlock,
  type LineKind,
} from './section-body.ts';
import { matchSectionTitle, MAX_HEADING_LENGTH, parseHeadingLine } from './section-heading.ts';
import type { SectionDefinition, SectionKey } from '../prompts/section-keys.ts';

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

/** What the splitter knows between lines: the sections found so far and the one still open. */
interface StreamState {
  readonly sections: readonly SectionDefinition[];
  readonly listener: SectionListener;
  readonly found: FoundSection[];
  readonly seen: Set<SectionKey>;
  fence?: Fence | undefined;
  /** Rank of the first section heading; deeper headings are sub-headings. */
  rank?: number;
  lastNumber?: number;
  preambleRaw: string;
  current?: OpenSection;
}

/** The unfinished line, in pieces: joining it on every push would be quadratic for long lines. */
interface LineBuffer {
  parts: string[];
  /** Its first HEAD_LENGTH characters, enough to tell prose from structure. */
  head: string;
  /** A delta ending in \r may be half of a CRLF; it waits for the next delta. */
  heldCr: boolean;
}

/** Emits pending text, keeping trailing whitespace back; leading blank lines of a body are dropped. */
function flush(section: OpenSection, listener: SectionListener): void {
  const text = section.pending.trimEnd();
  section.pending = section.pending.slice(text.length);
  const out = section.emitted ? text : trimBlock(text);
  if (out === '') return;
  section.emitted = true;
  listener.onSectionDelta(section.key, out);
}

/** Completes a section; returns the epilogue its last rule set apart (only when `isLast`). */
function close(state: StreamState, section: OpenSection, isLast: boolean): string {
  const tail = section.afterRule?.trim() ?? '';
  // A held rule with text after it is section content unless it becomes the epilogue.
  if (tail !== '' && !(isLast && section.emitted)) flush(section, state.listener);
  const { markdown, epilogue } = finishBody(section.raw, isLast);
  state.found.push({ key: section.key, heading: section.heading, markdown });
  state.listener.onSectionComplete(section.key, markdown);
  return epilogue;
}

/** The section a complete line starts, applying the once-only, level and numbering rules. */
function recognise(state: StreamState, line: string): SectionKey | null {
  const heading = parseHeadingLine(line);
  const match = heading && matchSectionTitle(heading, state.sections);
  if (!heading || !match || state.seen.has(match.section.key)) return null;
  // Deeper than the first section heading: a sub-heading inside a section.
  if (state.rank !== undefined && heading.rank > state.rank) return null;
  // A number that is not the section's own is accepted only while numbering moves forward
  // (models renumber after skipping a section); "4. Security" inside "4. Implementation" is not.
  const foreignNumber = heading.number !== null && !match.numberMatches;
  if (foreignNumber && state.lastNumber !== undefined && heading.number <= state.lastNumber) return null;
  state.rank ??= heading.rank;
  if (heading.number !== null) state.lastNumber = heading.number;
  return match.section.key;
}

function appendBody(section: OpenSection, raw: string, line: string, kind: LineKind, listener: SectionListener): void {
  section.raw += raw;
  const fresh = raw.slice(section.partialSent);
  section.partialSent = 0;
  if (kind === 'break') {
    // A new rule: text held after the previous one turned out to be content.
    if (section.afterRule !== null && section.afterRule.trim() !== '') flush(section, listener);
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
  flush(section, listener);
}

function processLine(state: StreamState, raw: string): void {
  const line = stripCr(raw.endsWith('\n') ? raw.slice(0, -1) : raw);
  const next = classifyLine(line, state.fence);
  const key = next.kind === 'text' && state.fence === undefined ? recognise(state, line) : null;
  state.fence = next.fence;
  if (key) {
    if (state.current) close(state, state.current, false);
    const heading = line.trim();
    state.seen.add(key);
    state.current = { key, heading, raw: '', pending: '', afterRule: null, emitted: false, partialSent: 0 };
    state.listener.onSectionStart(key, heading);
  } else if (state.current) {
    appendBody(state.current, raw, line, next.kind, state.listener);
  } else {
    state.preambleRaw += raw;
  }
}

/** A long unfinished line that cannot become a heading, rule or fence is streamed right away. */
function emitPartial(state: StreamState, buffer: LineBuffer, tail: string): void {
  const section = state.current;
  if (!section || section.afterRule !== null) return;
  let fresh = tail;
  if (section.partialSent === 0) {
    if (!isSurelyProse(buffer.head)) return;
    fresh = buffer.parts.join('');
  }
  if (fresh === '') return;
  section.pending += fresh;
  section.partialSent += fresh.length;
  flush(section, state.listener);
}

/** Feeds the complete lines of a delta to the splitter and buffers the unfinished rest. */
function pushDelta(state: StreamState, buffer: LineBuffer, delta: string): void {
  let text = buffer.heldCr ? `\r${delta}` : delta;
  buffer.heldCr = text.endsWith('\r');
  // CRLF becomes LF so that streamed deltas and the final markdown agree byte for byte.
  text = (buffer.heldCr ? text.slice(0, -1) : text).replaceAll('\r\n', '\n');
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
    buffer.parts.push(text.slice(start, nl + 1));
    const raw = buffer.parts.join('');
    buffer.parts = [];
    buffer.head = '';
    processLine(state, raw);
    start = nl + 1;
  }
  const tail = text.slice(start);
  if (tail === '') return;
  buffer.parts.push(tail);
  if (buffer.head.length < HEAD_LENGTH) buffer.head += tail.slice(0, HEAD_LENGTH - buffer.head.length);
  emitPartial(state, buffer, tail);
}

/**
 * Creates an incremental splitter. Headings are only decided on complete lines (or at `end`),
 * so a section never starts on a partial line. Deltas hold back whatever the final markdown
 * may drop (trailing whitespace, a trailing rule, a possible epilogue), so a section's deltas
 * always concatenate to the markdown passed to `onSectionComplete`.
 */
export function createSectionStream(sections: readonly SectionDefinition[], listener: SectionListener): SectionStream {
  const state: StreamState = { sections, listener, found: [], seen: new Set(), preambleRaw: '' };
  const buffer: LineBuffer = { parts: [], head: '', heldCr: false };
  let ended = false;
  return {
    push(delta: string): void {
      if (ended) throw new Error('createSectionStream: push() after end()');
      pushDelta(state, buffer, delta);
    },
    end(): SplitResult {
      if (ended) throw new Error('createSectionStream: end() called twice');
      ended = true;
      const rest = buffer.parts.join('') + (buffer.heldCr ? '\r' : '');
      if (rest !== '') processLine(state, rest);
      const epilogue = state.current ? close(state, state.current, true) : '';
      return { preamble: finishBody(state.preambleRaw, false).markdown, sections: state.found, epilogue };
    },
  };
}

/** Splits a complete answer into preamble, the sections found (in order of appearance) and epilogue. */
export function splitSections(text: string, sections: readonly SectionDefinition[]): SplitResult {
  const stream = createSectionStream(sections, NOOP_LISTENER);
  stream.push(text);
  return stream.end();
}
