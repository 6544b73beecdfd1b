-- A spec file a person sent the bot in a Teams 1:1 chat, waiting to ground their next plan:
-- one per person and workspace (a newer file replaces it); the document itself is in api_specs.
CREATE TABLE pending_specs (
  workspace_id text NOT NULL,
  user_id text NOT NULL,
  -- {kind: file, name}: what the plan will say it was grounded in
  source jsonb NOT NULL,
  sha256 text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, user_id),
  FOREIGN KEY (workspace_id, sha256) REFERENCES api_specs (workspace_id, sha256)
);
