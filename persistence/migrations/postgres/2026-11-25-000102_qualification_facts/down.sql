ALTER TABLE foreign_qualifications DROP COLUMN recognised_in;
ALTER TABLE foreign_qualifications DROP COLUMN experience_months;
ALTER TABLE foreign_qualifications DROP COLUMN training_months;
