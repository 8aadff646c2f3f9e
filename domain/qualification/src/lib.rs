//! Priority area 2: bridge training under the Recognition Act — measures, modules, enrolments with capacity and waiting lists.
//!
//! The crate exists so that the area has its place in the workspace from the start; its domain
//! types and state machines arrive with the issue that builds the area.
