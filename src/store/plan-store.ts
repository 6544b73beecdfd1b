import { createApiSpecStore, type ApiSpecStore } from './api-specs.ts';
import { createDecisionStore, type DecisionStore } from './decisions.ts';
import { createPlanCanvasStore, type PlanCanvasStore } from './plan-canvas.ts';
import { createPendingSpecStore, type PendingSpecStore } from './pending-specs.ts';
import { createQuestionStore, type QuestionStore } from './questions.ts';
import { sqlStateOf, type Database, type Queryable } from './database.ts';
import { planCreation, type PlanCreation } from './plan-creation.ts';
import { createPlanReads, type PlanReads } from './plan-reads.ts';
import { createRevisionLifecycle, type RevisionLifecycle } from './revision-lifecycle.ts';

/** The plans of one workspace, never another's: every method takes the workspace id. */
export interface PlanStore
  extends
    PlanCreation,
    PlanReads,
    RevisionLifecycle,
    ApiSpecStore,
    PendingSpecStore,
    DecisionStore,
    PlanCanvasStore,
    QuestionStore {}

/** The plan store on one database: creation, reads, revision lifecycle and message references. */
export function createPlanStore(db: Database): PlanStore {
  return {
    ...planCreation,
    ...createPlanReads(db),
    ...createRevisionLifecycle(db),
    ...createApiSpecStore(db),
    ...createPendingSpecStore(db),
    ...createDecisionStore(db),
    ...createPlanCanvasStore(db),
    ...createQuestionStore(db),
  };
}

/** Runs `work` in a transaction and, if a concurrent call won the idempotency key, re-reads its result. */
export async function idempotent<T>(
  db: Database,
  work: (tx: Queryable) => Promise<T>,
  reread: () => Promise<T>,
): Promise<T> {
  try {
    return await db.transaction(work);
  } catch (error) {
    if (sqlStateOf(error) === '23505') return reread(); // unique_violation
    throw error;
  }
}
