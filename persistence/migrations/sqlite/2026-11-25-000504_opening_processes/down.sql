DROP TABLE opening_processes;
