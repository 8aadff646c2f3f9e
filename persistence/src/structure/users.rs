//! Staff users: who may obtain tokens with a password, with which role.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_shared::ids::*;
use iqnet_shared::structure::Scope;

use crate::convert::*;
use crate::db::{DbConnection, MultiBackend};
use crate::error::stored;
use crate::schema::*;
use crate::{Page, PageRequest, StoreError};
use iqnet_shared::codes::*;
use iqnet_shared::records::*;
use iqnet_shared::structure::*;

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = users, treat_none_as_null = true)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub organisation_id: Option<String>,
    pub password_hash: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

impl UserRow {
    pub fn new(u: &User, password_hash: String) -> Self {
        UserRow {
            id: u.id.to_string(),
            email: u.email.as_str().to_owned(),
            display_name: u.display_name.clone(),
            role: u.role.as_str().to_owned(),
            organisation_id: u.organisation_id.map(|o| o.to_string()),
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
            id: parse("id", &r.id)?,
            email: stored("email", iqnet_shared::codes::Email::parse(&r.email))?,
            display_name: r.display_name,
            role: parse("role", &r.role)?,
            organisation_id: parse_opt("organisation_id", r.organisation_id.as_deref())?,
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
        query = query.filter(users::role.eq(role.as_str()));
    }
    if let Some(org) = filter.organisation_id {
        query = query.filter(users::organisation_id.eq(org.to_string()));
    }
    if let Some(since) = filter.updated_since {
        query = query.filter(users::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    load_page!(conn, query, users::id, page, UserRow, |r| r.id.clone()).try_map(User::try_from)
}

pub fn get(conn: &mut DbConnection, id: UserId) -> Result<User, StoreError> {
    users::table
        .find(id.to_string())
        .select(UserRow::as_select())
        .first(conn)?
        .try_into()
}

/// The user with this e-mail and their password hash, for the password grant.
pub fn find_by_email(
    conn: &mut DbConnection,
    email: &Email,
) -> Result<Option<(User, String)>, StoreError> {
    let row: Option<UserRow> = users::table
        .filter(users::email.eq(email.as_str()))
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
pub fn update(
    conn: &mut DbConnection,
    user: &User,
    new_password_hash: Option<String>,
    expected_version: i64,
) -> Result<(), StoreError> {
    let target = users::table
        .filter(users::id.eq(user.id.to_string()))
        .filter(users::version.eq(expected_version));
    let updated = diesel::update(target)
        .set((
            users::email.eq(user.email.as_str()),
            users::display_name.eq(&user.display_name),
            users::role.eq(user.role.as_str()),
            users::organisation_id.eq(user.organisation_id.map(|o| o.to_string())),
            users::active.eq(user.active),
            users::updated_at.eq(user.stamp.updated_at.naive_utc()),
            users::version.eq(user.stamp.version),
        ))
        .execute(conn)?;
    expect_one_updated(updated, expected_version)?;
    if let Some(hash) = new_password_hash {
        diesel::update(users::table.find(user.id.to_string()))
            .set(users::password_hash.eq(hash))
            .execute(conn)?;
    }
    Ok(())
}
