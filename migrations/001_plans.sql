-- Saved plans, their revisions and sections. Every row carries or reaches its workspace
-- (Slack team id, Teams tenant id, or "local" for the CLI); every read filters by it.

-- In public, not in our schema: extensions are per database, and several schemas (tests,
-- staging beside production) must all find its operator classes on their search_path.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- Human-friendly plan numbers per workspace ("plan 42"), handed out in the creating transaction.
CREATE TABLE workspace_counters (
  workspace_id text PRIMARY KEY,
  last_plan_number integer NOT NULL
);

CREATE TABLE plans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id text NOT NULL,
  number integer NOT NULL,
  platform text NOT NULL CHECK (platform IN ('cli', 'slack', 'teams')),
  channel_id text,
  -- Where the plan's thread lives, as the platform describes it (Slack ts, Teams reference).
  thread_ref jsonb,
  title text NOT NULL,
  -- existing system + target API, lower-cased, for search.
  search_text text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  latest_revision integer NOT NULL DEFAULT 1,
  UNIQUE (workspace_id, number)
);

-- "This workspace's plans, newest first".
CREATE INDEX plans_workspace_recent ON plans (workspace_id, created_at DESC, number DESC);
-- Substring search on target API / system text.
CREATE INDEX plans_search_trgm ON plans USING gin (search_text gin_trgm_ops);

CREATE TABLE plan_revisions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plan_id uuid NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  workspace_id text NOT NULL,
  number integer NOT NULL,
  inputs jsonb NOT NULL,
  variation text NOT NULL,
  language text NOT NULL CHECK (language IN ('de', 'en')),
  strategy text NOT NULL CHECK (strategy IN ('single', 'parallel')),
  prompt_id text NOT NULL,
  prompt_version text NOT NULL,
  prompt_hash text NOT NULL,
  provider text NOT NULL,
  model text NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  error_code text,
  -- For a re-run: [{ field, from, to }] against the previous revision.
  changes jsonb NOT NULL DEFAULT '[]',
  change_summary text,
  skeleton text,
  figures jsonb NOT NULL DEFAULT '[]',
  input_tokens integer NOT NULL DEFAULT 0,
  output_tokens integer NOT NULL DEFAULT 0,
  cache_read_tokens integer NOT NULL DEFAULT 0,
  cache_write_tokens integer NOT NULL DEFAULT 0,
  cost_usd numeric(12, 6) NOT NULL DEFAULT 0,
  attempts integer NOT NULL DEFAULT 0,
  requested_by text NOT NULL,
  idempotency_key text NOT NULL,
  -- The platform's reference to the revision's parent message, once posted.
  message_ref jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  duration_ms integer,
  first_section_ms integer,
  UNIQUE (plan_id, number),
  -- Per workspace: a key replayed in another workspace can never reach this one's plans.
  UNIQUE (workspace_id, idempotency_key)
);

CREATE INDEX plan_revisions_status ON plan_revisions (status) WHERE status IN ('queued', 'running');

CREATE TABLE plan_sections (
  revision_id uuid NOT NULL REFERENCES plan_revisions (id) ON DELETE CASCADE,
  key text NOT NULL,
  position integer NOT NULL,
  title text NOT NULL,
  markdown text NOT NULL,
  missing_items jsonb NOT NULL DEFAULT '[]',
  -- The platform's reference to the posted message; null until delivered.
  message_ref jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (revision_id, key)
);
