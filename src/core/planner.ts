import type { ModelClient } from '../llm/model-client.ts';
import type { PromptLibrary } from '../prompts/load-prompts.ts';
import type { PromptPrevious } from '../prompts/prompt-context.ts';
import { runParallel } from './parallel-strategy.ts';
import { createPlanRun } from './plan-run.ts';
import type { PlanRequest } from './plan-request.ts';
import type { PlanObserver, PlanResult, PlanSection, PlanStrategyName } from './plan-types.ts';
import { buildPromptContext } from './prompt-builder.ts';
import type { SectionKey } from './section-keys.ts';
import { runSingle } from './single-strategy.ts';

export interface PlanOptions {
  readonly strategy: PlanStrategyName;
  readonly onEvent?: PlanObserver;
  readonly signal?: AbortSignal;
  /** For a re-run: what changed and the previous revision's decisions. */
  readonly previous?: PromptPrevious;
  /** Output of an interrupted earlier attempt: these are not generated again. */
  readonly resume?: { readonly skeleton?: string; readonly sections: readonly PlanSection[] };
}

export interface Planner {
  readonly provider: ModelClient['provider'];
  readonly model: string;
  plan(request: PlanRequest, options: PlanOptions): Promise<PlanResult>;
}

export interface PlannerDeps {
  readonly prompts: PromptLibrary;
  readonly model: ModelClient;
  readonly now?: () => number;
}

/** The platform-neutral planner: runs a plan request through a strategy and reports progress. */
export function createPlanner(deps: PlannerDeps): Planner {
  const now = deps.now ?? (() => performance.now());
  return {
    provider: deps.model.provider,
    model: deps.model.model,
    async plan(request, options) {
      const started = now();
      const { prompt, context } = buildPromptContext(deps.prompts, request, options.previous);
      let firstSectionAt: number | undefined;
      const emit: PlanObserver = (event) => {
        if (event.type === 'section_done') firstSectionAt ??= now();
        options.onEvent?.(event);
      };
      const done = new Map<SectionKey, PlanSection>(options.resume?.sections.map((section) => [section.key, section]));
      const run = createPlanRun({
        prompt,
        context,
        model: deps.model,
        emit,
        signal: options.signal,
        done,
        resumedSkeleton: options.resume?.skeleton,
      });
      emit({
        type: 'plan_started',
        strategy: options.strategy,
        provider: deps.model.provider,
        model: deps.model.model,
        sections: prompt.sections.map(({ key, number, title }) => ({ key, number, title })),
        figures: context.figures,
      });
      const outcome = options.strategy === 'parallel' ? await runParallel(run) : await runSingle(run);
      const { usage, costUsd } = run.usage();
      return {
        provider: deps.model.provider,
        model: deps.model.model,
        language: request.language,
        strategy: options.strategy,
        variation: request.variation,
        prompt: { id: prompt.id, version: prompt.version, hash: prompt.hash },
        figures: context.figures,
        skeleton: outcome.skeleton,
        sections: outcome.sections,
        usage,
        costUsd,
        durationMs: now() - started,
        timeToFirstSectionMs: firstSectionAt === undefined ? undefined : firstSectionAt - started,
      };
    },
  };
}
