-- The competent authorities as reference data: kind, seat (state, city and the holidays that
-- hold there but not statewide, as a JSON list of holiday names), and the reference occupations
-- each decides on. A sample of real authorities; more come as new migrations.

CREATE TABLE competent_authorities (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    city TEXT NOT NULL,
    local_holidays TEXT NOT NULL
);

CREATE TABLE competent_authority_occupations (
    authority_id TEXT NOT NULL REFERENCES competent_authorities (id),
    kldb_code TEXT NOT NULL REFERENCES reference_occupations (kldb_code),
    PRIMARY KEY (authority_id, kldb_code)
);
CREATE INDEX competent_authority_occupations_kldb_idx ON competent_authority_occupations (kldb_code, authority_id);

-- Engineers' titles are protected by the states' engineering laws (Ingenieurgesetze) in every
-- discipline: recognising the title is a regulated procedure before the engineering chamber,
-- not a ZAB statement. Qualifications recorded against them follow.
UPDATE reference_occupations
    SET regulated = TRUE, legal_basis = 'state', competent_authority_kind = 'engineering_chamber'
    WHERE kldb_code IN ('25104', '26304');
UPDATE foreign_qualifications
    SET regulated = TRUE, competent_authority_kind = 'engineering_chamber'
    WHERE reference_occupation IN ('25104', '26304');

INSERT INTO competent_authorities (id, name, kind, state, city, local_holidays) VALUES
    ('de-zab', 'Zentralstelle für ausländisches Bildungswesen (ZAB)', 'zab', 'DE-NW', 'Bonn', '[]'),
    ('by-ihk-fosa', 'IHK FOSA – Foreign Skills Approval', 'ihk', 'DE-BY', 'Nürnberg', '[]'),
    ('by-hwk-schwaben', 'Handwerkskammer für Schwaben', 'hwk', 'DE-BY', 'Augsburg', '["assumption","peace_festival"]'),
    ('by-reg-oberbayern', 'Regierung von Oberbayern', 'approbation_authority', 'DE-BY', 'München', '["assumption"]'),
    ('by-bayika', 'Bayerische Ingenieurekammer-Bau', 'engineering_chamber', 'DE-BY', 'München', '["assumption"]'),
    ('by-lfp', 'Bayerisches Landesamt für Pflege', 'state_authority', 'DE-BY', 'Amberg', '["assumption"]'),
    ('be-lageso', 'Landesamt für Gesundheit und Soziales Berlin', 'approbation_authority', 'DE-BE', 'Berlin', '[]'),
    ('be-baukammer', 'Baukammer Berlin', 'engineering_chamber', 'DE-BE', 'Berlin', '[]'),
    ('be-senbjf', 'Senatsverwaltung für Bildung, Jugend und Familie Berlin', 'school_authority', 'DE-BE', 'Berlin', '[]'),
    ('sn-lds', 'Landesdirektion Sachsen', 'state_authority', 'DE-SN', 'Chemnitz', '[]');

INSERT INTO competent_authority_occupations (authority_id, kldb_code) VALUES
    ('by-ihk-fosa', '29302'), ('by-ihk-fosa', '71402'),
    ('by-hwk-schwaben', '26212'),
    ('by-reg-oberbayern', '81404'), ('by-reg-oberbayern', '81474'), ('by-reg-oberbayern', '81804'),
    ('by-bayika', '31104'), ('by-bayika', '25104'), ('by-bayika', '26304'),
    ('by-lfp', '81302'), ('by-lfp', '82102'), ('by-lfp', '81712'),
    ('be-lageso', '81404'), ('be-lageso', '81474'), ('be-lageso', '81804'), ('be-lageso', '81302'),
    ('be-lageso', '82102'), ('be-lageso', '81712'),
    ('be-baukammer', '31104'), ('be-baukammer', '25104'), ('be-baukammer', '26304'),
    ('be-senbjf', '84114'), ('be-senbjf', '84124'), ('be-senbjf', '83112'),
    ('sn-lds', '81404'), ('sn-lds', '81302'), ('sn-lds', '82102'), ('sn-lds', '81712');
