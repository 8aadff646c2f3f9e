//! Storage: one repository layer over SQLite (the embedded default) and PostgreSQL, chosen by the
//! database URL. Diesel is synchronous; callers run these functions on a blocking thread.

mod convert;
mod db;
mod error;
mod rows;
pub mod schema;

pub mod counselling;
pub mod idempotency;
pub mod network;
pub mod page;
pub mod reference;
pub mod users;

pub use db::{Backend, Database, DbConnection, PoolSettings};
pub use error::StoreError;
pub use page::{Page, PageRequest};
