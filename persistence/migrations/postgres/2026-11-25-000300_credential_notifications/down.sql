DROP TRIGGER sessions_changed ON sessions;
DROP TRIGGER api_clients_credentials_changed ON api_clients;
DROP TRIGGER users_credentials_changed ON users;
DROP FUNCTION iqnet_credentials_changed();
