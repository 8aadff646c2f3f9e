-- Short and anonymous contacts (hotline, information at events), counted without a seeker
-- record: no personal data, no free text. Owned by the organisation of the counselling point.
CREATE TABLE short_contacts (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    centre_id TEXT NOT NULL REFERENCES advice_centres (id),
    format TEXT NOT NULL,
    held_on DATE NOT NULL,
    topics TEXT NOT NULL,
    country TEXT REFERENCES countries (code),
    reference_occupation TEXT REFERENCES reference_occupations (kldb_code),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX short_contacts_organisation_idx ON short_contacts (organisation_id, id);
CREATE INDEX short_contacts_held_on_idx ON short_contacts (held_on);
