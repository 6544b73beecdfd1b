import type { Database } from './database.ts';
import type { MessageRef } from './message-refs.ts';

/** Where a plan's thread, parent message and section replies were posted on their platform. */
export interface MessageRefWrites {
  setSectionMessageRef(workspaceId: string, revisionId: string, key: string, ref: MessageRef): Promise<void>;
  setRevisionMessageRef(workspaceId: string, revisionId: string, ref: MessageRef): Promise<void>;
  setThreadRef(workspaceId: string, planId: string, ref: MessageRef): Promise<void>;
}

/** Stores message references, scoped by workspace like every other plan write. */
export function createMessageRefWrites(db: Database): MessageRefWrites {
  return {
    async setSectionMessageRef(workspaceId, revisionId, key, ref) {
      await db.query(
        `UPDATE plan_sections s SET message_ref = $4 FROM plan_revisions r
         WHERE r.id = s.revision_id AND r.workspace_id = $1 AND s.revision_id = $2 AND s.key = $3`,
        [workspaceId, revisionId, key, JSON.stringify(ref)],
      );
    },

    async setRevisionMessageRef(workspaceId, revisionId, ref) {
      await db.query('UPDATE plan_revisions SET message_ref = $3 WHERE workspace_id = $1 AND id = $2', [
        workspaceId,
        revisionId,
        JSON.stringify(ref),
      ]);
    },

    async setThreadRef(workspaceId, planId, ref) {
      await db.query('UPDATE plans SET thread_ref = $3 WHERE workspace_id = $1 AND id = $2', [
        workspaceId,
        planId,
        JSON.stringify(ref),
      ]);
    },
  };
}
