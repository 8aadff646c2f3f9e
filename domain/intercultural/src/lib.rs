//! Priority area 3: intercultural competence of labour-market actors — trainings, participants, organisational opening processes.
//!
//! The crate exists so that the area has its place in the workspace from the start; its domain
//! types and state machines arrive with the issue that builds the area.
