-- Organisations' registrations for places in trainings: counts, never names. Confirmed
-- registrations hold `places` of the training's `places_taken`.
CREATE TABLE training_registrations (
    id TEXT PRIMARY KEY NOT NULL,
    training_id TEXT NOT NULL REFERENCES trainings (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    places INTEGER NOT NULL,
    function TEXT NOT NULL,
    note TEXT,
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL,
    CHECK (places > 0)
);
CREATE INDEX training_registrations_training_idx ON training_registrations (training_id, id);
CREATE INDEX training_registrations_organisation_idx ON training_registrations (organisation_id, id);
