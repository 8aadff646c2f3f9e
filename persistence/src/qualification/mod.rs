//! Priority area 2: bridge-training measures and enrolments.

pub mod enrolments;
pub mod measures;
