-- Access that ends when it should: a credential epoch per account (any change of role,
-- organisation, activity or password bumps it, and tokens carrying an older one stop working),
-- sign-in sessions with rotating refresh tokens, and the sign-in throttle shared by all instances.
ALTER TABLE users ADD COLUMN credential_epoch BIGINT NOT NULL DEFAULT 1;
ALTER TABLE api_clients ADD COLUMN credential_epoch BIGINT NOT NULL DEFAULT 1;

CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions (id),
    issued_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

CREATE TABLE sign_in_throttle (
    throttle_key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    window_started_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);
