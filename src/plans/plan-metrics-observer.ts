import type { Metrics } from '../observability/metrics.ts';
import type { PlanJobObserver } from './plan-job-deps.ts';

/** Turns finished and failed revisions into the plan duration metrics. */
export function planMetricsObserver(metrics: Metrics): PlanJobObserver {
  return {
    finished(plan, revision) {
      const labels = { platform: plan.platform, strategy: revision.strategy };
      if (revision.durationMs !== undefined)
        metrics.planDuration.observe({ ...labels, status: 'done' }, revision.durationMs / 1000);
      if (revision.firstSectionMs !== undefined) metrics.firstSection.observe(labels, revision.firstSectionMs / 1000);
    },
    failed(plan, revision) {
      const started = revision.startedAt?.getTime();
      if (started === undefined) return;
      metrics.planDuration.observe(
        { platform: plan.platform, strategy: revision.strategy, status: 'failed' },
        (Date.now() - started) / 1000,
      );
    },
  };
}
