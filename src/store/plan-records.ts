import type { PlanCanvas } from './plan-canvas.ts';
import type { FieldChange } from '../core/field-changes.ts';
import type { MissingItem, PlanStrategyName } from '../core/plan-types.ts';
import type { PlanRequest } from '../core/plan-request.ts';
import type { ModelUsage } from '../llm/model-client.ts';
import type { PromptFigure } from '../prompts/prompt-context.ts';
import type { RevisionSpec } from './api-specs.ts';
import type { ConversationRef, MessageRef } from './message-refs.ts';

export type Platform = 'cli' | 'slack' | 'teams';
export type RevisionStatus = 'queued' | 'running' | 'done' | 'failed';

export interface PlanRecord {
  readonly id: string;
  readonly workspaceId: string;
  /** The number users see and type ("plan 42"), unique per workspace. */
  readonly number: number;
  readonly platform: Platform;
  /** Where the plan was asked for: its first revision posts there. */
  readonly origin: ConversationRef | undefined;
  /** The root of the plan's thread, once its first revision posted: later revisions reply in it. */
  readonly threadRef: MessageRef | undefined;
  readonly title: string;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly latestRevision: number;
  /** The plan as a document on its platform (a Slack canvas), once one was tried. */
  readonly canvas?: PlanCanvas | undefined;
}

export interface SectionRecord {
  readonly key: string;
  readonly position: number;
  readonly title: string;
  readonly markdown: string;
  readonly missingItems: readonly MissingItem[];
  readonly notInSpec: readonly string[];
  readonly messageRef: MessageRef | undefined;
}

export interface RevisionRecord {
  readonly id: string;
  readonly planId: string;
  readonly workspaceId: string;
  readonly number: number;
  readonly request: PlanRequest;
  readonly strategy: PlanStrategyName;
  readonly prompt: { readonly id: string; readonly version: string; readonly hash: string };
  readonly provider: string;
  readonly model: string;
  readonly status: RevisionStatus;
  readonly errorCode: string | undefined;
  readonly changes: readonly FieldChange[];
  readonly changeSummary: string | undefined;
  readonly skeleton: string | undefined;
  readonly figures: readonly PromptFigure[];
  /** The API spec the revision is grounded in, and its facts as the model was given them. */
  readonly spec: RevisionSpec | undefined;
  readonly specFacts: string | undefined;
  readonly usage: ModelUsage;
  readonly costUsd: number;
  readonly attempts: number;
  readonly requestedBy: string;
  readonly idempotencyKey: string;
  readonly messageRef: MessageRef | undefined;
  readonly createdAt: Date;
  readonly startedAt: Date | undefined;
  readonly finishedAt: Date | undefined;
  readonly durationMs: number | undefined;
  readonly firstSectionMs: number | undefined;
}

export interface RevisionWithSections extends RevisionRecord {
  readonly sections: readonly SectionRecord[];
}

/** A plan and a revision of it; `created` is false when an earlier call with the same idempotency key made them. */
export interface CreatedRevision {
  readonly plan: PlanRecord;
  readonly revision: RevisionRecord;
  readonly created: boolean;
}

/** One row of "this workspace's plans". */
export const DECISIONS = ['approved', 'changes_requested'] as const;
export type DecisionKind = (typeof DECISIONS)[number];
/** A revision's review state: its latest decision, or "in_review" before the first. */
export const REVIEW_STATES = ['in_review', ...DECISIONS] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export interface PlanSummary extends PlanRecord {
  readonly latestStatus: RevisionStatus;
  readonly latestCostUsd: number;
  /** The latest revision's review: its latest decision, or "in_review". */
  readonly latestReview: ReviewState;
}

/** What a new revision is made of. */
export interface NewRevision extends Pick<
  RevisionRecord,
  'request' | 'strategy' | 'prompt' | 'provider' | 'model' | 'requestedBy' | 'idempotencyKey'
> {
  readonly changes?: readonly FieldChange[];
  readonly spec?: RevisionSpec | undefined;
}

export interface NewPlan extends NewRevision {
  readonly workspaceId: string;
  readonly platform: Platform;
  readonly origin?: ConversationRef | undefined;
}
