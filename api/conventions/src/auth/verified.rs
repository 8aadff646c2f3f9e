//! Tokens verified a moment ago, so that a caller's every request need not ask the database
//! whether its account and session are still current (one round trip of the two a simple GET
//! made). Correct only while every change that can end a token empties it at once:
//! - on this instance, a transaction that changed an account, a client or a session empties it
//!   before its response is sent (the persistence functions that make such changes say so,
//!   `access::take_credentials_changed`), so a revocation holds from the next request on;
//! - on the others, PostgreSQL's notification of the change empties it within milliseconds
//!   (`persistence::access::notifications`), and while that notification channel is down
//!   nothing is remembered at all;
//! - on SQLite there are no notifications: nothing is remembered, and a check costs microseconds.
//!
//! A generation counter closes the race of a check that read the database before a revocation
//! and finishes after it: what it verified is remembered only if no emptying happened meanwhile.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::{Caller, Subject};

/// Even with every change heard, a verification is used for at most this long: a session also
/// ends by the clock, which no notification announces.
const FRESH: Duration = Duration::from_secs(1);
/// Bounds the memory: beyond this many callers the memory starts afresh.
const MAX_ENTRIES: usize = 100_000;

type Key = (Subject, Option<i64>, Option<String>);

#[derive(Debug, Default)]
pub struct VerifiedTokens {
    /// Set while changes are heard (PostgreSQL, listener connected).
    enabled: AtomicBool,
    generation: AtomicU64,
    entries: Mutex<HashMap<Key, (u64, Instant)>>,
}

impl VerifiedTokens {
    /// Whether `caller`'s token was verified since the last change, within `FRESH`.
    pub fn is_current(&self, caller: &Caller) -> bool {
        if !self.enabled.load(Ordering::Acquire) {
            return false;
        }
        let generation = self.generation.load(Ordering::Acquire);
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries
            .get(&key(caller))
            .is_some_and(|(g, at)| *g == generation && at.elapsed() < FRESH)
    }

    /// The generation to pass to `remember` once a check against the database succeeded.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Remembers that `caller`'s token was current when the check that began at `generation`
    /// read the database, unless something changed since.
    pub fn remember(&self, caller: &Caller, generation: u64) {
        if !self.enabled.load(Ordering::Acquire) {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key(caller), (generation, Instant::now()));
    }

    /// Forgets everything: a credential may have changed.
    pub fn forget_all(&self) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }

    /// Changes are heard (`true`) or may go unheard (`false`, nothing is remembered).
    pub fn set_enabled(&self, heard: bool) {
        self.forget_all();
        self.enabled.store(heard, Ordering::Release);
    }
}

fn key(caller: &Caller) -> Key {
    (caller.subject.clone(), caller.epoch, caller.session.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use iqnet_shared::ids::UserId;
    use iqnet_shared::structure::Role;

    fn caller(session: &str) -> Caller {
        Caller {
            subject: Subject::User(UserId::new()),
            role: Role::Counsellor,
            organisation: None,
            network: None,
            epoch: Some(1),
            session: Some(session.into()),
        }
    }

    #[test]
    fn remembers_until_anything_changes() {
        let verified = VerifiedTokens::default();
        verified.set_enabled(true);
        let alice = caller("a");
        assert!(!verified.is_current(&alice));
        verified.remember(&alice, verified.generation());
        assert!(verified.is_current(&alice));
        verified.forget_all();
        assert!(!verified.is_current(&alice));
    }

    #[test]
    fn a_check_that_overlapped_a_change_is_not_remembered() {
        let verified = VerifiedTokens::default();
        verified.set_enabled(true);
        let alice = caller("a");
        let began = verified.generation();
        verified.forget_all();
        verified.remember(&alice, began);
        assert!(!verified.is_current(&alice));
    }

    #[test]
    fn nothing_is_remembered_while_changes_go_unheard() {
        let verified = VerifiedTokens::default();
        let alice = caller("a");
        verified.remember(&alice, verified.generation());
        assert!(!verified.is_current(&alice));
        verified.set_enabled(true);
        verified.remember(&alice, verified.generation());
        verified.set_enabled(false);
        assert!(!verified.is_current(&alice));
    }
}
