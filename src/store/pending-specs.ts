import { z } from 'zod';
import { saveSpecBody } from './api-specs.ts';
import type { Database } from './database.ts';
import { parseStored } from './message-refs.ts';

export interface PendingSpecInput {
  readonly name: string;
  readonly sha256: string;
  readonly body: Uint8Array;
}

export interface PendingSpec {
  readonly name: string;
  readonly sha256: string;
  readonly body: Uint8Array;
  readonly receivedAt: Date;
}

const pendingSourceSchema = z.object({ kind: z.literal('file'), name: z.string().min(1) });

/** Specs people sent ahead of their next plan (a file in a Teams 1:1 chat), one per person. */
export interface PendingSpecStore {
  /** Keeps a spec a person sent ahead of their next plan (replacing an earlier one). */
  savePendingSpec(workspaceId: string, userId: string, spec: PendingSpecInput): Promise<void>;
  /** The spec a person sent within `maxAgeMs`, if any; it stays until dropPendingSpec. */
  findPendingSpec(workspaceId: string, userId: string, maxAgeMs: number): Promise<PendingSpec | undefined>;
  /** Forgets a pending spec once a plan used it; a newer one (another hash) stays. */
  dropPendingSpec(workspaceId: string, userId: string, sha256: string): Promise<void>;
}

export function createPendingSpecStore(db: Database): PendingSpecStore {
  return {
    async savePendingSpec(workspaceId, userId, spec) {
      await db.transaction(async (tx) => {
        await saveSpecBody(tx, workspaceId, spec.sha256, spec.body);
        await tx.query(
          `INSERT INTO pending_specs (workspace_id, user_id, source, sha256) VALUES ($1, $2, $3, $4)
           ON CONFLICT (workspace_id, user_id)
           DO UPDATE SET source = EXCLUDED.source, sha256 = EXCLUDED.sha256, received_at = now()`,
          [workspaceId, userId, JSON.stringify({ kind: 'file', name: spec.name }), spec.sha256],
        );
      });
    },
    async findPendingSpec(workspaceId, userId, maxAgeMs) {
      const [row] = await db.query<{ source: unknown; sha256: string; body: Uint8Array; received_at: Date }>(
        `SELECT p.source, p.sha256, s.body, p.received_at FROM pending_specs p
         JOIN api_specs s ON s.workspace_id = p.workspace_id AND s.sha256 = p.sha256
         WHERE p.workspace_id = $1 AND p.user_id = $2 AND p.received_at > now() - make_interval(secs => $3)`,
        [workspaceId, userId, maxAgeMs / 1000],
      );
      if (row === undefined) return undefined;
      const source = parseStored(pendingSourceSchema, row.source, 'pending spec source');
      if (source === undefined) return undefined;
      return {
        name: source.name,
        sha256: row.sha256,
        body: new Uint8Array(row.body),
        receivedAt: new Date(row.received_at),
      };
    },
    async dropPendingSpec(workspaceId, userId, sha256) {
      await db.query('DELETE FROM pending_specs WHERE workspace_id = $1 AND user_id = $2 AND sha256 = $3', [
        workspaceId,
        userId,
        sha256,
      ]);
    },
  };
}
