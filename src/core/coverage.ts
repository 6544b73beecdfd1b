import type { ChecklistItem } from '../prompts/section-keys.ts';

const cache = new Map<string, RegExp>();

/** `term` as a whole word (or, with a trailing `*`, a word prefix), case-insensitive. */
function termPattern(term: string): RegExp {
  let pattern = cache.get(term);
  if (pattern === undefined) {
    const prefix = term.endsWith('*');
    const body = (prefix ? term.slice(0, -1) : term)
      .replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')
      .replace(/[\s-]+/gu, '[\\s-]+');
    pattern = new RegExp(`(?<![\\p{L}\\p{N}])${body}${prefix ? '' : '(?![\\p{L}\\p{N}])'}`, 'iu');
    cache.set(term, pattern);
  }
  return pattern;
}

/** Whether the section text covers the item: its label or one of its match terms occurs. */
export function coversItem(markdown: string, item: ChecklistItem): boolean {
  return item.match.some((term) => termPattern(term).test(markdown));
}

/** The checklist items the section text does not cover, in checklist order. */
export function findMissingItems(markdown: string, items: readonly ChecklistItem[]): ChecklistItem[] {
  return items.filter((item) => !coversItem(markdown, item));
}
