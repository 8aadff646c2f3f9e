//! Priority area 2: bridge training under the Recognition Act: measures that close the gaps a
//! recognition decision found (with their modules and lifecycle), and enrolments of advice
//! seekers with capacity and a waiting list.
//!
//! Pure domain: no HTTP, no SQL. Whether a seat is free is decided by the database inside the
//! enrolment's transaction (see `persistence::qualification::enrolments`); the rules here say
//! which state follows and whether a change frees a seat.

pub mod enrolment;
pub mod follow_up;
pub mod links;
pub mod measure;
pub mod vocabulary;
