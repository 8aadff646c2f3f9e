//! Advice seekers: personal data, owned by one organisation.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_shared::ids::*;
use iqnet_shared::structure::Scope;

use crate::convert::*;
use crate::db::{DbConnection, MultiBackend};
use crate::error::stored;
use crate::schema::*;
use crate::{Page, PageRequest, StoreError};
use iqnet_counselling::records::*;

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = advice_seekers, treat_none_as_null = true)]
struct SeekerRow {
    id: String,
    organisation_id: String,
    client_code: String,
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    gender: String,
    age_band: Option<String>,
    nationalities: String,
    country_of_residence: String,
    year_of_entry: Option<i32>,
    residence_title: Option<String>,
    german_level: Option<String>,
    employment_status: Option<String>,
    benefits: String,
    consents: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl From<&AdviceSeeker> for SeekerRow {
    fn from(s: &AdviceSeeker) -> Self {
        SeekerRow {
            id: s.id.to_string(),
            organisation_id: s.organisation_id.to_string(),
            client_code: s.client_code.clone(),
            name: s.name.clone(),
            email: s.email.as_ref().map(|e| e.as_str().to_owned()),
            phone: s.phone.clone(),
            gender: s.gender.as_str().to_owned(),
            age_band: s.age_band.map(|a| a.as_str().to_owned()),
            nationalities: json(&s.nationalities),
            country_of_residence: s.country_of_residence.as_str().to_owned(),
            year_of_entry: s.year_of_entry,
            residence_title: s.residence_title.map(|r| r.as_str().to_owned()),
            german_level: s.german_level.map(|l| l.as_str().to_owned()),
            employment_status: s.employment_status.map(|e| e.as_str().to_owned()),
            benefits: json(&s.benefits),
            consents: json(&s.consents),
            created_at: s.stamp.created_at.naive_utc(),
            updated_at: s.stamp.updated_at.naive_utc(),
            version: s.stamp.version,
        }
    }
}

impl TryFrom<SeekerRow> for AdviceSeeker {
    type Error = StoreError;
    fn try_from(r: SeekerRow) -> Result<Self, StoreError> {
        Ok(AdviceSeeker {
            id: parse("id", &r.id)?,
            organisation_id: parse("organisation_id", &r.organisation_id)?,
            client_code: r.client_code,
            name: r.name,
            email: r
                .email
                .map(|e| stored("email", iqnet_shared::codes::Email::parse(&e)))
                .transpose()?,
            phone: r.phone,
            gender: parse("gender", &r.gender)?,
            age_band: parse_opt("age_band", r.age_band.as_deref())?,
            nationalities: from_json("nationalities", &r.nationalities)?,
            country_of_residence: stored(
                "country_of_residence",
                iqnet_shared::codes::CountryCode::parse(&r.country_of_residence),
            )?,
            year_of_entry: r.year_of_entry,
            residence_title: parse_opt("residence_title", r.residence_title.as_deref())?,
            german_level: parse_opt("german_level", r.german_level.as_deref())?,
            employment_status: parse_opt("employment_status", r.employment_status.as_deref())?,
            benefits: from_json("benefits", &r.benefits)?,
            consents: from_json("consents", &r.consents)?,
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
    load_page!(conn, query, advice_seekers::id, page, SeekerRow, |r| r
        .id
        .clone())
    .try_map(AdviceSeeker::try_from)
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
