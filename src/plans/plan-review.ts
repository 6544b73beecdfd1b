import type { Language } from '../prompts/section-keys.ts';
import { REVIEW_TEXTS } from '../render/review-texts.ts';
import type { DecisionRecord } from '../store/decisions.ts';
import type { DecisionKind, Platform, PlanRecord, RevisionWithSections } from '../store/plan-records.ts';
import type { PlanStore } from '../store/plan-store.ts';

/** At most this much of a "changes requested" reason is kept (the form says so). */
export const MAX_REASON_CHARS = 1000;

export interface DecisionRequest {
  readonly workspaceId: string;
  readonly planNumber: number;
  readonly revisionNumber: number;
  readonly kind: DecisionKind;
  /** Required for "changes requested". */
  readonly reason?: string | undefined;
  readonly decidedBy: string;
  readonly platform: Platform;
}

/** What became of a decision; the surface shows it in its own way. */
export type DecisionOutcome =
  | {
      readonly kind: 'recorded';
      readonly plan: PlanRecord;
      readonly revision: RevisionWithSections;
      readonly decision: DecisionRecord;
    }
  /** PLAN_APPROVERS is set and does not name this person: nothing was recorded. */
  | { readonly kind: 'not-allowed' }
  | { readonly kind: 'no-plan' }
  /** The revision is still being written or failed: there is nothing to decide on yet. */
  | { readonly kind: 'not-finished' }
  | { readonly kind: 'reason-needed' };

/**
 * Records "approved" or "changes requested" (with its reason) on a finished revision of a plan
 * of this workspace, when the person may decide: anyone without PLAN_APPROVERS, else only those
 * it names. Decisions are kept in order; the latest is the revision's state.
 */
export async function decideRevision(
  deps: { readonly store: PlanStore; readonly approvers: ReadonlySet<string> | undefined },
  request: DecisionRequest,
): Promise<DecisionOutcome> {
  if (deps.approvers !== undefined && !deps.approvers.has(request.decidedBy)) return { kind: 'not-allowed' };
  const reason = request.reason?.trim().slice(0, MAX_REASON_CHARS);
  if (request.kind === 'changes_requested' && (reason === undefined || reason === '')) return { kind: 'reason-needed' };
  const { workspaceId, planNumber } = request;
  const plan = await deps.store.findPlan(workspaceId, planNumber);
  const revision = plan && (await deps.store.getRevision(workspaceId, planNumber, request.revisionNumber));
  if (plan === undefined || revision === undefined) return { kind: 'no-plan' };
  if (revision.status !== 'done') return { kind: 'not-finished' };
  const decision = await deps.store.recordDecision(workspaceId, revision.id, {
    kind: request.kind,
    reason: request.kind === 'approved' ? undefined : reason,
    decidedBy: request.decidedBy,
    platform: request.platform,
  });
  return { kind: 'recorded', plan, revision, decision };
}

/** What a surface says instead of showing a decision, in the revision's language; undefined once recorded. */
export function decisionRefusal(outcome: DecisionOutcome, language: Language): string | undefined {
  const t = REVIEW_TEXTS[language];
  switch (outcome.kind) {
    case 'recorded':
      return undefined;
    case 'not-allowed':
      return t.notAllowed;
    case 'not-finished':
      return t.notFinished;
    case 'reason-needed':
      return t.reasonNeeded;
    case 'no-plan':
      return t.gone;
  }
}
