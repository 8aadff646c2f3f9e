//! Intercultural opening processes. Two organisations have a part in each: the accompanying
//! provider (`organisation_id`) and the organisation opening itself (`client_organisation_id`);
//! a scope that covers either sees the process.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_intercultural::opening::{
    OpeningMeasure, OpeningMilestone, OpeningProcess, SustainabilityCheck,
};
use iqnet_intercultural::vocabulary::OpeningState;
use iqnet_shared::ids::{OpeningProcessId, OrganisationId};
use iqnet_shared::structure::Scope;

use crate::convert::{Json, load_page, record_store, stamp};
use crate::db::{DbConnection, MultiBackend};
use crate::schema::opening_processes::{self as op};
use crate::schema::{opening_processes, organisations};
use crate::{Page, PageRequest, StoreError};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = opening_processes, treat_none_as_null = true)]
struct OpeningRow {
    id: OpeningProcessId,
    organisation_id: OrganisationId,
    client_organisation_id: OrganisationId,
    state: OpeningState,
    milestones: Json<Vec<OpeningMilestone>>,
    measures: Json<Vec<OpeningMeasure>>,
    follow_up: Option<Json<SustainabilityCheck>>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl From<&OpeningProcess> for OpeningRow {
    fn from(p: &OpeningProcess) -> Self {
        OpeningRow {
            id: p.id,
            organisation_id: p.organisation_id,
            client_organisation_id: p.client_organisation_id,
            state: p.state,
            milestones: Json(p.milestones.clone()),
            measures: Json(p.measures.clone()),
            follow_up: p.follow_up.clone().map(Json),
            created_at: p.stamp.created_at.naive_utc(),
            updated_at: p.stamp.updated_at.naive_utc(),
            version: p.stamp.version,
        }
    }
}

impl TryFrom<OpeningRow> for OpeningProcess {
    type Error = StoreError;
    fn try_from(r: OpeningRow) -> Result<Self, StoreError> {
        Ok(OpeningProcess {
            id: r.id,
            organisation_id: r.organisation_id,
            client_organisation_id: r.client_organisation_id,
            state: r.state,
            milestones: r.milestones.0,
            measures: r.measures.0,
            follow_up: r.follow_up.map(|j| j.0),
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

record_store!(
    opening_processes,
    OpeningRow,
    OpeningProcess,
    OpeningProcessId,
    get = get,
    insert = insert,
    update = update
);

#[derive(Debug, Default, Clone)]
pub struct OpeningFilter {
    pub state: Option<OpeningState>,
    pub organisation_id: Option<OrganisationId>,
    pub client_organisation_id: Option<OrganisationId>,
    pub updated_since: Option<DateTime<Utc>>,
}

/// The processes in `scope`: those whose provider or client it covers.
pub fn list(
    conn: &mut DbConnection,
    scope: Scope,
    filter: &OpeningFilter,
    page: &PageRequest,
) -> Result<Page<OpeningProcess>, StoreError> {
    let mut query = op::table.into_boxed::<MultiBackend>();
    match scope {
        Scope::Everything => {}
        Scope::Organisation(org) => {
            query = query.filter(
                op::organisation_id
                    .eq(org)
                    .or(op::client_organisation_id.eq(org)),
            );
        }
        Scope::Network(state) => {
            let in_network = || {
                organisations::table
                    .filter(organisations::state.eq(state))
                    .select(organisations::id)
            };
            query = query.filter(
                op::organisation_id
                    .eq_any(in_network())
                    .or(op::client_organisation_id.eq_any(in_network())),
            );
        }
        Scope::Nothing => return Ok(Page::empty()),
    }
    if let Some(state) = filter.state {
        query = query.filter(op::state.eq(state));
    }
    if let Some(org) = filter.organisation_id {
        query = query.filter(op::organisation_id.eq(org));
    }
    if let Some(org) = filter.client_organisation_id {
        query = query.filter(op::client_organisation_id.eq(org));
    }
    if let Some(since) = filter.updated_since {
        query = query.filter(op::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    load_page!(conn, query, op::id, page, OpeningRow, |r| r.id).try_map(OpeningProcess::try_from)
}
