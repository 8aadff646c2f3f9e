-- Instances remember which tokens they verified (auth::verified). Any change that can end a token
-- (an account's activity, epoch, role or organisation; a client revoked; a session revoked or
-- swept) tells every instance at its commit, so each forgets what it verified.
CREATE FUNCTION iqnet_credentials_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('iqnet_credentials', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;

CREATE TRIGGER users_credentials_changed AFTER UPDATE OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION iqnet_credentials_changed();
CREATE TRIGGER api_clients_credentials_changed AFTER UPDATE OR DELETE ON api_clients
    FOR EACH STATEMENT EXECUTE FUNCTION iqnet_credentials_changed();
CREATE TRIGGER sessions_changed AFTER UPDATE OR DELETE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION iqnet_credentials_changed();
