-- The area-1 procedure that decided again after a successful exit (the way back to recognition),
-- and when the exit was recorded (orders it in the journey however often the row changes later).
ALTER TABLE enrolments ADD COLUMN follow_up_procedure_id TEXT REFERENCES recognition_procedures (id);
ALTER TABLE enrolments ADD COLUMN exit_recorded_at TIMESTAMP;
