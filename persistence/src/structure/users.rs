//! Staff users: who may obtain tokens with a password, with which role.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_shared::codes::Email;
use iqnet_shared::ids::{OrganisationId, UserId};
use iqnet_shared::records::User;
use iqnet_shared::structure::{Role, Scope};

use crate::convert::{expect_one_updated, load_page, scoped, stamp};
use crate::db::{DbConnection, MultiBackend};
use crate::schema::users;
use crate::{Page, PageRequest, StoreError};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = users, treat_none_as_null = true)]
pub struct UserRow {
    pub id: UserId,
    pub email: Email,
    pub display_name: String,
    pub role: Role,
    pub organisation_id: Option<OrganisationId>,
    pub password_hash: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

impl UserRow {
    pub fn new(u: &User, password_hash: String) -> Self {
        UserRow {
            id: u.id,
            email: u.email.clone(),
            display_name: u.display_name.clone(),
            role: u.role,
            organisation_id: u.organisation_id,
            password_hash,
            active: u.active,
            created_at: u.stamp.created_at.naive_utc(),
            updated_at: u.stamp.updated_at.naive_utc(),
            version: u.stamp.version,
        }
    }
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<Self, StoreError> {
        Ok(User {
            id: r.id,
            email: r.email,
            display_name: r.display_name,
            role: r.role,
            organisation_id: r.organisation_id,
            active: r.active,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

#[derive(Debug, Default, Clone)]
pub struct AccountFilter {
    pub role: Option<Role>,
    pub organisation_id: Option<OrganisationId>,
    pub updated_since: Option<DateTime<Utc>>,
}

pub fn count(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(users::table.count().get_result(conn)?)
}

/// Users within `scope` that match `filter`.
pub fn list(
    conn: &mut DbConnection,
    scope: Scope,
    filter: &AccountFilter,
    page: &PageRequest,
) -> Result<Page<User>, StoreError> {
    let query = users::table.into_boxed::<MultiBackend>();
    let Some(mut query) = scoped!(query, users::organisation_id.assume_not_null(), scope) else {
        return Ok(Page::empty());
    };
    if let Some(role) = filter.role {
        query = query.filter(users::role.eq(role));
    }
    if let Some(org) = filter.organisation_id {
        query = query.filter(users::organisation_id.eq(org));
    }
    if let Some(since) = filter.updated_since {
        query = query.filter(users::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    load_page!(conn, query, users::id, page, UserRow, |r| r.id).try_map(User::try_from)
}

pub fn get(conn: &mut DbConnection, id: UserId) -> Result<User, StoreError> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)?
        .try_into()
}

/// The user's password hash: the current password is confirmed before it is changed.
pub fn password_hash(conn: &mut DbConnection, id: UserId) -> Result<String, StoreError> {
    Ok(users::table
        .find(id)
        .select(users::password_hash)
        .first(conn)?)
}

/// The user with this e-mail and their password hash, for the password grant.
pub fn find_by_email(
    conn: &mut DbConnection,
    email: &Email,
) -> Result<Option<(User, String)>, StoreError> {
    let row: Option<UserRow> = users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?;
    row.map(|r| {
        let hash = r.password_hash.clone();
        User::try_from(r).map(|u| (u, hash))
    })
    .transpose()
}

pub fn insert(
    conn: &mut DbConnection,
    user: &User,
    password_hash: String,
) -> Result<(), StoreError> {
    diesel::insert_into(users::table)
        .values(UserRow::new(user, password_hash))
        .execute(conn)?;
    Ok(())
}

/// Writes `user`; a new password hash replaces the stored one, `None` keeps it.
///
/// A change of role, organisation, activity or password ends every token and session issued
/// before it: the account's credential epoch grows, and its sessions are revoked.
pub fn update(
    conn: &mut DbConnection,
    user: &User,
    new_password_hash: Option<String>,
    expected_version: i64,
) -> Result<(), StoreError> {
    crate::access::credentials_changed();
    let (role, organisation, active): (Role, Option<OrganisationId>, bool) = users::table
        .find(user.id)
        .select((users::role, users::organisation_id, users::active))
        .first(conn)?;
    let revokes = role != user.role
        || organisation != user.organisation_id
        || active != user.active
        || new_password_hash.is_some();
    let target = users::table
        .filter(users::id.eq(user.id))
        .filter(users::version.eq(expected_version));
    let updated = diesel::update(target)
        .set((
            users::email.eq(&user.email),
            users::display_name.eq(&user.display_name),
            users::role.eq(user.role),
            users::organisation_id.eq(user.organisation_id),
            users::active.eq(user.active),
            users::updated_at.eq(user.stamp.updated_at.naive_utc()),
            users::version.eq(user.stamp.version),
            users::credential_epoch.eq(users::credential_epoch + i64::from(revokes)),
        ))
        .execute(conn)?;
    expect_one_updated(updated, expected_version)?;
    if revokes {
        crate::access::sessions::revoke_all_of(conn, user.id, user.stamp.updated_at)?;
    }
    if let Some(hash) = new_password_hash {
        diesel::update(users::table.find(user.id))
            .set(users::password_hash.eq(hash))
            .execute(conn)?;
    }
    Ok(())
}

/// Whether an account may still act, and the credential epoch its tokens must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credentials {
    pub active: bool,
    pub epoch: i64,
}

/// The user's current credentials; `None` when the user no longer exists.
pub fn credentials(conn: &mut DbConnection, id: UserId) -> Result<Option<Credentials>, StoreError> {
    let found: Option<(bool, i64)> = users::table
        .find(id)
        .select((users::active, users::credential_epoch))
        .first(conn)
        .optional()?;
    Ok(found.map(|(active, epoch)| Credentials { active, epoch }))
}

/// Ends every token and session of the users of `organisation`: what they may see followed from
/// the organisation (a coordinator's network is its state), and that changed.
pub fn revoke_organisation(
    conn: &mut DbConnection,
    organisation: OrganisationId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    crate::access::credentials_changed();
    let members: Vec<UserId> = users::table
        .filter(users::organisation_id.eq(organisation))
        .select(users::id)
        .load(conn)?;
    diesel::update(users::table.filter(users::organisation_id.eq(organisation)))
        .set(users::credential_epoch.eq(users::credential_epoch + 1))
        .execute(conn)?;
    for user in members {
        crate::access::sessions::revoke_all_of(conn, user, now)?;
    }
    Ok(())
}
