import type { ModelResult } from '../llm/model-client.ts';
import type { Metrics } from './metrics.ts';

/**
 * Counts each completed model call's tokens and cost as it completes: calls of attempts that
 * failed or were handed back, and re-runs' change summaries, cost money too.
 */
export function modelCallObserver(metrics: Metrics): (result: ModelResult) => void {
  return (result) => {
    const model = { provider: result.provider, model: result.model };
    const { usage } = result;
    metrics.modelTokens.inc({ ...model, kind: 'input' }, usage.inputTokens);
    metrics.modelTokens.inc({ ...model, kind: 'output' }, usage.outputTokens);
    metrics.modelTokens.inc({ ...model, kind: 'cache_read' }, usage.cacheReadTokens);
    metrics.modelTokens.inc({ ...model, kind: 'cache_write' }, usage.cacheWriteTokens);
    metrics.modelCost.inc(model, result.costUsd);
  };
}
