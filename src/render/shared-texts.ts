import type { Language } from '../prompts/section-keys.ts';

/**
 * Sentences every surface says the same way (Slack, Teams, and where it fits the terminal), in
 * both languages side by side. Each surface's own table (SLACK_TEXTS, TEAMS_TEXTS) starts from
 * these; error texts are in src/core/user-messages.ts, the form's labels in form-texts.ts.
 */
export const SHARED_TEXTS = {
  en: {
    plan: 'Integration plan',
    revision: 'revision',
    rerun: 'Re-run with new scale',
    changed: 'Changed',
    whatChanged: 'What changed',
    /** Before the checklist items a section does not cover. */
    missing: 'Still missing',
    notInSpec: 'Not in the API spec',
    /** After a section's title on its second and later messages: "continued 2/3". */
    continued: 'continued',
    inputs: {
      existingSystem: 'Existing system',
      targetApi: 'Target API',
      useCase: 'Use case',
      scale: 'Scale',
      budget: 'Budget / timeframe',
      apiSpec: 'API spec',
    },
    scale: (calls: string, volume: string) => `${calls} calls/s peak · ${volume}`,
    specFact: (api: string, source: string, operations: number) => `${api} · ${source} · ${operations} operations`,
    noPlan: (id: string) => `There is no plan "${id}" (see \`list\`).`,
    diff: {
      usage: (typed: string) =>
        `"diff ${typed}" is not a comparison: write \`diff 42\` for a plan's last two revisions or \`diff 42 1 3\` for revisions 1 and 3.`,
      noRevision: (revision: number, latest: number) =>
        `The plan has no revision ${revision}: it has revisions 1 to ${latest}.`,
      nothing: (latest: number) =>
        latest === 1
          ? 'The plan has one revision only: re-run it with new figures to have something to compare.'
          : 'Give two different revisions to compare.',
      posted: (plan: number) => `The comparison is in the thread of plan ${plan}.`,
    },
    noModel: 'Plans cannot be written yet: no model API key is configured. Please ask an administrator.',
    saveFailed: 'The plan could not be saved just now. Please submit again.',
    /** A re-run whose values are all as before. */
    nothingChanged: 'Nothing changed: give at least one new value.',
  },
  de: {
    plan: 'Integrationsplan',
    revision: 'Revision',
    rerun: 'Mit neuer Last neu planen',
    changed: 'Geändert',
    whatChanged: 'Was sich geändert hat',
    missing: 'Fehlt noch',
    notInSpec: 'Nicht in der API-Spezifikation',
    continued: 'Fortsetzung',
    inputs: {
      existingSystem: 'Bestehendes System',
      targetApi: 'Ziel-API',
      useCase: 'Use Case',
      scale: 'Skalierung',
      budget: 'Budget / Zeitrahmen',
      apiSpec: 'API-Spezifikation',
    },
    scale: (calls: string, volume: string) => `${calls} Aufrufe/s Spitze · ${volume}`,
    specFact: (api: string, source: string, operations: number) => `${api} · ${source} · ${operations} Operationen`,
    noPlan: (id: string) => `Es gibt keinen Plan „${id}“ (siehe \`list\`).`,
    diff: {
      usage: (typed: string) =>
        `„diff ${typed}“ ist kein Vergleich: \`diff 42\` vergleicht die letzten zwei Revisionen eines Plans, \`diff 42 1 3\` die Revisionen 1 und 3.`,
      noRevision: (revision: number, latest: number) =>
        `Der Plan hat keine Revision ${revision}, sondern die Revisionen 1 bis ${latest}.`,
      nothing: (latest: number) =>
        latest === 1
          ? 'Der Plan hat nur eine Revision: Schreibe ihn mit neuen Werten neu, dann gibt es etwas zu vergleichen.'
          : 'Bitte zwei verschiedene Revisionen zum Vergleich angeben.',
      posted: (plan: number) => `Der Vergleich steht im Thread von Plan ${plan}.`,
    },
    noModel:
      'Pläne können noch nicht geschrieben werden: Es ist kein Modell-API-Schlüssel eingerichtet. Bitte einen Administrator fragen.',
    saveFailed: 'Der Plan konnte gerade nicht gespeichert werden. Bitte erneut absenden.',
    nothingChanged: 'Nichts geändert: Bitte mindestens einen neuen Wert angeben.',
  },
} as const satisfies Record<Language, unknown>;
