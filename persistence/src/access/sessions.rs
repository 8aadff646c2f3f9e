//! Sessions: one per sign-in with a password, carried by its access tokens (`sid`) and renewed
//! with refresh tokens that rotate. Only a refresh token's SHA-256 hash is stored.
//!
//! Rotation with reuse detection (OAuth 2.0 Security BCP, RFC 9700 4.14.2): each refresh token
//! can be used once; using one that was already used means it leaked, so the whole session ends.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use iqnet_shared::ids::UserId;

use crate::StoreError;
use crate::db::DbConnection;
use crate::schema::{refresh_tokens, sessions, users};
use crate::structure::users::Credentials;

/// Starts a session for `user` that ends at `expires_at` at the latest, however often its
/// refresh tokens are renewed: a stolen session does not live for ever.
pub fn start(
    conn: &mut DbConnection,
    id: &str,
    user: UserId,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(id),
            sessions::user_id.eq(user.to_string()),
            sessions::created_at.eq(now.naive_utc()),
            sessions::expires_at.eq(expires_at.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Whether the session is still live at `now`: it exists, was not revoked and has not expired.
pub fn is_live(conn: &mut DbConnection, id: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let found: Option<(chrono::NaiveDateTime, Option<chrono::NaiveDateTime>)> = sessions::table
        .find(id)
        .select((sessions::expires_at, sessions::revoked_at))
        .first(conn)
        .optional()?;
    Ok(matches!(found, Some((expires, None)) if expires > now.naive_utc()))
}

/// A user's credentials and whether their session `id` is live at `now`, in one query: the check
/// every authenticated request makes costs one round trip. `None` when the user no longer exists.
pub fn user_in_session(
    conn: &mut DbConnection,
    user: UserId,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Option<(Credentials, bool)>, StoreError> {
    type Found = (
        bool,
        i64,
        Option<chrono::NaiveDateTime>,
        Option<chrono::NaiveDateTime>,
    );
    let found: Option<Found> = users::table
        .left_join(sessions::table.on(sessions::id.eq(id).and(sessions::user_id.eq(users::id))))
        .filter(users::id.eq(user.to_string()))
        .select((
            users::active,
            users::credential_epoch,
            sessions::expires_at.nullable(),
            sessions::revoked_at.nullable(),
        ))
        .first(conn)
        .optional()?;
    Ok(found.map(|(active, epoch, expires, revoked)| {
        let live = matches!((expires, revoked), (Some(expires), None) if expires > now.naive_utc());
        (Credentials { active, epoch }, live)
    }))
}

/// Deletes the sessions (and their refresh tokens) that ended, by revocation or expiry, before
/// `before`; returns how many sessions.
pub fn purge_ended(conn: &mut DbConnection, before: DateTime<Utc>) -> Result<usize, StoreError> {
    crate::access::credentials_changed();
    let before = before.naive_utc();
    let ended = sessions::table
        .filter(
            sessions::expires_at
                .lt(before)
                .or(sessions::revoked_at.lt(before)),
        )
        .select(sessions::id);
    diesel::delete(refresh_tokens::table.filter(refresh_tokens::session_id.eq_any(ended)))
        .execute(conn)?;
    Ok(diesel::delete(
        sessions::table.filter(
            sessions::expires_at
                .lt(before)
                .or(sessions::revoked_at.lt(before)),
        ),
    )
    .execute(conn)?)
}

/// Ends the session: its access and refresh tokens stop working.
pub fn revoke(conn: &mut DbConnection, id: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    crate::access::credentials_changed();
    diesel::update(
        sessions::table
            .find(id)
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(now.naive_utc()))
    .execute(conn)?;
    Ok(())
}

/// Ends every session of `user` (their credentials changed).
pub fn revoke_all_of(
    conn: &mut DbConnection,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    crate::access::credentials_changed();
    diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user.to_string()))
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(now.naive_utc()))
    .execute(conn)?;
    Ok(())
}

/// Stores a new refresh token of `session`, by its hash.
pub fn add_refresh_token(
    conn: &mut DbConnection,
    token_hash: &str,
    session: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::session_id.eq(session),
            refresh_tokens::issued_at.eq(now.naive_utc()),
            refresh_tokens::expires_at.eq(expires_at.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// What presenting a refresh token found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refresh {
    /// The token was live and is now used: issue its successor in `session` for `user`.
    Rotated { session: String, user: UserId },
    /// The token was used before: it leaked. Its session is now revoked.
    Reused,
    /// Unknown, expired, or of a revoked session.
    Invalid,
}

/// Uses a refresh token, once. A second use revokes the token's whole session. The conditional
/// update decides between concurrent uses of the same token: exactly one rotates.
pub fn use_refresh_token(
    conn: &mut DbConnection,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Refresh, StoreError> {
    let found: Option<(String, chrono::NaiveDateTime, Option<chrono::NaiveDateTime>)> =
        refresh_tokens::table
            .find(token_hash)
            .select((
                refresh_tokens::session_id,
                refresh_tokens::expires_at,
                refresh_tokens::used_at,
            ))
            .first(conn)
            .optional()?;
    let Some((session, expires_at, used_at)) = found else {
        return Ok(Refresh::Invalid);
    };
    let claimed = used_at.is_none()
        && diesel::update(
            refresh_tokens::table
                .find(token_hash)
                .filter(refresh_tokens::used_at.is_null()),
        )
        .set(refresh_tokens::used_at.eq(now.naive_utc()))
        .execute(conn)?
            == 1;
    if !claimed {
        revoke(conn, &session, now)?;
        return Ok(Refresh::Reused);
    }
    let owner: Option<(String, chrono::NaiveDateTime, Option<chrono::NaiveDateTime>)> =
        sessions::table
            .find(&session)
            .select((
                sessions::user_id,
                sessions::expires_at,
                sessions::revoked_at.nullable(),
            ))
            .first(conn)
            .optional()?;
    match owner {
        Some((user, ends, None)) if expires_at > now.naive_utc() && ends > now.naive_utc() => {
            let user = user
                .parse()
                .map_err(|e| StoreError::Corrupt(format!("sessions.user_id: {e}")))?;
            Ok(Refresh::Rotated { session, user })
        }
        _ => Ok(Refresh::Invalid),
    }
}

/// The session a refresh token belongs to, if the token is known (for revocation).
pub fn session_of_refresh_token(
    conn: &mut DbConnection,
    token_hash: &str,
) -> Result<Option<String>, StoreError> {
    Ok(refresh_tokens::table
        .find(token_hash)
        .select(refresh_tokens::session_id)
        .first(conn)
        .optional()?)
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use iqnet_shared::codes::Email;
    use iqnet_shared::records::{Stamp, User};
    use iqnet_shared::structure::Role;

    use super::*;
    use crate::{Database, PoolSettings, structure};

    #[test]
    fn ended_sessions_are_purged_with_their_refresh_tokens_and_live_ones_stay() {
        let settings = PoolSettings {
            max_size: 1,
            ..PoolSettings::default()
        };
        let db = Database::connect(":memory:", &settings).unwrap();
        db.migrate().unwrap();
        let mut conn = db.conn().unwrap();
        let now = iqnet_shared::time::now();
        let user = User {
            id: UserId::new(),
            email: Email::parse("ana@example.org").unwrap(),
            display_name: "Ana".into(),
            role: Role::NationalAdmin,
            organisation_id: None,
            active: true,
            stamp: Stamp::new(now),
        };
        structure::users::insert(&mut conn, &user, "hash".into()).unwrap();
        let day = Duration::days(1);
        start(&mut conn, "expired", user.id, now - day * 2, now - day).unwrap();
        start(&mut conn, "revoked", user.id, now - day, now + day).unwrap();
        revoke(&mut conn, "revoked", now - Duration::hours(1)).unwrap();
        start(&mut conn, "live", user.id, now, now + day).unwrap();
        for session in ["expired", "revoked", "live"] {
            add_refresh_token(
                &mut conn,
                &format!("hash-{session}"),
                session,
                now,
                now + day,
            )
            .unwrap();
        }
        assert!(!is_live(&mut conn, "expired", now).unwrap());
        assert!(!is_live(&mut conn, "revoked", now).unwrap());
        assert!(is_live(&mut conn, "live", now).unwrap());

        assert_eq!(purge_ended(&mut conn, now).unwrap(), 2);
        assert!(is_live(&mut conn, "live", now).unwrap());
        assert_eq!(
            session_of_refresh_token(&mut conn, "hash-live")
                .unwrap()
                .as_deref(),
            Some("live")
        );
        assert_eq!(
            session_of_refresh_token(&mut conn, "hash-expired").unwrap(),
            None
        );
        assert_eq!(
            session_of_refresh_token(&mut conn, "hash-revoked").unwrap(),
            None
        );
    }
}
