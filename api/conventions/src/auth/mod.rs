//! Who is calling: bearer tokens (issued here or by a configured identity provider), the
//! principal they carry, and the guard each handler uses to say which roles it allows.

mod passwords;
mod principal;
mod tokens;
mod verified;

pub use passwords::{Verification, hash_secret, verify_secret};
pub use principal::{Caller, Principal, Subject, ensure_current, principal_of};
pub use tokens::{Claims, Grant, TokenKeys};
pub use verified::VerifiedTokens;
