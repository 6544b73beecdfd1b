-- Questions asked about a plan in its thread, and the model's answers. One row per question,
-- made by the event that asked it (`event_key`: Slack's event id, Teams' activity id), so an
-- event delivered twice asks once. The answer is written by a durable job; `message_ref` is the
-- message that shows it, recorded before the first word is posted, so a retried job edits that
-- message instead of posting a second answer.
CREATE TABLE plan_questions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id text NOT NULL,
  plan_id uuid NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  -- The revision the question is about: the one it names, else the latest when it was asked.
  revision_id uuid NOT NULL REFERENCES plan_revisions (id) ON DELETE CASCADE,
  platform text NOT NULL CHECK (platform IN ('cli', 'slack', 'teams')),
  asked_by text NOT NULL,
  question text NOT NULL,
  event_key text NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  error_code text,
  answer text,
  -- Section keys the answer names as its sources, in plan order.
  cited_sections jsonb NOT NULL DEFAULT '[]',
  -- Where the answer is shown (typed per platform like every message reference).
  message_ref jsonb,
  input_tokens integer NOT NULL DEFAULT 0,
  output_tokens integer NOT NULL DEFAULT 0,
  cache_read_tokens integer NOT NULL DEFAULT 0,
  cache_write_tokens integer NOT NULL DEFAULT 0,
  cost_usd numeric(12, 6) NOT NULL DEFAULT 0,
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at timestamptz,
  UNIQUE (workspace_id, event_key)
);

-- A thread's earlier questions, oldest first (the context of the next answer).
CREATE INDEX plan_questions_by_plan ON plan_questions (workspace_id, plan_id, created_at);
-- Limits count a person's and a workspace's questions like their plans.
CREATE INDEX plan_questions_workspace_created ON plan_questions (workspace_id, created_at DESC);
CREATE INDEX plan_questions_asker_created ON plan_questions (workspace_id, asked_by, created_at DESC);

-- Which plan a thread belongs to: a Slack thread by channel and root ts, a Teams conversation by id.
CREATE INDEX plans_slack_thread ON plans (workspace_id, (thread_ref ->> 'channel'), (thread_ref ->> 'ts'))
  WHERE thread_ref ->> 'platform' = 'slack';
CREATE INDEX plans_teams_thread ON plans (workspace_id, (thread_ref -> 'conversation' -> 'conversation' ->> 'id'))
  WHERE thread_ref ->> 'platform' = 'teams';
