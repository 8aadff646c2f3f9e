DROP TABLE measure_occupations;
DROP TABLE measures;
