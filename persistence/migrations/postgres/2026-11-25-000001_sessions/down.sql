DROP TABLE sign_in_throttle;
DROP TABLE refresh_tokens;
DROP TABLE sessions;
ALTER TABLE api_clients DROP COLUMN credential_epoch;
ALTER TABLE users DROP COLUMN credential_epoch;
