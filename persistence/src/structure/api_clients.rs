//! Machine clients of partner agencies (client-credentials grant).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use iqnet_shared::ids::{ApiClientId, OrganisationId};
use iqnet_shared::records::ApiClient;
use iqnet_shared::structure::{Role, Scope};

use crate::convert::{expect_one_updated, load_page, scoped, stamp};
use crate::db::{DbConnection, MultiBackend};
use crate::schema::api_clients;
use crate::structure::users::{AccountFilter, Credentials};
use crate::{Page, PageRequest, StoreError};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = api_clients, treat_none_as_null = true)]
pub struct ApiClientRow {
    pub id: ApiClientId,
    pub name: String,
    pub role: Role,
    pub organisation_id: Option<OrganisationId>,
    pub secret_hash: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

impl ApiClientRow {
    pub fn new(c: &ApiClient, secret_hash: String) -> Self {
        ApiClientRow {
            id: c.id,
            name: c.name.clone(),
            role: c.role,
            organisation_id: c.organisation_id,
            secret_hash,
            active: c.active,
            created_at: c.stamp.created_at.naive_utc(),
            updated_at: c.stamp.updated_at.naive_utc(),
            version: c.stamp.version,
        }
    }
}

impl TryFrom<ApiClientRow> for ApiClient {
    type Error = StoreError;
    fn try_from(r: ApiClientRow) -> Result<Self, StoreError> {
        Ok(ApiClient {
            id: r.id,
            name: r.name,
            role: r.role,
            organisation_id: r.organisation_id,
            active: r.active,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

/// Clients with one of `roles` within `scope` that match `filter`.
pub fn list(
    conn: &mut DbConnection,
    scope: Scope,
    roles: &[Role],
    filter: &AccountFilter,
    page: &PageRequest,
) -> Result<Page<ApiClient>, StoreError> {
    let query = api_clients::table.into_boxed::<MultiBackend>();
    let Some(mut query) = scoped!(query, api_clients::organisation_id.assume_not_null(), scope)
    else {
        return Ok(Page::empty());
    };
    query = query.filter(api_clients::role.eq_any(roles.to_vec()));
    if let Some(role) = filter.role {
        query = query.filter(api_clients::role.eq(role));
    }
    if let Some(org) = filter.organisation_id {
        query = query.filter(api_clients::organisation_id.eq(org));
    }
    if let Some(since) = filter.updated_since {
        query = query.filter(api_clients::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    load_page!(conn, query, api_clients::id, page, ApiClientRow, |r| r.id)
        .try_map(ApiClient::try_from)
}

pub fn get(conn: &mut DbConnection, id: ApiClientId) -> Result<ApiClient, StoreError> {
    api_clients::table
        .find(id)
        .select(ApiClientRow::as_select())
        .first(conn)?
        .try_into()
}

/// The client and its secret hash, for the client-credentials grant.
pub fn find_with_secret(
    conn: &mut DbConnection,
    id: ApiClientId,
) -> Result<Option<(ApiClient, String)>, StoreError> {
    let row: Option<ApiClientRow> = api_clients::table
        .find(id)
        .select(ApiClientRow::as_select())
        .first(conn)
        .optional()?;
    row.map(|r| {
        let hash = r.secret_hash.clone();
        ApiClient::try_from(r).map(|c| (c, hash))
    })
    .transpose()
}

pub fn insert(
    conn: &mut DbConnection,
    client: &ApiClient,
    secret_hash: String,
) -> Result<(), StoreError> {
    diesel::insert_into(api_clients::table)
        .values(ApiClientRow::new(client, secret_hash))
        .execute(conn)?;
    Ok(())
}

/// Writes `client`. Revoking it (`active: false`) ends every token issued to it before: the
/// client's credential epoch grows.
pub fn update(
    conn: &mut DbConnection,
    client: &ApiClient,
    expected_version: i64,
) -> Result<(), StoreError> {
    crate::access::credentials_changed();
    let active: bool = api_clients::table
        .find(client.id)
        .select(api_clients::active)
        .first(conn)?;
    let revokes = active != client.active;
    let target = api_clients::table
        .filter(api_clients::id.eq(client.id))
        .filter(api_clients::version.eq(expected_version));
    let updated = diesel::update(target)
        .set((
            api_clients::name.eq(&client.name),
            api_clients::active.eq(client.active),
            api_clients::updated_at.eq(client.stamp.updated_at.naive_utc()),
            api_clients::version.eq(client.stamp.version),
            api_clients::credential_epoch.eq(api_clients::credential_epoch + i64::from(revokes)),
        ))
        .execute(conn)?;
    expect_one_updated(updated, expected_version)
}

/// The client's current credentials; `None` when the client no longer exists.
pub fn credentials(
    conn: &mut DbConnection,
    id: ApiClientId,
) -> Result<Option<Credentials>, StoreError> {
    let found: Option<(bool, i64)> = api_clients::table
        .find(id)
        .select((api_clients::active, api_clients::credential_epoch))
        .first(conn)
        .optional()?;
    Ok(found.map(|(active, epoch)| Credentials { active, epoch }))
}
