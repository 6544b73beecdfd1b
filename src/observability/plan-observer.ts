import type { PlanJobObserver } from '../jobs/run-plan-job.ts';
import type { Metrics } from './metrics.ts';

/** Turns finished and failed revisions into the plan, token and cost metrics. */
export function planMetricsObserver(metrics: Metrics): PlanJobObserver {
  return {
    finished(plan, revision) {
      const labels = { platform: plan.platform, strategy: revision.strategy };
      if (revision.durationMs !== undefined) metrics.planDuration.observe({ ...labels, status: 'done' }, revision.durationMs / 1000);
      if (revision.firstSectionMs !== undefined) metrics.firstSection.observe(labels, revision.firstSectionMs / 1000);
      const model = { provider: revision.provider, model: revision.model };
      const { usage } = revision;
      metrics.modelTokens.inc({ ...model, kind: 'input' }, usage.inputTokens);
      metrics.modelTokens.inc({ ...model, kind: 'output' }, usage.outputTokens);
      metrics.modelTokens.inc({ ...model, kind: 'cache_read' }, usage.cacheReadTokens);
      metrics.modelTokens.inc({ ...model, kind: 'cache_write' }, usage.cacheWriteTokens);
      metrics.modelCost.inc(model, revision.costUsd);
    },
    failed(plan, revision) {
      const started = revision.startedAt?.getTime();
      if (started === undefined) return;
      metrics.planDuration.observe({ platform: plan.platform, strategy: revision.strategy, status: 'failed' }, (Date.now() - started) / 1000);
    },
  };
}
