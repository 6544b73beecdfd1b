-- Grounded plans: the target API's OpenAPI document a revision was written against.
-- The document itself once per workspace and content (a re-run keeps its revision's spec without
-- storing it again); the revision keeps what it was given: where the spec came from, its identity,
-- and the API facts exactly as the model saw them.
CREATE TABLE api_specs (
  workspace_id text NOT NULL,
  sha256 text NOT NULL,
  body bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, sha256)
);

-- {source: {kind: file|url|catalog, …}, sha256, title, version, format, operations}
ALTER TABLE plan_revisions ADD COLUMN spec jsonb;
ALTER TABLE plan_revisions ADD COLUMN spec_facts text;

-- What a section names that the spec does not have ("POST /v1/bulk_refunds"), after one repair.
ALTER TABLE plan_sections ADD COLUMN not_in_spec jsonb NOT NULL DEFAULT '[]';
