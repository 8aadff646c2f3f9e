DROP TABLE training_tags;
DROP TABLE trainings;
