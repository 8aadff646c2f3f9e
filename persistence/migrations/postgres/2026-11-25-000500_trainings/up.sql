-- Intercultural trainings (priority area 3). Not personal data: the public calendar lists the
-- open ones. `places_taken` is only ever changed by a conditional UPDATE that checks it against
-- `capacity` in the same statement, so concurrent registrations on any number of instances never
-- overbook; the CHECK backs it. `starts_on`, `ends_on` and `hours` are derived from the sessions
-- (kept in `sessions` as JSON, in time order) for the calendar's date filter.
CREATE TABLE trainings (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    title TEXT NOT NULL,
    description TEXT,
    format TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    places_taken INTEGER NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    hours INTEGER NOT NULL,
    trainer_ids TEXT NOT NULL,
    sessions TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL,
    CHECK (places_taken >= 0 AND places_taken <= capacity)
);
-- The calendar always names the state (open by default); each filter's index follows it and
-- ends in the keyset column.
CREATE INDEX trainings_organisation_idx ON trainings (organisation_id, id);
CREATE INDEX trainings_state_idx ON trainings (state, id);
CREATE INDEX trainings_state_format_idx ON trainings (state, format, id);
CREATE INDEX trainings_state_starts_idx ON trainings (state, starts_on, id);
CREATE INDEX trainings_state_ends_idx ON trainings (state, ends_on, id);

-- A training's topics and target organisation kinds, one row each (`dimension` is `topic` or
-- `target_kind`), so the calendar's filters are index lookups rather than scans of JSON text.
CREATE TABLE training_tags (
    training_id TEXT NOT NULL REFERENCES trainings (id),
    dimension TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (training_id, dimension, value)
);
CREATE INDEX training_tags_value_idx ON training_tags (dimension, value, training_id);
