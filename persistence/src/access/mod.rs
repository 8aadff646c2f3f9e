//! Sign-in state shared by every instance: sessions with their rotating refresh tokens, and the
//! throttle on failed sign-ins.

pub mod notifications;
pub mod sessions;
pub mod throttle;

use std::cell::Cell;

thread_local! {
    static CREDENTIALS_CHANGED: Cell<bool> = const { Cell::new(false) };
}

/// Notes that the running transaction changed what can end a token (an account, a client, a
/// session). Every function here that does calls it, so the caller can forget verified tokens
/// the moment it commits (PostgreSQL's notification follows a few milliseconds later anyway).
pub(crate) fn credentials_changed() {
    CREDENTIALS_CHANGED.with(|changed| changed.set(true));
}

/// Whether this thread's transactions changed credentials since the last call; resets.
pub fn take_credentials_changed() -> bool {
    CREDENTIALS_CHANGED.with(|changed| changed.replace(false))
}
