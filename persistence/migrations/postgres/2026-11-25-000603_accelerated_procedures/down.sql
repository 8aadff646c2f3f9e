DROP TABLE accelerated_procedures;
