//! Short and anonymous contacts: no personal data, owned by one organisation.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_counselling::short_contact::ShortContact;
use iqnet_counselling::vocabulary::{SessionTopic, ShortContactFormat};
use iqnet_shared::codes::{CountryCode, KldbCode};
use iqnet_shared::ids::{AdviceCentreId, OrganisationId, ShortContactId};
use iqnet_shared::structure::Scope;

use crate::convert::{Json, load_page, record_store, scoped, stamp};
use crate::db::{DbConnection, MultiBackend};
use crate::schema::short_contacts;
use crate::{Page, PageRequest, StoreError};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = short_contacts, treat_none_as_null = true)]
struct ShortContactRow {
    id: ShortContactId,
    organisation_id: OrganisationId,
    centre_id: AdviceCentreId,
    format: ShortContactFormat,
    held_on: NaiveDate,
    topics: Json<Vec<SessionTopic>>,
    country: Option<CountryCode>,
    reference_occupation: Option<KldbCode>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl From<&ShortContact> for ShortContactRow {
    fn from(c: &ShortContact) -> Self {
        ShortContactRow {
            id: c.id,
            organisation_id: c.organisation_id,
            centre_id: c.centre_id,
            format: c.format,
            held_on: c.held_on,
            topics: Json(c.topics.clone()),
            country: c.country.clone(),
            reference_occupation: c.reference_occupation.clone(),
            created_at: c.stamp.created_at.naive_utc(),
            updated_at: c.stamp.updated_at.naive_utc(),
            version: c.stamp.version,
        }
    }
}

impl TryFrom<ShortContactRow> for ShortContact {
    type Error = StoreError;
    fn try_from(r: ShortContactRow) -> Result<Self, StoreError> {
        Ok(ShortContact {
            id: r.id,
            organisation_id: r.organisation_id,
            centre_id: r.centre_id,
            format: r.format,
            held_on: r.held_on,
            topics: r.topics.0,
            country: r.country,
            reference_occupation: r.reference_occupation,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

#[derive(Debug, Default, Clone)]
pub struct ShortContactFilter {
    pub centre_id: Option<AdviceCentreId>,
    pub format: Option<ShortContactFormat>,
    pub held_from: Option<NaiveDate>,
    pub held_to: Option<NaiveDate>,
    pub updated_since: Option<DateTime<Utc>>,
}

pub fn list(
    conn: &mut DbConnection,
    scope: Scope,
    filter: &ShortContactFilter,
    page: &PageRequest,
) -> Result<Page<ShortContact>, StoreError> {
    use short_contacts as s;
    let query = s::table.into_boxed::<MultiBackend>();
    let Some(mut query) = scoped!(query, s::organisation_id, scope) else {
        return Ok(Page::empty());
    };
    if let Some(centre) = filter.centre_id {
        query = query.filter(s::centre_id.eq(centre));
    }
    if let Some(format) = filter.format {
        query = query.filter(s::format.eq(format));
    }
    if let Some(from) = filter.held_from {
        query = query.filter(s::held_on.ge(from));
    }
    if let Some(to) = filter.held_to {
        query = query.filter(s::held_on.le(to));
    }
    if let Some(since) = filter.updated_since {
        query = query.filter(s::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    load_page!(conn, query, s::id, page, ShortContactRow, |r| r.id).try_map(ShortContact::try_from)
}

record_store!(
    short_contacts,
    ShortContactRow,
    ShortContact,
    ShortContactId,
    get = get,
    insert = insert,
    update = update
);
