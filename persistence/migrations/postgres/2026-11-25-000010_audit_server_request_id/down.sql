ALTER TABLE audit_log DROP COLUMN server_request_id;
