//! Accelerated skilled-worker procedures, their milestones kept with them (JSON) and the
//! latest one beside them (`stage`) for the list filter.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_networks::accelerated::{AcceleratedProcedure, Reached};
use iqnet_networks::vocabulary::{Stage, TargetTitle};
use iqnet_shared::ids::{
    AcceleratedProcedureId, ConsultationId, OrganisationId, ProcedureId, SeekerId,
    SkilledWorkerNetworkId,
};
use iqnet_shared::structure::Scope;

use crate::convert::{Json, load_page, record_store, scoped, stamp};
use crate::db::{DbConnection, MultiBackend};
use crate::schema::accelerated_procedures;
use crate::{Page, PageRequest, StoreError};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = accelerated_procedures, treat_none_as_null = true)]
struct AcceleratedRow {
    id: AcceleratedProcedureId,
    network_id: SkilledWorkerNetworkId,
    organisation_id: OrganisationId,
    company_id: OrganisationId,
    target_title: TargetTitle,
    consultation_id: Option<ConsultationId>,
    seeker_id: Option<SeekerId>,
    procedure_id: Option<ProcedureId>,
    milestones: Json<Vec<Reached>>,
    stage: Stage,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl From<&AcceleratedProcedure> for AcceleratedRow {
    fn from(p: &AcceleratedProcedure) -> Self {
        AcceleratedRow {
            id: p.id,
            network_id: p.network_id,
            organisation_id: p.organisation_id,
            company_id: p.company_id,
            target_title: p.target_title,
            consultation_id: p.consultation_id,
            seeker_id: p.seeker_id,
            procedure_id: p.procedure_id,
            milestones: Json(p.milestones.clone()),
            stage: p.stage(),
            created_at: p.stamp.created_at.naive_utc(),
            updated_at: p.stamp.updated_at.naive_utc(),
            version: p.stamp.version,
        }
    }
}

impl TryFrom<AcceleratedRow> for AcceleratedProcedure {
    type Error = StoreError;
    fn try_from(r: AcceleratedRow) -> Result<Self, StoreError> {
        Ok(AcceleratedProcedure {
            id: r.id,
            network_id: r.network_id,
            organisation_id: r.organisation_id,
            company_id: r.company_id,
            target_title: r.target_title,
            consultation_id: r.consultation_id,
            seeker_id: r.seeker_id,
            procedure_id: r.procedure_id,
            milestones: r.milestones.0,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

record_store!(
    accelerated_procedures,
    AcceleratedRow,
    AcceleratedProcedure,
    AcceleratedProcedureId,
    get = get,
    insert = insert,
    update = update
);

#[derive(Debug, Default, Clone)]
pub struct AcceleratedFilter {
    /// The latest milestone reached, or `initiated`.
    pub stage: Option<Stage>,
    pub updated_since: Option<DateTime<Utc>>,
}

/// A network's procedures owned by organisations in `scope`.
pub fn of_network(
    conn: &mut DbConnection,
    network: SkilledWorkerNetworkId,
    scope: Scope,
    filter: &AcceleratedFilter,
    page: &PageRequest,
) -> Result<Page<AcceleratedProcedure>, StoreError> {
    let query = accelerated_procedures::table
        .filter(accelerated_procedures::network_id.eq(network))
        .into_boxed::<MultiBackend>();
    let Some(mut query) = scoped!(query, accelerated_procedures::organisation_id, scope) else {
        return Ok(Page::empty());
    };
    if let Some(stage) = filter.stage {
        query = query.filter(accelerated_procedures::stage.eq(stage));
    }
    if let Some(since) = filter.updated_since {
        let since = iqnet_shared::time::clamp_instant(since);
        query = query.filter(accelerated_procedures::updated_at.ge(since));
    }
    load_page!(
        conn,
        query,
        accelerated_procedures::id,
        page,
        AcceleratedRow,
        |r| r.id
    )
    .try_map(AcceleratedProcedure::try_from)
}

/// The procedures of `seeker`, oldest first (for the seeker's journey).
pub fn of_seeker(
    conn: &mut DbConnection,
    seeker: SeekerId,
) -> Result<Vec<AcceleratedProcedure>, StoreError> {
    accelerated_procedures::table
        .filter(accelerated_procedures::seeker_id.eq(seeker))
        .order(accelerated_procedures::id.asc())
        .select(AcceleratedRow::as_select())
        .load(conn)?
        .into_iter()
        .map(AcceleratedProcedure::try_from)
        .collect()
}

/// Every procedure of a network, for the report (aggregated, never shown one by one).
pub fn all_of_network(
    conn: &mut DbConnection,
    network: SkilledWorkerNetworkId,
) -> Result<Vec<AcceleratedProcedure>, StoreError> {
    accelerated_procedures::table
        .filter(accelerated_procedures::network_id.eq(network))
        .select(AcceleratedRow::as_select())
        .load(conn)?
        .into_iter()
        .map(AcceleratedProcedure::try_from)
        .collect()
}
