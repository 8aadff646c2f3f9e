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
