-- Teams' feedback loop names the message voted on (the activity the bot posted), not a section:
-- sections and answers are found by their message's id. A vote may carry the person's comment.
CREATE INDEX plan_sections_message_id ON plan_sections ((message_ref ->> 'activityId'));
CREATE INDEX plan_questions_message_id ON plan_questions ((message_ref ->> 'activityId'));
ALTER TABLE section_votes ADD COLUMN comment text;
ALTER TABLE answer_votes ADD COLUMN comment text;
