-- Procedures true to the law (issue 9): the kind (BQFG recognition or ZAB statement), the
-- authority by id, the follow-up link, the effective (§ 31(3) VwVfG) due dates the overdue
-- filter compares, and `progress`: what the procedure holds beyond its columns (the seat whose
-- holidays end its periods, the EU recognition fact, the § 15 warning's deadline, measures,
-- permits, funding, and the version of the deadline rules it was computed under), as JSON.
-- (diesel's tables have at most 32 columns without a costly feature; these fit.)
--
-- `decision_due_on` stays the statutory end of the decision period as it stands. The statutory
-- receipt date is derived (submission + period) and its column goes. Existing rows keep their
-- dates as effective ones here, and `progress` NULL marks them: the application recomputes each
-- from its recorded history under the present rules right after the migrations
-- (`persistence::counselling::procedure_history::carry_forward`), because the holiday calendar
-- is no SQL.

DROP INDEX recognition_procedures_due_idx;
ALTER TABLE recognition_procedures ADD COLUMN kind TEXT NOT NULL DEFAULT 'recognition';
ALTER TABLE recognition_procedures ADD COLUMN authority_id TEXT REFERENCES competent_authorities (id);
ALTER TABLE recognition_procedures ADD COLUMN follows_procedure_id TEXT REFERENCES recognition_procedures (id);
ALTER TABLE recognition_procedures ADD COLUMN receipt_effective_on DATE;
ALTER TABLE recognition_procedures ADD COLUMN decision_effective_on DATE;
ALTER TABLE recognition_procedures ADD COLUMN progress TEXT;

UPDATE recognition_procedures SET
    receipt_effective_on = receipt_due_on,
    decision_effective_on = decision_due_on;

ALTER TABLE recognition_procedures DROP COLUMN receipt_due_on;
CREATE INDEX recognition_procedures_due_idx ON recognition_procedures (state, receipt_effective_on, decision_effective_on);
CREATE INDEX recognition_procedures_authority_idx ON recognition_procedures (authority_id, id);
