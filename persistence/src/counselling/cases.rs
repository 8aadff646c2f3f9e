//! Counselling cases.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_counselling::outcome::IntakeSituation;
use iqnet_counselling::procedure::Decision;
use iqnet_counselling::records::CounsellingCase;
use iqnet_counselling::status::StatusSnapshot;
use iqnet_counselling::vocabulary::{
    AccessRoute, CaseKind, CaseOutcome, CaseState, EmploymentStatus, Recommendation,
};
use iqnet_shared::codes::LanguageLevel;
use iqnet_shared::ids::{CaseId, OrganisationId, SeekerId};
use iqnet_shared::reference::ResidenceTitle;
use iqnet_shared::structure::Scope;

use crate::convert::{Json, load_page, of_seeker, record_store, scoped, stamp};
use crate::db::{DbConnection, MultiBackend};
use crate::schema::counselling_cases;
use crate::{Page, PageRequest, StoreError};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = counselling_cases, treat_none_as_null = true)]
struct CaseRow {
    id: CaseId,
    seeker_id: SeekerId,
    organisation_id: OrganisationId,
    kind: CaseKind,
    access_route: AccessRoute,
    state: CaseState,
    outcome: Option<CaseOutcome>,
    opened_on: NaiveDate,
    closed_on: Option<NaiveDate>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
    intake_application_filed: Option<bool>,
    intake_decision: Option<Decision>,
    intake_zab_evaluation_held: Option<bool>,
    #[diesel(embed)]
    intake: StatusColumns,
    #[diesel(embed)]
    close: CloseStatusColumns,
    recommendations: Json<Vec<Recommendation>>,
}

/// A dated status in its columns (`intake_*`, `close_*`); all `None` when none was recorded.
macro_rules! status_columns {
    ($name:ident, $on:ident, $title:ident, $level:ident, $employment:ident) => {
        #[derive(Queryable, Selectable, Insertable, AsChangeset)]
        #[diesel(table_name = counselling_cases, treat_none_as_null = true)]
        struct $name {
            $on: Option<NaiveDate>,
            $title: Option<ResidenceTitle>,
            $level: Option<LanguageLevel>,
            $employment: Option<EmploymentStatus>,
        }

        impl From<Option<StatusSnapshot>> for $name {
            fn from(s: Option<StatusSnapshot>) -> Self {
                $name {
                    $on: s.map(|s| s.recorded_on),
                    $title: s.and_then(|s| s.residence_title),
                    $level: s.and_then(|s| s.german_level),
                    $employment: s.and_then(|s| s.employment_status),
                }
            }
        }

        impl From<$name> for Option<StatusSnapshot> {
            fn from(c: $name) -> Self {
                c.$on.map(|recorded_on| StatusSnapshot {
                    recorded_on,
                    residence_title: c.$title,
                    german_level: c.$level,
                    employment_status: c.$employment,
                })
            }
        }
    };
}

status_columns!(
    StatusColumns,
    intake_status_on,
    intake_residence_title,
    intake_german_level,
    intake_employment_status
);
status_columns!(
    CloseStatusColumns,
    close_status_on,
    close_residence_title,
    close_german_level,
    close_employment_status
);

impl From<&CounsellingCase> for CaseRow {
    fn from(c: &CounsellingCase) -> Self {
        CaseRow {
            id: c.id,
            seeker_id: c.seeker_id,
            organisation_id: c.organisation_id,
            kind: c.kind,
            access_route: c.access_route,
            state: c.state,
            outcome: c.outcome,
            opened_on: c.opened_on,
            closed_on: c.closed_on,
            created_at: c.stamp.created_at.naive_utc(),
            updated_at: c.stamp.updated_at.naive_utc(),
            version: c.stamp.version,
            intake_application_filed: c.situation_at_intake.map(|s| s.application_filed),
            intake_decision: c.situation_at_intake.and_then(|s| s.decision_received),
            intake_zab_evaluation_held: c.situation_at_intake.map(|s| s.zab_evaluation_held),
            intake: c.status_at_intake.into(),
            close: c.status_at_close.into(),
            recommendations: Json(c.recommendations.clone()),
        }
    }
}

impl TryFrom<CaseRow> for CounsellingCase {
    type Error = StoreError;
    fn try_from(r: CaseRow) -> Result<Self, StoreError> {
        let state = r.state;
        Ok(CounsellingCase {
            id: r.id,
            seeker_id: r.seeker_id,
            organisation_id: r.organisation_id,
            kind: r.kind,
            access_route: r.access_route,
            state,
            outcome: r.outcome,
            recommendations: r.recommendations.0,
            // Recorded together; a case from before has none.
            situation_at_intake: r.intake_application_filed.map(|filed| IntakeSituation {
                application_filed: filed,
                decision_received: r.intake_decision,
                zab_evaluation_held: r.intake_zab_evaluation_held.unwrap_or(false),
            }),
            status_at_intake: r.intake.into(),
            status_at_close: r.close.into(),
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
        query = query.filter(counselling_cases::seeker_id.eq(seeker));
    }
    if let Some(state) = filter.state {
        query = query.filter(counselling_cases::state.eq(state));
    }
    if let Some(since) = filter.updated_since {
        query = query
            .filter(counselling_cases::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    load_page!(conn, query, counselling_cases::id, page, CaseRow, |r| r.id)
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
