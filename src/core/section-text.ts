import type { SectionDefinition } from '../prompts/section-keys.ts';
import { splitSections } from './split-sections.ts';

/**
 * A section written on its own should not carry its title, but models often add it anyway
 * (`## 3. Security`). Drop such a leading heading so it is not shown twice.
 */
export function stripOwnHeading(text: string, section: SectionDefinition): string {
  const split = splitSections(text, [section]);
  const found = split.sections[0];
  if (found?.key === section.key && split.preamble.trim() === '') {
    return [found.markdown, split.epilogue].filter((part) => part.trim() !== '').join('\n\n');
  }
  return text.trim();
}
