import { z } from 'zod';
import type { Database } from './database.ts';
import { DECISIONS, type DecisionKind, type Platform } from './plan-records.ts';

/** One review decision on a revision: who, on which platform, when, and (changes requested) why. */
export interface DecisionRecord {
  readonly kind: DecisionKind;
  readonly reason: string | undefined;
  readonly decidedBy: string;
  readonly platform: Platform;
  readonly decidedAt: Date;
}

export interface NewDecision {
  readonly kind: DecisionKind;
  readonly reason?: string | undefined;
  readonly decidedBy: string;
  readonly platform: Platform;
}

/** Review decisions per revision, always within one workspace. */
export interface DecisionStore {
  recordDecision(workspaceId: string, revisionId: string, decision: NewDecision): Promise<DecisionRecord>;
  /** A revision's decisions, oldest first; the last is its state. */
  decisionsOf(workspaceId: string, revisionId: string): Promise<DecisionRecord[]>;
}

const rowSchema = z.object({
  decision: z.enum(DECISIONS),
  reason: z.string().nullable(),
  decided_by: z.string(),
  platform: z.enum(['cli', 'slack', 'teams']),
  decided_at: z.coerce.date(),
});

export function toDecision(row: unknown): DecisionRecord {
  const parsed = rowSchema.parse(row);
  return {
    kind: parsed.decision,
    reason: parsed.reason ?? undefined,
    decidedBy: parsed.decided_by,
    platform: parsed.platform,
    decidedAt: parsed.decided_at,
  };
}

export function createDecisionStore(db: Database): DecisionStore {
  return {
    async recordDecision(workspaceId, revisionId, decision) {
      const [row] = await db.query(
        `INSERT INTO revision_decisions (workspace_id, revision_id, decision, reason, decided_by, platform)
         SELECT $1, id, $3, $4, $5, $6 FROM plan_revisions WHERE workspace_id = $1 AND id = $2
         RETURNING decision, reason, decided_by, platform, decided_at`,
        [workspaceId, revisionId, decision.kind, decision.reason ?? null, decision.decidedBy, decision.platform],
      );
      if (row === undefined) throw new Error(`revision ${revisionId} is not in workspace ${workspaceId}`);
      return toDecision(row);
    },
    async decisionsOf(workspaceId, revisionId) {
      const rows = await db.query(
        `SELECT decision, reason, decided_by, platform, decided_at FROM revision_decisions
         WHERE workspace_id = $1 AND revision_id = $2 ORDER BY decided_at, id`,
        [workspaceId, revisionId],
      );
      return rows.map(toDecision);
    },
  };
}
