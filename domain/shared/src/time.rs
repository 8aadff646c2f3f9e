//! Time as the system stores it: UTC, microsecond precision (PostgreSQL's), so a value read back
//! from either database equals the value that was written.

use chrono::{DateTime, SubsecRound, Utc};

/// The current instant, truncated to microseconds.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}
