import type { FieldChange } from '../core/field-changes.ts';
import type { MissingItem, PlanStrategyName } from '../core/plan-types.ts';
import { planRequestSchema } from '../core/plan-request.ts';
import type { PromptFigure } from '../prompts/prompt-context.ts';
import type {
  DecisionKind,
  Platform,
  PlanRecord,
  PlanSummary,
  RevisionRecord,
  RevisionStatus,
  SectionRecord,
} from './plan-records.ts';
import { parseRevisionSpec } from './api-specs.ts';
import { planCanvasSchema } from './plan-canvas.ts';
import { conversationRefSchema, messageRefSchema, parseStored } from './message-refs.ts';

export interface PlanRow {
  id: string;
  workspace_id: string;
  number: number;
  platform: Platform;
  origin: unknown;
  thread_ref: unknown;
  title: string;
  created_by: string;
  created_at: Date | string;
  latest_revision: number;
  canvas?: unknown;
}

export interface PlanSummaryRow extends PlanRow {
  latest_status: RevisionStatus;
  latest_cost_usd: string | number;
  latest_decision: DecisionKind | null;
}

export interface RevisionRow {
  id: string;
  plan_id: string;
  workspace_id: string;
  number: number;
  inputs: unknown;
  strategy: PlanStrategyName;
  prompt_id: string;
  prompt_version: string;
  prompt_hash: string;
  provider: string;
  model: string;
  status: RevisionStatus;
  error_code: string | null;
  changes: FieldChange[];
  change_summary: string | null;
  skeleton: string | null;
  figures: PromptFigure[];
  spec: unknown;
  spec_facts: string | null;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  cost_usd: string | number;
  attempts: number;
  requested_by: string;
  idempotency_key: string;
  message_ref: unknown;
  created_at: Date | string;
  started_at: Date | string | null;
  finished_at: Date | string | null;
  duration_ms: number | null;
  first_section_ms: number | null;
}

export interface SectionRow {
  key: string;
  position: number;
  title: string;
  markdown: string;
  missing_items: MissingItem[];
  not_in_spec: string[];
  message_ref: unknown;
}

const date = (value: Date | string) => (value instanceof Date ? value : new Date(value));
const optionalDate = (value: Date | string | null) => (value === null ? undefined : date(value));
const optional = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

export function toPlan(row: PlanRow): PlanRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    number: row.number,
    platform: row.platform,
    origin: parseStored(conversationRefSchema, row.origin, 'plan origin'),
    threadRef: parseStored(messageRefSchema, row.thread_ref, 'plan thread'),
    title: row.title,
    createdBy: row.created_by,
    createdAt: date(row.created_at),
    latestRevision: row.latest_revision,
    canvas: parseStored(planCanvasSchema, row.canvas, 'plan canvas'),
  };
}

export function toPlanSummary(row: PlanSummaryRow): PlanSummary {
  return {
    ...toPlan(row),
    latestStatus: row.latest_status,
    latestCostUsd: Number(row.latest_cost_usd),
    latestReview: row.latest_decision ?? 'in_review',
  };
}

export function toRevision(row: RevisionRow): RevisionRecord {
  return {
    id: row.id,
    planId: row.plan_id,
    workspaceId: row.workspace_id,
    number: row.number,
    // Stored inputs went through the same schema on the way in; parsing again guards old rows.
    request: planRequestSchema.parse(row.inputs),
    strategy: row.strategy,
    prompt: { id: row.prompt_id, version: row.prompt_version, hash: row.prompt_hash },
    provider: row.provider,
    model: row.model,
    status: row.status,
    errorCode: optional(row.error_code),
    changes: row.changes,
    changeSummary: optional(row.change_summary),
    skeleton: optional(row.skeleton),
    figures: row.figures,
    spec: parseRevisionSpec(row.spec),
    specFacts: optional(row.spec_facts),
    usage: {
      inputTokens: row.input_tokens,
      outputTokens: row.output_tokens,
      cacheReadTokens: row.cache_read_tokens,
      cacheWriteTokens: row.cache_write_tokens,
    },
    costUsd: Number(row.cost_usd),
    attempts: row.attempts,
    requestedBy: row.requested_by,
    idempotencyKey: row.idempotency_key,
    messageRef: parseStored(messageRefSchema, row.message_ref, 'message reference'),
    createdAt: date(row.created_at),
    startedAt: optionalDate(row.started_at),
    finishedAt: optionalDate(row.finished_at),
    durationMs: optional(row.duration_ms),
    firstSectionMs: optional(row.first_section_ms),
  };
}

export function toSection(row: SectionRow): SectionRecord {
  return {
    key: row.key,
    position: row.position,
    title: row.title,
    markdown: row.markdown,
    missingItems: row.missing_items,
    notInSpec: row.not_in_spec,
    messageRef: parseStored(messageRefSchema, row.message_ref, 'message reference'),
  };
}
