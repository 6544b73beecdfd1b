import type { Language } from '../prompts/section-keys.ts';
import type { MessageRef } from '../store/message-refs.ts';
import type { PlanRecord } from '../store/plan-records.ts';
import type { QuestionRecord } from '../store/questions.ts';

/** Where an answer goes and what the surface needs to say around it. */
export interface AnswerTarget {
  readonly plan: PlanRecord;
  readonly question: QuestionRecord;
  /** The revision the answer is about. */
  readonly revision: number;
  /** The language of the question: the answer's, and of the texts around it. */
  readonly language: Language;
}

/** A finished answer as the thread shows it. */
export interface ShownAnswer {
  /** The model's Markdown (neutralised by the surface), without the sources line. */
  readonly text: string;
  /** The sections it names as sources, in plan order. */
  readonly sources: readonly { readonly number: number; readonly title: string }[];
}

/** One answer being shown: text streams in, then it is finished (or fails) in the same message. */
export interface AnswerStream {
  /** More answer text; best effort and in order, never throws (the finished answer is what counts). */
  append(text: string): void;
  /** The model started over: what was shown is void and the answer will be shown again in full. */
  restart(): void;
  /** The whole answer, in the message that showed it streaming (or a new one if there was none). */
  finish(answer: ShownAnswer): Promise<void>;
  /** The answer failed: the message says so, with the fixed text for the error. */
  fail(message: string): Promise<void>;
}

/** The per-platform part of answering in a plan's thread. */
export interface AnswerPoster {
  /**
   * Starts an answer. `existing` is the message an earlier attempt of the same answer started: it
   * is reused, never a second one posted. `onMessage` records a newly posted message before any
   * text goes into it.
   */
  open(
    target: AnswerTarget,
    existing: MessageRef | undefined,
    onMessage: (ref: MessageRef) => Promise<void>,
  ): Promise<AnswerStream>;
}
