//! Priority area 1: counselling on the recognition of foreign qualifications: advice seekers,
//! cases, sessions, referrals, and recognition procedures with their legal deadlines (BQFG),
//! and what the network's monitoring counts of them (first counselling per person, short
//! contacts, status at intake and close, recommendations).
//!
//! Pure domain: no HTTP, no SQL. State machines are methods that return the next state or a
//! `DomainError`; deadline arithmetic is pure functions over dates.

pub mod case;
pub mod consent;
pub mod deadlines;
pub mod outcome;
pub mod procedure;
pub mod records;
pub mod referral;
pub mod residence;
pub mod seeker;
pub mod session;
pub mod short_contact;
pub mod status;
pub mod vocabulary;
