//! Counselling cases.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_shared::ids::*;
use iqnet_shared::structure::Scope;

use crate::convert::*;
use crate::db::{DbConnection, MultiBackend};
use crate::schema::*;
use crate::{Page, PageRequest, StoreError};
use iqnet_counselling::records::*;
use iqnet_counselling::vocabulary::*;

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = counselling_cases, treat_none_as_null = true)]
struct CaseRow {
    id: String,
    seeker_id: String,
    organisation_id: String,
    kind: String,
    access_route: String,
    state: String,
    outcome: Option<String>,
    opened_on: NaiveDate,
    closed_on: Option<NaiveDate>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl From<&CounsellingCase> for CaseRow {
    fn from(c: &CounsellingCase) -> Self {
        CaseRow {
            id: c.id.to_string(),
            seeker_id: c.seeker_id.to_string(),
            organisation_id: c.organisation_id.to_string(),
            kind: c.kind.as_str().to_owned(),
            access_route: c.access_route.as_str().to_owned(),
            state: c.state.as_str().to_owned(),
            outcome: c.outcome.map(|o| o.as_str().to_owned()),
            opened_on: c.opened_on,
            closed_on: c.closed_on,
            created_at: c.stamp.created_at.naive_utc(),
            updated_at: c.stamp.updated_at.naive_utc(),
            version: c.stamp.version,
        }
    }
}

impl TryFrom<CaseRow> for CounsellingCase {
    type Error = StoreError;
    fn try_from(r: CaseRow) -> Result<Self, StoreError> {
        let state: CaseState = parse("state", &r.state)?;
        Ok(CounsellingCase {
            id: parse("id", &r.id)?,
            seeker_id: parse("seeker_id", &r.seeker_id)?,
            organisation_id: parse("organisation_id", &r.organisation_id)?,
            kind: parse("kind", &r.kind)?,
            access_route: parse("access_route", &r.access_route)?,
            state,
            outcome: parse_opt("outcome", r.outcome.as_deref())?,
            opened_on: r.opened_on,
            closed_on: r.closed_on,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

#[derive(Debug, Default, Clone)]
pub struct CaseFilter {
    pub seeker_id: Option<SeekerId>,
    pub state: Option<CaseState>,
    pub updated_since: Option<DateTime<Utc>>,
}

pub fn list(
    conn: &mut DbConnection,
    scope: Scope,
    filter: &CaseFilter,
    page: &PageRequest,
) -> Result<Page<CounsellingCase>, StoreError> {
    let query = counselling_cases::table.into_boxed::<MultiBackend>();
    let Some(mut query) = scoped!(query, counselling_cases::organisation_id, scope) else {
        return Ok(Page::empty());
    };
    if let Some(seeker) = filter.seeker_id {
        query = query.filter(counselling_cases::seeker_id.eq(seeker.to_string()));
    }
    if let Some(state) = filter.state {
        query = query.filter(counselling_cases::state.eq(state.as_str()));
    }
    if let Some(since) = filter.updated_since {
        query = query
            .filter(counselling_cases::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    load_page!(conn, query, counselling_cases::id, page, CaseRow, |r| r
        .id
        .clone())
    .try_map(CounsellingCase::try_from)
}

record_store!(
    counselling_cases,
    CaseRow,
    CounsellingCase,
    CaseId,
    get = get,
    insert = insert,
    update = update
);

of_seeker!(of_seeker, counselling_cases, CaseRow, CounsellingCase);
