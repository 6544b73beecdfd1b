import type { Database, Queryable } from './database.ts';
import type {
  CreatedRevision,
  Platform,
  PlanRecord,
  PlanSummary,
  ReviewState,
  RevisionWithSections,
} from './plan-records.ts';
import {
  toPlan,
  toPlanSummary,
  toRevision,
  toSection,
  type PlanRow,
  type PlanSummaryRow,
  type RevisionRow,
  type SectionRow,
} from './row-mapping.ts';

/** Plans and revisions as a workspace sees them. */
export interface PlanReads {
  findPlan(workspaceId: string, planNumber: number): Promise<PlanRecord | undefined>;
  findPlanById(workspaceId: string, planId: string): Promise<PlanRecord | undefined>;
  /** What an idempotency key made in a workspace; `q` reads inside a caller's transaction. */
  findByIdempotencyKey(workspaceId: string, key: string, q?: Queryable): Promise<CreatedRevision | undefined>;
  /** Newest first; `search` matches system/target text, `createdBy` one person's plans. */
  listPlans(
    workspaceId: string,
    options: {
      search?: string | undefined;
      createdBy?: string | undefined;
      /** Only plans whose latest revision's review is in this state ("in_review": no decision yet). */
      review?: ReviewState | undefined;
      limit: number;
    },
  ): Promise<PlanSummary[]>;
  /** A revision with its sections; the latest when no number is given. */
  getRevision(
    workspaceId: string,
    planNumber: number,
    revisionNumber?: number,
  ): Promise<RevisionWithSections | undefined>;
  getRevisionById(workspaceId: string, revisionId: string): Promise<RevisionWithSections | undefined>;
  /** Revisions of a platform still queued or running, across workspaces (for draining workers). */
  countUnfinished(platform: Platform): Promise<number>;
}

/** The plan and revision an idempotency key made in a workspace (not `created`), read through `conn`. */
export async function readByIdempotencyKey(
  conn: Queryable,
  workspaceId: string,
  key: string,
): Promise<CreatedRevision | undefined> {
  const [row] = await conn.query<RevisionRow>(
    'SELECT * FROM plan_revisions WHERE workspace_id = $1 AND idempotency_key = $2',
    [workspaceId, key],
  );
  if (row === undefined) return undefined;
  const [plan] = await conn.query<PlanRow>('SELECT * FROM plans WHERE id = $1', [row.plan_id]);
  if (plan === undefined) return undefined;
  return { plan: toPlan(plan), revision: toRevision(row), created: false };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/gu, (char) => `\\${char}`);
}

async function listPlans(
  db: Database,
  workspaceId: string,
  options: Parameters<PlanReads['listPlans']>[1],
): Promise<PlanSummary[]> {
  const search = options.search?.trim().toLowerCase();
  const params: unknown[] = [workspaceId, options.limit];
  let filter = '';
  if (search !== undefined && search !== '') {
    params.push(`%${escapeLike(search)}%`);
    filter += ` AND p.search_text LIKE $${params.length}`;
  }
  if (options.createdBy !== undefined) {
    params.push(options.createdBy);
    filter += ` AND p.created_by = $${params.length}`;
  }
  if (options.review !== undefined) {
    params.push(options.review);
    filter += ` AND COALESCE(d.decision, 'in_review') = $${params.length}`;
  }
  const rows = await db.query<PlanSummaryRow>(
    `SELECT p.*, r.status AS latest_status, r.cost_usd AS latest_cost_usd, d.decision AS latest_decision
     FROM plans p JOIN plan_revisions r ON r.plan_id = p.id AND r.number = p.latest_revision
     LEFT JOIN LATERAL (
       SELECT decision FROM revision_decisions
       WHERE workspace_id = r.workspace_id AND revision_id = r.id ORDER BY decided_at DESC LIMIT 1
     ) d ON true
     WHERE p.workspace_id = $1 ${filter}
     ORDER BY p.created_at DESC, p.number DESC
     LIMIT $2`,
    params,
  );
  return rows.map(toPlanSummary);
}

/** Reads, each scoped by workspace but `countUnfinished`. */
export function createPlanReads(db: Database): PlanReads {
  const plan = async (sql: string, params: readonly unknown[]) => {
    const [row] = await db.query<PlanRow>(sql, params);
    return row === undefined ? undefined : toPlan(row);
  };
  const revision = async (sql: string, params: readonly unknown[]): Promise<RevisionWithSections | undefined> => {
    const [row] = await db.query<RevisionRow>(sql, params);
    if (row === undefined) return undefined;
    const sections = await db.query<SectionRow>(
      'SELECT * FROM plan_sections WHERE revision_id = $1 ORDER BY position',
      [row.id],
    );
    return { ...toRevision(row), sections: sections.map(toSection) };
  };

  return {
    findPlan: (workspaceId, planNumber) =>
      plan('SELECT * FROM plans WHERE workspace_id = $1 AND number = $2', [workspaceId, planNumber]),
    findPlanById: (workspaceId, planId) =>
      plan('SELECT * FROM plans WHERE workspace_id = $1 AND id = $2', [workspaceId, planId]),
    findByIdempotencyKey: (workspaceId, key, q) => readByIdempotencyKey(q ?? db, workspaceId, key),

    listPlans: (workspaceId, options) => listPlans(db, workspaceId, options),

    getRevision: (workspaceId, planNumber, revisionNumber) =>
      revision(
        `SELECT r.* FROM plan_revisions r JOIN plans p ON p.id = r.plan_id
         WHERE p.workspace_id = $1 AND p.number = $2 AND r.number = COALESCE($3, p.latest_revision)`,
        [workspaceId, planNumber, revisionNumber ?? null],
      ),
    getRevisionById: (workspaceId, revisionId) =>
      revision('SELECT * FROM plan_revisions WHERE workspace_id = $1 AND id = $2', [workspaceId, revisionId]),

    async countUnfinished(platform) {
      const [row] = await db.query<{ count: string | number }>(
        `SELECT count(*) AS count FROM plan_revisions r JOIN plans p ON p.id = r.plan_id
         WHERE p.platform = $1 AND r.status IN ('queued', 'running')`,
        [platform],
      );
      return Number(row?.count ?? 0);
    },
  };
}
