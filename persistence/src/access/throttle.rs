//! Failed sign-ins, counted per key (an account, a client address) in a fixed window, shared by
//! every instance through the database. After `limit` failures in the window the key is locked
//! for the lock-out period; a success clears the account's count.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::result::DatabaseErrorKind::UniqueViolation;

use crate::StoreError;
use crate::db::DbConnection;
use crate::schema::sign_in_throttle as throttle;

/// How failures are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub limit: i32,
    pub window: Duration,
    pub lockout: Duration,
}

/// Until when `key` is locked, if it is now.
pub fn locked_until(
    conn: &mut DbConnection,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    let until: Option<Option<NaiveDateTime>> = throttle::table
        .find(key)
        .select(throttle::locked_until)
        .first(conn)
        .optional()?;
    Ok(until.flatten().map(|t| t.and_utc()).filter(|t| *t > now))
}

/// Counts one failure of `key`; locks it when the window's count reaches the limit.
pub fn record_failure(
    conn: &mut DbConnection,
    key: &str,
    policy: Policy,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let current: Option<(i32, NaiveDateTime)> = throttle::table
        .find(key)
        .select((throttle::failures, throttle::window_started_at))
        .first(conn)
        .optional()?;
    let (failures, started) = match current {
        Some((n, started)) if started.and_utc() + policy.window > now => (n + 1, started),
        _ => (1, now.naive_utc()),
    };
    let locked_until = (failures >= policy.limit).then(|| (now + policy.lockout).naive_utc());
    let values = (
        throttle::failures.eq(failures),
        throttle::window_started_at.eq(started),
        throttle::locked_until.eq(locked_until),
    );
    if current.is_some() {
        diesel::update(throttle::table.find(key))
            .set(values)
            .execute(conn)?;
    } else {
        // A savepoint: on PostgreSQL a concurrent first failure of the same key makes this
        // insert fail, which must not abort the transaction; that failure is then counted too.
        let inserted = conn.transaction(|c| {
            diesel::insert_into(throttle::table)
                .values((throttle::throttle_key.eq(key), values.0, values.1, values.2))
                .execute(c)
        });
        if let Err(diesel::result::Error::DatabaseError(UniqueViolation, _)) = inserted {
            diesel::update(throttle::table.find(key))
                .set(throttle::failures.eq(throttle::failures + 1))
                .execute(conn)?;
        } else {
            inserted?;
        }
    }
    Ok(())
}

/// Forgets the failures of `key` (after a successful sign-in).
pub fn clear(conn: &mut DbConnection, key: &str) -> Result<(), StoreError> {
    diesel::delete(throttle::table.find(key)).execute(conn)?;
    Ok(())
}
