import type { Language } from '../prompts/section-keys.ts';
import { SHARED_TEXTS } from '../render/shared-texts.ts';

/** Everything the Slack app says (messages, commands, App Home), in both languages side by side. */
export const SLACK_TEXTS = {
  en: {
    ...SHARED_TEXTS.en,
    writing: (done: number, total: number) => `:hourglass_flowing_sand: Writing… ${done}/${total} sections`,
    placeholder: (number: number, title: string) => `:hourglass_flowing_sand: ${number}. ${title} — writing…`,
    done: (seconds: string, model: string, tokens: string, cost: string) =>
      `:white_check_mark: Done in ${seconds} s · ${model} · ${tokens} tokens · $${cost}`,
    failed: ':x: The plan could not be written.',
    export: 'Export as Markdown',
    exported: (plan: number, revision: number) => `Plan ${plan}, revision ${revision} as Markdown`,
    notInChannel: (channel: string) =>
      `I am not a member of <#${channel}>, so your plan comes here. Invite me there (\`/invite @integration-planner\`) to post plans in the channel.`,
    helpful: 'Helpful',
    notHelpful: 'Not helpful',
    voted: (helpful: boolean, number: number, tally: string) =>
      `Thanks: you marked section ${number} as ${helpful ? 'helpful' : 'not helpful'}. Votes now ${tally}. Click the other button to change your vote.`,
    voteGone: 'That section no longer exists, so the vote was not recorded.',
    answerVoted: (helpful: boolean, tally: string) =>
      `Thanks: you marked this answer as ${helpful ? 'helpful' : 'not helpful'}. Votes now ${tally}.`,
    answerVoteGone: 'That answer no longer exists, so the vote was not recorded.',
    planDisplay: (plan: number, revision: number) => `Plan ${plan}, revision ${revision}: writing the sections`,
    feedback: 'Feedback',
    canvas: {
      link: (url: string) => `:page_facing_up: <${url}|The plan as a canvas> (updated with each revision and decision)`,
      linkless: ':page_facing_up: The plan is in a canvas shared with this channel.',
      unavailable: (error: string) =>
        `:page_facing_up: No canvas for this plan: Slack answered \`${error}\` (canvases are not available in this workspace). Use "Export as Markdown".`,
    },
    stale: {
      button:
        'This button belongs to an older version of this message, so nothing happened. Use the buttons on the plan’s latest message, or `/integration-plan list` to find it.',
      formTitle: 'Form out of date',
      form: 'This form belongs to an older version of the app, so it was not submitted. Close it and open a new one with `/integration-plan`.',
      shortcut: 'This shortcut is no longer offered by the app. Type `/integration-plan help` to see what it can do.',
      close: 'Close',
    },
    specForm: {
      specAgain: (problem: string) => `:warning: ${problem} Attach a spec again or leave the spec fields empty.`,
      readingSpec: (source: string) => `:hourglass_flowing_sand: Reading the API spec *${source}*…`,
      readingSpecNote: 'The plan starts as soon as the spec is read; you may close this window.',
      started: (plan: number, spec: string) => `:white_check_mark: Plan ${plan} is being written, grounded in ${spec}.`,
      startedWhere: (channel: string) => `Its sections are posted in <#${channel}>, one threaded reply each.`,
      startedRerun: (revision: number) => `Revision ${revision} is posted in the plan's thread.`,
      done: 'Close',
    },
    help: (command: string) =>
      [
        `*${command}* — plan an API integration with a senior backend engineer's checklist.`,
        `• \`${command}\` opens the form; \`${command} <use case>\` opens it with the use case filled in`,
        `• \`${command} list [text]\` lists this workspace's plans (optionally matching text)`,
        `• \`${command} show <id>\` links to a plan's thread`,
        `• \`${command} diff <id> [<from> <to>]\` posts what changed between two revisions in the plan's thread`,
        `• \`${command} help\` shows this help`,
      ].join('\n'),
    listNone: 'This workspace has no plans yet.',
    listNoMatch: (search: string) => `No plans match "${search}".`,
    revisions: (count: number) => `${count} rev.`,
    home: {
      title: 'Integration plans',
      intro: (command: string) =>
        `Type \`${command}\` in a channel to plan an API integration; \`${command} help\` lists what else it can do.`,
      waiting: 'Waiting for review',
      mine: 'Your recent plans',
      recent: "This workspace's recent plans",
      none: 'No plans yet.',
      open: 'Open thread',
      feedback: 'Section feedback by prompt version',
      noFeedback: 'No votes yet: the buttons under each section reply collect them.',
      prompt: (version: string, tally: string, share: string) => `*Prompt ${version}*: ${tally}${share}`,
      helpful: (share: number) => ` (${share} % helpful)`,
    },
  },
  de: {
    ...SHARED_TEXTS.de,
    writing: (done: number, total: number) => `:hourglass_flowing_sand: Wird geschrieben… ${done}/${total} Abschnitte`,
    placeholder: (number: number, title: string) => `:hourglass_flowing_sand: ${number}. ${title} — wird geschrieben…`,
    done: (seconds: string, model: string, tokens: string, cost: string) =>
      `:white_check_mark: Fertig in ${seconds} s · ${model} · ${tokens} Tokens · ${cost} $`,
    failed: ':x: Der Plan konnte nicht geschrieben werden.',
    export: 'Als Markdown exportieren',
    exported: (plan: number, revision: number) => `Plan ${plan}, Revision ${revision} als Markdown`,
    notInChannel: (channel: string) =>
      `Ich bin nicht Mitglied von <#${channel}>, deshalb kommt dein Plan hierher. Lade mich dort ein (\`/invite @integration-planner\`), damit Pläne im Kanal erscheinen.`,
    helpful: 'Hilfreich',
    notHelpful: 'Nicht hilfreich',
    voted: (helpful: boolean, number: number, tally: string) =>
      `Danke: Abschnitt ${number} ist für dich ${helpful ? 'hilfreich' : 'nicht hilfreich'}. Stimmen jetzt ${tally}. Mit dem anderen Knopf änderst du deine Stimme.`,
    voteGone: 'Diesen Abschnitt gibt es nicht mehr; die Stimme wurde nicht gespeichert.',
    answerVoted: (helpful: boolean, tally: string) =>
      `Danke: diese Antwort ist für dich ${helpful ? 'hilfreich' : 'nicht hilfreich'}. Stimmen jetzt ${tally}.`,
    answerVoteGone: 'Diese Antwort gibt es nicht mehr; die Stimme wurde nicht gespeichert.',
    planDisplay: (plan: number, revision: number) =>
      `Plan ${plan}, Revision ${revision}: die Abschnitte werden geschrieben`,
    feedback: 'Feedback',
    canvas: {
      link: (url: string) =>
        `:page_facing_up: <${url}|Der Plan als Canvas> (aktualisiert mit jeder Revision und Entscheidung)`,
      linkless: ':page_facing_up: Der Plan steht in einem Canvas, das mit diesem Kanal geteilt ist.',
      unavailable: (error: string) =>
        `:page_facing_up: Kein Canvas für diesen Plan: Slack antwortete \`${error}\` (Canvases sind in diesem Workspace nicht verfügbar). Nutze „Als Markdown exportieren“.`,
    },
    stale: {
      button:
        'Dieser Button gehört zu einer älteren Version dieser Nachricht, daher ist nichts passiert. Nutze die Buttons der neuesten Nachricht des Plans oder `/integration-plan list`, um ihn zu finden.',
      formTitle: 'Formular veraltet',
      form: 'Dieses Formular gehört zu einer älteren Version der App und wurde nicht gesendet. Schließe es und öffne ein neues mit `/integration-plan`.',
      shortcut: 'Diesen Shortcut bietet die App nicht mehr an. Mit `/integration-plan help` siehst du, was sie kann.',
      close: 'Schließen',
    },
    specForm: {
      specAgain: (problem: string) =>
        `:warning: ${problem} Bitte erneut eine Spezifikation angeben oder die Felder dafür leer lassen.`,
      readingSpec: (source: string) => `:hourglass_flowing_sand: Lese die API-Spezifikation *${source}*…`,
      readingSpecNote:
        'Der Plan beginnt, sobald die Spezifikation gelesen ist; dieses Fenster darf geschlossen werden.',
      started: (plan: number, spec: string) =>
        `:white_check_mark: Plan ${plan} wird geschrieben, auf Grundlage von ${spec}.`,
      startedWhere: (channel: string) => `Seine Abschnitte erscheinen in <#${channel}>, je ein Thread-Beitrag.`,
      startedRerun: (revision: number) => `Revision ${revision} erscheint im Thread des Plans.`,
      done: 'Schließen',
    },
    help: (command: string) =>
      [
        `*${command}* — plane eine API-Integration mit der Checkliste eines Senior-Backend-Entwicklers.`,
        `• \`${command}\` öffnet das Formular; \`${command} <Use Case>\` füllt den Use Case vor`,
        `• \`${command} list [Text]\` zeigt die Pläne dieses Workspaces (optional passend zum Text)`,
        `• \`${command} show <ID>\` verlinkt den Thread eines Plans`,
        `• \`${command} diff <ID> [<von> <bis>]\` zeigt im Thread des Plans, was sich zwischen zwei Revisionen geändert hat`,
        `• \`${command} help\` zeigt diese Hilfe`,
      ].join('\n'),
    listNone: 'Dieser Workspace hat noch keine Pläne.',
    listNoMatch: (search: string) => `Keine Pläne passen zu „${search}“.`,
    revisions: (count: number) => `${count} Rev.`,
    home: {
      title: 'Integrationspläne',
      intro: (command: string) =>
        `Tippe \`${command}\` in einem Kanal, um eine API-Integration zu planen; \`${command} help\` zeigt, was es sonst kann.`,
      waiting: 'Warten auf Prüfung',
      mine: 'Deine letzten Pläne',
      recent: 'Die letzten Pläne dieses Workspaces',
      none: 'Noch keine Pläne.',
      open: 'Thread öffnen',
      feedback: 'Feedback zu Abschnitten nach Prompt-Version',
      noFeedback: 'Noch keine Stimmen: Die Knöpfe unter jeder Abschnittsantwort sammeln sie.',
      prompt: (version: string, tally: string, share: string) => `*Prompt ${version}*: ${tally}${share}`,
      helpful: (share: number) => ` (${share} % hilfreich)`,
    },
  },
} as const satisfies Record<Language, unknown>;
