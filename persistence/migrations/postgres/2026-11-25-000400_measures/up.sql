-- Bridge-training measures (priority area 2). Not personal data: the public search lists the
-- open ones. `seats_taken` is only ever changed by a conditional UPDATE that checks it against
-- `capacity` in the same statement, so concurrent enrolments on any number of instances never
-- overbook. `german_rank` orders the required German level (0 none .. 7 native) so the search
-- "what can a person with level X attend" is a range condition.
CREATE TABLE measures (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    format TEXT NOT NULL,
    regulated BOOLEAN NOT NULL,
    mode TEXT NOT NULL,
    hours INTEGER NOT NULL,
    weeks INTEGER NOT NULL,
    german_rank INTEGER NOT NULL,
    venue TEXT,
    venue_state TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    seats_taken INTEGER NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    azav_certified BOOLEAN NOT NULL,
    modules TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL,
    CHECK (seats_taken >= 0 AND seats_taken <= capacity)
);
-- The search always names the state (open by default); each filter's index follows it and ends
-- in the keyset column.
CREATE INDEX measures_organisation_idx ON measures (organisation_id, id);
CREATE INDEX measures_state_idx ON measures (state, id);
CREATE INDEX measures_state_venue_idx ON measures (state, venue_state, id);
CREATE INDEX measures_state_kind_idx ON measures (state, kind, id);
CREATE INDEX measures_state_mode_idx ON measures (state, mode, id);
CREATE INDEX measures_state_starts_idx ON measures (state, starts_on, id);
CREATE INDEX measures_state_german_idx ON measures (state, german_rank, id);

-- The reference occupations a measure prepares for: one row each, so the search by KldB code
-- is an index lookup rather than a scan of JSON text.
CREATE TABLE measure_occupations (
    measure_id TEXT NOT NULL REFERENCES measures (id),
    kldb_code TEXT NOT NULL REFERENCES reference_occupations (kldb_code),
    PRIMARY KEY (measure_id, kldb_code)
);
CREATE INDEX measure_occupations_kldb_idx ON measure_occupations (kldb_code, measure_id);
