//! Who is calling: bearer tokens (issued here or by a configured identity provider), the
//! principal they carry, and the guard each handler uses to say which roles it allows.

mod passwords;
mod principal;
pub mod routes;
mod tokens;

pub use passwords::{hash_secret, verify_secret, Verification};
pub use principal::{principal_of, Caller, Principal, Subject};
pub use tokens::{Claims, TokenKeys};
