-- Anonymous evaluation questionnaires: one row per answered item, before and after on a scale
-- of 1 to 5. Nothing links a questionnaire to a person; the API only shows aggregates per item
-- (COUNT and AVG, computed here), and none based on fewer than 5 answers.
CREATE TABLE training_evaluation_answers (
    questionnaire_id TEXT NOT NULL,
    training_id TEXT NOT NULL REFERENCES trainings (id),
    item TEXT NOT NULL,
    before_score INTEGER NOT NULL,
    after_score INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (questionnaire_id, item),
    CHECK (before_score BETWEEN 1 AND 5 AND after_score BETWEEN 1 AND 5)
);
CREATE INDEX training_evaluation_answers_training_idx
    ON training_evaluation_answers (training_id, item);
