//! Regional networks, organisations and sub-projects.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use iqnet_shared::codes::StateCode;
use iqnet_shared::ids::{OrganisationId, SubProjectId};
use iqnet_shared::records::{Organisation, RegionalNetwork, SubProject};
use iqnet_shared::structure::{OrganisationKind, PriorityArea};

use crate::convert::{load_page, record_store};
use crate::db::{DbConnection, MultiBackend};
use crate::rows::{OrganisationRow, RegionalNetworkRow, SubProjectRow};
use crate::schema::{organisations, regional_networks, sub_projects};
use crate::{Page, PageRequest, StoreError};

/// Turns the row count of an `UPDATE ... WHERE id = ? AND version = ?` into the right outcome.
pub(crate) fn expect_one_updated(updated: usize, expected: i64) -> Result<(), StoreError> {
    if updated == 1 {
        Ok(())
    } else {
        Err(StoreError::StaleVersion { expected })
    }
}

pub fn list_networks(
    conn: &mut DbConnection,
    page: &PageRequest,
) -> Result<Page<RegionalNetwork>, StoreError> {
    let query = regional_networks::table.into_boxed::<MultiBackend>();
    load_page!(
        conn,
        query,
        regional_networks::code,
        page,
        RegionalNetworkRow,
        |r| r.code.clone()
    )
    .try_map(RegionalNetwork::try_from)
}

pub fn get_network(
    conn: &mut DbConnection,
    code: StateCode,
) -> Result<RegionalNetwork, StoreError> {
    regional_networks::table
        .filter(regional_networks::code.eq(code.as_str()))
        .select(RegionalNetworkRow::as_select())
        .first(conn)?
        .try_into()
}

/// Writes `network` (whose stamp is already the next one) if `expected_version` is still current.
pub fn update_network(
    conn: &mut DbConnection,
    network: &RegionalNetwork,
    expected_version: i64,
) -> Result<(), StoreError> {
    let row = RegionalNetworkRow::from(network);
    let updated = diesel::update(
        regional_networks::table
            .filter(regional_networks::id.eq(&row.id))
            .filter(regional_networks::version.eq(expected_version)),
    )
    .set(&row)
    .execute(conn)?;
    expect_one_updated(updated, expected_version)
}

#[derive(Debug, Default, Clone)]
pub struct OrganisationFilter {
    pub kind: Option<OrganisationKind>,
    pub state: Option<StateCode>,
    pub updated_since: Option<DateTime<Utc>>,
}

pub fn list_organisations(
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
    get = get_organisation,
    insert = insert_organisation,
    update = update_organisation
);

#[derive(Debug, Default, Clone)]
pub struct SubProjectFilter {
    pub organisation_id: Option<OrganisationId>,
    pub regional_network: Option<StateCode>,
    pub priority_area: Option<PriorityArea>,
    pub updated_since: Option<DateTime<Utc>>,
}

pub fn list_sub_projects(
    conn: &mut DbConnection,
    filter: &SubProjectFilter,
    page: &PageRequest,
) -> Result<Page<SubProject>, StoreError> {
    let mut query = sub_projects::table.into_boxed::<MultiBackend>();
    if let Some(org) = filter.organisation_id {
        query = query.filter(sub_projects::organisation_id.eq(org.to_string()));
    }
    if let Some(network) = filter.regional_network {
        query = query.filter(sub_projects::regional_network.eq(network.as_str()));
    }
    if let Some(area) = filter.priority_area {
        query = query.filter(sub_projects::priority_area.eq(area.as_str()));
    }
    if let Some(since) = filter.updated_since {
        query = query.filter(sub_projects::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    load_page!(conn, query, sub_projects::id, page, SubProjectRow, |r| r
        .id
        .clone())
    .try_map(SubProject::try_from)
}

record_store!(
    sub_projects,
    SubProjectRow,
    SubProject,
    SubProjectId,
    get = get_sub_project,
    insert = insert_sub_project,
    update = update_sub_project
);
