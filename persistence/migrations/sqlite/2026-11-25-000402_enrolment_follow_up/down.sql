ALTER TABLE enrolments DROP COLUMN exit_recorded_at;
ALTER TABLE enrolments DROP COLUMN follow_up_procedure_id;
