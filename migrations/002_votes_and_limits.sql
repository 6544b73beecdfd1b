-- Feedback on sections ("helpful" / "not helpful"), one vote per person and section; a second
-- click changes the vote. Tallies per prompt version show whether a prompt change helped.
CREATE TABLE section_votes (
  revision_id uuid NOT NULL,
  section_key text NOT NULL,
  workspace_id text NOT NULL,
  user_id text NOT NULL,
  helpful boolean NOT NULL,
  voted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (revision_id, section_key, user_id),
  FOREIGN KEY (revision_id, section_key) REFERENCES plan_sections (revision_id, key) ON DELETE CASCADE
);

CREATE INDEX section_votes_workspace ON section_votes (workspace_id, revision_id);

-- Plan limits count a person's and a workspace's revisions of the last hour.
CREATE INDEX plan_revisions_workspace_created ON plan_revisions (workspace_id, created_at DESC);
CREATE INDEX plan_revisions_requester_created ON plan_revisions (workspace_id, requested_by, created_at DESC);
