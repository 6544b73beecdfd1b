import { PlanLimitError, type LimitScope } from '../errors.ts';
import type { Queryable } from '../store/database.ts';

/** What a user / a workspace may start; 0 switches a limit off. */
export interface PlanLimitSettings {
  readonly userPerHour: number;
  readonly workspacePerHour: number;
  /** Plans per UTC day and workspace. */
  readonly workspacePerDay: number;
  /** Model cost in USD per UTC day and workspace (finished and failed revisions' recorded cost). */
  readonly workspaceCostPerDayUsd: number;
}

export interface PlanLimits {
  /**
   * The limit the next plan or question of `userId` would break, or undefined. Counts revisions
   * and questions and their cost in the database, so the limits hold across replicas.
   */
  check(q: Queryable, workspaceId: string, userId: string): Promise<PlanLimitError | undefined>;
  /** Serialises limit checks of one workspace inside `q`'s transaction, so two submits cannot both slip in. */
  lock(q: Queryable, workspaceId: string): Promise<void>;
}

const HOUR_MINUTES = 60;
/** Class id of our advisory locks on workspaces (two-key form, apart from other lock users). */
const LOCK_CLASS = 7301;

type Found = { reset_at: Date; now: Date } | undefined;

/**
 * What counts toward the limits: every revision (re-runs too: each one costs a full plan) and
 * every question asked in a thread, with who asked and what it cost.
 */
const USAGE = `(SELECT workspace_id, requested_by AS who, created_at, cost_usd, 1 AS plan FROM plan_revisions
   UNION ALL SELECT workspace_id, asked_by, created_at, cost_usd, 0 FROM plan_questions) AS usage`;

/**
 * Rolling hour: the n-th newest plan or question of the window decides. While it is inside the
 * window the count is at the limit; the next one is allowed when it leaves the window.
 */
async function hourly(q: Queryable, workspaceId: string, userId: string | undefined, limit: number): Promise<Found> {
  const [row] = await q.query<{ reset_at: Date; now: Date }>(
    `SELECT created_at + make_interval(mins => $3) AS reset_at, now() AS now
     FROM ${USAGE}
     WHERE workspace_id = $1 AND ($2::text IS NULL OR who = $2)
       AND created_at > now() - make_interval(mins => $3)
     ORDER BY created_at DESC
     OFFSET $4 LIMIT 1`,
    [workspaceId, userId ?? null, HOUR_MINUTES, limit - 1],
  );
  return row;
}

/** UTC day: plans and the cost of plans and questions since midnight UTC; the next is allowed at the next midnight. */
async function daily(
  q: Queryable,
  workspaceId: string,
): Promise<{ plans: number; costUsd: number; reset_at: Date; now: Date }> {
  const [row] = await q.query<{ plans: string; cost: string | null; reset_at: Date; now: Date }>(
    `SELECT coalesce(sum(plan), 0) AS plans, sum(cost_usd) AS cost,
            (date_trunc('day', now() AT TIME ZONE 'UTC') + interval '1 day') AT TIME ZONE 'UTC' AS reset_at, now() AS now
     FROM ${USAGE}
     WHERE workspace_id = $1 AND created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
    [workspaceId],
  );
  if (row === undefined) throw new Error('daily usage query returned no row');
  return { plans: Number(row.plans), costUsd: Number(row.cost ?? 0), reset_at: row.reset_at, now: row.now };
}

const refusal = (scope: LimitScope, limit: number, found: { reset_at: Date; now: Date }) =>
  new PlanLimitError({ scope, limit, resetAt: new Date(found.reset_at), now: new Date(found.now) });

export function createPlanLimits(settings: PlanLimitSettings): PlanLimits {
  const off = Object.values(settings).every((limit) => limit === 0);
  return {
    async check(q, workspaceId, userId) {
      if (settings.userPerHour > 0) {
        const found = await hourly(q, workspaceId, userId, settings.userPerHour);
        if (found !== undefined) return refusal('user', settings.userPerHour, found);
      }
      if (settings.workspacePerHour > 0) {
        const found = await hourly(q, workspaceId, undefined, settings.workspacePerHour);
        if (found !== undefined) return refusal('workspace', settings.workspacePerHour, found);
      }
      if (settings.workspacePerDay > 0 || settings.workspaceCostPerDayUsd > 0) {
        const today = await daily(q, workspaceId);
        if (settings.workspacePerDay > 0 && today.plans >= settings.workspacePerDay) {
          return refusal('workspace_daily', settings.workspacePerDay, today);
        }
        if (settings.workspaceCostPerDayUsd > 0 && today.costUsd >= settings.workspaceCostPerDayUsd) {
          return refusal('workspace_cost', settings.workspaceCostPerDayUsd, today);
        }
      }
      return undefined;
    },
    async lock(q, workspaceId) {
      if (off) return;
      await q.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, workspaceId]);
    },
  };
}
