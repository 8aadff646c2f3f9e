//! Priority area 3: intercultural trainings (with their registrations, participation and
//! evaluations) and opening processes.

pub mod evaluations;
pub mod opening_processes;
pub mod participation;
pub mod registrations;
pub mod trainings;
