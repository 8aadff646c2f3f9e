//! A network's report: events held and their attendance by stakeholder kind, consultations by
//! state, and the days between the milestones of accelerated procedures, in a period. Groups
//! smaller than five are withheld (`iqnet_networks::report`).

use actix_web::{HttpResponse, get, web};
use chrono::NaiveDate;
use iqnet_conventions::auth::Principal;
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::Query;
use iqnet_conventions::state::AppState;
use iqnet_networks::report::{self, AttendanceTotal, Interval, disclosed};
use iqnet_networks::vocabulary::{ConsultationState, Milestone};
use iqnet_persistence::skilled_workers::{accelerated, consultations, events, networks};
use iqnet_shared::ids::SkilledWorkerNetworkId;
use iqnet_shared::structure::Role;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::ensure_party;
use crate::permissions::SKILLED_WORKER_REPORT_READERS;

/// Under `/skilled-worker-networks`.
pub fn configure_of_network(cfg: &mut ServiceConfig) {
    cfg.service(get);
}

/// The period a report covers; both ends included, both optional.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct Period {
    /// From this date (events by their start, consultations by receipt, procedures by their
    /// agreement).
    pub from: Option<NaiveDate>,
    /// Up to this date.
    pub until: Option<NaiveDate>,
}

/// How many consultations are in one state.
#[derive(Debug, Serialize, ToSchema)]
pub struct StateCount {
    pub state: ConsultationState,
    /// `null` when fewer than five.
    #[schema(example = 12)]
    pub count: Option<i64>,
}

/// A network's figures.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"network_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e01", "from": "2026-01-01", "until": "2026-12-31",
    "events_held": 8, "attendance": [{"stakeholder_kind": "company", "count": 64}, {"stakeholder_kind": "chamber", "count": null}],
    "consultations": [{"state": "inquiry", "count": 0}, {"state": "in_progress", "count": 6}, {"state": "referred", "count": 11}, {"state": "closed", "count": 23}],
    "accelerated_intervals": [{"from": "agreement_signed", "to": "recognition_decided", "procedures": 7, "median_days": 49.0, "mean_days": 52.4}]}))]
pub struct NetworkReport {
    pub network_id: SkilledWorkerNetworkId,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// Events held in the period; `null` when fewer than five.
    pub events_held: Option<i64>,
    pub attendance: Vec<AttendanceTotal>,
    pub consultations: Vec<StateCount>,
    /// The days between consecutive milestones, and from the agreement to the entry.
    pub accelerated_intervals: Vec<Interval>,
}

/// A skilled-worker network's report
///
/// Aggregates only, for the network's organisations and regional coordinators, and for
/// analysts; any group smaller than five is withheld (`null`).
#[utoipa::path(
    operation_id = "getSkilledWorkerNetworkReport",
    tag = "skilled_immigration",
    params(("id" = SkilledWorkerNetworkId, Path, description = "Network id"), Period),
    security(("bearer" = [])),
    responses((status = 200, description = "The report", body = NetworkReport))
)]
#[get("/{id}/report")]
async fn get(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<SkilledWorkerNetworkId>,
    period: Query<Period>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(SKILLED_WORKER_REPORT_READERS)?;
    let Period { from, until } = period.0;
    ApiError::check_range(("from", from), ("until", until))?;
    let found = state
        .read(move |conn| {
            let network = networks::get(conn, *id)?;
            if caller.role != Role::Analyst {
                ensure_party(&caller, &network)?;
            }
            let held = events::held_of_network(conn, network.id, (from, until))?;
            let consultations = ConsultationState::ALL
                .iter()
                .map(|s| {
                    let n = consultations::count_of_network(conn, network.id, *s, (from, until))?;
                    Ok(StateCount {
                        state: *s,
                        count: disclosed(n),
                    })
                })
                .collect::<ApiResult<Vec<_>>>()?;
            let in_period =
                |on: NaiveDate| from.is_none_or(|f| on >= f) && until.is_none_or(|u| on <= u);
            let procedures: Vec<_> = accelerated::all_of_network(conn, network.id)?
                .into_iter()
                .filter(|p| {
                    p.reached_on(Milestone::AgreementSigned)
                        .is_some_and(in_period)
                })
                .collect();
            Ok(NetworkReport {
                network_id: network.id,
                from,
                until,
                events_held: disclosed(i64::try_from(held.len()).unwrap_or(i64::MAX)),
                attendance: report::attendance(&held),
                consultations,
                accelerated_intervals: report::intervals(&procedures),
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(found))
}
