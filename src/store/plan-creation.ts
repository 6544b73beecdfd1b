import { planTitle } from '../core/plan-title.ts';
import type { Queryable } from './database.ts';
import type { CreatedRevision, NewPlan, NewRevision, RevisionRecord } from './plan-records.ts';
import { readByIdempotencyKey } from './plan-reads.ts';
import { toPlan, toRevision, type PlanRow, type RevisionRow } from './row-mapping.ts';

/** New plans and revisions, made inside the caller's transaction so the job commits with them. */
export interface PlanCreation {
  /** Creates plan + revision 1, or returns what an earlier call with the same idempotency key made. */
  createPlan(tx: Queryable, input: NewPlan): Promise<CreatedRevision>;
  /** Creates the next revision of a plan (a re-run), idempotent like createPlan. */
  createRevision(
    tx: Queryable,
    workspaceId: string,
    planNumber: number,
    input: NewRevision,
  ): Promise<CreatedRevision | undefined>;
}

const titleOf = (input: NewPlan): string => planTitle(input.request);

async function insertRevision(
  tx: Queryable,
  planId: string,
  workspaceId: string,
  number: number,
  input: NewRevision,
): Promise<RevisionRecord> {
  const [revision] = await tx.query<RevisionRow>(
    `INSERT INTO plan_revisions (
       plan_id, workspace_id, number, inputs, variation, language, strategy, prompt_id, prompt_version,
       prompt_hash, provider, model, changes, requested_by, idempotency_key, spec)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
     RETURNING *`,
    [
      planId,
      workspaceId,
      number,
      JSON.stringify(input.request),
      input.request.variation,
      input.request.language,
      input.strategy,
      input.prompt.id,
      input.prompt.version,
      input.prompt.hash,
      input.provider,
      input.model,
      JSON.stringify(input.changes ?? []),
      input.requestedBy,
      input.idempotencyKey,
      input.spec === undefined ? null : JSON.stringify(input.spec),
    ],
  );
  if (revision === undefined) throw new Error('revision insert returned no row');
  return toRevision(revision);
}

async function insertPlan(tx: Queryable, input: NewPlan): Promise<PlanRow> {
  const [counter] = await tx.query<{ last_plan_number: number }>(
    `INSERT INTO workspace_counters (workspace_id, last_plan_number) VALUES ($1, 1)
     ON CONFLICT (workspace_id) DO UPDATE SET last_plan_number = workspace_counters.last_plan_number + 1
     RETURNING last_plan_number`,
    [input.workspaceId],
  );
  const [plan] = await tx.query<PlanRow>(
    `INSERT INTO plans (workspace_id, number, platform, origin, title, search_text, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [
      input.workspaceId,
      counter?.last_plan_number,
      input.platform,
      input.origin === undefined ? null : JSON.stringify(input.origin),
      titleOf(input),
      `${input.request.existingSystem}\n${input.request.targetApi}`.toLowerCase(),
      input.requestedBy,
    ],
  );
  if (plan === undefined) throw new Error('plan insert returned no row');
  return plan;
}

/** Plan and revision creation; plan numbers count per workspace, revision numbers per plan. */
export const planCreation: PlanCreation = {
  async createPlan(tx, input) {
    const existing = await readByIdempotencyKey(tx, input.workspaceId, input.idempotencyKey);
    if (existing !== undefined) return existing;
    const plan = await insertPlan(tx, input);
    const revision = await insertRevision(tx, plan.id, input.workspaceId, 1, input);
    return { plan: toPlan(plan), revision, created: true };
  },

  async createRevision(tx, workspaceId, planNumber, input) {
    const existing = await readByIdempotencyKey(tx, workspaceId, input.idempotencyKey);
    if (existing !== undefined) {
      if (existing.plan.number !== planNumber)
        throw new Error(`idempotency key ${input.idempotencyKey} belongs to another plan`);
      return existing;
    }
    // Locks the plan row so two re-runs at once get consecutive numbers.
    const [plan] = await tx.query<PlanRow>(
      `UPDATE plans SET latest_revision = latest_revision + 1 WHERE workspace_id = $1 AND number = $2 RETURNING *`,
      [workspaceId, planNumber],
    );
    if (plan === undefined) return undefined;
    const revision = await insertRevision(tx, plan.id, workspaceId, plan.latest_revision, input);
    return { plan: toPlan(plan), revision, created: true };
  },
};
