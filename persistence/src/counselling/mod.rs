//! Priority area 1: advice centres, seekers, qualifications, cases, sessions, recognition
//! procedures (with their event history), referrals, and short contacts. One module per entity.

pub mod cases;
pub mod centres;
pub mod procedure_history;
pub mod procedures;
pub mod qualifications;
pub mod referrals;
pub mod seekers;
pub mod sessions;
pub mod short_contacts;
