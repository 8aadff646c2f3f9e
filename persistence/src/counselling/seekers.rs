//! Advice seekers: personal data, owned by one organisation.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_counselling::records::{AdviceSeeker, Consent};
use iqnet_counselling::residence::Residence;
use iqnet_counselling::vocabulary::{AgeBand, Benefit, EmploymentStatus, Gender};
use iqnet_shared::codes::{CountryCode, Email, LanguageLevel, StateCode};
use iqnet_shared::ids::{OrganisationId, SeekerId};
use iqnet_shared::reference::ResidenceTitle;
use iqnet_shared::structure::Scope;

use crate::convert::{Json, load_page, record_store, scoped, stamp};
use crate::db::{DbConnection, MultiBackend};
use crate::schema::advice_seekers;
use crate::{Page, PageRequest, StoreError};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = advice_seekers, treat_none_as_null = true)]
struct SeekerRow {
    id: SeekerId,
    organisation_id: OrganisationId,
    client_code: String,
    name: Option<String>,
    email: Option<Email>,
    phone: Option<String>,
    gender: Gender,
    age_band: Option<AgeBand>,
    nationalities: Json<Vec<CountryCode>>,
    country_of_residence: CountryCode,
    year_of_entry: Option<i32>,
    residence_title: Option<ResidenceTitle>,
    german_level: Option<LanguageLevel>,
    employment_status: Option<EmploymentStatus>,
    benefits: Json<Vec<Benefit>>,
    consents: Json<Vec<Consent>>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
    residence_state: Option<StateCode>,
    residence_district: Option<String>,
    residence_postcode: Option<String>,
}

impl From<&AdviceSeeker> for SeekerRow {
    fn from(s: &AdviceSeeker) -> Self {
        SeekerRow {
            id: s.id,
            organisation_id: s.organisation_id,
            client_code: s.client_code.clone(),
            name: s.name.clone(),
            email: s.email.clone(),
            phone: s.phone.clone(),
            gender: s.gender,
            age_band: s.age_band,
            nationalities: Json(s.nationalities.clone()),
            country_of_residence: s.country_of_residence.clone(),
            year_of_entry: s.year_of_entry,
            residence_title: s.residence_title,
            german_level: s.german_level,
            employment_status: s.employment_status,
            benefits: Json(s.benefits.clone()),
            consents: Json(s.consents.clone()),
            created_at: s.stamp.created_at.naive_utc(),
            updated_at: s.stamp.updated_at.naive_utc(),
            version: s.stamp.version,
            residence_state: s.residence.state,
            residence_district: s.residence.district.clone(),
            residence_postcode: s.residence.postcode.clone(),
        }
    }
}

impl TryFrom<SeekerRow> for AdviceSeeker {
    type Error = StoreError;
    fn try_from(r: SeekerRow) -> Result<Self, StoreError> {
        Ok(AdviceSeeker {
            id: r.id,
            organisation_id: r.organisation_id,
            client_code: r.client_code,
            name: r.name,
            email: r.email,
            phone: r.phone,
            gender: r.gender,
            age_band: r.age_band,
            nationalities: r.nationalities.0,
            country_of_residence: r.country_of_residence,
            residence: Residence {
                state: r.residence_state,
                district: r.residence_district,
                postcode: r.residence_postcode,
            },
            year_of_entry: r.year_of_entry,
            residence_title: r.residence_title,
            german_level: r.german_level,
            employment_status: r.employment_status,
            benefits: r.benefits.0,
            consents: r.consents.0,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

#[derive(Debug, Default, Clone)]
pub struct SeekerFilter {
    pub client_code: Option<String>,
    pub updated_since: Option<DateTime<Utc>>,
}

pub fn list(
    conn: &mut DbConnection,
    scope: Scope,
    filter: &SeekerFilter,
    page: &PageRequest,
) -> Result<Page<AdviceSeeker>, StoreError> {
    let query = advice_seekers::table.into_boxed::<MultiBackend>();
    let Some(mut query) = scoped!(query, advice_seekers::organisation_id, scope) else {
        return Ok(Page::empty());
    };
    if let Some(code) = &filter.client_code {
        query = query.filter(advice_seekers::client_code.eq(code.clone()));
    }
    if let Some(since) = filter.updated_since {
        query =
            query.filter(advice_seekers::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    load_page!(conn, query, advice_seekers::id, page, SeekerRow, |r| r.id)
        .try_map(AdviceSeeker::try_from)
}

/// Whether any advice seeker is stored (the data generator seeds empty databases only).
pub fn any(conn: &mut DbConnection) -> Result<bool, StoreError> {
    let first: Option<SeekerId> = advice_seekers::table
        .select(advice_seekers::id)
        .first(conn)
        .optional()?;
    Ok(first.is_some())
}

/// The seekers with these ids (those that exist), e.g. to learn their consents.
pub fn many(conn: &mut DbConnection, ids: &[SeekerId]) -> Result<Vec<AdviceSeeker>, StoreError> {
    let rows: Vec<SeekerRow> = advice_seekers::table
        .filter(advice_seekers::id.eq_any(ids.to_vec()))
        .select(SeekerRow::as_select())
        .load(conn)?;
    rows.into_iter().map(AdviceSeeker::try_from).collect()
}

record_store!(
    advice_seekers,
    SeekerRow,
    AdviceSeeker,
    SeekerId,
    get = get,
    insert = insert,
    update = update
);
