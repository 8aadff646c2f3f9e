//! Sign-in attempts, counted per key (an account, a client address) in a fixed window, shared by
//! every instance through the database.
//!
//! An attempt is counted *before* its password is checked (`reserve`), in one write transaction
//! whose increment is relative (`failures = failures + 1`, under the row's lock): a burst of
//! concurrent guesses cannot all pass a check made before any of them was counted, and on
//! PostgreSQL no concurrent increment is lost. The attempt that reaches the limit is still
//! answered and locks the key; any later one in the lock-out is refused without hashing. A
//! success takes its reservation back (`refund`), or clears the account's count (`clear`).

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::result::DatabaseErrorKind::UniqueViolation;

use crate::StoreError;
use crate::db::DbConnection;
use crate::schema::sign_in_throttle as throttle;

/// How attempts are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub limit: i32,
    pub window: Duration,
    pub lockout: Duration,
}

/// Counts one attempt of `key`; `Err(until)` when the key is locked (the attempt is refused and
/// not counted). Call inside a write transaction.
pub fn reserve(
    conn: &mut DbConnection,
    key: &str,
    policy: Policy,
    now: DateTime<Utc>,
) -> Result<Result<(), DateTime<Utc>>, StoreError> {
    let current: Option<(NaiveDateTime, Option<NaiveDateTime>)> = throttle::table
        .find(key)
        .select((throttle::window_started_at, throttle::locked_until))
        .first(conn)
        .optional()?;
    if let Some(until) = current.and_then(|(_, until)| until).map(|t| t.and_utc())
        && until > now
    {
        return Ok(Err(until));
    }
    match current {
        // A lock-out that has ended starts a new window: the attempt after it is the first.
        Some((_, Some(_))) => restart_window(conn, key, now)?,
        Some((started, None)) if started.and_utc() + policy.window > now => {
            diesel::update(throttle::table.find(key))
                .set(throttle::failures.eq(throttle::failures + 1))
                .execute(conn)?;
        }
        Some(_) => restart_window(conn, key, now)?,
        None => {
            // A savepoint: on PostgreSQL a concurrent first attempt makes this insert fail,
            // which must not abort the transaction; the attempt is then counted by increment.
            let inserted = conn.transaction(|c| {
                diesel::insert_into(throttle::table)
                    .values((
                        throttle::throttle_key.eq(key),
                        throttle::failures.eq(1),
                        throttle::window_started_at.eq(now.naive_utc()),
                    ))
                    .execute(c)
            });
            match inserted {
                Err(diesel::result::Error::DatabaseError(UniqueViolation, _)) => {
                    diesel::update(throttle::table.find(key))
                        .set(throttle::failures.eq(throttle::failures + 1))
                        .execute(conn)?;
                }
                other => {
                    other?;
                }
            }
        }
    }
    // Read under the row lock this transaction now holds: the exact count.
    let failures: i32 = throttle::table
        .find(key)
        .select(throttle::failures)
        .first(conn)?;
    if failures >= policy.limit {
        let until = now + policy.lockout;
        diesel::update(throttle::table.find(key))
            .set(throttle::locked_until.eq(until.naive_utc()))
            .execute(conn)?;
        if failures > policy.limit {
            return Ok(Err(until));
        }
    }
    Ok(Ok(()))
}

fn restart_window(
    conn: &mut DbConnection,
    key: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::update(throttle::table.find(key))
        .set((
            throttle::failures.eq(1),
            throttle::window_started_at.eq(now.naive_utc()),
            throttle::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Takes back the reservation of an attempt that succeeded.
pub fn refund(conn: &mut DbConnection, key: &str) -> Result<(), StoreError> {
    diesel::update(throttle::table.find(key).filter(throttle::failures.gt(0)))
        .set(throttle::failures.eq(throttle::failures - 1))
        .execute(conn)?;
    Ok(())
}

/// Forgets the attempts of `key` (an account that signed in successfully).
pub fn clear(conn: &mut DbConnection, key: &str) -> Result<(), StoreError> {
    diesel::delete(throttle::table.find(key)).execute(conn)?;
    Ok(())
}

/// Deletes the counts whose window started before `before` and that hold no running lock-out.
pub fn purge_stale(
    conn: &mut DbConnection,
    before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    Ok(diesel::delete(
        throttle::table
            .filter(throttle::window_started_at.lt(before.naive_utc()))
            .filter(
                throttle::locked_until
                    .is_null()
                    .or(throttle::locked_until.lt(now.naive_utc())),
            ),
    )
    .execute(conn)?)
}
