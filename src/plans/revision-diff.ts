import type { Language } from '../prompts/section-keys.ts';
import { SHARED_TEXTS } from '../render/shared-texts.ts';
import type { PlanStore } from '../store/plan-store.ts';
import type { PlanRecord } from '../store/plan-records.ts';
import { compareRevisions, type RevisionComparison } from '../render/revision-comparison.ts';

/** What asking for a comparison comes to; the surface says it in its own way. */
export type DiffOutcome =
  | { readonly kind: 'compared'; readonly plan: PlanRecord; readonly comparison: RevisionComparison }
  | { readonly kind: 'no-plan' }
  /** A revision number the plan does not have; `latest` says which it has. */
  | { readonly kind: 'no-revision'; readonly revision: number; readonly latest: number }
  /** The plan has one revision only, or both numbers are the same. */
  | { readonly kind: 'nothing-to-compare'; readonly latest: number };

/**
 * Compares two revisions of a plan of this workspace (another workspace's plan is "no plan");
 * without revision numbers the last two, with one the given revision and the latest.
 */
export async function comparePlanRevisions(
  store: PlanStore,
  workspaceId: string,
  planNumber: number,
  revisions: { readonly from?: number | undefined; readonly to?: number | undefined },
): Promise<DiffOutcome> {
  const plan = await store.findPlan(workspaceId, planNumber);
  if (plan === undefined) return { kind: 'no-plan' };
  const latest = plan.latestRevision;
  const to = revisions.to ?? latest;
  const from = revisions.from ?? to - 1;
  for (const revision of [to, from]) {
    if (revision > latest || (revision < 1 && latest > 1)) return { kind: 'no-revision', revision, latest };
  }
  if (from < 1 || from === to) return { kind: 'nothing-to-compare', latest };
  const [before, after] = await Promise.all([
    store.getRevision(workspaceId, planNumber, Math.min(from, to)),
    store.getRevision(workspaceId, planNumber, Math.max(from, to)),
  ]);
  if (before === undefined || after === undefined) return { kind: 'no-plan' };
  return { kind: 'compared', plan, comparison: compareRevisions(planNumber, before, after) };
}

/** What a surface says instead of a comparison, or undefined for a comparison to show. */
export function diffRefusal(outcome: DiffOutcome, planArgument: string, language: Language): string | undefined {
  const t = SHARED_TEXTS[language];
  switch (outcome.kind) {
    case 'compared':
      return undefined;
    case 'no-plan':
      return t.noPlan(planArgument);
    case 'no-revision':
      return t.diff.noRevision(outcome.revision, outcome.latest);
    case 'nothing-to-compare':
      return t.diff.nothing(outcome.latest);
  }
}
