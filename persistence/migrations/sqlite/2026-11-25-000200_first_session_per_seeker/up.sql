-- Monitoring counts first counselling per person: one `first` session per advice seeker across
-- all their cases. Sessions carry their seeker so that a unique partial index can hold the rule
-- even when two requests race past the application's check. They also name the counselling
-- point and the counsellor (both optional: earlier sessions named neither).
ALTER TABLE counselling_sessions ADD COLUMN seeker_id TEXT REFERENCES advice_seekers (id);
ALTER TABLE counselling_sessions ADD COLUMN centre_id TEXT REFERENCES advice_centres (id);
ALTER TABLE counselling_sessions ADD COLUMN counsellor_id TEXT REFERENCES users (id);

UPDATE counselling_sessions SET seeker_id =
    (SELECT c.seeker_id FROM counselling_cases c WHERE c.id = counselling_sessions.case_id);


-- Earlier data counted `first` per case. Of a seeker's sessions, the earliest held (then the
-- earliest recorded) is the first counselling; every other `first` becomes a follow-up, and a
-- seeker who had follow-ups only gets the earliest as the first.
UPDATE counselling_sessions
SET kind = 'follow_up', version = version + 1, updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now')
WHERE kind = 'first' AND EXISTS (
    SELECT 1 FROM counselling_sessions e
    WHERE e.seeker_id = counselling_sessions.seeker_id AND e.kind = 'first'
      AND (e.held_on < counselling_sessions.held_on
           OR (e.held_on = counselling_sessions.held_on AND e.id < counselling_sessions.id)));

UPDATE counselling_sessions
SET kind = 'first', version = version + 1, updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now')
WHERE NOT EXISTS (
    SELECT 1 FROM counselling_sessions f
    WHERE f.seeker_id = counselling_sessions.seeker_id AND f.kind = 'first')
  AND NOT EXISTS (
    SELECT 1 FROM counselling_sessions e
    WHERE e.seeker_id = counselling_sessions.seeker_id
      AND (e.held_on < counselling_sessions.held_on
           OR (e.held_on = counselling_sessions.held_on AND e.id < counselling_sessions.id)));

CREATE UNIQUE INDEX counselling_sessions_one_first_idx ON counselling_sessions (seeker_id)
    WHERE kind = 'first';
CREATE INDEX counselling_sessions_seeker_idx ON counselling_sessions (seeker_id, id);
