//! Skilled-worker networks: the public directory, their founding by the regional network's
//! coordinators, and their membership (join, leave).

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use iqnet_conventions::auth::{Caller, Principal};
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List, Patch, Reply};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;
use iqnet_networks::network::{Member, SkilledWorkerNetwork};
use iqnet_networks::vocabulary::StakeholderKind;
use iqnet_persistence::skilled_workers::networks::{self, NetworkFilter};
use iqnet_persistence::{DbConnection, structure};
use iqnet_shared::codes::StateCode;
use iqnet_shared::ids::{OrganisationId, SkilledWorkerNetworkId};
use iqnet_shared::records::Stamp;
use iqnet_shared::time::{now, today_in_germany};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::coordinates_region;
use crate::permissions::SKILLED_WORKER_NETWORK_MANAGERS;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get)
        .service(update)
        .service(join)
        .service(leave);
}

/// A skilled-worker network as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SkilledWorkerNetwork, example = json!({
    "id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e01", "regional_network": "DE-BE",
    "name": "Fachkräftenetzwerk Berlin", "coordinator_organisation_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e02",
    "members": [{"organisation_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e03", "role": "member",
                 "stakeholder_kind": "foreigners_authority", "joined_on": "2026-01-15", "left_on": null}],
    "stakeholder_kinds": ["foreigners_authority"],
    "created_at": "2026-01-10T09:00:00Z", "updated_at": "2026-01-15T10:00:00Z", "version": 2
}))]
pub struct NetworkView {
    pub id: SkilledWorkerNetworkId,
    /// The federal state, and so the regional network, it belongs to.
    pub regional_network: StateCode,
    #[schema(example = "Fachkräftenetzwerk Berlin-Brandenburg Süd")]
    pub name: String,
    /// The coordinating organisation.
    pub coordinator_organisation_id: OrganisationId,
    /// Every membership, past ones included, in the order they began.
    pub members: Vec<Member>,
    /// The stakeholder kinds the current members represent.
    pub stakeholder_kinds: Vec<StakeholderKind>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

impl From<&SkilledWorkerNetwork> for NetworkView {
    fn from(n: &SkilledWorkerNetwork) -> Self {
        NetworkView {
            id: n.id,
            regional_network: n.regional_network,
            name: n.name.clone(),
            coordinator_organisation_id: n.coordinator_organisation_id,
            members: n.members.clone(),
            stakeholder_kinds: n.stakeholder_kinds(today_in_germany()),
            stamp: n.stamp,
        }
    }
}

fn reply(n: &SkilledWorkerNetwork) -> Reply {
    http::ok_with_etag(&NetworkView::from(n), n.stamp.version)
}

list_query! {
    pub struct NetworkQuery => NetworkFilter {
        /// Only networks of this federal state.
        pub regional_network: Option<StateCode>,
        /// Only networks this organisation coordinates.
        pub coordinator_organisation_id: Option<OrganisationId>,
        /// Only networks changed at or after this instant (RFC 3339).
        pub updated_since: Option<DateTime<Utc>>,
    }
}

/// List skilled-worker networks
///
/// Public, oldest first.
#[utoipa::path(
    operation_id = "listSkilledWorkerNetworks",
    tag = "skilled_immigration",
    params(NetworkQuery),
    security(()),
    responses((status = 200, description = "One page of networks", body = List<NetworkView>))
)]
#[get("")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Query<NetworkQuery>,
) -> ApiResult<HttpResponse> {
    let (filter, page) = query.0.into_parts()?;
    let found = state
        .read(move |conn| Ok(networks::list(conn, &filter, &page)?))
        .await?;
    Ok(http::list(&req, found.map(|n| NetworkView::from(&n))))
}

/// Get a skilled-worker network
///
/// One regional skilled-worker network by id, with its members; public, no token needed.
#[utoipa::path(
    operation_id = "getSkilledWorkerNetwork",
    tag = "skilled_immigration",
    params(("id" = SkilledWorkerNetworkId, Path, description = "Network id")),
    security(()),
    responses(
        (status = 200, description = "The network", body = NetworkView, headers(("ETag" = String, description = "Strong ETag: the version"))),
        (status = 304, description = "`If-None-Match` names the current version")
    )
)]
#[get("/{id}")]
async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<SkilledWorkerNetworkId>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let found = state.read(move |conn| Ok(networks::get(conn, id)?)).await?;
    Ok(http::single(
        &req,
        &NetworkView::from(&found),
        found.stamp.version,
    ))
}

/// A new skilled-worker network.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"regional_network": "DE-BE", "name": "Fachkräftenetzwerk Berlin", "coordinator_organisation_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e6f"}))]
pub struct NewNetwork {
    pub regional_network: StateCode,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// An organisation of the same federal state.
    pub coordinator_organisation_id: OrganisationId,
}

/// 403 unless the caller manages networks of `state`: a national admin, or its coordinator.
fn ensure_region(caller: &Caller, state: StateCode) -> ApiResult<()> {
    if coordinates_region(caller, state) {
        Ok(())
    } else {
        Err(ApiError::forbidden("the regional network is not yours"))
    }
}

/// The coordinator must be an organisation of the network's state.
fn ensure_coordinator(
    conn: &mut DbConnection,
    state: StateCode,
    coordinator: OrganisationId,
) -> ApiResult<()> {
    let field = "coordinator_organisation_id";
    let org = structure::organisations::get(conn, coordinator)
        .map_err(|_| ApiError::invalid_field(field, "not_found", "no such organisation"))?;
    if org.state == state {
        Ok(())
    } else {
        Err(ApiError::invalid_field(
            field,
            "other_state",
            "the coordinator is of another federal state",
        ))
    }
}

/// Found a skilled-worker network
///
/// By a national admin, or a coordinator of the regional network it belongs to; it starts
/// without members.
#[utoipa::path(
    operation_id = "createSkilledWorkerNetwork",
    tag = "skilled_immigration",
    request_body = NewNetwork,
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = NetworkView,
        headers(("Location" = String, description = "URL of the new network"), ("ETag" = String, description = "Its version"))))
)]
#[post("")]
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<NewNetwork>,
) -> ApiResult<Reply> {
    let caller = principal.require(SKILLED_WORKER_NETWORK_MANAGERS)?;
    let input = body.0;
    ensure_region(&caller, input.regional_network)?;
    state
        .commit(&req, move |conn| {
            ensure_coordinator(
                conn,
                input.regional_network,
                input.coordinator_organisation_id,
            )?;
            let network = SkilledWorkerNetwork::found(
                input.regional_network,
                &input.name,
                input.coordinator_organisation_id,
                now(),
            )?;
            networks::insert(conn, &network)?;
            let location = format!("/v1/skilled-worker-networks/{}", network.id);
            Ok(http::created(
                location,
                &NetworkView::from(&network),
                network.stamp.version,
            ))
        })
        .await
}

/// Changes to a network (JSON merge patch).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Fachkräftenetzwerk Berlin-Mitte"}))]
pub struct NetworkPatch {
    #[serde(default)]
    #[schema(value_type = String)]
    pub name: Patch<String>,
    #[serde(default)]
    #[schema(value_type = OrganisationId)]
    pub coordinator_organisation_id: Patch<OrganisationId>,
}

/// Update a skilled-worker network
///
/// Its name or coordinator, by the regional network's coordinators.
#[utoipa::path(
    operation_id = "updateSkilledWorkerNetwork",
    tag = "skilled_immigration",
    params(("id" = SkilledWorkerNetworkId, Path, description = "Network id")),
    request_body(content = NetworkPatch, content_type = "application/merge-patch+json"),
    security(("bearer" = [])),
    responses((status = 200, description = "The updated network", body = NetworkView, headers(("ETag" = String, description = "The new version"))))
)]
#[patch("/{id}")]
async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    if_match: IfMatch,
    id: web::Path<SkilledWorkerNetworkId>,
    body: Json<NetworkPatch>,
) -> ApiResult<Reply> {
    let caller = principal.require(SKILLED_WORKER_NETWORK_MANAGERS)?;
    state
        .commit(&req, move |conn| {
            let current = networks::get(conn, *id)?;
            ensure_region(&caller, current.regional_network)?;
            if_match.check(current.stamp.version)?;
            let patch = body.0;
            let name = patch.name.apply_required("name", current.name.clone())?;
            let coordinator = patch.coordinator_organisation_id.apply_required(
                "coordinator_organisation_id",
                current.coordinator_organisation_id,
            )?;
            ensure_coordinator(conn, current.regional_network, coordinator)?;
            let next = current.revise(&name, coordinator, now())?;
            networks::update(conn, &next, current.stamp.version)?;
            Ok(reply(&next))
        })
        .await
}

/// The network `id`, if the caller manages its membership: its regional coordinators, or the
/// staff of its coordinating organisation.
fn managed(
    conn: &mut DbConnection,
    caller: &Caller,
    id: SkilledWorkerNetworkId,
) -> ApiResult<SkilledWorkerNetwork> {
    let network = networks::get(conn, id)?;
    if coordinates_region(caller, network.regional_network)
        || caller.organisation == Some(network.coordinator_organisation_id)
    {
        Ok(network)
    } else {
        Err(ApiError::forbidden("you do not coordinate this network"))
    }
}

/// Add a member
///
/// An organisation joins with its role and the stakeholder kind it represents; it is a member
/// once at a time (409 `already-member`).
#[utoipa::path(
    operation_id = "addSkilledWorkerNetworkMember",
    tag = "skilled_immigration",
    params(("id" = SkilledWorkerNetworkId, Path, description = "Network id")),
    request_body(content = Member, example = json!({"organisation_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e6f", "role": "member", "stakeholder_kind": "foreigners_authority", "joined_on": "2026-01-15", "left_on": null})),
    security(("bearer" = [])),
    responses((status = 200, description = "The network with the new member", body = NetworkView, headers(("ETag" = String, description = "The new version"))))
)]
#[post("/{id}/members")]
async fn join(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    if_match: IfMatch,
    id: web::Path<SkilledWorkerNetworkId>,
    body: Json<Member>,
) -> ApiResult<Reply> {
    let caller = principal.require(SKILLED_WORKER_NETWORK_MANAGERS)?;
    state
        .commit(&req, move |conn| {
            let current = managed(conn, &caller, *id)?;
            if_match.check(current.stamp.version)?;
            structure::organisations::get(conn, body.0.organisation_id).map_err(|_| {
                ApiError::invalid_field("organisation_id", "not_found", "no such organisation")
            })?;
            let next = current.join(body.0, now())?;
            networks::update(conn, &next, current.stamp.version)?;
            Ok(reply(&next))
        })
        .await
}

/// When a member leaves.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date": "2026-12-31"}))]
pub struct Departure {
    pub date: NaiveDate,
}

/// A member leaves
///
/// From `date` on the organisation no longer acts for the network; its past membership stays.
#[utoipa::path(
    operation_id = "removeSkilledWorkerNetworkMember",
    tag = "skilled_immigration",
    params(
        ("id" = SkilledWorkerNetworkId, Path, description = "Network id"),
        ("organisation_id" = OrganisationId, Path, description = "The member organisation")
    ),
    request_body = Departure,
    security(("bearer" = [])),
    responses((status = 200, description = "The network after the departure", body = NetworkView, headers(("ETag" = String, description = "The new version"))))
)]
#[post("/{id}/members/{organisation_id}/departure")]
async fn leave(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    if_match: IfMatch,
    path: web::Path<(SkilledWorkerNetworkId, OrganisationId)>,
    body: Json<Departure>,
) -> ApiResult<Reply> {
    let caller = principal.require(SKILLED_WORKER_NETWORK_MANAGERS)?;
    let (id, organisation) = path.into_inner();
    state
        .commit(&req, move |conn| {
            let current = managed(conn, &caller, id)?;
            if_match.check(current.stamp.version)?;
            let next = current.leave(organisation, body.0.date, now())?;
            networks::update(conn, &next, current.stamp.version)?;
            Ok(reply(&next))
        })
        .await
}
