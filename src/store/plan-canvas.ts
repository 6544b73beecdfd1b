import { z } from 'zod';
import type { Database } from './database.ts';

/** A plan's document on the platform (a Slack canvas), or why the workspace cannot have one. */
export const planCanvasSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('canvas'), id: z.string().min(1), url: z.string().optional() }),
  z.object({ kind: z.literal('unavailable'), error: z.string().min(1) }),
]);
export type PlanCanvas = z.infer<typeof planCanvasSchema>;

export interface PlanCanvasStore {
  /** Records the plan's canvas (or why there is none), within its workspace. */
  setPlanCanvas(workspaceId: string, planId: string, canvas: PlanCanvas): Promise<void>;
}

export function createPlanCanvasStore(db: Database): PlanCanvasStore {
  return {
    async setPlanCanvas(workspaceId, planId, canvas) {
      await db.query('UPDATE plans SET canvas = $3 WHERE workspace_id = $1 AND id = $2', [
        workspaceId,
        planId,
        JSON.stringify(canvas),
      ]);
    },
  };
}
