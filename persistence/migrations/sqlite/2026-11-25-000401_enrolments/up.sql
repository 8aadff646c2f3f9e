-- Enrolments of advice seekers in measures: personal data, owned by the seeker's organisation.
-- The waiting list is the measure's waitlisted enrolments in id (arrival) order.
CREATE TABLE enrolments (
    id TEXT PRIMARY KEY NOT NULL,
    measure_id TEXT NOT NULL REFERENCES measures (id),
    seeker_id TEXT NOT NULL REFERENCES advice_seekers (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    referral_id TEXT REFERENCES referrals (id),
    procedure_id TEXT REFERENCES recognition_procedures (id),
    state TEXT NOT NULL,
    funding TEXT,
    result TEXT,
    ended_on DATE,
    employment_after TEXT,
    employment_recorded_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX enrolments_measure_state_idx ON enrolments (measure_id, state, id);
CREATE INDEX enrolments_measure_idx ON enrolments (measure_id, id);
CREATE INDEX enrolments_organisation_idx ON enrolments (organisation_id, id);
CREATE INDEX enrolments_seeker_idx ON enrolments (seeker_id, id);
-- One current enrolment per seeker and measure: a second would take a second seat. After a
-- drop-out or the end, the seeker may apply again.
CREATE UNIQUE INDEX enrolments_current_idx ON enrolments (measure_id, seeker_id)
    WHERE state IN ('applied', 'admitted', 'waitlisted', 'active');
