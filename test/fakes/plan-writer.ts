import type { PromptLibrary } from '../../src/prompts/load-prompts.ts';
import type { ChecklistItem, Language, SectionDefinition } from '../../src/prompts/section-keys.ts';
import type { FakeModelRequest, FakeReply, FakeResponder } from './fake-model-types.ts';

/**
 * A fake model author: answers our prompts the way a real model would, so the real planner,
 * splitter and coverage check run end to end. It recognises what is asked from the checklist
 * labels in the last user turn (all seven sections: the whole plan; one section's: that
 * section; none: the decision skeleton; a third turn: a follow-up for missing items).
 */
export interface PlanWriterOptions {
  /** Filler paragraphs per checklist item, to reach realistic lengths (default 1). */
  readonly paragraphsPerItem?: number;
  /** Item ids left out the first time a section is written (the follow-up adds them). */
  readonly omitItems?: readonly string[];
  /** Item ids never written, not even in a follow-up. */
  readonly neverItems?: readonly string[];
  /** Section keys the whole-plan answer leaves out. */
  readonly skipSections?: readonly string[];
  /** Heading style of the whole-plan answer. */
  readonly headingStyle?: 'markdown' | 'bold' | 'seed';
  /** Extra text placed inside the first section written (e.g. mention syntax to neutralise). */
  readonly inject?: string;
  /**
   * How a section sent back for repair against the API spec is rewritten: without the injected
   * text, with it again, or worse (with it and another invented endpoint).
   */
  readonly repair?: 'fix' | 'keep' | 'worse';
  /** Sections end with a sentence naming the peak calls per second they were written for (revisions then differ). */
  readonly sizing?: boolean;
  /** Which operations to pick from a spec's index (`METHOD /path` lines); default the first five. */
  readonly pick?: (operations: readonly string[]) => readonly string[];
  /** Replaces the answer to a question asked in a plan's thread (default: see answerText). */
  readonly answer?: (ask: Extract<PlanAsk, { kind: 'answer' }>) => string;
}

export type PlanAsk =
  | { readonly kind: 'plan'; readonly language: Language }
  | { readonly kind: 'section'; readonly language: Language; readonly section: SectionDefinition }
  | { readonly kind: 'followup'; readonly language: Language; readonly items: readonly ChecklistItem[] }
  | { readonly kind: 'repair'; readonly language: Language; readonly section: SectionDefinition | undefined }
  | { readonly kind: 'pick'; readonly language: Language; readonly operations: readonly string[] }
  | { readonly kind: 'skeleton'; readonly language: Language }
  | { readonly kind: 'summary'; readonly language: Language }
  | {
      readonly kind: 'answer';
      readonly language: Language;
      readonly question: string;
      readonly revision: number;
      /** The earlier questions of the thread the prompt carries, oldest first. */
      readonly earlier: readonly string[];
    };

function lastUser(request: FakeModelRequest): string {
  return [...request.messages].reverse().find((message) => message.role === 'user')?.content ?? '';
}

/** Works out what a request asks for, by our own prompt library's labels. */
export function classifyAsk(prompts: PromptLibrary, request: FakeModelRequest): PlanAsk {
  const text = lastUser(request);
  const language: Language = request.system.includes('Du bist') ? 'de' : 'en';
  const sections = prompts.plan(language).sections;
  if (text.includes('<data name="before">')) return { kind: 'summary', language };
  const question = /<data name="question">\n([\s\S]*?)\n<\/data>/u.exec(text)?.[1];
  if (question !== undefined) {
    const earlier = [...text.matchAll(/<data name="earlier_question">\n([\s\S]*?)\n<\/data>/gu)].map((m) => m[1] ?? '');
    const revision = Number(/(?:revision|Revision) (\d+)/u.exec(text)?.[1] ?? '0');
    return { kind: 'answer', language, question, revision, earlier };
  }
  const index = /<data name="operation_index">\n([\s\S]*?)\n<\/data>/u.exec(text)?.[1];
  if (index !== undefined) {
    const lines = index.split('\n').filter((line) => !line.startsWith('# '));
    return { kind: 'pick', language, operations: lines.map((line) => line.split(' | ')[0] ?? '') };
  }
  const asked = sections.filter((section) => section.items.every((item) => text.includes(`- ${item.label}`)));
  if (
    request.messages.length >= 3 &&
    /not in the target API's spec|nicht in der Spezifikation der Ziel-API/u.test(text)
  ) {
    const task = request.messages[0]?.content ?? '';
    const section = sections.find((candidate) => candidate.items.every((item) => task.includes(`- ${item.label}`)));
    return { kind: 'repair', language, section };
  }
  if (request.messages.length >= 3) {
    const items = sections.flatMap((section) => section.items).filter((item) => text.includes(`- ${item.label}`));
    return { kind: 'followup', language, items };
  }
  if (asked.length === sections.length) return { kind: 'plan', language };
  const section = asked[0];
  if (asked.length === 1 && section !== undefined) return { kind: 'section', language, section };
  return { kind: 'skeleton', language };
}

const FILLER: Record<Language, string> = {
  en: 'For this project the choice follows from the inputs above: it names an owner, a limit and a measurable target, and it stays consistent with what the other sections decide.',
  de: 'Für dieses Projekt folgt die Wahl aus den obigen Angaben: Sie nennt einen Verantwortlichen, eine Grenze und ein messbares Ziel und passt zu dem, was die anderen Abschnitte festlegen.',
};

function itemText(item: ChecklistItem, language: Language, paragraphs: number): string {
  const term = (item.match[0] ?? item.label).replace(/\*$/u, '');
  const lead = language === 'de' ? `Zum Punkt ${term}:` : `On ${term}:`;
  const body = Array.from({ length: paragraphs }, () => FILLER[language]).join('\n\n');
  return `### ${item.label}\n\n${lead} ${body}`;
}

function sectionBody(
  section: SectionDefinition,
  language: Language,
  options: PlanWriterOptions,
  first: boolean,
): string {
  const skip = new Set([...(options.neverItems ?? []), ...(first ? (options.omitItems ?? []) : [])]);
  return section.items
    .filter((item) => !skip.has(item.id))
    .map((item) => itemText(item, language, options.paragraphsPerItem ?? 1))
    .join('\n\n');
}

function heading(section: SectionDefinition, style: PlanWriterOptions['headingStyle']): string {
  if (style === 'bold') return `**${section.number}. ${section.title.toUpperCase()}**`;
  if (style === 'seed') return `${section.number}. ${section.title.toUpperCase()}:`;
  return `## ${section.number}. ${section.title}`;
}

const SKELETON: Record<Language, string> = {
  en: '- API type: REST over HTTPS with JSON\n- Authentication: OAuth 2.0 client credentials, secrets in the vault\n- Rate limiting: token bucket at the provider limit minus 20 %\n- Caching: read-through cache for reference data, 5 min TTL\n- Error handling: retry 429/5xx with exponential backoff, fail fast on 4xx, idempotency keys on writes',
  de: '- API-Typ: REST über HTTPS mit JSON\n- Authentifizierung: OAuth 2.0 Client Credentials, Secrets im Vault\n- Rate Limiting: Token Bucket bei Anbieterlimit minus 20 %\n- Caching: Read-Through-Cache für Stammdaten, 5 min TTL\n- Fehlerbehandlung: 429/5xx mit exponentiellem Backoff wiederholen, 4xx sofort scheitern, Idempotenzschlüssel bei Schreibzugriffen',
};

/**
 * An answer as a model writes one for our answer prompt: in the prompt's language, naming the
 * question, the revision and the earlier questions it saw, ending with the sources line.
 */
export function answerText(ask: Extract<PlanAsk, { kind: 'answer' }>): string {
  const seen = ask.earlier.length === 0 ? '' : ` (${ask.earlier.length} earlier: ${ask.earlier.join(' | ')})`;
  if (ask.language === 'de') {
    return `Zu „${ask.question}“${seen}: Revision ${ask.revision} setzt auf eine Queue, weil Abschnitt 1 (Architektur-Analyse) Lastspitzen puffert und Abschnitt 2 (Technische Spezifikation) Wiederholungen mit Backoff vorsieht. Webhooks allein würden bei Ausfällen Ereignisse verlieren.\n\nQuellen: §1, §2`;
  }
  return `About "${ask.question}"${seen}: revision ${ask.revision} puts a queue in front of the API because section 1 (Architecture analysis) buffers load peaks and section 2 (Technical specification) retries with exponential backoff. Webhooks alone would lose events during outages.\n\nSources: §1, §2`;
}

/** Creates a responder for the fake model servers that writes plans for our prompts. */
export function createPlanWriter(prompts: PromptLibrary, options: PlanWriterOptions = {}): FakeResponder {
  let injected = false;
  const inject = (text: string) => {
    if (options.inject === undefined || injected) return text;
    injected = true;
    return `${text}\n\n${options.inject}`;
  };
  return (request: FakeModelRequest): FakeReply => {
    const ask = classifyAsk(prompts, request);
    switch (ask.kind) {
      case 'skeleton':
        return { text: SKELETON[ask.language] };
      case 'summary':
        return {
          text: prompts
            .plan(ask.language)
            .sections.map(
              (section) =>
                `- **${section.title}**: ${ask.language === 'de' ? 'Angepasst an die neue Last.' : 'Adjusted to the new load.'}`,
            )
            .join('\n'),
        };
      case 'followup':
        return {
          text: ask.items
            .filter((item) => !(options.neverItems ?? []).includes(item.id))
            .map((item) => itemText(item, ask.language, 1))
            .join('\n\n'),
        };
      case 'section': {
        const calls = /peak ([\d.,]+) calls\/second/u.exec(request.messages.map((m) => m.content).join('\n'))?.[1];
        const sized =
          options.sizing === true && calls !== undefined ? `\n\nSized for ${calls} calls per second at peak.` : '';
        return { text: inject(sectionBody(ask.section, ask.language, options, true)) + sized };
      }
      case 'answer':
        return { text: (options.answer ?? answerText)(ask) };
      case 'pick':
        return { text: (options.pick ?? ((operations) => operations.slice(0, 5)))(ask.operations).join('\n') };
      case 'repair': {
        if (ask.section === undefined) return { text: '' };
        const body = sectionBody(ask.section, ask.language, options, false);
        if (options.repair === 'fix') return { text: body };
        const worse = options.repair === 'worse' ? '\n\nStrays are registered with `POST /pet/{petId}/strays`.' : '';
        return { text: `${body}\n\n${options.inject ?? ''}${worse}` };
      }
      case 'plan': {
        const intro = ask.language === 'de' ? 'Hier ist der Integrationsplan.' : 'Here is the integration plan.';
        const parts = prompts
          .plan(ask.language)
          .sections.filter((section) => !(options.skipSections ?? []).includes(section.key))
          .map(
            (section) =>
              `${heading(section, options.headingStyle)}\n\n${inject(sectionBody(section, ask.language, options, true))}`,
          );
        return { text: [intro, ...parts].join('\n\n') };
      }
    }
  };
}
