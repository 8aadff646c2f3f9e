DROP INDEX counselling_sessions_seeker_idx;
DROP INDEX counselling_sessions_one_first_idx;
ALTER TABLE counselling_sessions DROP COLUMN counsellor_id;
ALTER TABLE counselling_sessions DROP COLUMN centre_id;
ALTER TABLE counselling_sessions DROP COLUMN seeker_id;
