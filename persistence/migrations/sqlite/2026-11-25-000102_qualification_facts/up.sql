-- Per qualification: training length, professional experience (months), and the EU/EEA/CH
-- state that already recognised it.
ALTER TABLE foreign_qualifications ADD COLUMN training_months INTEGER;
ALTER TABLE foreign_qualifications ADD COLUMN experience_months INTEGER;
ALTER TABLE foreign_qualifications ADD COLUMN recognised_in TEXT REFERENCES countries (code);
