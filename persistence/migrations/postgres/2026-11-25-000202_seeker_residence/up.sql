-- Where in Germany a seeker lives (federal state, district, postcode), any of them. Unknown for
-- the seekers registered before.
ALTER TABLE advice_seekers ADD COLUMN residence_state TEXT;
ALTER TABLE advice_seekers ADD COLUMN residence_district TEXT;
ALTER TABLE advice_seekers ADD COLUMN residence_postcode TEXT;
