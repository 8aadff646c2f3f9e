//! Stored responses of `POST` requests sent with an `Idempotency-Key`.
//!
//! `begin` inserts the key; the primary key on `(caller, key)` decides which of several concurrent
//! requests runs. The others find the row and either replay its stored response, learn that it
//! is still in flight, or that they reuse the key for another request.
//!
//! A key also binds the access its caller held when making the request (`caller_access`: role,
//! organisation, network); a row written before this binding existed has none, so it counts as
//! another access and is never replayed.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use crate::StoreError;
use crate::db::DbConnection;
use crate::schema::idempotency_keys as keys;

/// A stored, completed response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    /// Headers worth replaying (content type, location, etag) as `[name, value]` pairs in JSON.
    pub headers: String,
    pub body: String,
}

/// What `begin` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new: this request runs, then calls `complete` or `release`.
    Claimed,
    /// The same request completed before: replay this.
    Replay(StoredResponse),
    /// The same key is held by a request that has not finished.
    InFlight,
    /// The key was used for a request with another body or target.
    Mismatch,
    /// The same request was made with other access (another role, organisation or network):
    /// neither replayed (the caller may no longer see the answer) nor run again (the change
    /// was made).
    AccessChanged,
}

/// How long a key is remembered.
pub const RETENTION: Duration = Duration::hours(24);

/// How long a request may hold a key without finishing. A claim older than this was abandoned
/// (the instance died, or the client's connection dropped mid-request): the next retry takes it
/// over instead of hearing "in flight" for a day. Requests end well within it: every database
/// wait is bounded by the pool timeout.
pub const IN_FLIGHT_LEASE: Duration = Duration::seconds(60);

/// Claims `key` for `caller`'s request (`request_hash`) made with `access`, or reports what
/// the key already holds.
pub fn begin(
    conn: &mut DbConnection,
    caller: &str,
    key: &str,
    request_hash: &str,
    access: &str,
    now: DateTime<Utc>,
) -> Result<Claim, StoreError> {
    // Expired and abandoned claims go first, so such a key starts afresh.
    let expired = keys::created_at.lt((now - RETENTION).naive_utc());
    let abandoned = keys::response_status
        .is_null()
        .and(keys::created_at.lt((now - IN_FLIGHT_LEASE).naive_utc()));
    diesel::delete(
        keys::table
            .filter(keys::caller.eq(caller))
            .filter(keys::idempotency_key.eq(key))
            .filter(expired.or(abandoned)),
    )
    .execute(conn)?;
    // A savepoint: on PostgreSQL a failed statement aborts the whole transaction, and the
    // duplicate is then read in this same transaction.
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(keys::table)
            .values((
                keys::caller.eq(caller),
                keys::idempotency_key.eq(key),
                keys::request_hash.eq(request_hash),
                keys::caller_access.eq(access),
                keys::created_at.eq(now.naive_utc()),
            ))
            .execute(conn)
    });
    match inserted {
        Ok(_) => Ok(Claim::Claimed),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => existing(conn, caller, key, request_hash, access),
        Err(e) => Err(e.into()),
    }
}

/// `(request_hash, caller_access, response_status, response_headers, response_body)`
type KeyRow = (String, String, Option<i32>, Option<String>, Option<String>);

fn existing(
    conn: &mut DbConnection,
    caller: &str,
    key: &str,
    request_hash: &str,
    access: &str,
) -> Result<Claim, StoreError> {
    let row: Option<KeyRow> = keys::table
        .filter(keys::caller.eq(caller))
        .filter(keys::idempotency_key.eq(key))
        .select((
            keys::request_hash,
            keys::caller_access,
            keys::response_status,
            keys::response_headers,
            keys::response_body,
        ))
        .first(conn)
        .optional()?;
    Ok(match row {
        // Released between our insert and this read: the caller may simply retry.
        None => Claim::InFlight,
        Some((hash, held, status, headers, body)) => {
            if hash != request_hash {
                Claim::Mismatch
            } else if held != access {
                Claim::AccessChanged
            } else {
                stored(status, headers, body)?
            }
        }
    })
}

/// A row of this very request: its response, or in flight while it has none.
fn stored(
    status: Option<i32>,
    headers: Option<String>,
    body: Option<String>,
) -> Result<Claim, StoreError> {
    Ok(match (status, headers, body) {
        (Some(status), headers, body) => Claim::Replay(StoredResponse {
            status: u16::try_from(status)
                .map_err(|e| StoreError::Corrupt(format!("response_status: {e}")))?,
            headers: headers.unwrap_or_default(),
            body: body.unwrap_or_default(),
        }),
        (None, _, _) => Claim::InFlight,
    })
}

pub fn complete(
    conn: &mut DbConnection,
    caller: &str,
    key: &str,
    response: &StoredResponse,
) -> Result<(), StoreError> {
    diesel::update(
        keys::table
            .filter(keys::caller.eq(caller))
            .filter(keys::idempotency_key.eq(key)),
    )
    .set((
        keys::response_status.eq(i32::from(response.status)),
        keys::response_headers.eq(&response.headers),
        keys::response_body.eq(&response.body),
    ))
    .execute(conn)?;
    Ok(())
}

/// Forgets a claimed key whose request failed on the server's side, so a retry can run again.
/// A key whose response was stored stays: its change committed, and a retry must replay it.
pub fn release(conn: &mut DbConnection, caller: &str, key: &str) -> Result<(), StoreError> {
    diesel::delete(
        keys::table
            .filter(keys::caller.eq(caller))
            .filter(keys::idempotency_key.eq(key))
            .filter(keys::response_status.is_null()),
    )
    .execute(conn)?;
    Ok(())
}

/// Deletes keys older than the retention window; returns how many.
pub fn purge_expired(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<usize, StoreError> {
    Ok(
        diesel::delete(keys::table.filter(keys::created_at.lt((now - RETENTION).naive_utc())))
            .execute(conn)?,
    )
}
