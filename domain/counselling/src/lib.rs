//! Priority area 1: counselling on the recognition of foreign qualifications: advice seekers,
//! cases, sessions, referrals, and recognition procedures with their legal deadlines (BQFG).
//!
//! Pure domain: no HTTP, no SQL. State machines are methods that return the next state or a
//! `DomainError`; deadline arithmetic is pure functions over dates.

pub mod case;
pub mod consent;
pub mod deadlines;
pub mod procedure;
pub mod records;
pub mod referral;
pub mod seeker;
pub mod vocabulary;
