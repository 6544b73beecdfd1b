import type { PlanPrompt, PromptLibrary } from '../prompts/load-prompts.ts';
import type { PromptContext, PromptPrevious, PromptSection, PromptSpec } from '../prompts/prompt-context.ts';
import type { PlanRequest } from './plan-request.ts';
import type { PlanStrategyName } from './plan-types.ts';
import { computeScaleFigures, describeScaleFigures } from './scale-figures.ts';
import type { SectionDefinition } from '../prompts/section-keys.ts';

export function toPromptSection(section: SectionDefinition): PromptSection {
  return {
    key: section.key,
    number: section.number,
    title: section.title,
    items: section.items.map((item) => ({ id: item.id, label: item.label })),
  };
}

/** The template context for one plan: inputs, computed figures, variation, sections. */
export function buildPromptContext(
  prompts: PromptLibrary,
  request: PlanRequest,
  previous?: PromptPrevious,
  spec?: PromptSpec,
): { prompt: PlanPrompt; context: PromptContext } {
  const prompt = prompts.plan(request.language);
  const variation = prompts.variation(request.variation, request.language);
  const figures = describeScaleFigures(computeScaleFigures(request), request.language);
  const context: PromptContext = {
    language: request.language,
    inputs: {
      existingSystem: request.existingSystem,
      targetApi: request.targetApi,
      useCase: request.useCase,
      callsPerSecond: request.callsPerSecond,
      dataVolume: request.dataVolume,
      scaleNotes: request.scaleNotes,
      budget: request.budget,
    },
    figures,
    variation: { id: variation.id, label: variation.label, guidance: variation.guidance },
    sections: prompt.sections.map(toPromptSection),
    previous,
    spec,
  };
  return { prompt, context };
}

/** A rendered prompt as the model would receive it (for `--dry-run`). */
export interface RenderedPrompt {
  readonly purpose: string;
  readonly system: string;
  readonly user: string;
}

/** Every prompt a plan run sends, rendered; the skeleton's answer shows as a placeholder. */
export function renderPlanPrompts(
  prompts: PromptLibrary,
  request: PlanRequest,
  strategy: PlanStrategyName,
): RenderedPrompt[] {
  const { prompt, context } = buildPromptContext(prompts, request);
  const system = prompt.render('system', context);
  const contextText = prompt.render('context', context);
  if (strategy === 'single') {
    return [{ purpose: 'plan', system, user: `${contextText}\n\n${prompt.render('single', context)}` }];
  }
  const decisions = prompt.render('decisions', { ...context, skeleton: '(the answer to the skeleton prompt)' });
  return [
    { purpose: 'skeleton', system, user: `${contextText}\n\n${prompt.render('skeleton', context)}` },
    ...prompt.sections.map((section) => ({
      purpose: `section ${section.number}: ${section.key}`,
      system,
      user: `${contextText}\n\n${decisions}\n\n${prompt.render('section', { ...context, section })}`,
    })),
  ];
}
