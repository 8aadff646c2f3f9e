//! Passwords and client secrets, hashed with argon2id (PHC strings, salted per secret).

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use std::sync::OnceLock;

pub fn hash_secret(secret: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

#[derive(Debug, PartialEq, Eq)]
pub enum Verification {
    Match,
    NoMatch,
}

/// Checks `secret` against a stored hash. With no stored hash (unknown account) it still spends
/// the time of one verification, so response times do not reveal which accounts exist.
pub fn verify_secret(secret: &str, stored: Option<&str>) -> Verification {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash_secret("not a real secret").unwrap_or_default());
    let (hash, real) = match stored {
        Some(h) => (h, true),
        None => (dummy.as_str(), false),
    };
    let matches = PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(secret.as_bytes(), &parsed)
            .is_ok()
    });
    if matches && real {
        Verification::Match
    } else {
        Verification::NoMatch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_secret_only() {
        let hash = hash_secret("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert_eq!(
            verify_secret("correct horse", Some(&hash)),
            Verification::Match
        );
        assert_eq!(
            verify_secret("wrong horse", Some(&hash)),
            Verification::NoMatch
        );
        assert_eq!(
            verify_secret("not a real secret", None),
            Verification::NoMatch
        );
        assert_eq!(verify_secret("x", Some("garbage")), Verification::NoMatch);
    }
}
