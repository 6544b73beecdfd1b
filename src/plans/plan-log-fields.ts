import { logFieldsOf } from '../store/message-refs.ts';
import type { PlanRecord, RevisionRecord } from '../store/plan-records.ts';

/** What every log line of a plan job names: the plan, the revision and where the plan lives. */
export function planLogFields(plan: PlanRecord, revision: RevisionRecord): Record<string, string | number> {
  return {
    planId: plan.id,
    planNumber: plan.number,
    revision: revision.number,
    platform: plan.platform,
    ...logFieldsOf(plan.origin),
    ...logFieldsOf(plan.threadRef),
  };
}
