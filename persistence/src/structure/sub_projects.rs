//! Sub-projects: what an organisation runs in a network for one priority area.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_shared::codes::StateCode;
use iqnet_shared::ids::{OrganisationId, SubProjectId};
use iqnet_shared::records::SubProject;
use iqnet_shared::structure::PriorityArea;

use crate::convert::{load_page, record_store, stamp};
use crate::db::{DbConnection, MultiBackend};
use crate::schema::sub_projects;
use crate::{Page, PageRequest, StoreError};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = sub_projects, treat_none_as_null = true)]
pub struct SubProjectRow {
    pub id: SubProjectId,
    pub organisation_id: OrganisationId,
    pub regional_network: StateCode,
    pub priority_area: PriorityArea,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

impl TryFrom<SubProjectRow> for SubProject {
    type Error = StoreError;
    fn try_from(r: SubProjectRow) -> Result<Self, StoreError> {
        Ok(SubProject {
            id: r.id,
            organisation_id: r.organisation_id,
            regional_network: r.regional_network,
            priority_area: r.priority_area,
            title: r.title,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

impl From<&SubProject> for SubProjectRow {
    fn from(s: &SubProject) -> Self {
        SubProjectRow {
            id: s.id,
            organisation_id: s.organisation_id,
            regional_network: s.regional_network,
            priority_area: s.priority_area,
            title: s.title.clone(),
            starts_on: s.starts_on,
            ends_on: s.ends_on,
            created_at: s.stamp.created_at.naive_utc(),
            updated_at: s.stamp.updated_at.naive_utc(),
            version: s.stamp.version,
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct SubProjectFilter {
    pub organisation_id: Option<OrganisationId>,
    pub regional_network: Option<StateCode>,
    pub priority_area: Option<PriorityArea>,
    pub updated_since: Option<DateTime<Utc>>,
}

pub fn list(
    conn: &mut DbConnection,
    filter: &SubProjectFilter,
    page: &PageRequest,
) -> Result<Page<SubProject>, StoreError> {
    let mut query = sub_projects::table.into_boxed::<MultiBackend>();
    if let Some(org) = filter.organisation_id {
        query = query.filter(sub_projects::organisation_id.eq(org));
    }
    if let Some(network) = filter.regional_network {
        query = query.filter(sub_projects::regional_network.eq(network));
    }
    if let Some(area) = filter.priority_area {
        query = query.filter(sub_projects::priority_area.eq(area));
    }
    if let Some(since) = filter.updated_since {
        query = query.filter(sub_projects::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    load_page!(conn, query, sub_projects::id, page, SubProjectRow, |r| r.id)
        .try_map(SubProject::try_from)
}

record_store!(
    sub_projects,
    SubProjectRow,
    SubProject,
    SubProjectId,
    get = get,
    insert = insert,
    update = update
);
