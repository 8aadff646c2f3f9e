//! Priority area 1: counselling on the recognition of foreign qualifications — advice seekers, cases, sessions and recognition procedures with their legal deadlines.
//!
//! The crate exists so that the area has its place in the workspace from the start; its domain
//! types and state machines arrive with the issue that builds the area.
