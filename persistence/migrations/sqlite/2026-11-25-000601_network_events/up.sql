-- A skilled-worker network's events. `regional_network` repeats the network's (which never
-- changes) so the public calendar filters by region without a join. `calendar_key` is the start
-- (UTC, `YYYYMMDDTHHMMSS`) followed by the id: unique, and in calendar order, so the calendar
-- pages by keyset on one column, and `from` is a range on it.
CREATE TABLE network_events (
    id TEXT PRIMARY KEY NOT NULL,
    network_id TEXT NOT NULL REFERENCES skilled_worker_networks (id),
    regional_network TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    venue TEXT,
    topics TEXT NOT NULL,
    public BOOLEAN NOT NULL,
    state TEXT NOT NULL,
    attendance TEXT NOT NULL,
    calendar_key TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX network_events_network_idx ON network_events (network_id, id);
CREATE INDEX network_events_calendar_idx ON network_events (public, calendar_key);
CREATE INDEX network_events_calendar_region_idx
    ON network_events (public, regional_network, calendar_key);
