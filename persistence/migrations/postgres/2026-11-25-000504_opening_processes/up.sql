-- Intercultural opening processes: a provider (`organisation_id`, which manages it) accompanies
-- one organisation (`client_organisation_id`, which sees it). Milestones and agreed measures
-- are small lists read with the process, kept as JSON.
CREATE TABLE opening_processes (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    client_organisation_id TEXT NOT NULL REFERENCES organisations (id),
    state TEXT NOT NULL,
    milestones TEXT NOT NULL,
    measures TEXT NOT NULL,
    follow_up TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX opening_processes_organisation_idx ON opening_processes (organisation_id, id);
CREATE INDEX opening_processes_client_idx ON opening_processes (client_organisation_id, id);
CREATE INDEX opening_processes_state_idx ON opening_processes (state, id);
