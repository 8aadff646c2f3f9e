-- PostgreSQL notifies instances of credential changes (see its migration of the same name).
-- SQLite has no notifications: there every request checks its token against the database,
-- which costs microseconds in an embedded file.
SELECT 1;
