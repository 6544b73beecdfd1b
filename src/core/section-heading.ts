import type { SectionDefinition } from '../prompts/section-keys.ts';

/** Longest trimmed line that can still be a section heading; anything longer is prose. */
export const MAX_HEADING_LENGTH = 160;

/** Rank of bold and plain upper-case heading lines: they nest inside every `#` level. */
export const LINE_HEADING_RANK = 7;

/** A line that is written like a heading; `rank` is 1–6 for `#`–`######`, 7 for bold/plain lines. */
export interface HeadingCandidate {
  readonly style: 'atx' | 'bold' | 'plain';
  readonly rank: number;
  readonly number: number | null;
  readonly title: string;
}

/** The section a heading names; `numberMatches` is true when its number equals the section's. */
export interface TitleMatch {
  readonly section: SectionDefinition;
  readonly numberMatches: boolean;
}

// "Section 3:", "Abschnitt 3 –", "3.", "3)", "3:", "3 -", "3 ": the number models put before a title.
const NUMBER_PREFIX =
  /^(?:(?:section|abschnitt|kapitel|chapter|part|teil)\s+)?(\d{1,2})(?:\s*[.):\-–—]\s*|\s+)(?=\S)/iu;
// Suffixes that start like this are a title's continuation ("& Recommendations", "(Security)").
const SEPARATED_SUFFIX = /^(?:[&+/([:|,\-–—]|(?:and|und|sowie)(?![\p{L}\p{N}]))/iu;
const MAX_SEPARATED_SUFFIX_WORDS = 6;
const MAX_LOOSE_SUFFIX_WORDS = 2;

/**
 * Folds a title for comparison: case, umlauts (ä ~ ae ~ a), ß, accents, spaces and punctuation.
 * Lossy on purpose: both sides go through it, and titles are too few to collide.
 */
export function normalizeTitle(text: string): string {
  return text
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]/gu, '')
    .replace(/([aou])e/g, '$1');
}

/** True for a Markdown thematic break (`---`, `***`, `___`, `- - -`). */
export function isThematicBreak(line: string): boolean {
  return /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/.test(line);
}

/**
 * Reads a line written like a heading: `#`-headings of any level, a line that is entirely bold
 * (`**…**`, `__…__`, optional colon), or a plain upper-case line (`1. ARCHITEKTUR-ANALYSE:`).
 * Emoji, emphasis and a leading number ("3.", "3)", "Section 3:") are peeled off the title.
 * Returns null for anything else, including lines indented 4+ spaces (code or nested lists).
 */
export function parseHeadingLine(line: string): HeadingCandidate | null {
  const text = line.trim();
  if (text === '' || text.length > MAX_HEADING_LENGTH || /^(?: {4}|\t)/.test(line)) return null;
  const atx = /^(#{1,6})(?:\s+(.*?))?(?:\s+#+)?$/.exec(text);
  if (atx) return candidate('atx', atx[1]?.length ?? 1, atx[2] ?? '');
  const bold = /^(\*\*|__)\*?((?:(?!\1).)+?)\*?\1\s*:?$/u.exec(text);
  if (bold) return candidate('bold', LINE_HEADING_RANK, bold[2] ?? '');
  // Plain lines must shout: mixed-case numbered lines are list items ("1. REST vs GraphQL").
  const upper = text.match(/\p{Lu}/gu)?.length ?? 0;
  if (/^[\p{L}\p{N}]/u.test(text) && !/\p{Ll}/u.test(text) && upper >= 3) {
    return candidate('plain', LINE_HEADING_RANK, text);
  }
  return null;
}

function candidate(style: HeadingCandidate['style'], rank: number, inner: string): HeadingCandidate | null {
  let title = stripLeading(inner.replace(/[\uFE0F\u20E3`]/gu, '').replace(/\*+|_{2,}/g, ''));
  let number: number | null = null;
  const prefix = NUMBER_PREFIX.exec(title);
  if (prefix) {
    number = Number(prefix[1]);
    title = stripLeading(title.slice(prefix[0].length));
  }
  // Trailing colons, dots and emoji are decoration; a closing bracket belongs to "(Security)".
  title = title.replace(/[^\p{L}\p{N})\]]+$/u, '');
  return title === '' ? null : { style, rank, number, title };
}

function stripLeading(text: string): string {
  return text.replace(/^[^\p{L}\p{N}]+/u, '');
}

/**
 * Finds the section a heading names. A title matches a name (the section's `title` or an alias)
 * when it starts with it word for word (after normalisation) and what follows is empty, a
 * separated suffix of up to 6 words ("& Recommendations", "(Security)", ": TLS & Secrets"), or
 * up to 2 loose words ("Security Considerations"). When the heading's number equals the
 * section's, a German compound also counts ("3. Sicherheitskonzept").
 * Among several matches, a matching number wins, then the longest name.
 */
export function matchSectionTitle(
  heading: HeadingCandidate,
  sections: readonly SectionDefinition[],
): TitleMatch | null {
  let best: TitleMatch | null = null;
  let bestScore = 0;
  for (const section of sections) {
    const numberMatches = heading.number === section.number;
    for (const name of [section.title, ...section.aliases]) {
      const length = matchName(heading.title, name, numberMatches);
      const score = length === 0 ? 0 : (numberMatches ? 1000 : 0) + length;
      if (score > bestScore) {
        best = { section, numberMatches };
        bestScore = score;
      }
    }
  }
  return best;
}

/** Length of the normalised name when `title` starts with it under the suffix rules, else 0. */
function matchName(title: string, name: string, allowCompound: boolean): number {
  const target = normalizeTitle(name);
  if (target === '') return 0;
  for (const word of title.matchAll(/[\p{L}\p{N}]+/gu)) {
    const end = word.index + word[0].length;
    const head = normalizeTitle(title.slice(0, end));
    const named = head === target || (allowCompound && head.startsWith(target));
    if (named && suffixAllowed(title.slice(end))) return target.length;
    if (head.length >= target.length) break;
  }
  return 0;
}

function suffixAllowed(rest: string): boolean {
  const suffix = rest.trim();
  if (suffix === '') return true;
  const words = suffix.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
  if (SEPARATED_SUFFIX.test(suffix)) return words <= MAX_SEPARATED_SUFFIX_WORDS;
  // "Security's" or "Sicherheitsaspekte" glued to the name is another word, not this title.
  return /^\s/.test(rest) && words <= MAX_LOOSE_SUFFIX_WORDS;
}
