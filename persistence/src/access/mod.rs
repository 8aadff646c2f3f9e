//! Sign-in state shared by every instance: sessions with their rotating refresh tokens, and the
//! throttle on failed sign-ins.

pub mod notifications;
pub mod sessions;
pub mod throttle;
