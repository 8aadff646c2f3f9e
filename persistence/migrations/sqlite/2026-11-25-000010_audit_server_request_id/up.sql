-- The id the server gave the request; X-Request-Id (request_id) is chosen by the client.
ALTER TABLE audit_log ADD COLUMN server_request_id TEXT;
