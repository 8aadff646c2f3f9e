-- The network's structure: regional networks (one per federal state), organisations, their
-- sub-projects, and who may act for them (staff users and machine clients).
-- Portable types only (TEXT ids, TIMESTAMP in UTC, BIGINT versions) so both backends share one schema.

CREATE TABLE regional_networks (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    coordinating_organisation_id TEXT,
    funding_round TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);

-- The sixteen regional networks, one per federal state, with fixed ids so that every installation
-- (and every partner's mapping) names them alike.
INSERT INTO regional_networks (id, code, name, created_at, updated_at, version) VALUES
    ('01a20ada-2c00-7000-9efc-9c1452285eb4', 'DE-BW', 'IQ Netzwerk Baden-Württemberg', '2026-11-24 00:00:00', '2026-11-24 00:00:00', 1),
    ('01a20ada-2c01-7001-8dbf-ff7827561217', 'DE-BY', 'IQ Netzwerk Bayern', '2026-11-24 00:00:00', '2026-11-24 00:00:00', 1),
    ('01a20ada-2c02-7002-8e16-2eec15929338', 'DE-BE', 'IQ Netzwerk Berlin', '2026-11-24 00:00:00', '2026-11-24 00:00:00', 1),
    ('01a20ada-2c03-7003-ac2c-057293f78b80', 'DE-BB', 'IQ Netzwerk Brandenburg', '2026-11-24 00:00:00', '2026-11-24 00:00:00', 1),
    ('01a20ada-2c04-7004-8def-d97bced90b6a', 'DE-HB', 'IQ Netzwerk Bremen', '2026-11-24 00:00:00', '2026-11-24 00:00:00', 1),
    ('01a20ada-2c05-7005-8dbc-60e9ed202697', 'DE-HH', 'IQ Netzwerk Hamburg', '2026-11-24 00:00:00', '2026-11-24 00:00:00', 1),
    ('01a20ada-2c06-7006-9694-03515972e195', 'DE-HE', 'IQ Netzwerk Hessen', '2026-11-24 00:00:00', '2026-11-24 00:00:00', 1),
    ('01a20ada-2c07-7007-93ac-617f4a99ce01', 'DE-MV', 'IQ Netzwerk Mecklenburg-Vorpommern', '2026-11-24 00:00:00', '2026-11-24 00:00:00', 1),
    ('01a20ada-2c08-7008-b551-a1a393046986', 'DE-NI', 'IQ Netzwerk Niedersachsen', '2026-11-24 00:00:00', '2026-11-24 00:00:00', 1),
    ('01a20ada-2c09-7009-ae85-3dc653800c67', 'DE-NW', 'IQ Netzwerk Nordrhein-Westfalen', '2026-11-24 00:00:00', '2026-11-24 00:00:00', 1),
    ('01a20ada-2c0a-700a-9b1a-b98409827602', 'DE-RP', 'IQ Netzwerk Rheinland-Pfalz', '2026-11-24 00:00:00', '2026-11-24 00:00:00', 1),
    ('01a20ada-2c0b-700b-970d-9689c697686c', 'DE-SL', 'IQ Netzwerk Saarland', '2026-11-24 00:00:00', '2026-11-24 00:00:00', 1),
    ('01a20ada-2c0c-700c-bfb9-cb1ff528cb6c', 'DE-SN', 'IQ Netzwerk Sachsen', '2026-11-24 00:00:00', '2026-11-24 00:00:00', 1),
    ('01a20ada-2c0d-700d-8697-50479a1b93f9', 'DE-ST', 'IQ Netzwerk Sachsen-Anhalt', '2026-11-24 00:00:00', '2026-11-24 00:00:00', 1),
    ('01a20ada-2c0e-700e-98b1-baa432f16ef5', 'DE-SH', 'IQ Netzwerk Schleswig-Holstein', '2026-11-24 00:00:00', '2026-11-24 00:00:00', 1),
    ('01a20ada-2c0f-700f-ad9a-c85407b2c971', 'DE-TH', 'IQ Netzwerk Thüringen', '2026-11-24 00:00:00', '2026-11-24 00:00:00', 1);

CREATE TABLE organisations (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL REFERENCES regional_networks (code),
    street TEXT,
    postcode TEXT,
    city TEXT,
    email TEXT,
    phone TEXT,
    website TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX organisations_state_idx ON organisations (state, id);
CREATE INDEX organisations_updated_idx ON organisations (updated_at);

CREATE TABLE sub_projects (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    regional_network TEXT NOT NULL REFERENCES regional_networks (code),
    priority_area TEXT NOT NULL,
    title TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX sub_projects_organisation_idx ON sub_projects (organisation_id, id);
CREATE INDEX sub_projects_network_idx ON sub_projects (regional_network, id);

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    organisation_id TEXT REFERENCES organisations (id),
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX users_organisation_idx ON users (organisation_id, id);

CREATE TABLE api_clients (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    organisation_id TEXT REFERENCES organisations (id),
    secret_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX api_clients_organisation_idx ON api_clients (organisation_id, id);
