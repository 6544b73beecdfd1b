import type { ChecklistItem, Language, SectionKey } from './section-keys.ts';

/** A checklist item as the templates see it. */
export type PromptItem = Pick<ChecklistItem, 'id' | 'label'>;

export interface PromptSection {
  readonly key: SectionKey;
  readonly number: number;
  readonly title: string;
  readonly items: readonly PromptItem[];
}

export interface PromptInputs {
  readonly existingSystem: string;
  readonly targetApi: string;
  readonly useCase: string;
  readonly callsPerSecond: number;
  readonly dataVolume: string;
  readonly scaleNotes?: string | undefined;
  readonly budget: string;
}

export interface PromptFigure {
  readonly label: string;
  readonly value: string;
}

export interface PromptChange {
  readonly label: string;
  readonly from: string;
  readonly to: string;
}

/** What the previous revision contributes to a re-run. */
export interface PromptPrevious {
  readonly revision: number;
  readonly nextRevision: number;
  readonly changes: readonly PromptChange[];
  readonly skeleton: string;
}

/** The target API's spec as the prompt shows it: facts computed by src/grounding (untrusted text, in a data block). */
export interface PromptSpec {
  /** Source, title and version first, then the facts. */
  readonly facts: string;
}

/** Everything the Handlebars templates may refer to. */
export interface PromptContext {
  readonly language: Language;
  readonly inputs: PromptInputs;
  readonly figures: readonly PromptFigure[];
  readonly variation: { readonly id: string; readonly label: string; readonly guidance: string };
  readonly sections: readonly PromptSection[];
  readonly section?: PromptSection;
  readonly skeleton?: string;
  readonly missingItems?: readonly ChecklistItem[];
  readonly previous?: PromptPrevious | undefined;
  readonly spec?: PromptSpec | undefined;
  /** For picking the operations a use case needs: one line per operation of the spec. */
  readonly operationIndex?: string;
  /** For a section's repair: what it named that the spec does not have. */
  readonly notInSpec?: readonly string[];
  /** For the "what changed" summary of a re-run: each section before and after. */
  readonly comparisons?: readonly PromptComparison[];
  /** For a question asked in the plan's thread: the revision it is about and the thread so far. */
  readonly answer?: PromptAnswer;
}

/** What an answer to a question in the plan's thread is written from. */
export interface PromptAnswer {
  readonly revision: number;
  readonly sections: readonly { readonly number: number; readonly title: string; readonly markdown: string }[];
  /** The revision's review decisions, one per line; empty while in review. */
  readonly review: string;
  /** The thread's earlier questions and answers, oldest first. */
  readonly history: readonly { readonly question: string; readonly answer: string }[];
  readonly question: string;
}

export interface PromptComparison {
  readonly number: number;
  readonly title: string;
  readonly before: string;
  readonly after: string;
}
