DROP TABLE api_clients;
DROP TABLE users;
DROP TABLE sub_projects;
DROP TABLE organisations;
DROP TABLE regional_networks;
