import { PlanLimitError, type LimitScope } from '../errors.ts';
import type { Queryable } from '../store/database.ts';

/** Plans a user / a workspace may start per window; 0 switches a limit off. */
export interface PlanLimitSettings {
  readonly userPerHour: number;
  readonly workspacePerHour: number;
}

export interface PlanLimits {
  /**
   * The limit the next plan of `userId` would break, or undefined. Counts revisions created in
   * the last hour (re-runs too: each one costs a full plan), across every replica, because the
   * count comes from the database.
   */
  check(q: Queryable, workspaceId: string, userId: string): Promise<PlanLimitError | undefined>;
  /** Serialises limit checks of one workspace inside `q`'s transaction, so two submits cannot both slip in. */
  lock(q: Queryable, workspaceId: string): Promise<void>;
}

const WINDOW_MINUTES = 60;
/** Class id of our advisory locks on workspaces (two-key form, apart from other lock users). */
const LOCK_CLASS = 7301;

/**
 * The n-th newest revision of the window decides: while it is inside the window, the count is at
 * the limit; the next plan is allowed when it leaves the window.
 */
async function nthNewest(q: Queryable, workspaceId: string, userId: string | undefined, limit: number) {
  const [row] = await q.query<{ reset_at: Date; now: Date }>(
    `SELECT created_at + make_interval(mins => $3) AS reset_at, now() AS now
     FROM plan_revisions
     WHERE workspace_id = $1 AND ($2::text IS NULL OR requested_by = $2)
       AND created_at > now() - make_interval(mins => $3)
     ORDER BY created_at DESC
     OFFSET $4 LIMIT 1`,
    [workspaceId, userId ?? null, WINDOW_MINUTES, limit - 1],
  );
  return row;
}

export function createPlanLimits(settings: PlanLimitSettings): PlanLimits {
  const rules: { scope: LimitScope; limit: number }[] = [
    { scope: 'user', limit: settings.userPerHour },
    { scope: 'workspace', limit: settings.workspacePerHour },
  ];
  return {
    async check(q, workspaceId, userId) {
      for (const rule of rules) {
        if (rule.limit === 0) continue;
        const row = await nthNewest(q, workspaceId, rule.scope === 'user' ? userId : undefined, rule.limit);
        if (row !== undefined) {
          return new PlanLimitError({
            scope: rule.scope,
            limit: rule.limit,
            windowMinutes: WINDOW_MINUTES,
            resetAt: new Date(row.reset_at),
            now: new Date(row.now),
          });
        }
      }
      return undefined;
    },
    async lock(q, workspaceId) {
      if (rules.every((rule) => rule.limit === 0)) return;
      await q.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, workspaceId]);
    },
  };
}
