DROP TABLE reference_occupations;
DROP TABLE countries;
