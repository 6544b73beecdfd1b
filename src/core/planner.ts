import type { SpecDocument } from '../grounding/read-spec.ts';
import type { ModelClient, ModelSpend } from '../llm/model-client.ts';
import type { PlanPrompt, PromptLibrary } from '../prompts/load-prompts.ts';
import type { PromptPrevious } from '../prompts/prompt-context.ts';
import { pickOperations, type PickedOperations } from './operation-pick.ts';
import { runParallel } from './parallel-strategy.ts';
import { writeAnswer, type AnswerCallbacks, type QuestionContext, type WrittenAnswer } from './plan-answer.ts';
import { createPlanGeneration } from './plan-generation.ts';
import type { PlanRequest } from './plan-request.ts';
import type { PlanObserver, PlanResult, PlanSection, PlanStrategyName } from './plan-types.ts';
import { buildPromptContext } from './prompt-builder.ts';
import type { Language, SectionKey } from '../prompts/section-keys.ts';
import { runSingle } from './single-strategy.ts';

export interface PlanOptions {
  readonly strategy: PlanStrategyName;
  readonly onEvent?: PlanObserver;
  readonly signal?: AbortSignal;
  /** For a re-run: what changed and the previous revision's decisions. */
  readonly previous?: PromptPrevious;
  /** Output of an interrupted earlier attempt: these are not generated again. */
  readonly resume?: { readonly skeleton?: string; readonly sections: readonly PlanSection[] };
  /** The target API's spec and its facts as rendered for the prompt (src/grounding). */
  readonly spec?: { readonly document: SpecDocument; readonly facts: string };
}

/** The "what changed" summary of a re-run: one bullet per section. */
export interface ChangeSummary extends ModelSpend {
  readonly text: string;
}

export interface Planner {
  readonly provider: ModelClient['provider'];
  readonly model: string;
  plan(request: PlanRequest, options: PlanOptions): Promise<PlanResult>;
  /** The sections a plan will have, in order, titled in the language. */
  outline(language: Language): readonly { readonly key: SectionKey; readonly number: number; readonly title: string }[];
  /** One model call choosing the spec operations (`METHOD /path`) the use case needs from the spec's index. */
  pickOperations(request: PlanRequest, operationIndex: string, signal?: AbortSignal): Promise<PickedOperations>;
  /** One small model call comparing two revisions section by section. */
  summarizeChanges(
    request: PlanRequest,
    previous: PromptPrevious,
    before: readonly PlanSection[],
    after: readonly PlanSection[],
    signal?: AbortSignal,
  ): Promise<ChangeSummary>;
  /** One model call answering a question about a plan in its thread (streamed through `callbacks`). */
  answer(context: QuestionContext, callbacks?: AnswerCallbacks): Promise<WrittenAnswer>;
}

/** Per section and side, so the summary call stays small whatever the plan's length. */
const SUMMARY_EXCERPT_CHARS = 2500;
const SUMMARY_MAX_TOKENS = 800;

function excerpt(text: string | undefined): string {
  if (text === undefined) return '';
  return text.length > SUMMARY_EXCERPT_CHARS ? `${text.slice(0, SUMMARY_EXCERPT_CHARS)}…` : text;
}

export interface PlannerDeps {
  readonly prompts: PromptLibrary;
  readonly model: ModelClient;
  readonly now?: () => number;
}

/** The numbered, titled sections of a plan prompt. */
function outlineOf(prompt: PlanPrompt): ReturnType<Planner['outline']> {
  return prompt.sections.map(({ key, number, title }) => ({ key, number, title }));
}

/** Runs one plan through the chosen strategy, reporting progress and timing it. */
async function runPlan(deps: Required<PlannerDeps>, request: PlanRequest, options: PlanOptions): Promise<PlanResult> {
  const started = deps.now();
  const spec = options.spec === undefined ? undefined : { facts: options.spec.facts };
  const { prompt, context } = buildPromptContext(deps.prompts, request, options.previous, spec);
  let firstSectionAt: number | undefined;
  const emit: PlanObserver = (event) => {
    if (event.type === 'section_done') firstSectionAt ??= deps.now();
    options.onEvent?.(event);
  };
  const done = new Map<SectionKey, PlanSection>(options.resume?.sections.map((section) => [section.key, section]));
  const run = createPlanGeneration({
    prompt,
    context,
    model: deps.model,
    emit,
    signal: options.signal,
    done,
    resumedSkeleton: options.resume?.skeleton,
    spec: options.spec?.document,
  });
  const { provider, model } = deps.model;
  const { strategy } = options;
  emit({ type: 'plan_started', strategy, provider, model, sections: outlineOf(prompt), figures: context.figures });
  const outcome = strategy === 'parallel' ? await runParallel(run) : await runSingle(run);
  const { usage, costUsd } = run.usage();
  return {
    provider,
    model,
    language: request.language,
    strategy,
    variation: request.variation,
    prompt: { id: prompt.id, version: prompt.version, hash: prompt.hash },
    figures: context.figures,
    skeleton: outcome.skeleton,
    sections: outcome.sections,
    usage,
    costUsd,
    durationMs: deps.now() - started,
    timeToFirstSectionMs: firstSectionAt === undefined ? undefined : firstSectionAt - started,
  };
}

/** The platform-neutral planner: runs a plan request through a strategy and reports progress. */
export function createPlanner(deps: PlannerDeps): Planner {
  const withClock = { ...deps, now: deps.now ?? (() => performance.now()) };
  return {
    provider: deps.model.provider,
    model: deps.model.model,
    plan: (request, options) => runPlan(withClock, request, options),
    outline: (language) => outlineOf(deps.prompts.plan(language)),
    pickOperations: (request, operationIndex, signal) => pickOperations(deps, request, operationIndex, signal),
    async summarizeChanges(request, previous, before, after, signal) {
      const { prompt, context } = buildPromptContext(deps.prompts, request, previous);
      const comparisons = prompt.sections.map((section) => ({
        number: section.number,
        title: section.title,
        before: excerpt(before.find((candidate) => candidate.key === section.key)?.markdown),
        after: excerpt(after.find((candidate) => candidate.key === section.key)?.markdown),
      }));
      const result = await deps.model.complete({
        purpose: 'summary',
        system: prompt.render('system', context),
        messages: [{ role: 'user', content: prompt.render('summary', { ...context, comparisons }) }],
        maxTokens: SUMMARY_MAX_TOKENS,
        ...(signal ? { signal } : {}),
      });
      return { text: result.text.trim(), usage: result.usage, costUsd: result.costUsd };
    },
    answer: (context, callbacks) => writeAnswer(deps, context, callbacks),
  };
}
