-- Feedback on answers to questions in a plan's thread (Slack's feedback buttons, Teams' feedback
-- loop), one vote per person and answer; a second click changes it. Kept beside section_votes:
-- an answer is no section, and its prompt is the prompt file's `answer` template.
CREATE TABLE answer_votes (
  question_id uuid NOT NULL REFERENCES plan_questions (id) ON DELETE CASCADE,
  workspace_id text NOT NULL,
  user_id text NOT NULL,
  helpful boolean NOT NULL,
  voted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (question_id, user_id)
);

CREATE INDEX answer_votes_workspace ON answer_votes (workspace_id);
