DROP TABLE consultation_referrals;
DROP TABLE employer_consultations;
