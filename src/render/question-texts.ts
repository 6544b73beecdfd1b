import type { Language } from '../prompts/section-keys.ts';

/** What the bot says around questions in a plan's thread, on every surface (Markdown). */
export const QUESTION_TEXTS = {
  en: {
    noPlan: (mention: string) =>
      `I answer questions about a plan in its thread: reply in a plan's thread and mention ${mention} with your question, e.g. "${mention} why a queue and not webhooks?". A new plan starts with \`/integration-plan\`; \`/integration-plan help\` lists the rest.`,
    empty: (plan: number, mention: string) =>
      `Ask me about plan ${plan} right after the mention, e.g. "${mention} which rate limit did you assume?"`,
    tooLong: (max: number) => `That question is longer than ${max} characters; ask it in fewer words.`,
    noRevision: (plan: number, revision: number, latest: number) =>
      `Plan ${plan} has no revision ${revision} (its revisions are 1–${latest}). Ask about one of those, or leave the revision out for the latest.`,
    notWritten: (plan: number, revision: number) =>
      `Revision ${revision} of plan ${plan} is still being written. Ask again once its sections are in the thread.`,
    unavailable: 'Questions cannot be answered right now: no model API key is configured for this app.',
    sources: 'Drawn from',
    noSources: 'Not drawn from a particular section of the plan.',
    about: (revision: number) => `Revision ${revision}`,
    writing: 'Writing the answer…',
    failed: 'The answer could not be written.',
  },
  de: {
    noPlan: (mention: string) =>
      `Ich beantworte Fragen zu einem Plan in seinem Thread: Antworte im Thread eines Plans und erwähne ${mention} mit deiner Frage, z. B. „${mention} warum eine Queue und keine Webhooks?“. Einen neuen Plan startest du mit \`/integration-plan\`; \`/integration-plan help\` zeigt den Rest.`,
    empty: (plan: number, mention: string) =>
      `Stell deine Frage zu Plan ${plan} direkt nach der Erwähnung, z. B. „${mention} welches Rate Limit hast du angenommen?“`,
    tooLong: (max: number) => `Die Frage ist länger als ${max} Zeichen; bitte fasse sie kürzer.`,
    noRevision: (plan: number, revision: number, latest: number) =>
      `Plan ${plan} hat keine Revision ${revision} (seine Revisionen sind 1–${latest}). Frag nach einer davon oder lass die Revision weg für die neueste.`,
    notWritten: (plan: number, revision: number) =>
      `Revision ${revision} von Plan ${plan} wird noch geschrieben. Frag noch einmal, sobald ihre Abschnitte im Thread stehen.`,
    unavailable:
      'Fragen können gerade nicht beantwortet werden: Für diese App ist kein Modell-API-Schlüssel konfiguriert.',
    sources: 'Gestützt auf',
    noSources: 'Nicht auf einen bestimmten Abschnitt des Plans gestützt.',
    about: (revision: number) => `Revision ${revision}`,
    writing: 'Die Antwort wird geschrieben…',
    failed: 'Die Antwort konnte nicht geschrieben werden.',
  },
} as const satisfies Record<Language, unknown>;

/** "Revision 2 · Drawn from: 1. Architecture analysis, 3. Security" under an answer. */
export function answerFooter(
  language: Language,
  revision: number,
  sources: readonly { readonly number: number; readonly title: string }[],
): string {
  const t = QUESTION_TEXTS[language];
  const drawn =
    sources.length === 0
      ? t.noSources
      : `${t.sources}: ${sources.map((section) => `${section.number}. ${section.title}`).join(', ')}`;
  return `${t.about(revision)} · ${drawn}`;
}
