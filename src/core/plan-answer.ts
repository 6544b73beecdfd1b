import type { ModelClient, ModelSpend, RetryNotice } from '../llm/model-client.ts';
import type { PromptLibrary } from '../prompts/load-prompts.ts';
import type { PromptAnswer } from '../prompts/prompt-context.ts';
import type { Language } from '../prompts/section-keys.ts';
import { createAnswerStreamFilter, splitSources } from './answer-sources.ts';
import type { PlanRequest } from './plan-request.ts';
import { buildPromptContext } from './prompt-builder.ts';

/** Answers stay short; this is room for about 600 words. */
const ANSWER_MAX_TOKENS = 1200;
/** Earlier answers are context, not the subject: each is cut to this. */
const HISTORY_ANSWER_CHARS = 1500;
/** At most this many earlier questions (the newest ones) go into the prompt. */
const HISTORY_MAX = 8;

/** A section of the revision a question is about. */
export interface AnsweredSection {
  readonly key: string;
  readonly number: number;
  readonly title: string;
  readonly markdown: string;
}

/** Everything an answer is written from. */
export interface QuestionContext {
  readonly request: PlanRequest;
  readonly revision: number;
  readonly sections: readonly AnsweredSection[];
  /** The revision's decisions skeleton (parallel plans), when there is one. */
  readonly skeleton?: string | undefined;
  /** The review decisions on the revision, one line each. */
  readonly review: readonly string[];
  /** The thread's earlier questions and answers, oldest first. */
  readonly history: readonly { readonly question: string; readonly answer: string }[];
  /** The spec facts the revision was written with. */
  readonly specFacts?: string | undefined;
  readonly question: string;
  /** The language of the question (core/question-language.ts): the answer's. */
  readonly language: Language;
}

export interface AnswerCallbacks {
  readonly signal?: AbortSignal;
  /** Newly showable answer text (the sources line held back). */
  readonly onText?: (delta: string) => void;
  /** A retry starts over: what was shown is void. */
  readonly onRetry?: (notice: RetryNotice) => void;
  /** A failed attempt's spend, so it is counted. */
  readonly onFailedAttemptUsage?: (spent: ModelSpend) => void;
}

export interface WrittenAnswer extends ModelSpend {
  /** The answer without its sources line. */
  readonly text: string;
  /** Keys of the sections it names as sources, in plan order. */
  readonly cited: readonly string[];
}

function promptAnswer(context: QuestionContext): PromptAnswer {
  return {
    revision: context.revision,
    sections: context.sections.map(({ number, title, markdown }) => ({ number, title, markdown })),
    review: context.review.join('\n'),
    history: context.history.slice(-HISTORY_MAX).map(({ question, answer }) => ({
      question,
      answer: answer.length > HISTORY_ANSWER_CHARS ? `${answer.slice(0, HISTORY_ANSWER_CHARS)}…` : answer,
    })),
    question: context.question,
  };
}

/**
 * One model call answering a question about a plan in its thread, with the plan as context
 * (inputs and figures, decisions, the revision's sections, the thread so far, the spec facts),
 * in the language of the question. The answer's sources line becomes the cited sections.
 */
export async function writeAnswer(
  deps: { readonly prompts: PromptLibrary; readonly model: ModelClient },
  context: QuestionContext,
  callbacks: AnswerCallbacks = {},
): Promise<WrittenAnswer> {
  const { language } = context;
  const spec = context.specFacts === undefined ? undefined : { facts: context.specFacts };
  const { prompt, context: base } = buildPromptContext(deps.prompts, { ...context.request, language }, undefined, spec);
  const skeleton =
    context.skeleton === undefined ? '' : prompt.render('decisions', { ...base, skeleton: context.skeleton });
  const answer = prompt.render('answer', { ...base, answer: promptAnswer(context) });
  const filter = createAnswerStreamFilter();
  const result = await deps.model.complete({
    purpose: 'answer',
    system: prompt.render('system', base),
    prefix: prompt.render('context', base),
    messages: [{ role: 'user', content: [skeleton, answer].filter((part) => part !== '').join('\n\n') }],
    maxTokens: ANSWER_MAX_TOKENS,
    ...(callbacks.signal ? { signal: callbacks.signal } : {}),
    onText: (delta) => {
      const shown = filter.push(delta);
      if (shown !== '') callbacks.onText?.(shown);
    },
    onRetry: (notice) => {
      filter.reset();
      callbacks.onRetry?.(notice);
    },
    ...(callbacks.onFailedAttemptUsage ? { onFailedAttemptUsage: callbacks.onFailedAttemptUsage } : {}),
  });
  const { body, numbers } = splitSources(result.text);
  const cited = context.sections.filter((section) => numbers.includes(section.number)).map((section) => section.key);
  return { text: body, cited, usage: result.usage, costUsd: result.costUsd };
}
