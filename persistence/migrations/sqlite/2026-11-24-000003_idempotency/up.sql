-- Idempotency keys (IETF draft semantics, as Stripe does it). The primary key decides races: of
-- two concurrent requests with one key, exactly one INSERT succeeds. A row without a status is
-- still in flight.
CREATE TABLE idempotency_keys (
    caller TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    response_status INTEGER,
    response_headers TEXT,
    response_body TEXT,
    PRIMARY KEY (caller, idempotency_key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
