DROP TABLE skilled_worker_networks;
