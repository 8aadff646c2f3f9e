-- Accelerated skilled-worker procedures (§ 81a AufenthG). The milestones are reached one after
-- another, each once, so they are kept with the procedure as JSON; `stage` (the latest, or
-- `initiated`) is stored beside them for the list filter.
CREATE TABLE accelerated_procedures (
    id TEXT PRIMARY KEY NOT NULL,
    network_id TEXT NOT NULL REFERENCES skilled_worker_networks (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    company_id TEXT NOT NULL REFERENCES organisations (id),
    target_title TEXT NOT NULL,
    consultation_id TEXT REFERENCES employer_consultations (id),
    seeker_id TEXT REFERENCES advice_seekers (id),
    procedure_id TEXT REFERENCES recognition_procedures (id),
    milestones TEXT NOT NULL,
    stage TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX accelerated_procedures_network_idx ON accelerated_procedures (network_id, id);
CREATE INDEX accelerated_procedures_network_stage_idx
    ON accelerated_procedures (network_id, stage, id);
CREATE INDEX accelerated_procedures_organisation_idx
    ON accelerated_procedures (organisation_id, id);
