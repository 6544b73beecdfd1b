import type { ModelClient, ModelSpend } from '../llm/model-client.ts';
import type { PromptLibrary } from '../prompts/load-prompts.ts';
import type { PlanRequest } from './plan-request.ts';
import { buildPromptContext } from './prompt-builder.ts';

const PICK_MAX_TOKENS = 800;
const OPERATION_LINE =
  /^\s*(?:[-*]\s*|\d+[.)]\s*)?`?((?:GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE) \/\S*?)`?\s*(?:\|.*)?$/iu;

/** The operations the model chose, as `METHOD /path` (unchecked: the caller keeps only those of the spec). */
export interface PickedOperations extends ModelSpend {
  readonly ids: readonly string[];
}

/**
 * One small model call: which of the spec's operations the use case needs. A model reads a German
 * use case against English operation summaries where word overlap finds nothing.
 */
export async function pickOperations(
  deps: { readonly prompts: PromptLibrary; readonly model: ModelClient },
  request: PlanRequest,
  operationIndex: string,
  signal?: AbortSignal,
): Promise<PickedOperations> {
  const { prompt, context } = buildPromptContext(deps.prompts, request);
  const result = await deps.model.complete({
    purpose: 'pick',
    system: prompt.render('system', context),
    messages: [{ role: 'user', content: prompt.render('pick', { ...context, operationIndex }) }],
    maxTokens: PICK_MAX_TOKENS,
    ...(signal ? { signal } : {}),
  });
  const ids = result.text
    .split('\n')
    .map((line) => OPERATION_LINE.exec(line)?.[1])
    .filter((id): id is string => id !== undefined)
    .map((id) => id.replace(/^\S+/u, (method) => method.toUpperCase()));
  return { ids, usage: result.usage, costUsd: result.costUsd };
}
