-- Employer consultations (priority area 4). A company's data is seen by the consulting
-- organisation (the owner) and the members it was referred to: the referrals are rows of their
-- own, so "consultations referred to my organisation" is an index lookup. `seeker_id` names the
-- skilled worker concerned, an advice seeker of area 1, when known.
CREATE TABLE employer_consultations (
    id TEXT PRIMARY KEY NOT NULL,
    network_id TEXT NOT NULL REFERENCES skilled_worker_networks (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    company_id TEXT NOT NULL REFERENCES organisations (id),
    seeker_id TEXT REFERENCES advice_seekers (id),
    topics TEXT NOT NULL,
    target_occupations TEXT NOT NULL,
    countries TEXT NOT NULL,
    posts INTEGER NOT NULL,
    received_on DATE NOT NULL,
    state TEXT NOT NULL,
    closed_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL,
    CHECK (posts > 0)
);
CREATE INDEX employer_consultations_network_idx ON employer_consultations (network_id, id);
CREATE INDEX employer_consultations_organisation_idx
    ON employer_consultations (organisation_id, id);

CREATE TABLE consultation_referrals (
    id TEXT PRIMARY KEY NOT NULL,
    consultation_id TEXT NOT NULL REFERENCES employer_consultations (id),
    to_organisation_id TEXT NOT NULL REFERENCES organisations (id),
    service TEXT NOT NULL,
    sent_on DATE NOT NULL,
    answer TEXT,
    answered_on DATE
);
CREATE INDEX consultation_referrals_consultation_idx
    ON consultation_referrals (consultation_id, id);
CREATE INDEX consultation_referrals_to_idx
    ON consultation_referrals (to_organisation_id, consultation_id);
