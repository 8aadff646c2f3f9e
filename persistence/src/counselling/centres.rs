//! Advice centres: the public directory of counselling points.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_counselling::records::AdviceCentre;
use iqnet_counselling::vocabulary::{CentreKind, ContactFormat};
use iqnet_shared::codes::{Email, StateCode};
use iqnet_shared::ids::{AdviceCentreId, OrganisationId, SubProjectId};

use crate::convert::{Json, load_page, record_store, stamp};
use crate::db::{DbConnection, MultiBackend};
use crate::schema::advice_centres;
use crate::{Page, PageRequest, StoreError};

/// A LIKE pattern matching values that start with `prefix` (its wildcards escaped).
fn prefix_pattern(prefix: &str) -> String {
    let escaped = prefix
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("{escaped}%")
}

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

// ---------------------------------------------------------------------------------------------
// Advice centres

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = advice_centres, treat_none_as_null = true)]
struct CentreRow {
    id: AdviceCentreId,
    organisation_id: OrganisationId,
    sub_project_id: Option<SubProjectId>,
    name: String,
    kind: CentreKind,
    state: StateCode,
    street: Option<String>,
    postcode: String,
    city: String,
    languages: Json<Vec<String>>,
    formats: Json<Vec<ContactFormat>>,
    opening_hours: Option<String>,
    email: Option<Email>,
    phone: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl From<&AdviceCentre> for CentreRow {
    fn from(c: &AdviceCentre) -> Self {
        CentreRow {
            id: c.id,
            organisation_id: c.organisation_id,
            sub_project_id: c.sub_project_id,
            name: c.name.clone(),
            kind: c.kind,
            state: c.state,
            street: c.street.clone(),
            postcode: c.postcode.clone(),
            city: c.city.clone(),
            languages: Json(c.languages.clone()),
            formats: Json(c.formats.clone()),
            opening_hours: c.opening_hours.clone(),
            email: c.email.clone(),
            phone: c.phone.clone(),
            created_at: c.stamp.created_at.naive_utc(),
            updated_at: c.stamp.updated_at.naive_utc(),
            version: c.stamp.version,
        }
    }
}

impl TryFrom<CentreRow> for AdviceCentre {
    type Error = StoreError;
    fn try_from(r: CentreRow) -> Result<Self, StoreError> {
        Ok(AdviceCentre {
            id: r.id,
            organisation_id: r.organisation_id,
            sub_project_id: r.sub_project_id,
            name: r.name,
            kind: r.kind,
            state: r.state,
            street: r.street,
            postcode: r.postcode,
            city: r.city,
            languages: r.languages.0,
            formats: r.formats.0,
            opening_hours: r.opening_hours,
            email: r.email,
            phone: r.phone,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

/// The public directory's search.
#[derive(Debug, Default, Clone)]
pub struct CentreFilter {
    pub state: Option<StateCode>,
    /// Case-insensitive prefix of the city.
    pub city: Option<String>,
    pub postcode_prefix: Option<String>,
    /// ISO 639-1 code the centre offers counselling in.
    pub language: Option<String>,
    pub format: Option<ContactFormat>,
    pub organisation_id: Option<OrganisationId>,
    pub updated_since: Option<DateTime<Utc>>,
}

pub fn list(
    conn: &mut DbConnection,
    filter: &CentreFilter,
    page: &PageRequest,
) -> Result<Page<AdviceCentre>, StoreError> {
    let mut query = advice_centres::table.into_boxed::<MultiBackend>();
    if let Some(state) = filter.state {
        query = query.filter(advice_centres::state.eq(state));
    }
    if let Some(city) = &filter.city {
        query = query.filter(
            lower(advice_centres::city)
                .like(prefix_pattern(&city.to_lowercase()))
                .escape('\\'),
        );
    }
    if let Some(prefix) = &filter.postcode_prefix {
        query = query.filter(
            advice_centres::postcode
                .like(prefix_pattern(prefix))
                .escape('\\'),
        );
    }
    // The lists are JSON arrays of plain codes, so a quoted code matches exactly one element.
    if let Some(language) = &filter.language {
        query = query.filter(advice_centres::languages.like(format!("%\"{language}\"%")));
    }
    if let Some(format) = filter.format {
        query = query.filter(advice_centres::formats.like(format!("%\"{}\"%", format.as_str())));
    }
    if let Some(org) = filter.organisation_id {
        query = query.filter(advice_centres::organisation_id.eq(org));
    }
    if let Some(since) = filter.updated_since {
        query =
            query.filter(advice_centres::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    load_page!(conn, query, advice_centres::id, page, CentreRow, |r| r.id)
        .try_map(AdviceCentre::try_from)
}

record_store!(
    advice_centres,
    CentreRow,
    AdviceCentre,
    AdviceCentreId,
    get = get,
    insert = insert,
    update = update
);
