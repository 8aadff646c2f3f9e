DROP INDEX recognition_procedures_authority_idx;
DROP INDEX recognition_procedures_due_idx;
ALTER TABLE recognition_procedures ADD COLUMN receipt_due_on DATE;
-- The old schema knows no seat: its due dates were the statutory ones. A ZAB statement has no
-- receipt deadline; the old schema needs one, so it gets its submission date.
UPDATE recognition_procedures SET receipt_due_on = COALESCE(receipt_effective_on, submitted_on);
ALTER TABLE recognition_procedures DROP COLUMN progress;
ALTER TABLE recognition_procedures DROP COLUMN decision_effective_on;
ALTER TABLE recognition_procedures DROP COLUMN receipt_effective_on;
ALTER TABLE recognition_procedures DROP COLUMN follows_procedure_id;
ALTER TABLE recognition_procedures DROP COLUMN authority_id;
ALTER TABLE recognition_procedures DROP COLUMN kind;
CREATE INDEX recognition_procedures_due_idx ON recognition_procedures (state, receipt_due_on, decision_due_on);
