-- The access (role, organisation, network) a key's caller held: a retry with other access is
-- neither replayed nor run again. Keys stored before have none, so they are never replayed.
ALTER TABLE idempotency_keys ADD COLUMN caller_access TEXT NOT NULL DEFAULT '';
