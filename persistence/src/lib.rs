//! Storage: one repository layer over SQLite (the embedded default) and PostgreSQL, chosen by the
//! database URL. Diesel is synchronous; callers run these functions on a blocking thread.

mod convert;
mod db;
mod error;
pub mod schema;

pub mod access;
pub mod audit;
pub mod counselling;
pub mod idempotency;
pub mod intercultural;
pub mod page;
pub mod qualification;
pub mod reference;
pub mod skilled_workers;
pub mod structure;

pub use db::{Backend, Database, DbConnection, PoolSettings};
pub use error::StoreError;
pub use page::{Page, PageRequest};
