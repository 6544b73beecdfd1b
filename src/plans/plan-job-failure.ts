import { AppError } from '../errors.ts';
import { withLogContext, addLogContext } from '../log-context.ts';
import { logFieldsOf } from '../store/message-refs.ts';
import type { PlanRecord, RevisionRecord } from '../store/plan-records.ts';
import type { DeliveryTarget } from './plan-delivery.ts';
import type { PlanJobDeps } from './plan-job-deps.ts';
import type { PlanJob } from './plan-queue.ts';

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

/**
 * How an attempt that threw ends: handed back when the worker stops (resumed from its stored
 * sections), rethrown for pg-boss to retry while retries are left, else the revision fails and
 * the requester is told with the fixed text for the error.
 */
export async function handleFailure(deps: PlanJobDeps, target: DeliveryTarget, job: PlanJob, error: AppError) {
  const log = deps.logger;
  if (job.signal.aborted) {
    // No error code: this is a hand-back (worker stopping, job expired), not a failure of the plan.
    log.warn(
      { reason: error.message },
      'plan job interrupted; it goes back to the queue and resumes from its stored sections',
    );
    throw error;
  }
  const lastAttempt = job.retryCount >= job.retryLimit;
  if (error.retryable && !lastAttempt) {
    log.warn({ err: error, code: error.code }, 'plan attempt failed; retrying');
    throw error;
  }
  log.error({ err: error, code: error.code, requestId: error.requestId }, 'plan failed');
  await deps.store.failRevision(target.plan.workspaceId, target.revision.id, error.code);
  deps.observer?.failed(target.plan, target.revision, error.code);
  await deps.deliveries[target.plan.platform]?.fail(target, error);
}

/** A job that ran out of attempts without finishing (its worker died each time): fail it visibly. */
export function abandonPlanJob(deps: PlanJobDeps, job: PlanJob): Promise<void> {
  const { workspaceId, revisionId } = job.data;
  return withLogContext({ jobId: job.id, revisionId, workspaceId }, async () => {
    const revision = await deps.store.getRevisionById(workspaceId, revisionId);
    if (revision === undefined || revision.status === 'done' || revision.status === 'failed') return;
    const plan = await deps.store.findPlanById(workspaceId, revision.planId);
    if (plan === undefined) return;
    const error = new AppError('PLAN_INTERRUPTED', `plan job ${job.id} ran out of attempts`);
    addLogContext(planLogFields(plan, revision));
    deps.logger.error('plan job abandoned');
    await deps.store.failRevision(workspaceId, revisionId, error.code);
    await deps.deliveries[plan.platform]?.fail({ plan, revision }, error);
  });
}
