-- Message references become typed and versioned per platform (see src/store/message-refs.ts).
-- Before: string maps in Slack's words — {channel, ts, thread_ts, p_<section>: ts} — with a
-- Teams conversation reference serialised as JSON inside `channel` and inside plans.channel_id,
-- and {terminal: pid} for the CLI. After:
--   slack:    {platform, v: 1, channel, ts, threadTs?, placeholders?: {section: ts}}
--   teams:    {platform, v: 1, conversation: <reference>, activityId, rootId?, placeholders?}
--   terminal: {platform, v: 1, pid}
-- Placeholders were the p_<section> keys of a parent's map. plans.origin (where the plan was
-- asked for) replaces plans.channel_id.

-- Sections first: a Teams section kept only its activity id; its conversation is the parent's.
UPDATE plan_sections s SET message_ref = CASE
    WHEN s.message_ref ? 'terminal' THEN
      jsonb_build_object('platform', 'terminal', 'v', 1, 'pid', (s.message_ref->>'terminal')::integer)
    WHEN p.platform = 'slack' THEN
      jsonb_build_object('platform', 'slack', 'v', 1, 'channel', s.message_ref->>'channel', 'ts', s.message_ref->>'ts')
    WHEN p.platform = 'teams' THEN
      jsonb_build_object('platform', 'teams', 'v', 1, 'conversation', (r.message_ref->>'channel')::jsonb,
        'activityId', s.message_ref->>'id')
  END
FROM plan_revisions r JOIN plans p ON p.id = r.plan_id
WHERE r.id = s.revision_id AND s.message_ref IS NOT NULL AND NOT s.message_ref ? 'v';

UPDATE plan_revisions r SET message_ref = CASE
    WHEN r.message_ref ? 'terminal' THEN
      jsonb_build_object('platform', 'terminal', 'v', 1, 'pid', (r.message_ref->>'terminal')::integer)
    WHEN p.platform = 'slack' THEN
      jsonb_build_object('platform', 'slack', 'v', 1, 'channel', r.message_ref->>'channel', 'ts', r.message_ref->>'ts',
        'threadTs', COALESCE(r.message_ref->>'thread_ts', r.message_ref->>'ts'),
        'placeholders', (SELECT COALESCE(jsonb_object_agg(substr(key, 3), value), '{}'::jsonb)
          FROM jsonb_each_text(r.message_ref) WHERE left(key, 2) = 'p_'))
    WHEN p.platform = 'teams' THEN
      jsonb_build_object('platform', 'teams', 'v', 1, 'conversation', (r.message_ref->>'channel')::jsonb,
        'activityId', r.message_ref->>'ts', 'rootId', COALESCE(r.message_ref->>'thread_ts', r.message_ref->>'ts'),
        'placeholders', (SELECT COALESCE(jsonb_object_agg(substr(key, 3), value), '{}'::jsonb)
          FROM jsonb_each_text(r.message_ref) WHERE left(key, 2) = 'p_'))
  END
FROM plans p
WHERE p.id = r.plan_id AND r.message_ref IS NOT NULL AND NOT r.message_ref ? 'v';

UPDATE plans SET thread_ref = CASE platform
    WHEN 'slack' THEN
      jsonb_build_object('platform', 'slack', 'v', 1, 'channel', thread_ref->>'channel', 'ts', thread_ref->>'ts')
    WHEN 'teams' THEN
      jsonb_build_object('platform', 'teams', 'v', 1, 'conversation', (thread_ref->>'channel')::jsonb,
        'activityId', thread_ref->>'ts')
  END
WHERE thread_ref IS NOT NULL AND NOT thread_ref ? 'v';

ALTER TABLE plans ADD COLUMN origin jsonb;
UPDATE plans SET origin = CASE platform
    WHEN 'slack' THEN jsonb_build_object('platform', 'slack', 'v', 1, 'channel', channel_id)
    WHEN 'teams' THEN jsonb_build_object('platform', 'teams', 'v', 1, 'conversation', channel_id::jsonb)
  END
WHERE channel_id IS NOT NULL;
ALTER TABLE plans DROP COLUMN channel_id;
