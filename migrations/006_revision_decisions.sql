-- Review decisions on a revision, in the order they were made: "approved", or "changes requested"
-- with the reason. The latest one is the revision's state; none means "in review".
CREATE TABLE revision_decisions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id text NOT NULL,
  revision_id uuid NOT NULL REFERENCES plan_revisions (id) ON DELETE CASCADE,
  decision text NOT NULL CHECK (decision IN ('approved', 'changes_requested')),
  reason text,
  decided_by text NOT NULL,
  platform text NOT NULL CHECK (platform IN ('cli', 'slack', 'teams')),
  decided_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX revision_decisions_by_revision ON revision_decisions (workspace_id, revision_id, decided_at DESC);
