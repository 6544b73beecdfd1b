import type { Database } from './database.ts';

/** Helpful / not helpful counts. */
export interface VoteTally {
  readonly helpful: number;
  readonly notHelpful: number;
}

/** One prompt version's feedback, per section key, so prompt changes can be compared. */
export interface PromptFeedback {
  readonly promptVersion: string;
  readonly sections: ReadonlyMap<string, VoteTally>;
  readonly total: VoteTally;
}

export interface Vote {
  readonly workspaceId: string;
  readonly revisionId: string;
  readonly sectionKey: string;
  readonly userId: string;
  readonly helpful: boolean;
}

/** A vote on an answer to a question in a plan's thread. */
export interface AnswerVote {
  readonly workspaceId: string;
  readonly questionId: string;
  readonly userId: string;
  readonly helpful: boolean;
}

/** A vote on the message that shows a section or an answer (Teams' feedback loop names the message). */
export interface MessageVote {
  readonly workspaceId: string;
  /** The platform's id of the message (Teams' activity id). */
  readonly messageId: string;
  readonly userId: string;
  readonly helpful: boolean;
  /** What the person wrote with the vote, if anything. */
  readonly comment?: string | undefined;
}

/** Feedback votes on sections and answers, always scoped by workspace like the plans they belong to. */
export interface FeedbackStore {
  /**
   * Records (or changes) a vote on the message showing a section or a finished answer; what it
   * was about, or undefined when no section or answer of the workspace is shown by that message.
   */
  voteOnMessage(vote: MessageVote): Promise<'section' | 'answer' | undefined>;
  /** Records (or changes) a vote; the section's new tally, or undefined when the workspace has no such section. */
  vote(vote: Vote): Promise<VoteTally | undefined>;
  /**
   * Records (or changes) a vote on a finished answer; its new tally and the language of the plan
   * revision it is about, or undefined when the workspace has no such answer.
   */
  voteAnswer(vote: AnswerVote): Promise<{ tally: VoteTally; language: string } | undefined>;
  /** A revision's tallies by section key. */
  revisionTallies(workspaceId: string, revisionId: string): Promise<Map<string, VoteTally>>;
  /** The workspace's feedback grouped by prompt version, newest version first. */
  promptFeedback(workspaceId: string, options: { limit: number }): Promise<PromptFeedback[]>;
}

interface TallyRow {
  section_key: string;
  helpful: string | number;
  not_helpful: string | number;
}

const tallyOf = (row: Pick<TallyRow, 'helpful' | 'not_helpful'>): VoteTally => ({
  helpful: Number(row.helpful),
  notHelpful: Number(row.not_helpful),
});

const add = (a: VoteTally, b: VoteTally): VoteTally => ({
  helpful: a.helpful + b.helpful,
  notHelpful: a.notHelpful + b.notHelpful,
});

/** A vote on the message showing a section or a finished answer: the section is tried first. */
async function voteOnMessage(db: Database, vote: MessageVote): Promise<'section' | 'answer' | undefined> {
  const params = [vote.workspaceId, vote.messageId, vote.userId, vote.helpful, vote.comment ?? null];
  const section = await db.query(
    `INSERT INTO section_votes (revision_id, section_key, workspace_id, user_id, helpful, comment)
     SELECT s.revision_id, s.key, r.workspace_id, $3, $4, $5
     FROM plan_sections s JOIN plan_revisions r ON r.id = s.revision_id
     WHERE r.workspace_id = $1 AND s.message_ref ->> 'activityId' = $2
     ON CONFLICT (revision_id, section_key, user_id)
     DO UPDATE SET helpful = EXCLUDED.helpful, comment = EXCLUDED.comment, voted_at = now()
     RETURNING 1 AS ok`,
    params,
  );
  if (section.length > 0) return 'section';
  const answer = await db.query(
    `INSERT INTO answer_votes (question_id, workspace_id, user_id, helpful, comment)
     SELECT q.id, q.workspace_id, $3, $4, $5 FROM plan_questions q
     WHERE q.workspace_id = $1 AND q.message_ref ->> 'activityId' = $2 AND q.status = 'done'
     ON CONFLICT (question_id, user_id)
     DO UPDATE SET helpful = EXCLUDED.helpful, comment = EXCLUDED.comment, voted_at = now()
     RETURNING 1 AS ok`,
    params,
  );
  return answer.length > 0 ? 'answer' : undefined;
}

/** A vote on a finished answer by its question: the tally and the language of the revision it is about. */
async function voteAnswer(db: Database, vote: AnswerVote): Promise<{ tally: VoteTally; language: string } | undefined> {
  // Only a finished answer to a question of this workspace can be voted on.
  const inserted = await db.query(
    `INSERT INTO answer_votes (question_id, workspace_id, user_id, helpful)
     SELECT q.id, q.workspace_id, $3, $4 FROM plan_questions q
     WHERE q.workspace_id = $1 AND q.id = $2 AND q.status = 'done'
     ON CONFLICT (question_id, user_id) DO UPDATE SET helpful = EXCLUDED.helpful, voted_at = now()
     RETURNING 1 AS ok`,
    [vote.workspaceId, vote.questionId, vote.userId, vote.helpful],
  );
  if (inserted.length === 0) return undefined;
  const [row] = await db.query<Pick<TallyRow, 'helpful' | 'not_helpful'> & { language: string }>(
    `SELECT count(*) FILTER (WHERE v.helpful) AS helpful, count(*) FILTER (WHERE NOT v.helpful) AS not_helpful,
            min(r.language) AS language
     FROM answer_votes v JOIN plan_questions q ON q.id = v.question_id JOIN plan_revisions r ON r.id = q.revision_id
     WHERE v.workspace_id = $1 AND v.question_id = $2`,
    [vote.workspaceId, vote.questionId],
  );
  return row === undefined ? undefined : { tally: tallyOf(row), language: row.language };
}

export function createFeedbackStore(db: Database): FeedbackStore {
  return {
    async vote(vote) {
      // The insert only happens when the section belongs to a revision of this workspace.
      const inserted = await db.query(
        `INSERT INTO section_votes (revision_id, section_key, workspace_id, user_id, helpful)
         SELECT s.revision_id, s.key, r.workspace_id, $4, $5
         FROM plan_sections s JOIN plan_revisions r ON r.id = s.revision_id
         WHERE r.workspace_id = $1 AND s.revision_id = $2 AND s.key = $3
         ON CONFLICT (revision_id, section_key, user_id) DO UPDATE SET helpful = EXCLUDED.helpful, voted_at = now()
         RETURNING 1 AS ok`,
        [vote.workspaceId, vote.revisionId, vote.sectionKey, vote.userId, vote.helpful],
      );
      if (inserted.length === 0) return undefined;
      const tallies = await this.revisionTallies(vote.workspaceId, vote.revisionId);
      return tallies.get(vote.sectionKey) ?? { helpful: 0, notHelpful: 0 };
    },

    voteOnMessage: (vote) => voteOnMessage(db, vote),
    voteAnswer: (vote) => voteAnswer(db, vote),

    async revisionTallies(workspaceId, revisionId) {
      const rows = await db.query<TallyRow>(
        `SELECT section_key, count(*) FILTER (WHERE helpful) AS helpful, count(*) FILTER (WHERE NOT helpful) AS not_helpful
         FROM section_votes WHERE workspace_id = $1 AND revision_id = $2 GROUP BY section_key`,
        [workspaceId, revisionId],
      );
      return new Map(rows.map((row) => [row.section_key, tallyOf(row)]));
    },

    async promptFeedback(workspaceId, options) {
      const rows = await db.query<TallyRow & { prompt_version: string; newest: Date }>(
        `SELECT r.prompt_version, v.section_key,
                count(*) FILTER (WHERE v.helpful) AS helpful, count(*) FILTER (WHERE NOT v.helpful) AS not_helpful,
                max(r.created_at) AS newest
         FROM section_votes v JOIN plan_revisions r ON r.id = v.revision_id
         WHERE v.workspace_id = $1
         GROUP BY r.prompt_version, v.section_key`,
        [workspaceId],
      );
      const byVersion = new Map<string, { newest: number; sections: Map<string, VoteTally> }>();
      for (const row of rows) {
        const entry = byVersion.get(row.prompt_version) ?? { newest: 0, sections: new Map<string, VoteTally>() };
        entry.newest = Math.max(entry.newest, new Date(row.newest).getTime());
        entry.sections.set(row.section_key, tallyOf(row));
        byVersion.set(row.prompt_version, entry);
      }
      return [...byVersion.entries()]
        .toSorted(([, a], [, b]) => b.newest - a.newest)
        .slice(0, options.limit)
        .map(([promptVersion, entry]) => ({
          promptVersion,
          sections: entry.sections,
          total: [...entry.sections.values()].reduce(add, { helpful: 0, notHelpful: 0 }),
        }));
    },
  };
}
