import type { Database, Queryable } from './database.ts';
import { planCreation, type PlanCreation } from './plan-creation.ts';
import { createPlanReads, type PlanReads } from './plan-reads.ts';
import { createRevisionLifecycle, type RevisionLifecycle } from './revision-lifecycle.ts';

/** The plans of one workspace, never another's: every method takes the workspace id. */
export interface PlanStore extends PlanCreation, PlanReads, RevisionLifecycle {}

/** The plan store on one database: creation, reads, revision lifecycle and message references. */
export function createPlanStore(db: Database): PlanStore {
  return {
    ...planCreation,
    ...createPlanReads(db),
    ...createRevisionLifecycle(db),
  };
}

const UNIQUE_VIOLATION = '23505';

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === UNIQUE_VIOLATION;
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
    if (isUniqueViolation(error)) return reread();
    throw error;
  }
}
