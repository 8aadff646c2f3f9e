-- Priority area 1: counselling. Every row holding personal data names its owning organisation,
-- so tenancy filters need no joins. Lists (languages, nationalities, topics, ...) are JSON arrays
-- in TEXT columns: portable, and never queried inside.

CREATE TABLE advice_centres (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    sub_project_id TEXT REFERENCES sub_projects (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    street TEXT,
    postcode TEXT NOT NULL,
    city TEXT NOT NULL,
    languages TEXT NOT NULL,
    formats TEXT NOT NULL,
    opening_hours TEXT,
    email TEXT,
    phone TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX advice_centres_state_idx ON advice_centres (state, id);
CREATE INDEX advice_centres_postcode_idx ON advice_centres (postcode);

CREATE TABLE advice_seekers (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    client_code TEXT NOT NULL,
    name TEXT,
    email TEXT,
    phone TEXT,
    gender TEXT NOT NULL,
    age_band TEXT,
    nationalities TEXT NOT NULL,
    country_of_residence TEXT NOT NULL,
    year_of_entry INTEGER,
    residence_title TEXT,
    german_level TEXT,
    employment_status TEXT,
    benefits TEXT NOT NULL,
    consents TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL,
    UNIQUE (organisation_id, client_code)
);
CREATE INDEX advice_seekers_organisation_idx ON advice_seekers (organisation_id, id);

CREATE TABLE foreign_qualifications (
    id TEXT PRIMARY KEY NOT NULL,
    seeker_id TEXT NOT NULL REFERENCES advice_seekers (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    country TEXT NOT NULL REFERENCES countries (code),
    year_acquired INTEGER,
    dqr_level INTEGER,
    reference_occupation TEXT REFERENCES reference_occupations (kldb_code),
    regulated BOOLEAN NOT NULL,
    competent_authority_kind TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX foreign_qualifications_seeker_idx ON foreign_qualifications (seeker_id, id);

CREATE TABLE counselling_cases (
    id TEXT PRIMARY KEY NOT NULL,
    seeker_id TEXT NOT NULL REFERENCES advice_seekers (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL,
    access_route TEXT NOT NULL,
    state TEXT NOT NULL,
    outcome TEXT,
    opened_on DATE NOT NULL,
    closed_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX counselling_cases_seeker_idx ON counselling_cases (seeker_id, id);
CREATE INDEX counselling_cases_organisation_idx ON counselling_cases (organisation_id, id);

CREATE TABLE counselling_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES counselling_cases (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL,
    format TEXT NOT NULL,
    held_on DATE NOT NULL,
    duration_minutes INTEGER NOT NULL,
    language TEXT NOT NULL,
    topics TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX counselling_sessions_case_idx ON counselling_sessions (case_id, id);

CREATE TABLE recognition_procedures (
    id TEXT PRIMARY KEY NOT NULL,
    qualification_id TEXT NOT NULL REFERENCES foreign_qualifications (id),
    seeker_id TEXT NOT NULL REFERENCES advice_seekers (id),
    case_id TEXT REFERENCES counselling_cases (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    authority_name TEXT,
    regulated BOOLEAN NOT NULL,
    eu_eea_ch BOOLEAN NOT NULL,
    accelerated BOOLEAN NOT NULL,
    state TEXT NOT NULL,
    submitted_on DATE NOT NULL,
    receipt_confirmed_on DATE,
    documents_complete_on DATE,
    suspended_since DATE,
    suspended_days INTEGER NOT NULL,
    extension_months INTEGER NOT NULL,
    warned_on DATE,
    decision TEXT,
    decided_on DATE,
    appealed_on DATE,
    closed_on DATE,
    last_action_on DATE NOT NULL,
    receipt_due_on DATE NOT NULL,
    decision_due_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX recognition_procedures_organisation_idx ON recognition_procedures (organisation_id, id);
CREATE INDEX recognition_procedures_due_idx ON recognition_procedures (state, receipt_due_on, decision_due_on);

-- Every action on a procedure, in order: its history for the journey view.
CREATE TABLE procedure_events (
    id TEXT PRIMARY KEY NOT NULL,
    procedure_id TEXT NOT NULL REFERENCES recognition_procedures (id),
    action TEXT NOT NULL,
    happened_on DATE NOT NULL,
    details TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX procedure_events_procedure_idx ON procedure_events (procedure_id, id);

CREATE TABLE referrals (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES counselling_cases (id),
    seeker_id TEXT NOT NULL REFERENCES advice_seekers (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    to_organisation_id TEXT NOT NULL REFERENCES organisations (id),
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    sent_on DATE NOT NULL,
    answered_on DATE,
    completed_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX referrals_organisation_idx ON referrals (organisation_id, id);
CREATE INDEX referrals_to_organisation_idx ON referrals (to_organisation_id, id);

-- Who read or changed whose personal data, when, and why. Append-only.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY NOT NULL,
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    action TEXT NOT NULL,
    resource TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    seeker_id TEXT,
    organisation_id TEXT,
    reason TEXT,
    request_id TEXT
);
CREATE INDEX audit_log_seeker_idx ON audit_log (seeker_id, id);
