DROP TABLE training_registrations;
