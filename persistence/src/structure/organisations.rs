//! Organisations: every actor in the network.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_shared::ids::*;

use crate::convert::*;
use crate::db::{DbConnection, MultiBackend};
use crate::error::stored;
use crate::schema::*;
use crate::{Page, PageRequest, StoreError};
use iqnet_shared::codes::*;
use iqnet_shared::records::*;
use iqnet_shared::structure::*;

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = organisations, treat_none_as_null = true)]
pub struct OrganisationRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub state: String,
    pub street: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

impl TryFrom<OrganisationRow> for Organisation {
    type Error = StoreError;
    fn try_from(r: OrganisationRow) -> Result<Self, StoreError> {
        Ok(Organisation {
            id: parse("id", &r.id)?,
            name: r.name,
            kind: parse("kind", &r.kind)?,
            state: parse("state", &r.state)?,
            street: r.street,
            postcode: r.postcode,
            city: r.city,
            email: r
                .email
                .map(|e| stored("email", iqnet_shared::codes::Email::parse(&e)))
                .transpose()?,
            phone: r.phone,
            website: r.website,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

impl From<&Organisation> for OrganisationRow {
    fn from(o: &Organisation) -> Self {
        OrganisationRow {
            id: o.id.to_string(),
            name: o.name.clone(),
            kind: o.kind.as_str().to_owned(),
            state: o.state.as_str().to_owned(),
            street: o.street.clone(),
            postcode: o.postcode.clone(),
            city: o.city.clone(),
            email: o.email.as_ref().map(|e| e.as_str().to_owned()),
            phone: o.phone.clone(),
            website: o.website.clone(),
            created_at: o.stamp.created_at.naive_utc(),
            updated_at: o.stamp.updated_at.naive_utc(),
            version: o.stamp.version,
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct OrganisationFilter {
    pub kind: Option<OrganisationKind>,
    pub state: Option<StateCode>,
    pub updated_since: Option<DateTime<Utc>>,
}

pub fn list(
    conn: &mut DbConnection,
    filter: &OrganisationFilter,
    page: &PageRequest,
) -> Result<Page<Organisation>, StoreError> {
    let mut query = organisations::table.into_boxed::<MultiBackend>();
    if let Some(kind) = filter.kind {
        query = query.filter(organisations::kind.eq(kind.as_str()));
    }
    if let Some(state) = filter.state {
        query = query.filter(organisations::state.eq(state.as_str()));
    }
    if let Some(since) = filter.updated_since {
        query =
            query.filter(organisations::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    load_page!(conn, query, organisations::id, page, OrganisationRow, |r| r
        .id
        .clone())
    .try_map(Organisation::try_from)
}

record_store!(
    organisations,
    OrganisationRow,
    Organisation,
    OrganisationId,
    get = get,
    insert = insert,
    update = update
);
