-- What monitoring counts of a case: the situation at intake, the seeker's status at intake and
-- at close (each dated), and the recommendations at the close (a JSON array of codes).
ALTER TABLE counselling_cases ADD COLUMN intake_application_filed BOOLEAN;
ALTER TABLE counselling_cases ADD COLUMN intake_decision TEXT;
ALTER TABLE counselling_cases ADD COLUMN intake_zab_evaluation_held BOOLEAN;
ALTER TABLE counselling_cases ADD COLUMN intake_status_on DATE;
ALTER TABLE counselling_cases ADD COLUMN intake_residence_title TEXT;
ALTER TABLE counselling_cases ADD COLUMN intake_german_level TEXT;
ALTER TABLE counselling_cases ADD COLUMN intake_employment_status TEXT;
ALTER TABLE counselling_cases ADD COLUMN close_status_on DATE;
ALTER TABLE counselling_cases ADD COLUMN close_residence_title TEXT;
ALTER TABLE counselling_cases ADD COLUMN close_german_level TEXT;
ALTER TABLE counselling_cases ADD COLUMN close_employment_status TEXT;
ALTER TABLE counselling_cases ADD COLUMN recommendations TEXT NOT NULL DEFAULT '[]';

-- Cases closed before carry their single outcome forward as the recommendation it stands for
-- (the same map as `iqnet_counselling::outcome::recommendation_of`). Their status and
-- situation at intake were never recorded and stay unknown.
UPDATE counselling_cases SET recommendations = CASE outcome
    WHEN 'application_recommended' THEN '["recognition_application"]'
    WHEN 'application_filed' THEN '["recognition_application"]'
    WHEN 'referred_to_authority' THEN '["recognition_application"]'
    WHEN 'zab_evaluation' THEN '["zab_evaluation"]'
    WHEN 'qualification_recommended' THEN '["bridge_training"]'
    WHEN 'alternative_path' THEN '["alternative_path"]'
    WHEN 'no_action' THEN '["no_action"]'
    ELSE '[]' END
WHERE outcome IS NOT NULL;
