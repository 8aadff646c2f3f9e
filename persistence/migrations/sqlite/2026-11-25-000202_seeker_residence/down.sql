ALTER TABLE advice_seekers DROP COLUMN residence_postcode;
ALTER TABLE advice_seekers DROP COLUMN residence_district;
ALTER TABLE advice_seekers DROP COLUMN residence_state;
