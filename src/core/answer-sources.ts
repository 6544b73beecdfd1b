/*
 * An answer ends with a line naming the plan sections it drew from ("Sources: §1, §3", in German
 * "Quellen: §2"). That line is for us, not for the reader: the surfaces show the sections by
 * title instead. While the answer streams, a line that may still turn out to be it is held back.
 */

/** The sources line, with Markdown emphasis or a quote marker around it tolerated. */
const SOURCES_LINE = /^[\s>*_`]*(?:sources|quellen)[\s*_`]*:(.*)$/iu;
const KEYWORDS = ['sources:', 'quellen:'];

/** Could this (unfinished) last line still become a sources line? */
function mayBecomeSources(line: string): boolean {
  const bare = line.replace(/^[\s>*_`]+/u, '').toLowerCase();
  if (bare === '') return line !== '';
  return KEYWORDS.some((keyword) => keyword.startsWith(bare) || bare.startsWith(keyword.slice(0, -1)));
}

/** The answer's text without its sources line(s), and the section numbers those lines name. */
export function splitSources(text: string): { readonly body: string; readonly numbers: readonly number[] } {
  const numbers: number[] = [];
  const kept = text.split('\n').filter((line) => {
    const match = SOURCES_LINE.exec(line);
    if (match === null) return true;
    for (const found of (match[1] ?? '').matchAll(/\d+/gu)) numbers.push(Number(found[0]));
    return false;
  });
  return { body: kept.join('\n').trim(), numbers: [...new Set(numbers)] };
}

/**
 * What of a streaming answer can be shown now: everything but a complete sources line and a last
 * line that may still become one, without trailing blank space (the finished answer has none).
 */
export function showableAnswer(text: string): string {
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  const complete = lines.filter((line) => !SOURCES_LINE.test(line));
  if (!mayBecomeSources(last)) complete.push(last);
  return complete.join('\n').trimEnd();
}

/**
 * Turns a stream of text deltas into deltas of what may be shown (see showableAnswer): each
 * call returns the newly showable text, which only ever extends what was shown before.
 */
export function createAnswerStreamFilter(): { push(delta: string): string; reset(): void } {
  let text = '';
  let shown = '';
  return {
    push(delta) {
      text += delta;
      const showable = showableAnswer(text);
      if (!showable.startsWith(shown) || showable.length === shown.length) return '';
      const added = showable.slice(shown.length);
      shown = showable;
      return added;
    },
    reset() {
      text = '';
      shown = '';
    },
  };
}
