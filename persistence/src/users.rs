//! Staff users and machine clients: who may obtain tokens, and with which role and organisation.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use iqnet_shared::codes::Email;
use iqnet_shared::ids::{ApiClientId, OrganisationId, UserId};
use iqnet_shared::records::{ApiClient, User};
use iqnet_shared::structure::{Role, Scope};

use crate::convert::{load_page, scoped};
use crate::db::{DbConnection, MultiBackend};
use crate::network::expect_one_updated;
use crate::rows::{ApiClientRow, UserRow};
use crate::schema::{api_clients, users};
use crate::{Page, PageRequest, StoreError};

#[derive(Debug, Default, Clone)]
pub struct AccountFilter {
    pub role: Option<Role>,
    pub organisation_id: Option<OrganisationId>,
    pub updated_since: Option<DateTime<Utc>>,
}

pub fn count_users(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(users::table.count().get_result(conn)?)
}

/// Users within `scope` that match `filter`.
pub fn list_users(
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

pub fn get_user(conn: &mut DbConnection, id: UserId) -> Result<User, StoreError> {
    users::table
        .find(id.to_string())
        .select(UserRow::as_select())
        .first(conn)?
        .try_into()
}

/// The user with this e-mail and their password hash, for the password grant.
pub fn find_user_by_email(
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

pub fn insert_user(
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
pub fn update_user(
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

pub fn list_clients(
    conn: &mut DbConnection,
    scope: Scope,
    filter: &AccountFilter,
    page: &PageRequest,
) -> Result<Page<ApiClient>, StoreError> {
    let query = api_clients::table.into_boxed::<MultiBackend>();
    let Some(mut query) = scoped!(query, api_clients::organisation_id.assume_not_null(), scope)
    else {
        return Ok(Page::empty());
    };
    if let Some(role) = filter.role {
        query = query.filter(api_clients::role.eq(role.as_str()));
    }
    if let Some(org) = filter.organisation_id {
        query = query.filter(api_clients::organisation_id.eq(org.to_string()));
    }
    if let Some(since) = filter.updated_since {
        query = query.filter(api_clients::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    load_page!(conn, query, api_clients::id, page, ApiClientRow, |r| r
        .id
        .clone())
    .try_map(ApiClient::try_from)
}

pub fn get_client(conn: &mut DbConnection, id: ApiClientId) -> Result<ApiClient, StoreError> {
    api_clients::table
        .find(id.to_string())
        .select(ApiClientRow::as_select())
        .first(conn)?
        .try_into()
}

/// The client and its secret hash, for the client-credentials grant.
pub fn find_client_with_secret(
    conn: &mut DbConnection,
    id: ApiClientId,
) -> Result<Option<(ApiClient, String)>, StoreError> {
    let row: Option<ApiClientRow> = api_clients::table
        .find(id.to_string())
        .select(ApiClientRow::as_select())
        .first(conn)
        .optional()?;
    row.map(|r| {
        let hash = r.secret_hash.clone();
        ApiClient::try_from(r).map(|c| (c, hash))
    })
    .transpose()
}

pub fn insert_client(
    conn: &mut DbConnection,
    client: &ApiClient,
    secret_hash: String,
) -> Result<(), StoreError> {
    diesel::insert_into(api_clients::table)
        .values(ApiClientRow::new(client, secret_hash))
        .execute(conn)?;
    Ok(())
}

pub fn update_client(
    conn: &mut DbConnection,
    client: &ApiClient,
    expected_version: i64,
) -> Result<(), StoreError> {
    let target = api_clients::table
        .filter(api_clients::id.eq(client.id.to_string()))
        .filter(api_clients::version.eq(expected_version));
    let updated = diesel::update(target)
        .set((
            api_clients::name.eq(&client.name),
            api_clients::active.eq(client.active),
            api_clients::updated_at.eq(client.stamp.updated_at.naive_utc()),
            api_clients::version.eq(client.stamp.version),
        ))
        .execute(conn)?;
    expect_one_updated(updated, expected_version)
}
