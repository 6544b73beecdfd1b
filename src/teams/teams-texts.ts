import type { Language } from '../prompts/section-keys.ts';
import { SHARED_TEXTS } from '../render/shared-texts.ts';

/** What the Teams cards and messages say, in both languages (the form's labels: FORM_TEXTS). */
export const TEAMS_TEXTS = {
  en: {
    ...SHARED_TEXTS.en,
    /** The form card's own checks (Teams validates before it submits). */
    form: {
      required: 'Please fill this in.',
      choose: 'Please choose one.',
      callsRange: (max: number) => `A number above 0, at most ${max.toLocaleString('en')}.`,
      specHint:
        'OpenAPI 3 or Swagger 2.0 (https): the plan uses its endpoints and is checked against it. To use a file instead, send it to me in our 1:1 chat first.',
    },
    greetingTitle: 'Hi, I write API integration plans',
    greeting:
      'Tell me the existing system, the target API, the use case and the expected load; I answer with a seven-part plan written like a senior backend engineer would: architecture, auth, data mapping, errors, scale, testing, code quality. Every plan is saved; re-run it with new figures at any time.',
    helpTitle: 'Commands',
    help: [
      '- **plan**: the form for a new plan; **plan <use case>** fills in the use case',
      '- **list [text]**: the plans of this organisation (optionally matching text)',
      "- **show <number>**: posts a plan's summary again",
      '- **diff <number> [<from> <to>]**: what changed between two revisions (the last two by default)',
      '- **help**: this help',
    ].join('\n'),
    openForm: 'Write a plan',
    diffTitle: 'Comparison of two revisions',
    working: (title: string) => `Working on it: **${title}**. The plan follows, one message per section.`,
    workingRerun: (plan: number) => `Working on revision of plan ${plan}; it appears in the plan's thread.`,
    writing: (done: number, total: number) => `⏳ Writing… ${done}/${total} sections`,
    placeholder: (number: number, title: string) => `⏳ ${number}. ${title}: writing…`,
    done: (seconds: string, model: string, tokens: string, cost: string) =>
      `✅ Done in ${seconds} s · ${model} · ${tokens} tokens · $${cost}`,
    failed: '❌ The plan could not be written.',
    cancel: 'Cancel',
    open: 'Show',
    planRevision: (plan: number, revision: number) => `Plan ${plan} · revision ${revision}`,
    listTitle: (count: number, search: string | undefined) =>
      search === undefined ? `Plans (${count})` : `Plans matching "${search}" (${count})`,
    listEmpty: (search: string | undefined) =>
      search === undefined ? 'This organisation has no plans yet.' : `No plans match "${search}".`,
    listRow: (revisions: number, status: string, date: string, by: string) =>
      `${revisions} rev. · ${status} · ${date} · ${by}`,
    you: 'you',
    someone: 'a colleague',
    noTenant: 'This conversation has no Microsoft 365 organisation, so plans cannot be saved here.',
    shown: (plan: number) => `Plan ${plan} posted below.`,
    formError: 'Please correct the fields marked below.',
    specFile: {
      received: (spec: string, operations: number, file: string) =>
        `Got it: **${spec}** (${operations} operations, ${file}) grounds your next plan. Type **plan** to open the form; leave its spec URL empty to use this file.`,
      onlyInChat: 'Send a spec file to me in our 1:1 chat; in channels and group chats, give its URL in the form.',
      notSpecType: (file: string) =>
        `${file} is not a spec file: send an OpenAPI or Swagger document as .json, .yaml or .yml.`,
      reading: (source: string) => `Reading the API spec ${source}… The plan starts as soon as it is read.`,
      pendingNotice: (file: string) => `Your next plan uses the spec you sent: ${file}.`,
    },
    broken: 'Something went wrong on our side. Please try again; if it persists, tell an administrator.',
  },
  de: {
    ...SHARED_TEXTS.de,
    form: {
      required: 'Bitte ausfüllen.',
      choose: 'Bitte eines wählen.',
      callsRange: (max: number) => `Eine Zahl über 0 bis ${max.toLocaleString('de')}.`,
      specHint:
        'OpenAPI 3 oder Swagger 2.0 (https): Der Plan nutzt ihre Endpunkte und wird gegen sie geprüft. Für eine Datei schicke sie mir zuerst in unserem 1:1-Chat.',
    },
    greetingTitle: 'Hallo, ich schreibe Pläne für API-Integrationen',
    greeting:
      'Nenne mir das bestehende System, die Ziel-API, den Use Case und die erwartete Last; ich antworte mit einem Plan in sieben Teilen, wie ihn ein Senior-Backend-Entwickler schreibt: Architektur, Authentifizierung, Datenabbildung, Fehler, Skalierung, Tests, Codequalität. Jeder Plan wird gespeichert und lässt sich jederzeit mit neuen Werten neu schreiben.',
    helpTitle: 'Befehle',
    help: [
      '- **plan**: das Formular für einen neuen Plan; **plan <Use Case>** füllt den Use Case vor',
      '- **list [Text]**: die Pläne dieser Organisation (optional passend zum Text)',
      '- **show <Nummer>**: zeigt die Zusammenfassung eines Plans erneut',
      '- **diff <Nummer> [<von> <bis>]**: was sich zwischen zwei Revisionen geändert hat (standardmäßig die letzten zwei)',
      '- **help**: diese Hilfe',
    ].join('\n'),
    openForm: 'Plan schreiben',
    diffTitle: 'Vergleich zweier Revisionen',
    working: (title: string) => `Ich arbeite daran: **${title}**. Der Plan folgt, eine Nachricht je Abschnitt.`,
    workingRerun: (plan: number) =>
      `Ich schreibe eine neue Revision von Plan ${plan}; sie erscheint im Thread des Plans.`,
    writing: (done: number, total: number) => `⏳ Wird geschrieben… ${done}/${total} Abschnitte`,
    placeholder: (number: number, title: string) => `⏳ ${number}. ${title}: wird geschrieben…`,
    done: (seconds: string, model: string, tokens: string, cost: string) =>
      `✅ Fertig in ${seconds} s · ${model} · ${tokens} Tokens · ${cost} $`,
    failed: '❌ Der Plan konnte nicht geschrieben werden.',
    cancel: 'Abbrechen',
    open: 'Anzeigen',
    planRevision: (plan: number, revision: number) => `Plan ${plan} · Revision ${revision}`,
    listTitle: (count: number, search: string | undefined) =>
      search === undefined ? `Pläne (${count})` : `Pläne passend zu „${search}“ (${count})`,
    listEmpty: (search: string | undefined) =>
      search === undefined ? 'Diese Organisation hat noch keine Pläne.' : `Keine Pläne passen zu „${search}“.`,
    listRow: (revisions: number, status: string, date: string, by: string) =>
      `${revisions} Rev. · ${status} · ${date} · ${by}`,
    you: 'du',
    someone: 'jemand anderes',
    noTenant:
      'Diese Unterhaltung gehört zu keiner Microsoft-365-Organisation; Pläne können hier nicht gespeichert werden.',
    shown: (plan: number) => `Plan ${plan} steht unten.`,
    formError: 'Bitte die markierten Felder korrigieren.',
    specFile: {
      received: (spec: string, operations: number, file: string) =>
        `Erhalten: **${spec}** (${operations} Operationen, ${file}) ist die Grundlage deines nächsten Plans. Schreibe **plan**, um das Formular zu öffnen; lass die URL der Spezifikation dort leer, um diese Datei zu verwenden.`,
      onlyInChat:
        'Schicke mir eine Spezifikation als Datei in unserem 1:1-Chat; in Kanälen und Gruppenchats gib ihre URL im Formular an.',
      notSpecType: (file: string) =>
        `${file} ist keine Spezifikation: bitte ein OpenAPI- oder Swagger-Dokument als .json, .yaml oder .yml schicken.`,
      reading: (source: string) => `Lese die API-Spezifikation ${source}… Der Plan beginnt, sobald sie gelesen ist.`,
      pendingNotice: (file: string) => `Dein nächster Plan verwendet die geschickte Spezifikation: ${file}.`,
    },
    broken:
      'Bei uns ist etwas schiefgelaufen. Bitte erneut versuchen; falls es bleibt, einen Administrator informieren.',
  },
} as const satisfies Record<Language, unknown>;
