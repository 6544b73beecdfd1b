import { AppError, asAppError } from '../errors.ts';
import { describeChanges } from '../core/field-changes.ts';
import type { Planner } from '../core/planner.ts';
import type { PlanEvent, PlanSection } from '../core/plan-types.ts';
import type { SectionKey } from '../core/section-keys.ts';
import { addSpend, ZERO_SPEND, type ModelSpend } from '../llm/model-client.ts';
import type { Logger } from '../logger.ts';
import { addLogContext, withLogContext } from '../log-context.ts';
import type { PromptPrevious } from '../prompts/prompt-context.ts';
import type {
  Platform,
  PlanRecord,
  RevisionRecord,
  RevisionWithSections,
  SectionRecord,
} from '../store/plan-records.ts';
import type { PlanStore } from '../store/plan-store.ts';
import { logFieldsOf, threadRootOf } from '../store/message-refs.ts';
import type { DeliveryTarget, PlanDelivery, SectionOutline } from './plan-delivery.ts';
import type { PlanJob } from './plan-queue.ts';
import { createSectionDispatcher } from './section-dispatcher.ts';

/** Told how revisions end (metrics); must not throw. */
export interface PlanJobObserver {
  finished(plan: PlanRecord, revision: RevisionRecord): void;
  failed(plan: PlanRecord, revision: RevisionRecord, code: string): void;
}

export interface PlanJobDeps {
  readonly store: PlanStore;
  readonly planner: Planner;
  readonly deliveries: Readonly<Partial<Record<Platform, PlanDelivery>>>;
  readonly logger: Logger;
  readonly observer?: PlanJobObserver | undefined;
}

/** Sections as the planner resumes them: stored text counts as done. */
function toPlanSection(section: SectionRecord): PlanSection {
  return {
    key: section.key as SectionKey,
    number: section.position,
    title: section.title,
    markdown: section.markdown,
    missingItems: section.missingItems,
  };
}

/** Where the plan lives, for log lines: read from its typed thread (or origin) reference. */
function platformIds(plan: PlanRecord): Record<string, string> {
  return { ...logFieldsOf(plan.origin), ...logFieldsOf(plan.threadRef) };
}

/** Posts (or reuses) the revision's parent and records where it is, and the plan's thread. */
async function begin(
  deps: PlanJobDeps,
  delivery: PlanDelivery | undefined,
  target: DeliveryTarget,
  outline: readonly SectionOutline[],
) {
  const { plan, revision } = target;
  const { workspaceId } = plan;
  const parent = await delivery?.begin(target, outline, revision.messageRef);
  if (parent !== undefined && revision.messageRef === undefined)
    await deps.store.setRevisionMessageRef(workspaceId, revision.id, parent);
  // The first revision's thread is the plan's thread: later revisions post into it.
  const thread = parent === undefined ? undefined : threadRootOf(parent);
  if (thread !== undefined && plan.threadRef === undefined) await deps.store.setThreadRef(workspaceId, plan.id, thread);
}

/** A re-run sees what changed and the previous revision's decisions. */
async function previousContext(deps: PlanJobDeps, target: DeliveryTarget) {
  const { revision, plan } = target;
  if (revision.number <= 1) return undefined;
  const before = await deps.store.getRevision(plan.workspaceId, plan.number, revision.number - 1);
  if (before === undefined) return undefined;
  const decisions =
    before.skeleton ?? before.sections.find((section) => section.key === 'architecture')?.markdown ?? '';
  const previous: PromptPrevious = {
    revision: before.number,
    nextRevision: revision.number,
    changes: describeChanges(revision.changes, revision.request.language),
    skeleton: decisions.slice(0, 4000),
  };
  return { previous, before };
}

/**
 * Serialises the side effects of a plan run (store, then deliver) in event order, while the
 * planner keeps generating. The first failure is kept and rethrown when the run is drained.
 */
function createEffectChain(logger: Logger) {
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown;
  return {
    add(effect: () => Promise<void>) {
      chain = chain.then(effect).catch((error: unknown) => {
        failure ??= error;
        logger.warn({ err: error }, 'plan side effect failed');
      });
    },
    async drain() {
      await chain;
      if (failure !== undefined) throw asAppError(failure);
    },
  };
}

/**
 * One attempt at a plan job. Exactly-once effect on top of pg-boss's at-least-once execution:
 * each generated section is stored before it is delivered, a retried attempt reuses stored
 * sections instead of asking the model again, and delivery gets the stored message references.
 * Retryable failures are rethrown (pg-boss retries with backoff) until the last attempt; then,
 * and for any other failure, the revision ends `failed` and the user is told.
 */
export function runPlanJob(deps: PlanJobDeps, job: PlanJob): Promise<void> {
  const { workspaceId, revisionId } = job.data;
  const fields = {
    jobId: job.id,
    revisionId,
    workspaceId,
    attempt: job.retryCount + 1,
    ...(job.handBacks > 0 ? { handBacks: job.handBacks } : {}),
  };
  return withLogContext(fields, () => runPlanAttempt(deps, job));
}

async function runPlanAttempt(deps: PlanJobDeps, job: PlanJob): Promise<void> {
  const { store, planner } = deps;
  const { workspaceId, revisionId } = job.data;
  const log = deps.logger;
  log.debug('plan job started');
  const revision = await store.getRevisionById(workspaceId, revisionId);
  const plan = revision === undefined ? undefined : await store.findPlanById(workspaceId, revision.planId);
  if (revision === undefined || plan === undefined || revision.status === 'done') {
    log.info({ status: revision?.status }, 'plan job has nothing to do');
    return;
  }
  const target: DeliveryTarget = { plan, revision };
  const delivery = deps.deliveries[plan.platform];
  // From here on, every line written for this attempt (delivery, Slack's and Teams' clients,
  // the model SDK) names the plan too.
  addLogContext({
    planId: plan.id,
    planNumber: plan.number,
    revision: revision.number,
    platform: plan.platform,
    ...platformIds(plan),
  });
  // Stops the model early when posting the parent fails: tokens for a plan nobody sees are waste.
  const stopPlanning = new AbortController();
  let begun: Promise<void> = Promise.resolve();
  const effects = createEffectChain(log);
  try {
    await store.markRunning(workspaceId, revisionId);
    // The parent and its placeholders are posted while the model already writes (Slack paces
    // posts at about one a second, so waiting for them would delay every plan by seconds).
    // Effects run in order, so no section is stored or delivered before the parent exists.
    begun = begin(deps, delivery, target, planner.outline(revision.request.language)).catch((error: unknown) => {
      stopPlanning.abort(error);
      throw error;
    });
    begun.catch(() => undefined); // handled by the effects chain and the failure path below
    effects.add(() => begun);
    const sections = createSectionDispatcher(store, delivery, target);
    const spend = createSpendRecorder(effects, (added) =>
      store.addUsage(workspaceId, revisionId, added.usage, added.costUsd),
    );
    // Once the parent failed, nothing more is stored or delivered: the plan is failing.
    const afterBegin = (effect: () => Promise<void>) => {
      effects.add(() => (stopPlanning.signal.aborted ? Promise.resolve() : effect()));
    };
    afterBegin(() => sections.resume());
    const context = await previousContext(deps, target);
    let result;
    try {
      result = await planner.plan(revision.request, {
        strategy: revision.strategy,
        signal: AbortSignal.any([job.signal, stopPlanning.signal]),
        ...(context ? { previous: context.previous } : {}),
        resume: {
          sections: revision.sections.map(toPlanSection),
          ...(revision.skeleton ? { skeleton: revision.skeleton } : {}),
        },
        onEvent: (event: PlanEvent) => {
          delivery?.progress(target, event);
          if (event.type === 'skeleton_done')
            afterBegin(() => store.saveSkeleton(workspaceId, revisionId, event.skeleton));
          if (event.type === 'section_done') afterBegin(() => sections.add(event.section));
          // Every call is paid for, whether or not the plan gets delivered.
          if (event.type === 'usage') spend.add(event.added);
        },
      });
    } catch (error) {
      // The parent could not be posted: that failure, not the abort it caused, is the story.
      if (stopPlanning.signal.aborted && !job.signal.aborted) throw asAppError(stopPlanning.signal.reason);
      throw error;
    }
    await effects.drain();
    // The summary before `done`, so whoever sees the revision done sees its summary too.
    if (context !== undefined) await summarize(deps, job, target, context, result.sections, log);
    await store.completeRevision(workspaceId, revisionId, result);
    const done = await store.getRevisionById(workspaceId, revisionId);
    if (done !== undefined) {
      deps.observer?.finished(plan, done);
      await delivery?.finish(target, done, done.sections);
    }
    log.info({ durationMs: Math.round(result.durationMs), costUsd: done?.costUsd ?? result.costUsd }, 'plan done');
  } catch (error) {
    // A failure is reported on the parent, so the parent must be posted (or have failed) first.
    await begun.catch(() => undefined);
    // Store (and post) what was already written and paid for before the job is retried or handed
    // back, so the attempt that resumes it neither asks the model for it again nor updates its
    // message a second time. The queue waits for this before closing.
    await effects.drain().catch(() => undefined);
    await handleFailure(deps, delivery, target, job, asAppError(error), log);
  }
}

/**
 * Stores what model calls cost as they complete, in order with the other effects. Calls that
 * complete while a write is queued are added up into it: the parallel strategy's sections end
 * close together, and one UPDATE then records several of them.
 */
function createSpendRecorder(
  effects: ReturnType<typeof createEffectChain>,
  write: (spent: ModelSpend) => Promise<void>,
) {
  let pending: ModelSpend | undefined;
  return {
    add(spent: ModelSpend) {
      const queued = pending !== undefined;
      pending = addSpend(pending ?? ZERO_SPEND, spent);
      if (queued) return;
      effects.add(() => {
        const due = pending ?? ZERO_SPEND;
        pending = undefined;
        return write(due);
      });
    },
  };
}

async function summarize(
  deps: PlanJobDeps,
  job: PlanJob,
  target: DeliveryTarget,
  context: { previous: PromptPrevious; before: RevisionWithSections },
  after: readonly PlanSection[],
  log: Logger,
): Promise<void> {
  const before = context.before.sections.map(toPlanSection);
  try {
    const summary = await deps.planner.summarizeChanges(
      target.revision.request,
      context.previous,
      before,
      after,
      job.signal,
    );
    await deps.store.addUsage(target.plan.workspaceId, target.revision.id, summary.usage, summary.costUsd);
    await deps.store.saveChangeSummary(target.plan.workspaceId, target.revision.id, summary.text);
  } catch (error) {
    // The plan itself is done; a missing summary is worth a log line, not a failed plan.
    log.warn({ err: asAppError(error) }, 'change summary failed');
  }
}

async function handleFailure(
  deps: PlanJobDeps,
  delivery: PlanDelivery | undefined,
  target: DeliveryTarget,
  job: PlanJob,
  error: AppError,
  log: Logger,
): Promise<void> {
  if (job.signal.aborted) {
    // The worker is stopping or the job expired: hand it back to the queue as it is.
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
  await delivery?.fail(target, error);
}

/** A job that ran out of attempts without finishing (its worker died each time): fail it visibly. */
export function abandonPlanJob(deps: PlanJobDeps, job: PlanJob): Promise<void> {
  return withLogContext({ jobId: job.id, revisionId: job.data.revisionId, workspaceId: job.data.workspaceId }, () =>
    abandon(deps, job),
  );
}

async function abandon(deps: PlanJobDeps, job: PlanJob): Promise<void> {
  const { workspaceId, revisionId } = job.data;
  const revision = await deps.store.getRevisionById(workspaceId, revisionId);
  if (revision === undefined || revision.status === 'done' || revision.status === 'failed') return;
  const plan = await deps.store.findPlanById(workspaceId, revision.planId);
  if (plan === undefined) return;
  const error = new AppError('PLAN_INTERRUPTED', `plan job ${job.id} ran out of attempts`);
  addLogContext({
    planId: plan.id,
    planNumber: plan.number,
    revision: revision.number,
    platform: plan.platform,
    ...platformIds(plan),
  });
  deps.logger.error('plan job abandoned');
  await deps.store.failRevision(workspaceId, revisionId, error.code);
  await deps.deliveries[plan.platform]?.fail({ plan, revision }, error);
}
