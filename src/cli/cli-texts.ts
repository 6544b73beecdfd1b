import type { Language } from '../prompts/section-keys.ts';

/** What the terminal says in the plan's language (its usage and errors are English, as CLIs are). */
export const CLI_TEXTS = {
  en: {
    decisionsFixed: 'decisions fixed',
    itemsMissing: (count: number) => `${count} items missing`,
  },
  de: {
    decisionsFixed: 'Entscheidungen festgelegt',
    itemsMissing: (count: number) => `${count} Punkte fehlen`,
  },
} as const satisfies Record<Language, unknown>;
