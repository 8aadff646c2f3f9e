//! Cross-cutting request handling, each in one place: request ids, problem details on every
//! error, idempotent POSTs, the fallback for unknown routes and methods, `HEAD` as `GET`,
//! `Cache-Control: no-store` for authenticated callers, and the access log's redacted request
//! line.

pub mod access_log;
pub mod audit_reads;
pub mod authentication;
pub mod cache_control;
pub mod fallback;
pub mod head;
pub mod idempotency;
pub mod problem;
pub mod request_id;
