UPDATE foreign_qualifications
    SET regulated = FALSE, competent_authority_kind = 'zab'
    WHERE reference_occupation IN ('25104', '26304');
UPDATE reference_occupations
    SET regulated = FALSE, legal_basis = NULL, competent_authority_kind = 'zab'
    WHERE kldb_code IN ('25104', '26304');
DROP TABLE competent_authority_occupations;
DROP TABLE competent_authorities;
