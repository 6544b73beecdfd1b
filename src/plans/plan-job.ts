import { asAppError } from '../errors.ts';
import { describeChanges } from '../core/field-changes.ts';
import type { PlanEvent, PlanResult, PlanSection } from '../core/plan-types.ts';
import type { SectionKey } from '../prompts/section-keys.ts';
import { addLogContext, withLogContext } from '../log-context.ts';
import type { PromptPrevious } from '../prompts/prompt-context.ts';
import { threadRootOf } from '../store/message-refs.ts';
import type { RevisionWithSections, SectionRecord } from '../store/plan-records.ts';
import type { DeliveryTarget, PlanDelivery, SectionOutline } from './plan-delivery.ts';
import { createEffectChain, createSpendRecorder } from './plan-effects.ts';
import { handleFailure, planLogFields } from './plan-job-failure.ts';
import { groundingOf, withCatalogSpec, type PlanGrounding } from './plan-grounding.ts';
import type { PlanJobDeps } from './plan-job-deps.ts';
import type { PlanJob } from './plan-queue.ts';
import { createSectionDispatcher } from './section-dispatcher.ts';

/** What a re-run is written against: the previous revision and what changed since. */
interface PreviousContext {
  readonly previous: PromptPrevious;
  readonly before: RevisionWithSections;
}

/** Sections as the planner resumes them: stored text counts as done. */
function toPlanSection(section: SectionRecord): PlanSection {
  return {
    key: section.key as SectionKey,
    number: section.position,
    title: section.title,
    markdown: section.markdown,
    missingItems: section.missingItems,
    notInSpec: section.notInSpec,
  };
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
async function previousContext(deps: PlanJobDeps, target: DeliveryTarget): Promise<PreviousContext | undefined> {
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
 * One plan job. Exactly-once effect on top of pg-boss's at-least-once execution: each generated
 * section is stored before it is delivered, a retried attempt reuses stored sections instead of
 * asking the model again, and delivery gets the stored message references. How a failed attempt
 * ends: see handleFailure().
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
  const { workspaceId, revisionId } = job.data;
  deps.logger.debug('plan job started');
  const stored = await deps.store.getRevisionById(workspaceId, revisionId);
  const plan = stored === undefined ? undefined : await deps.store.findPlanById(workspaceId, stored.planId);
  if (stored === undefined || plan === undefined || stored.status === 'done') {
    deps.logger.info({ status: stored?.status }, 'plan job has nothing to do');
    return;
  }
  const revision = await withCatalogSpec(deps, stored);
  // From here on, every line written for this attempt (delivery, SDK clients) names the plan too.
  addLogContext(planLogFields(plan, revision));
  const target: DeliveryTarget = { plan, revision };
  const attempt = createAttempt(deps, target, job);
  try {
    await deps.store.markRunning(workspaceId, revisionId);
    attempt.begin();
    const context = await previousContext(deps, target);
    const result = await attempt.write(context, await groundingOf(deps, revision, job.signal));
    await attempt.effects.drain();
    await complete(deps, target, job, context, result);
  } catch (error) {
    await attempt.settle();
    await handleFailure(deps, target, job, asAppError(error));
  }
}

/** Asks the planner for the revision, resuming from its stored skeleton and sections. */
function writePlan(
  deps: PlanJobDeps,
  revision: RevisionWithSections,
  signal: AbortSignal,
  context: PreviousContext | undefined,
  grounding: PlanGrounding | undefined,
  onEvent: (event: PlanEvent) => void,
): Promise<PlanResult> {
  return deps.planner.plan(revision.request, {
    strategy: revision.strategy,
    signal,
    ...(context ? { previous: context.previous } : {}),
    ...(grounding ? { spec: grounding } : {}),
    resume: {
      sections: revision.sections.map(toPlanSection),
      ...(revision.skeleton ? { skeleton: revision.skeleton } : {}),
    },
    onEvent,
  });
}

/**
 * The moving parts of one attempt: the parent is posted while the model already writes (Slack
 * paces posts at about one a second, so waiting for it would delay every plan by seconds), and
 * every effect (store, deliver, record spend) runs in event order after it, so no section is
 * stored or delivered before the parent exists. When posting the parent fails, the model is
 * stopped: tokens for a plan nobody sees are waste.
 */
function createAttempt(deps: PlanJobDeps, target: DeliveryTarget, job: PlanJob) {
  const { store } = deps;
  const { workspaceId } = target.plan;
  const { revision } = target;
  const delivery = deps.deliveries[target.plan.platform];
  const stopPlanning = new AbortController();
  const effects = createEffectChain(deps.logger);
  const sections = createSectionDispatcher(store, delivery, target);
  const spend = createSpendRecorder(effects, (added) =>
    store.addUsage(workspaceId, revision.id, added.usage, added.costUsd),
  );
  let begun: Promise<void> = Promise.resolve();
  // Once the parent failed, nothing more is stored or delivered: the plan is failing.
  const afterBegin = (effect: () => Promise<void>) => {
    effects.add(() => (stopPlanning.signal.aborted ? Promise.resolve() : effect()));
  };
  const onEvent = (event: PlanEvent) => {
    delivery?.progress(target, event);
    if (event.type === 'skeleton_done') afterBegin(() => store.saveSkeleton(workspaceId, revision.id, event.skeleton));
    if (event.type === 'section_done') afterBegin(() => sections.add(event.section));
    // Every call is paid for, whether or not the plan gets delivered.
    if (event.type === 'usage') spend.add(event.added);
  };
  return {
    effects,
    begin() {
      begun = begin(deps, delivery, target, deps.planner.outline(revision.request.language)).catch((error: unknown) => {
        stopPlanning.abort(error);
        throw error;
      });
      begun.catch(() => undefined); // handled by the effects chain and the failure path
      effects.add(() => begun);
      afterBegin(() => sections.resume());
    },
    async write(context: PreviousContext | undefined, grounding: PlanGrounding | undefined): Promise<PlanResult> {
      const signal = AbortSignal.any([job.signal, stopPlanning.signal]);
      try {
        return await writePlan(deps, revision, signal, context, grounding, onEvent);
      } catch (error) {
        // The parent could not be posted: that failure, not the abort it caused, is the story.
        if (stopPlanning.signal.aborted && !job.signal.aborted) throw asAppError(stopPlanning.signal.reason);
        throw error;
      }
    },
    /**
     * After a failure: the parent must be posted (or have failed) first, as the failure is shown
     * on it; and what was written and paid for is stored and posted before the job is retried or
     * handed back, so the next attempt neither asks the model for it again nor posts it twice.
     */
    async settle() {
      await begun.catch(() => undefined);
      await effects.drain().catch(() => undefined);
    },
  };
}

/** The revision is written: its change summary (re-runs), then done, then the parent says so. */
async function complete(
  deps: PlanJobDeps,
  target: DeliveryTarget,
  job: PlanJob,
  context: PreviousContext | undefined,
  result: PlanResult,
): Promise<void> {
  const { workspaceId } = target.plan;
  const revisionId = target.revision.id;
  // The summary before `done`, so whoever sees the revision done sees its summary too.
  if (context !== undefined) await summarize(deps, job, target, context, result.sections);
  await deps.store.completeRevision(workspaceId, revisionId, result);
  const done = await deps.store.getRevisionById(workspaceId, revisionId);
  if (done !== undefined) {
    deps.observer?.finished(target.plan, done);
    await deps.deliveries[target.plan.platform]?.finish(target, done, done.sections);
  }
  const costUsd = done?.costUsd ?? result.costUsd;
  deps.logger.info({ durationMs: Math.round(result.durationMs), costUsd }, 'plan done');
}

async function summarize(
  deps: PlanJobDeps,
  job: PlanJob,
  target: DeliveryTarget,
  context: PreviousContext,
  after: readonly PlanSection[],
): Promise<void> {
  const before = context.before.sections.map(toPlanSection);
  const { request } = target.revision;
  try {
    const summary = await deps.planner.summarizeChanges(request, context.previous, before, after, job.signal);
    await deps.store.addUsage(target.plan.workspaceId, target.revision.id, summary.usage, summary.costUsd);
    await deps.store.saveChangeSummary(target.plan.workspaceId, target.revision.id, summary.text);
  } catch (error) {
    // The plan itself is done; a missing summary is worth a log line, not a failed plan.
    deps.logger.warn({ err: asAppError(error) }, 'change summary failed');
  }
}
