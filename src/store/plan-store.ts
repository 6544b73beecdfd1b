import type { PlanResult, PlanSection } from '../core/plan-types.ts';
import type { ModelUsage } from '../llm/model-client.ts';
import type { Database, Queryable } from './database.ts';
import type { MessageRef } from './message-refs.ts';
import type {
  NewPlan,
  NewRevision,
  Platform,
  PlanRecord,
  PlanSummary,
  RevisionRecord,
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

/** The plans of one workspace, never another's: every method takes the workspace id. */
export interface PlanStore {
  /** Creates plan + revision 1, or returns what an earlier call with the same idempotency key made. */
  createPlan(tx: Queryable, input: NewPlan): Promise<{ plan: PlanRecord; revision: RevisionRecord; created: boolean }>;
  /** Creates the next revision of a plan (a re-run), idempotent like createPlan. */
  createRevision(
    tx: Queryable,
    workspaceId: string,
    planNumber: number,
    input: NewRevision,
  ): Promise<{ plan: PlanRecord; revision: RevisionRecord; created: boolean } | undefined>;
  findPlan(workspaceId: string, planNumber: number): Promise<PlanRecord | undefined>;
  findPlanById(workspaceId: string, planId: string): Promise<PlanRecord | undefined>;
  /** What an idempotency key made in a workspace; `q` reads inside a caller's transaction. */
  findByIdempotencyKey(
    workspaceId: string,
    key: string,
    q?: Queryable,
  ): Promise<{ plan: PlanRecord; revision: RevisionRecord } | undefined>;
  /** Newest first; `search` matches system/target text, `createdBy` one person's plans. */
  listPlans(
    workspaceId: string,
    options: { search?: string | undefined; createdBy?: string | undefined; limit: number },
  ): Promise<PlanSummary[]>;
  /** A revision with its sections; the latest when no number is given. */
  getRevision(
    workspaceId: string,
    planNumber: number,
    revisionNumber?: number,
  ): Promise<RevisionWithSections | undefined>;
  getRevisionById(workspaceId: string, revisionId: string): Promise<RevisionWithSections | undefined>;
  listRevisions(workspaceId: string, planNumber: number): Promise<RevisionRecord[]>;
  markRunning(workspaceId: string, revisionId: string): Promise<void>;
  saveSkeleton(workspaceId: string, revisionId: string, skeleton: string): Promise<void>;
  /** Stores a generated section; the first stored version wins (a retried job keeps it). */
  saveSection(workspaceId: string, revisionId: string, section: PlanSection): Promise<void>;
  setSectionMessageRef(workspaceId: string, revisionId: string, key: string, ref: MessageRef): Promise<void>;
  setRevisionMessageRef(workspaceId: string, revisionId: string, ref: MessageRef): Promise<void>;
  setThreadRef(workspaceId: string, planId: string, ref: MessageRef): Promise<void>;
  /**
   * Adds one model call's tokens and cost to the revision as the call completes: attempts that
   * fail or are handed back paid for their calls too, and daily cost limits see running plans.
   */
  addUsage(workspaceId: string, revisionId: string, usage: ModelUsage, costUsd: number): Promise<void>;
  /** Marks the revision done with its figures and timings (usage and cost were added call by call). */
  completeRevision(workspaceId: string, revisionId: string, result: PlanResult): Promise<void>;
  failRevision(workspaceId: string, revisionId: string, errorCode: string): Promise<void>;
  saveChangeSummary(workspaceId: string, revisionId: string, summary: string): Promise<void>;
  /** Revisions of a platform still queued or running, across workspaces (for draining workers). */
  countUnfinished(platform: Platform): Promise<number>;
}

const UNIQUE_VIOLATION = '23505';

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === UNIQUE_VIOLATION;
}

function titleOf(input: NewPlan): string {
  // By code points, so an emoji is never cut in half.
  const clip = (text: string, max: number) => {
    const chars = Array.from(text);
    return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
  };
  const system = input.request.existingSystem.split('\n')[0]?.trim() ?? '';
  return `${clip(system, 80)} → ${clip(input.request.targetApi, 80)}`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/gu, (char) => `\\${char}`);
}

const REVISION_INSERT = `INSERT INTO plan_revisions (
    plan_id, workspace_id, number, inputs, variation, language, strategy, prompt_id, prompt_version,
    prompt_hash, provider, model, changes, requested_by, idempotency_key)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
  RETURNING *`;

function revisionValues(planId: string, workspaceId: string, number: number, input: NewRevision): unknown[] {
  return [
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
  ];
}

export function createPlanStore(db: Database): PlanStore {
  const byKey = async (conn: Queryable, workspaceId: string, key: string) => {
    const [row] = await conn.query<RevisionRow>(
      'SELECT * FROM plan_revisions WHERE workspace_id = $1 AND idempotency_key = $2',
      [workspaceId, key],
    );
    if (row === undefined) return undefined;
    const [plan] = await conn.query<PlanRow>('SELECT * FROM plans WHERE id = $1', [row.plan_id]);
    if (plan === undefined) return undefined;
    return { plan: toPlan(plan), revision: toRevision(row), created: false };
  };

  const sectionsOf = async (revisionId: string) =>
    (
      await db.query<SectionRow>('SELECT * FROM plan_sections WHERE revision_id = $1 ORDER BY position', [revisionId])
    ).map(toSection);

  const withSections = async (row: RevisionRow | undefined): Promise<RevisionWithSections | undefined> =>
    row === undefined ? undefined : { ...toRevision(row), sections: await sectionsOf(row.id) };

  const update = async (sql: string, params: readonly unknown[]) => {
    await db.query(sql, params);
  };

  return {
    async createPlan(tx, input) {
      const existing = await byKey(tx, input.workspaceId, input.idempotencyKey);
      if (existing !== undefined) return existing;
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
      const [revision] = await tx.query<RevisionRow>(
        REVISION_INSERT,
        revisionValues(plan.id, input.workspaceId, 1, input),
      );
      if (revision === undefined) throw new Error('revision insert returned no row');
      return { plan: toPlan(plan), revision: toRevision(revision), created: true };
    },

    async createRevision(tx, workspaceId, planNumber, input) {
      const existing = await byKey(tx, workspaceId, input.idempotencyKey);
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
      const [revision] = await tx.query<RevisionRow>(
        REVISION_INSERT,
        revisionValues(plan.id, workspaceId, plan.latest_revision, input),
      );
      if (revision === undefined) throw new Error('revision insert returned no row');
      return { plan: toPlan(plan), revision: toRevision(revision), created: true };
    },

    async findPlan(workspaceId, planNumber) {
      const [row] = await db.query<PlanRow>('SELECT * FROM plans WHERE workspace_id = $1 AND number = $2', [
        workspaceId,
        planNumber,
      ]);
      return row === undefined ? undefined : toPlan(row);
    },

    findByIdempotencyKey: (workspaceId, key, q) => byKey(q ?? db, workspaceId, key),

    async findPlanById(workspaceId, planId) {
      const [row] = await db.query<PlanRow>('SELECT * FROM plans WHERE workspace_id = $1 AND id = $2', [
        workspaceId,
        planId,
      ]);
      return row === undefined ? undefined : toPlan(row);
    },

    async listPlans(workspaceId, options) {
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
      const rows = await db.query<PlanSummaryRow>(
        `SELECT p.*, r.status AS latest_status, r.cost_usd AS latest_cost_usd
         FROM plans p JOIN plan_revisions r ON r.plan_id = p.id AND r.number = p.latest_revision
         WHERE p.workspace_id = $1 ${filter}
         ORDER BY p.created_at DESC, p.number DESC
         LIMIT $2`,
        params,
      );
      return rows.map(toPlanSummary);
    },

    async getRevision(workspaceId, planNumber, revisionNumber) {
      const [row] = await db.query<RevisionRow>(
        `SELECT r.* FROM plan_revisions r JOIN plans p ON p.id = r.plan_id
         WHERE p.workspace_id = $1 AND p.number = $2 AND r.number = COALESCE($3, p.latest_revision)`,
        [workspaceId, planNumber, revisionNumber ?? null],
      );
      return withSections(row);
    },

    async getRevisionById(workspaceId, revisionId) {
      const [row] = await db.query<RevisionRow>('SELECT * FROM plan_revisions WHERE workspace_id = $1 AND id = $2', [
        workspaceId,
        revisionId,
      ]);
      return withSections(row);
    },

    async listRevisions(workspaceId, planNumber) {
      const rows = await db.query<RevisionRow>(
        `SELECT r.* FROM plan_revisions r JOIN plans p ON p.id = r.plan_id
         WHERE p.workspace_id = $1 AND p.number = $2 ORDER BY r.number`,
        [workspaceId, planNumber],
      );
      return rows.map(toRevision);
    },

    markRunning: (workspaceId, revisionId) =>
      update(
        `UPDATE plan_revisions SET status = 'running', attempts = attempts + 1, started_at = COALESCE(started_at, now())
         WHERE workspace_id = $1 AND id = $2 AND status <> 'done'`,
        [workspaceId, revisionId],
      ),

    saveSkeleton: (workspaceId, revisionId, skeleton) =>
      update('UPDATE plan_revisions SET skeleton = COALESCE(skeleton, $3) WHERE workspace_id = $1 AND id = $2', [
        workspaceId,
        revisionId,
        skeleton,
      ]),

    saveSection: (workspaceId, revisionId, section) =>
      update(
        `INSERT INTO plan_sections (revision_id, key, position, title, markdown, missing_items)
         SELECT id, $3, $4, $5, $6, $7 FROM plan_revisions WHERE workspace_id = $1 AND id = $2
         ON CONFLICT (revision_id, key) DO NOTHING`,
        [
          workspaceId,
          revisionId,
          section.key,
          section.number,
          section.title,
          section.markdown,
          JSON.stringify(section.missingItems),
        ],
      ),

    setSectionMessageRef: (workspaceId, revisionId, key, ref) =>
      update(
        `UPDATE plan_sections s SET message_ref = $4 FROM plan_revisions r
         WHERE r.id = s.revision_id AND r.workspace_id = $1 AND s.revision_id = $2 AND s.key = $3`,
        [workspaceId, revisionId, key, JSON.stringify(ref)],
      ),

    setRevisionMessageRef: (workspaceId, revisionId, ref) =>
      update('UPDATE plan_revisions SET message_ref = $3 WHERE workspace_id = $1 AND id = $2', [
        workspaceId,
        revisionId,
        JSON.stringify(ref),
      ]),

    setThreadRef: (workspaceId, planId, ref) =>
      update('UPDATE plans SET thread_ref = $3 WHERE workspace_id = $1 AND id = $2', [
        workspaceId,
        planId,
        JSON.stringify(ref),
      ]),

    addUsage: (workspaceId, revisionId, usage, costUsd) =>
      update(
        `UPDATE plan_revisions SET input_tokens = input_tokens + $3, output_tokens = output_tokens + $4,
           cache_read_tokens = cache_read_tokens + $5, cache_write_tokens = cache_write_tokens + $6,
           cost_usd = cost_usd + $7
         WHERE workspace_id = $1 AND id = $2`,
        [
          workspaceId,
          revisionId,
          usage.inputTokens,
          usage.outputTokens,
          usage.cacheReadTokens,
          usage.cacheWriteTokens,
          costUsd,
        ],
      ),

    completeRevision: (workspaceId, revisionId, result) =>
      update(
        `UPDATE plan_revisions SET status = 'done', error_code = NULL, finished_at = now(),
           skeleton = COALESCE(skeleton, $3), figures = $4, duration_ms = $5, first_section_ms = $6
         WHERE workspace_id = $1 AND id = $2`,
        [
          workspaceId,
          revisionId,
          result.skeleton ?? null,
          JSON.stringify(result.figures),
          Math.round(result.durationMs),
          result.timeToFirstSectionMs === undefined ? null : Math.round(result.timeToFirstSectionMs),
        ],
      ),

    failRevision: (workspaceId, revisionId, errorCode) =>
      update(
        `UPDATE plan_revisions SET status = 'failed', error_code = $3, finished_at = now()
         WHERE workspace_id = $1 AND id = $2 AND status <> 'done'`,
        [workspaceId, revisionId, errorCode],
      ),

    async countUnfinished(platform) {
      const [row] = await db.query<{ count: string | number }>(
        `SELECT count(*) AS count FROM plan_revisions r JOIN plans p ON p.id = r.plan_id
         WHERE p.platform = $1 AND r.status IN ('queued', 'running')`,
        [platform],
      );
      return Number(row?.count ?? 0);
    },

    saveChangeSummary: (workspaceId, revisionId, summary) =>
      update('UPDATE plan_revisions SET change_summary = $3 WHERE workspace_id = $1 AND id = $2', [
        workspaceId,
        revisionId,
        summary,
      ]),
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
    if (isUniqueViolation(error)) return reread();
    throw error;
  }
}
