//! Network events: planned, changed and held or cancelled by the network's organisations.
//! Public ones also appear in the event calendar (`calendar.rs`).

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use iqnet_conventions::auth::Principal;
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List, Patch, Reply};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;
use iqnet_networks::event::{Attendance, EventAction, EventActionKind, EventFacts, NetworkEvent};
use iqnet_networks::vocabulary::{EventKind, EventState, Topic};
use iqnet_persistence::skilled_workers::events::{self, EventFilter};
use iqnet_persistence::skilled_workers::networks;
use iqnet_shared::ids::{NetworkEventId, OrganisationId, SkilledWorkerNetworkId};
use iqnet_shared::records::Stamp;
use iqnet_shared::time::now;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{acting_organisation, ensure_party};
use crate::permissions::SKILLED_WORKER_NETWORK_PARTIES;

/// Under `/skilled-worker-networks`.
pub fn configure_of_network(cfg: &mut ServiceConfig) {
    cfg.service(list).service(create);
}

/// Under `/network-events`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get).service(update).service(act);
}

/// A network event as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = NetworkEvent, example = json!({
    "id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e11", "network_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e01",
    "organisation_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e02", "type": "round_table",
    "title": "Runder Tisch Pflege", "description": null, "starts_at": "2026-11-10T13:00:00Z",
    "ends_at": "2026-11-10T16:00:00Z", "venue": "IHK Berlin", "topics": ["accelerated_procedure"],
    "public": true, "state": "held",
    "attendance": [{"stakeholder_kind": "company", "count": 14}, {"stakeholder_kind": "chamber", "count": 3}],
    "total_attendance": 17, "allowed_actions": [],
    "created_at": "2026-10-01T09:00:00Z", "updated_at": "2026-11-10T17:00:00Z", "version": 2
}))]
pub struct EventView {
    pub id: NetworkEventId,
    pub network_id: SkilledWorkerNetworkId,
    /// The organising organisation.
    pub organisation_id: OrganisationId,
    #[serde(flatten)]
    pub facts: EventFacts,
    pub state: EventState,
    /// Counted when it was held, by stakeholder kind.
    pub attendance: Vec<Attendance>,
    /// Everyone counted.
    pub total_attendance: i64,
    /// The actions the current state allows (`POST .../actions`).
    pub allowed_actions: Vec<EventActionKind>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

impl From<&NetworkEvent> for EventView {
    fn from(e: &NetworkEvent) -> Self {
        EventView {
            id: e.id,
            network_id: e.network_id,
            organisation_id: e.organisation_id,
            facts: e.facts.clone(),
            state: e.state,
            attendance: e.attendance.clone(),
            total_attendance: e.total_attendance(),
            allowed_actions: e.allowed_actions().to_vec(),
            stamp: e.stamp,
        }
    }
}

fn reply(e: &NetworkEvent) -> Reply {
    http::ok_with_etag(&EventView::from(e), e.stamp.version)
}

list_query! {
    pub struct EventQuery => EventFilter {
        /// Only events in this state.
        pub state: Option<EventState>,
        /// Only events of this type.
        pub kind: Option<EventKind>,
        /// Only events changed at or after this instant (RFC 3339).
        pub updated_since: Option<DateTime<Utc>>,
    }
}

/// List a network's events
///
/// Public and internal ones, for the network's organisations and regional coordinators.
#[utoipa::path(
    operation_id = "listNetworkEvents",
    tag = "skilled_immigration",
    params(("id" = SkilledWorkerNetworkId, Path, description = "Network id"), EventQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of events", body = List<EventView>))
)]
#[get("/{id}/events")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<SkilledWorkerNetworkId>,
    query: Query<EventQuery>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(SKILLED_WORKER_NETWORK_PARTIES)?;
    let (filter, page) = query.0.into_parts()?;
    let found = state
        .read(move |conn| {
            let network = networks::get(conn, *id)?;
            ensure_party(&caller, &network)?;
            Ok(events::of_network(conn, network.id, &filter, &page)?)
        })
        .await?;
    Ok(http::list(&req, found.map(|e| EventView::from(&e))))
}

/// A new event.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"type": "round_table", "title": "Runder Tisch Pflege", "starts_at": "2027-02-10T13:00:00Z", "ends_at": "2027-02-10T16:00:00Z", "venue": "IHK Berlin", "topics": ["accelerated_procedure"], "public": true}))]
pub struct NewEvent {
    /// The organising organisation; defaults to the caller's.
    pub organisation_id: Option<OrganisationId>,
    #[serde(flatten)]
    pub facts: EventFacts,
}

/// Plan a network event
///
/// By the network's coordinating or member organisations (or its regional coordinators, naming
/// the organiser); it starts `planned`.
#[utoipa::path(
    operation_id = "createNetworkEvent",
    tag = "skilled_immigration",
    params(("id" = SkilledWorkerNetworkId, Path, description = "Network id")),
    request_body = NewEvent,
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = EventView,
        headers(("Location" = String, description = "URL of the new event"), ("ETag" = String, description = "Its version"))))
)]
#[post("/{id}/events")]
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<SkilledWorkerNetworkId>,
    body: Json<NewEvent>,
) -> ApiResult<Reply> {
    let caller = principal.require(SKILLED_WORKER_NETWORK_PARTIES)?;
    state
        .commit(&req, move |conn| {
            let network = networks::get(conn, *id)?;
            let input = body.0;
            let organiser = acting_organisation(&caller, &network, input.organisation_id)?;
            let event = NetworkEvent::plan((network.id, organiser), input.facts, now())?;
            events::insert(conn, &event, network.regional_network)?;
            let location = format!("/v1/network-events/{}", event.id);
            Ok(http::created(
                location,
                &EventView::from(&event),
                event.stamp.version,
            ))
        })
        .await
}

/// Get a network event
///
/// A public event needs no token; an internal one is seen by the network's organisations and
/// regional coordinators only (404 for anyone else).
#[utoipa::path(
    operation_id = "getNetworkEvent",
    tag = "skilled_immigration",
    params(("id" = NetworkEventId, Path, description = "Event id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The event", body = EventView, headers(("ETag" = String, description = "Strong ETag: the version"))),
        (status = 304, description = "`If-None-Match` names the current version")
    )
)]
#[get("/{id}")]
async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<NetworkEventId>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let caller = principal.0;
    let found = state
        .read(move |conn| {
            let event = events::get(conn, id)?;
            if !event.facts.public {
                let network = networks::get(conn, event.network_id)?;
                let caller = caller.ok_or_else(ApiError::not_found)?;
                ensure_party(&caller, &network).map_err(|_| ApiError::not_found())?;
            }
            Ok(event)
        })
        .await?;
    Ok(http::single(
        &req,
        &EventView::from(&found),
        found.stamp.version,
    ))
}

/// Changes to a planned event (JSON merge patch); `null` removes an optional field.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"venue": "Rathaus Neukölln", "public": false}))]
pub struct EventPatch {
    #[serde(rename = "type", default)]
    #[schema(value_type = EventKind)]
    pub kind: Patch<EventKind>,
    #[serde(default)]
    #[schema(value_type = String)]
    pub title: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub description: Patch<String>,
    #[serde(default)]
    #[schema(value_type = DateTime<Utc>)]
    pub starts_at: Patch<DateTime<Utc>>,
    #[serde(default)]
    #[schema(value_type = DateTime<Utc>)]
    pub ends_at: Patch<DateTime<Utc>>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub venue: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Vec<Topic>)]
    pub topics: Patch<Vec<Topic>>,
    #[serde(default)]
    #[schema(value_type = bool)]
    pub public: Patch<bool>,
}

impl EventPatch {
    fn apply(self, f: EventFacts) -> ApiResult<EventFacts> {
        Ok(EventFacts {
            kind: self.kind.apply_required("type", f.kind)?,
            title: self.title.apply_required("title", f.title)?,
            description: self.description.apply_to(f.description),
            starts_at: self.starts_at.apply_required("starts_at", f.starts_at)?,
            ends_at: self.ends_at.apply_required("ends_at", f.ends_at)?,
            venue: self.venue.apply_to(f.venue),
            topics: self.topics.apply_required("topics", f.topics)?,
            public: self.public.apply_required("public", f.public)?,
        })
    }
}

/// Update a planned event
///
/// A held or cancelled event no longer changes (409 `event-not-planned`).
#[utoipa::path(
    operation_id = "updateNetworkEvent",
    tag = "skilled_immigration",
    params(("id" = NetworkEventId, Path, description = "Event id")),
    request_body(content = EventPatch, content_type = "application/merge-patch+json"),
    security(("bearer" = [])),
    responses((status = 200, description = "The updated event", body = EventView, headers(("ETag" = String, description = "The new version"))))
)]
#[patch("/{id}")]
async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    if_match: IfMatch,
    id: web::Path<NetworkEventId>,
    body: Json<EventPatch>,
) -> ApiResult<Reply> {
    let caller = principal.require(SKILLED_WORKER_NETWORK_PARTIES)?;
    state
        .commit(&req, move |conn| {
            let current = events::get(conn, *id)?;
            let network = networks::get(conn, current.network_id)?;
            ensure_party(&caller, &network)?;
            if_match.check(current.stamp.version)?;
            let next = current.revise(body.0.apply(current.facts.clone())?, now())?;
            events::update(conn, &next, network.regional_network, current.stamp.version)?;
            Ok(reply(&next))
        })
        .await
}

/// Hold or cancel an event
///
/// `hold` with the attendance by stakeholder kind (planned -> held, once it has begun), or
/// `cancel` (planned -> cancelled; the calendar shows it as cancelled). Any other is a 409
/// naming the allowed actions.
#[utoipa::path(
    operation_id = "actOnNetworkEvent",
    tag = "skilled_immigration",
    params(("id" = NetworkEventId, Path, description = "Event id")),
    request_body = EventAction,
    security(("bearer" = [])),
    responses((status = 200, description = "The event in its new state", body = EventView, headers(("ETag" = String, description = "The new version"))))
)]
#[post("/{id}/actions")]
async fn act(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    if_match: IfMatch,
    id: web::Path<NetworkEventId>,
    body: Json<EventAction>,
) -> ApiResult<Reply> {
    let caller = principal.require(SKILLED_WORKER_NETWORK_PARTIES)?;
    state
        .commit(&req, move |conn| {
            let current = events::get(conn, *id)?;
            let network = networks::get(conn, current.network_id)?;
            ensure_party(&caller, &network)?;
            if_match.check(current.stamp.version)?;
            let next = current.apply(body.0, now())?;
            events::update(conn, &next, network.regional_network, current.stamp.version)?;
            Ok(reply(&next))
        })
        .await
}
