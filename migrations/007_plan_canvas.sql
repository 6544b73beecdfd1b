-- The plan as a Slack canvas: {kind: canvas, id, url} once created, or {kind: unavailable, error}
-- with Slack's error code when the workspace cannot have one (the Markdown export is the fallback).
ALTER TABLE plans ADD COLUMN canvas jsonb;
