//! Skilled-worker networks, their members kept with them (JSON): every membership rule is
//! checked on the whole network, and a member joining moves the network's version on.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_networks::network::{Member, SkilledWorkerNetwork};
use iqnet_shared::codes::StateCode;
use iqnet_shared::ids::{OrganisationId, SkilledWorkerNetworkId};

use crate::convert::{Json, load_page, record_store, stamp};
use crate::db::{DbConnection, MultiBackend};
use crate::schema::skilled_worker_networks;
use crate::{Page, PageRequest, StoreError};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = skilled_worker_networks, treat_none_as_null = true)]
struct NetworkRow {
    id: SkilledWorkerNetworkId,
    regional_network: StateCode,
    name: String,
    coordinator_organisation_id: OrganisationId,
    members: Json<Vec<Member>>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl From<&SkilledWorkerNetwork> for NetworkRow {
    fn from(n: &SkilledWorkerNetwork) -> Self {
        NetworkRow {
            id: n.id,
            regional_network: n.regional_network,
            name: n.name.clone(),
            coordinator_organisation_id: n.coordinator_organisation_id,
            members: Json(n.members.clone()),
            created_at: n.stamp.created_at.naive_utc(),
            updated_at: n.stamp.updated_at.naive_utc(),
            version: n.stamp.version,
        }
    }
}

impl TryFrom<NetworkRow> for SkilledWorkerNetwork {
    type Error = StoreError;
    fn try_from(r: NetworkRow) -> Result<Self, StoreError> {
        Ok(SkilledWorkerNetwork {
            id: r.id,
            regional_network: r.regional_network,
            name: r.name,
            coordinator_organisation_id: r.coordinator_organisation_id,
            members: r.members.0,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

record_store!(
    skilled_worker_networks,
    NetworkRow,
    SkilledWorkerNetwork,
    SkilledWorkerNetworkId,
    get = get,
    insert = insert,
    update = update
);

#[derive(Debug, Default, Clone)]
pub struct NetworkFilter {
    pub regional_network: Option<StateCode>,
    pub coordinator_organisation_id: Option<OrganisationId>,
    pub updated_since: Option<DateTime<Utc>>,
}

/// Networks are no secret (their events are public): the list is open to every caller.
pub fn list(
    conn: &mut DbConnection,
    filter: &NetworkFilter,
    page: &PageRequest,
) -> Result<Page<SkilledWorkerNetwork>, StoreError> {
    let mut query = skilled_worker_networks::table.into_boxed::<MultiBackend>();
    if let Some(state) = filter.regional_network {
        query = query.filter(skilled_worker_networks::regional_network.eq(state));
    }
    if let Some(org) = filter.coordinator_organisation_id {
        query = query.filter(skilled_worker_networks::coordinator_organisation_id.eq(org));
    }
    if let Some(since) = filter.updated_since {
        let since = iqnet_shared::time::clamp_instant(since);
        query = query.filter(skilled_worker_networks::updated_at.ge(since));
    }
    load_page!(
        conn,
        query,
        skilled_worker_networks::id,
        page,
        NetworkRow,
        |r| r.id
    )
    .try_map(SkilledWorkerNetwork::try_from)
}
