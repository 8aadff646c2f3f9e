DROP TABLE network_events;
