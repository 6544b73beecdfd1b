import type { Language } from '../core/section-keys.ts';

/** Sentences every surface says the same way (Slack, Teams, the terminal), in both languages. */
export const SHARED_TEXTS = {
  en: {
    /** Before the checklist items a section does not cover. */
    missing: 'Still missing',
  },
  de: {
    missing: 'Fehlt noch',
  },
} as const satisfies Record<Language, unknown>;
