/** The seven sections of an integration plan, in the order the seed prompt card lists them. */
export const SECTION_KEYS = [
  'architecture',
  'specification',
  'security',
  'implementation',
  'deployment',
  'maintenance',
  'code_quality',
] as const;

export type SectionKey = (typeof SECTION_KEYS)[number];

export const LANGUAGES = ['de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const VARIATION_IDS = ['general', 'ecommerce', 'payments', 'legacy', 'realtime'] as const;
export type VariationId = (typeof VARIATION_IDS)[number];

/** A checklist item a section must cover; `match` lists lower-case phrases that show coverage. */
export interface ChecklistItem {
  readonly id: string;
  readonly label: string;
  readonly match: readonly string[];
}

/** One section as the prompt file defines it, in the prompt's language. */
export interface SectionDefinition {
  readonly key: SectionKey;
  readonly number: number;
  readonly title: string;
  /** Other names a model may give the section heading (the other language's title, short forms). */
  readonly aliases: readonly string[];
  readonly items: readonly ChecklistItem[];
}
