import type { Language } from '../prompts/section-keys.ts';

/** Short, frequent words that tell German from English in a one-line question. */
const MARKERS: Record<Language, ReadonlySet<string>> = {
  de: new Set(
    'und oder nicht warum wieso weshalb wie was wer wann welche welcher welches ist sind der die das dem den des ein eine einen wir ich ihr es für mit bei kein keine auch noch schon wird werden soll sollen sollte können kann könnte zu auf im nach über statt wäre gibt hier dieser diese dieses man uns'.split(
      ' ',
    ),
  ),
  en: new Set(
    'and or not why how what who when which is are was the a an we i you it for with at no also still will would should shall can could to on in after about instead there here this these that our us do does did'.split(
      ' ',
    ),
  ),
};

/**
 * The language a question is written in (German or English), by its words; umlauts and ß count
 * for German. A question that says too little keeps `fallback` (the plan's language).
 */
export function questionLanguage(text: string, fallback: Language): Language {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  let de = /[äöüß]/u.test(text.toLowerCase()) ? 2 : 0;
  let en = 0;
  for (const word of words) {
    if (MARKERS.de.has(word)) de += 1;
    if (MARKERS.en.has(word)) en += 1;
  }
  if (de === en) return fallback;
  return de > en ? 'de' : 'en';
}
