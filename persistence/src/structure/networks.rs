//! The sixteen regional networks, one per federal state.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use iqnet_shared::codes::{FundingRound, StateCode};
use iqnet_shared::ids::{OrganisationId, RegionalNetworkId};
use iqnet_shared::records::RegionalNetwork;

use crate::convert::{expect_one_updated, load_page, stamp};
use crate::db::{DbConnection, MultiBackend};
use crate::schema::regional_networks;
use crate::{Page, PageRequest, StoreError};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = regional_networks, treat_none_as_null = true)]
pub struct RegionalNetworkRow {
    pub id: RegionalNetworkId,
    pub code: StateCode,
    pub name: String,
    pub coordinating_organisation_id: Option<OrganisationId>,
    pub funding_round: Option<FundingRound>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

impl TryFrom<RegionalNetworkRow> for RegionalNetwork {
    type Error = StoreError;
    fn try_from(r: RegionalNetworkRow) -> Result<Self, StoreError> {
        Ok(RegionalNetwork {
            id: r.id,
            code: r.code,
            name: r.name,
            coordinating_organisation_id: r.coordinating_organisation_id,
            funding_round: r.funding_round,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

impl From<&RegionalNetwork> for RegionalNetworkRow {
    fn from(n: &RegionalNetwork) -> Self {
        RegionalNetworkRow {
            id: n.id,
            code: n.code,
            name: n.name.clone(),
            coordinating_organisation_id: n.coordinating_organisation_id,
            funding_round: n.funding_round.clone(),
            created_at: n.stamp.created_at.naive_utc(),
            updated_at: n.stamp.updated_at.naive_utc(),
            version: n.stamp.version,
        }
    }
}

pub fn list(
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
        |r| r.code
    )
    .try_map(RegionalNetwork::try_from)
}

pub fn get(conn: &mut DbConnection, code: StateCode) -> Result<RegionalNetwork, StoreError> {
    regional_networks::table
        .filter(regional_networks::code.eq(code))
        .select(RegionalNetworkRow::as_select())
        .first(conn)?
        .try_into()
}

/// Writes `network` (whose stamp is already the next one) if `expected_version` is still current.
pub fn update(
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
