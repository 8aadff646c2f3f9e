//! Cross-cutting request handling, each in one place: request ids, problem details on every
//! error, idempotent POSTs, and the fallback for unknown routes and methods.

pub mod authentication;
pub mod fallback;
pub mod idempotency;
pub mod problem;
pub mod request_id;
