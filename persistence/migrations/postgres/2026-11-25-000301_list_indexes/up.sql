-- An index for every list filter, each ending in the keyset column (id), so that a filtered page
-- reads only its own rows however deep it is (tests/bench/run.sh measures the page at row
-- 1,000,000 of closed cases against the first).
CREATE INDEX counselling_cases_state_idx ON counselling_cases (state, id);
CREATE INDEX counselling_cases_organisation_state_idx ON counselling_cases (organisation_id, state, id);
CREATE INDEX counselling_cases_updated_idx ON counselling_cases (updated_at);
CREATE INDEX advice_seekers_client_code_idx ON advice_seekers (client_code);
CREATE INDEX advice_seekers_updated_idx ON advice_seekers (updated_at);
CREATE INDEX recognition_procedures_seeker_idx ON recognition_procedures (seeker_id, id);
CREATE INDEX recognition_procedures_state_idx ON recognition_procedures (state, id);
CREATE INDEX recognition_procedures_updated_idx ON recognition_procedures (updated_at);
CREATE INDEX referrals_seeker_idx ON referrals (seeker_id, id);
CREATE INDEX referrals_status_idx ON referrals (status, id);
CREATE INDEX referrals_updated_idx ON referrals (updated_at);
CREATE INDEX advice_centres_updated_idx ON advice_centres (updated_at);
