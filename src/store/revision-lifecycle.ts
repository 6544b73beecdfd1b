import type { PlanResult, PlanSection } from '../core/plan-types.ts';
import type { ModelUsage } from '../llm/model-client.ts';
import type { Database } from './database.ts';
import type { MessageRef } from './message-refs.ts';

/** A revision's way from queued through running to done or failed, and what it stores on the way. */
export interface RevisionLifecycle {
  markRunning(workspaceId: string, revisionId: string): Promise<void>;
  saveSkeleton(workspaceId: string, revisionId: string, skeleton: string): Promise<void>;
  /** Stores a generated section; the first stored version wins (a retried job keeps it). */
  saveSection(workspaceId: string, revisionId: string, section: PlanSection): Promise<void>;
  /**
   * Adds one model call's tokens and cost to the revision as the call completes: attempts that
   * fail or are handed back paid for their calls too, and daily cost limits see running plans.
   */
  addUsage(workspaceId: string, revisionId: string, usage: ModelUsage, costUsd: number): Promise<void>;
  /** Marks the revision done with its figures and timings (usage and cost were added call by call). */
  completeRevision(workspaceId: string, revisionId: string, result: PlanResult): Promise<void>;
  failRevision(workspaceId: string, revisionId: string, errorCode: string): Promise<void>;
  saveChangeSummary(workspaceId: string, revisionId: string, summary: string): Promise<void>;
  /** Where the revision's parent message and section replies, and the plan's thread, were posted. */
  setSectionMessageRef(workspaceId: string, revisionId: string, key: string, ref: MessageRef): Promise<void>;
  setRevisionMessageRef(workspaceId: string, revisionId: string, ref: MessageRef): Promise<void>;
  setThreadRef(workspaceId: string, planId: string, ref: MessageRef): Promise<void>;
}

// Neither this nor FAIL touches a done revision: a job retried after it finished must not undo it.
const MARK_RUNNING = `UPDATE plan_revisions
  SET status = 'running', attempts = attempts + 1, started_at = COALESCE(started_at, now())
  WHERE workspace_id = $1 AND id = $2 AND status <> 'done'`;

const SAVE_SKELETON = 'UPDATE plan_revisions SET skeleton = COALESCE(skeleton, $3) WHERE workspace_id = $1 AND id = $2';

const SAVE_SECTION = `INSERT INTO plan_sections (revision_id, key, position, title, markdown, missing_items, not_in_spec)
  SELECT id, $3, $4, $5, $6, $7, $8 FROM plan_revisions WHERE workspace_id = $1 AND id = $2
  ON CONFLICT (revision_id, key) DO NOTHING`;

const ADD_USAGE = `UPDATE plan_revisions SET input_tokens = input_tokens + $3, output_tokens = output_tokens + $4,
    cache_read_tokens = cache_read_tokens + $5, cache_write_tokens = cache_write_tokens + $6,
    cost_usd = cost_usd + $7
  WHERE workspace_id = $1 AND id = $2`;

const COMPLETE = `UPDATE plan_revisions SET status = 'done', error_code = NULL, finished_at = now(),
    skeleton = COALESCE(skeleton, $3), figures = $4, duration_ms = $5, first_section_ms = $6
  WHERE workspace_id = $1 AND id = $2`;

const FAIL = `UPDATE plan_revisions SET status = 'failed', error_code = $3, finished_at = now()
  WHERE workspace_id = $1 AND id = $2 AND status <> 'done'`;

const SAVE_CHANGE_SUMMARY = 'UPDATE plan_revisions SET change_summary = $3 WHERE workspace_id = $1 AND id = $2';

const SET_SECTION_REF = `UPDATE plan_sections s SET message_ref = $4 FROM plan_revisions r
  WHERE r.id = s.revision_id AND r.workspace_id = $1 AND s.revision_id = $2 AND s.key = $3`;

const SET_REVISION_REF = 'UPDATE plan_revisions SET message_ref = $3 WHERE workspace_id = $1 AND id = $2';

const SET_THREAD_REF = 'UPDATE plans SET thread_ref = $3 WHERE workspace_id = $1 AND id = $2';

/** Revision (and plan thread) updates, each scoped by workspace: another workspace's are left alone. */
export function createRevisionLifecycle(db: Database): RevisionLifecycle {
  const update = async (sql: string, params: readonly unknown[]) => {
    await db.query(sql, params);
  };
  return {
    markRunning: (workspaceId, revisionId) => update(MARK_RUNNING, [workspaceId, revisionId]),
    saveSkeleton: (workspaceId, revisionId, skeleton) => update(SAVE_SKELETON, [workspaceId, revisionId, skeleton]),
    saveSection: (workspaceId, revisionId, section) =>
      update(SAVE_SECTION, [
        workspaceId,
        revisionId,
        section.key,
        section.number,
        section.title,
        section.markdown,
        JSON.stringify(section.missingItems),
        JSON.stringify(section.notInSpec),
      ]),
    addUsage: (workspaceId, revisionId, usage, costUsd) =>
      update(ADD_USAGE, [
        workspaceId,
        revisionId,
        usage.inputTokens,
        usage.outputTokens,
        usage.cacheReadTokens,
        usage.cacheWriteTokens,
        costUsd,
      ]),
    completeRevision: (workspaceId, revisionId, result) =>
      update(COMPLETE, [
        workspaceId,
        revisionId,
        result.skeleton ?? null,
        JSON.stringify(result.figures),
        Math.round(result.durationMs),
        result.timeToFirstSectionMs === undefined ? null : Math.round(result.timeToFirstSectionMs),
      ]),
    failRevision: (workspaceId, revisionId, errorCode) => update(FAIL, [workspaceId, revisionId, errorCode]),
    saveChangeSummary: (workspaceId, revisionId, summary) =>
      update(SAVE_CHANGE_SUMMARY, [workspaceId, revisionId, summary]),
    setSectionMessageRef: (workspaceId, revisionId, key, ref) =>
      update(SET_SECTION_REF, [workspaceId, revisionId, key, JSON.stringify(ref)]),
    setRevisionMessageRef: (workspaceId, revisionId, ref) =>
      update(SET_REVISION_REF, [workspaceId, revisionId, JSON.stringify(ref)]),
    setThreadRef: (workspaceId, planId, ref) => update(SET_THREAD_REF, [workspaceId, planId, JSON.stringify(ref)]),
  };
}
