//! Priority area 3: intercultural competence of labour-market actors: trainings for job
//! centres, agencies, local governments, chambers and SMEs (sessions, registrations of places
//! by organisations, participation counted without names, anonymous evaluations), and the
//! intercultural opening processes of single organisations.
//!
//! Pure domain: no HTTP, no SQL. Whether places are free is decided by the database inside the
//! registration's transaction (`persistence::intercultural::registrations`); evaluation figures
//! are aggregated by the database, and the rules here say which of them may be shown.

pub mod evaluation;
pub mod opening;
pub mod participation;
pub mod registration;
pub mod training;
pub mod vocabulary;

use std::fmt::Display;

use iqnet_shared::DomainError;

/// The refusal of `action` in state `from`, naming the actions that state allows (409 with
/// `allowed`), as every state machine of the area answers an illegal action.
pub(crate) fn refuse<K: Display>(action: K, from: impl Display, allowed: &[K]) -> DomainError {
    DomainError::InvalidTransition {
        action: action.to_string(),
        from: from.to_string(),
        allowed: allowed.iter().map(ToString::to_string).collect(),
    }
}
