import { z } from 'zod';
import type { ModelUsage } from '../llm/model-client.ts';
import type { Database, Queryable } from './database.ts';
import { messageRefSchema, parseStored, type MessageRef } from './message-refs.ts';
import type { Platform } from './plan-records.ts';
import { toPlan, type PlanRow } from './row-mapping.ts';
import type { PlanRecord } from './plan-records.ts';

export type QuestionStatus = 'queued' | 'running' | 'done' | 'failed';

/** A question asked about a plan in its thread, and (once written) its answer. */
export interface QuestionRecord {
  readonly id: string;
  readonly workspaceId: string;
  readonly planId: string;
  readonly revisionId: string;
  readonly platform: Platform;
  readonly askedBy: string;
  readonly question: string;
  readonly status: QuestionStatus;
  readonly errorCode: string | undefined;
  readonly answer: string | undefined;
  /** Section keys the answer names as its sources. */
  readonly citedSections: readonly string[];
  /** The message showing the answer, once it was started. */
  readonly messageRef: MessageRef | undefined;
  readonly usage: ModelUsage;
  readonly costUsd: number;
  readonly attempts: number;
  readonly createdAt: Date;
}

/** A question as asked: what a record has before any answer, and the event that asked it. */
export interface NewQuestion extends Pick<
  QuestionRecord,
  'workspaceId' | 'planId' | 'revisionId' | 'platform' | 'askedBy' | 'question'
> {
  /** Unique per workspace and asking event: the same event delivered again asks nothing new. */
  readonly eventKey: string;
}

/** Where a question was asked: a Slack thread, or a Teams conversation (a channel thread or a chat). */
export type ThreadLocator =
  | { readonly platform: 'slack'; readonly channel: string; readonly threadTs: string }
  | { readonly platform: 'teams'; readonly conversationId: string };

export interface FinishedAnswer {
  readonly answer: string;
  readonly citedSections: readonly string[];
}

/** Questions and answers per plan, always within one workspace. */
export interface QuestionStore {
  /**
   * The plan a thread belongs to in this workspace: a Slack thread's root, or the Teams
   * conversation a plan posts in (a chat has several plans: the newest one).
   */
  findPlanByThread(workspaceId: string, thread: ThreadLocator): Promise<PlanRecord | undefined>;
  /** Did this event ask a question already? (`q` reads inside a caller's transaction.) */
  hasQuestionEvent(q: Queryable, workspaceId: string, eventKey: string): Promise<boolean>;
  /** Stores a question; undefined when its event asked it already. */
  addQuestion(tx: Queryable, question: NewQuestion): Promise<QuestionRecord | undefined>;
  getQuestion(workspaceId: string, questionId: string): Promise<QuestionRecord | undefined>;
  /** The plan's answered questions asked before this one, oldest first. */
  earlierQuestions(workspaceId: string, planId: string, before: QuestionRecord): Promise<QuestionRecord[]>;
  /** A new attempt starts: counts it and marks the question running. */
  startAnswer(workspaceId: string, questionId: string): Promise<void>;
  setAnswerRef(workspaceId: string, questionId: string, ref: MessageRef): Promise<void>;
  addAnswerUsage(workspaceId: string, questionId: string, usage: ModelUsage, costUsd: number): Promise<void>;
  finishAnswer(workspaceId: string, questionId: string, answer: FinishedAnswer): Promise<void>;
  failAnswer(workspaceId: string, questionId: string, errorCode: string): Promise<void>;
}

const rowSchema = z.object({
  id: z.string(),
  workspace_id: z.string(),
  plan_id: z.string(),
  revision_id: z.string(),
  platform: z.enum(['cli', 'slack', 'teams']),
  asked_by: z.string(),
  question: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  error_code: z.string().nullable(),
  answer: z.string().nullable(),
  cited_sections: z.array(z.string()),
  message_ref: z.unknown(),
  input_tokens: z.number(),
  output_tokens: z.number(),
  cache_read_tokens: z.number(),
  cache_write_tokens: z.number(),
  cost_usd: z.coerce.number(),
  attempts: z.number(),
  created_at: z.coerce.date(),
});

function toQuestion(row: unknown): QuestionRecord {
  const parsed = rowSchema.parse(row);
  return {
    id: parsed.id,
    workspaceId: parsed.workspace_id,
    planId: parsed.plan_id,
    revisionId: parsed.revision_id,
    platform: parsed.platform,
    askedBy: parsed.asked_by,
    question: parsed.question,
    status: parsed.status,
    errorCode: parsed.error_code ?? undefined,
    answer: parsed.answer ?? undefined,
    citedSections: parsed.cited_sections,
    messageRef: parseStored(messageRefSchema, parsed.message_ref, 'answer message'),
    usage: {
      inputTokens: parsed.input_tokens,
      outputTokens: parsed.output_tokens,
      cacheReadTokens: parsed.cache_read_tokens,
      cacheWriteTokens: parsed.cache_write_tokens,
    },
    costUsd: parsed.cost_usd,
    attempts: parsed.attempts,
    createdAt: parsed.created_at,
  };
}

async function findPlanByThread(db: Database, workspaceId: string, thread: ThreadLocator) {
  const [row] =
    thread.platform === 'slack'
      ? await db.query<PlanRow>(
          `SELECT * FROM plans WHERE workspace_id = $1 AND thread_ref ->> 'platform' = 'slack'
             AND thread_ref ->> 'channel' = $2 AND thread_ref ->> 'ts' = $3`,
          [workspaceId, thread.channel, thread.threadTs],
        )
      : await db.query<PlanRow>(
          `SELECT * FROM plans WHERE workspace_id = $1 AND thread_ref ->> 'platform' = 'teams'
             AND thread_ref -> 'conversation' -> 'conversation' ->> 'id' = $2
           ORDER BY created_at DESC, number DESC LIMIT 1`,
          [workspaceId, thread.conversationId],
        );
  return row === undefined ? undefined : toPlan(row);
}

/** How an answer job records its progress: the attempt, the message, usage, the outcome. */
function answerWrites(db: Database) {
  const update = async (sql: string, params: readonly unknown[]) => {
    await db.query(`UPDATE plan_questions SET ${sql} WHERE workspace_id = $1 AND id = $2`, params);
  };
  return {
    startAnswer: (workspaceId: string, questionId: string) =>
      update(`status = 'running', attempts = attempts + 1`, [workspaceId, questionId]),
    setAnswerRef: (workspaceId: string, questionId: string, ref: MessageRef) =>
      update('message_ref = $3', [workspaceId, questionId, JSON.stringify(ref)]),
    addAnswerUsage: (workspaceId: string, questionId: string, usage: ModelUsage, costUsd: number) =>
      update(
        `input_tokens = input_tokens + $3, output_tokens = output_tokens + $4,
         cache_read_tokens = cache_read_tokens + $5, cache_write_tokens = cache_write_tokens + $6,
         cost_usd = cost_usd + $7`,
        [
          workspaceId,
          questionId,
          usage.inputTokens,
          usage.outputTokens,
          usage.cacheReadTokens,
          usage.cacheWriteTokens,
          costUsd,
        ],
      ),
    finishAnswer: (workspaceId: string, questionId: string, answer: FinishedAnswer) =>
      update(`status = 'done', answer = $3, cited_sections = $4, error_code = NULL, finished_at = now()`, [
        workspaceId,
        questionId,
        answer.answer,
        JSON.stringify(answer.citedSections),
      ]),
    failAnswer: (workspaceId: string, questionId: string, errorCode: string) =>
      update(`status = 'failed', error_code = $3, finished_at = now()`, [workspaceId, questionId, errorCode]),
  };
}

export function createQuestionStore(db: Database): QuestionStore {
  return {
    findPlanByThread: (workspaceId, thread) => findPlanByThread(db, workspaceId, thread),
    async hasQuestionEvent(q, workspaceId, eventKey) {
      const rows = await q.query('SELECT 1 FROM plan_questions WHERE workspace_id = $1 AND event_key = $2', [
        workspaceId,
        eventKey,
      ]);
      return rows.length > 0;
    },
    async addQuestion(tx, question) {
      // The revision must be the plan's and the plan the workspace's: a foreign id inserts nothing.
      const [row] = await tx.query(
        `INSERT INTO plan_questions (workspace_id, plan_id, revision_id, platform, asked_by, question, event_key)
         SELECT $1, p.id, r.id, $4, $5, $6, $7 FROM plans p JOIN plan_revisions r ON r.plan_id = p.id
         WHERE p.workspace_id = $1 AND p.id = $2 AND r.id = $3
         ON CONFLICT (workspace_id, event_key) DO NOTHING
         RETURNING *`,
        [
          question.workspaceId,
          question.planId,
          question.revisionId,
          question.platform,
          question.askedBy,
          question.question,
          question.eventKey,
        ],
      );
      return row === undefined ? undefined : toQuestion(row);
    },
    async getQuestion(workspaceId, questionId) {
      const [row] = await db.query('SELECT * FROM plan_questions WHERE workspace_id = $1 AND id = $2', [
        workspaceId,
        questionId,
      ]);
      return row === undefined ? undefined : toQuestion(row);
    },
    async earlierQuestions(workspaceId, planId, before) {
      const rows = await db.query(
        `SELECT * FROM plan_questions
         WHERE workspace_id = $1 AND plan_id = $2 AND status = 'done' AND created_at < $3 AND id <> $4
         ORDER BY created_at, id`,
        [workspaceId, planId, before.createdAt, before.id],
      );
      return rows.map(toQuestion);
    },
    ...answerWrites(db),
  };
}
