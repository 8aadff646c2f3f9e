//! Priority area 4: regional skilled-worker networks — stakeholder networks, events, employer consultations, the accelerated procedure.
//!
//! The crate exists so that the area has its place in the workspace from the start; its domain
//! types and state machines arrive with the issue that builds the area.
