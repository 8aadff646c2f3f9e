-- Who took part in a session (numbered from 1 in time order), counted by organisation kind,
-- gender and function: no personal data. A session's counts are replaced as a whole.
CREATE TABLE training_participation (
    training_id TEXT NOT NULL REFERENCES trainings (id),
    session_number INTEGER NOT NULL,
    organisation_kind TEXT NOT NULL,
    gender TEXT NOT NULL,
    function TEXT NOT NULL,
    participants INTEGER NOT NULL,
    PRIMARY KEY (training_id, session_number, organisation_kind, gender, function),
    CHECK (participants > 0)
);
