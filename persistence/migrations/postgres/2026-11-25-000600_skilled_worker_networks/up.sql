-- Regional skilled-worker networks (priority area 4): stakeholder alliances inside a federal
-- state's regional network. Not personal data. The members (organisation, role, stakeholder
-- kind, joined and left) are part of the network and change with its version, so they are kept
-- with it as JSON: every rule about them is checked on the whole network in the domain.
CREATE TABLE skilled_worker_networks (
    id TEXT PRIMARY KEY NOT NULL,
    regional_network TEXT NOT NULL REFERENCES regional_networks (code),
    name TEXT NOT NULL,
    coordinator_organisation_id TEXT NOT NULL REFERENCES organisations (id),
    members TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX skilled_worker_networks_region_idx ON skilled_worker_networks (regional_network, id);
CREATE INDEX skilled_worker_networks_coordinator_idx
    ON skilled_worker_networks (coordinator_organisation_id, id);
