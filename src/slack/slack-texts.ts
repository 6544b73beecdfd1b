import type { Language } from '../core/section-keys.ts';

/** What the Slack messages of a plan say, in both languages. */
export const SLACK_TEXTS = {
  en: {
    plan: 'Integration plan',
    revision: 'revision',
    writing: (done: number, total: number) => `:hourglass_flowing_sand: Writing… ${done}/${total} sections`,
    placeholder: (number: number, title: string) => `:hourglass_flowing_sand: ${number}. ${title} — writing…`,
    done: (seconds: string, model: string, tokens: string, cost: string) =>
      `:white_check_mark: Done in ${seconds} s · ${model} · ${tokens} tokens · $${cost}`,
    failed: ':x: The plan could not be written.',
    rerun: 'Re-run with new scale',
    export: 'Export as Markdown',
    exported: (plan: number, revision: number) => `Plan ${plan}, revision ${revision} as Markdown`,
    changed: 'Changed',
    whatChanged: 'What changed',
    missing: 'Still missing',
    notInChannel: (channel: string) =>
      `I am not a member of <#${channel}>, so your plan comes here. Invite me there (\`/invite @integration-planner\`) to post plans in the channel.`,
    inputs: {
      existingSystem: 'Existing system',
      targetApi: 'Target API',
      useCase: 'Use case',
      scale: 'Scale',
      budget: 'Budget / timeframe',
    },
    scale: (calls: string, volume: string) => `${calls} calls/s peak · ${volume}`,
    helpful: 'Helpful',
    notHelpful: 'Not helpful',
    voted: (helpful: boolean, number: number, tally: string) =>
      `Thanks: you marked section ${number} as ${helpful ? 'helpful' : 'not helpful'}. Votes now ${tally}. Click the other button to change your vote.`,
    voteGone: 'That section no longer exists, so the vote was not recorded.',
    feedback: 'Feedback',
  },
  de: {
    plan: 'Integrationsplan',
    revision: 'Revision',
    writing: (done: number, total: number) => `:hourglass_flowing_sand: Wird geschrieben… ${done}/${total} Abschnitte`,
    placeholder: (number: number, title: string) => `:hourglass_flowing_sand: ${number}. ${title} — wird geschrieben…`,
    done: (seconds: string, model: string, tokens: string, cost: string) =>
      `:white_check_mark: Fertig in ${seconds} s · ${model} · ${tokens} Tokens · ${cost} $`,
    failed: ':x: Der Plan konnte nicht geschrieben werden.',
    rerun: 'Neu mit neuer Last',
    export: 'Als Markdown exportieren',
    exported: (plan: number, revision: number) => `Plan ${plan}, Revision ${revision} als Markdown`,
    changed: 'Geändert',
    whatChanged: 'Was sich geändert hat',
    missing: 'Fehlt noch',
    notInChannel: (channel: string) =>
      `Ich bin nicht Mitglied von <#${channel}>, deshalb kommt dein Plan hierher. Lade mich dort ein (\`/invite @integration-planner\`), damit Pläne im Kanal erscheinen.`,
    inputs: {
      existingSystem: 'Bestehendes System',
      targetApi: 'Ziel-API',
      useCase: 'Use Case',
      scale: 'Skalierung',
      budget: 'Budget / Zeitrahmen',
    },
    scale: (calls: string, volume: string) => `${calls} Aufrufe/s Spitze · ${volume}`,
    helpful: 'Hilfreich',
    notHelpful: 'Nicht hilfreich',
    voted: (helpful: boolean, number: number, tally: string) =>
      `Danke: Abschnitt ${number} ist für dich ${helpful ? 'hilfreich' : 'nicht hilfreich'}. Stimmen jetzt ${tally}. Mit dem anderen Knopf änderst du deine Stimme.`,
    voteGone: 'Diesen Abschnitt gibt es nicht mehr; die Stimme wurde nicht gespeichert.',
    feedback: 'Feedback',
  },
} as const satisfies Record<Language, unknown>;
