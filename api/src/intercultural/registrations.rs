//! Registrations of organisations for places in open trainings. The places are taken by one
//! conditional UPDATE in the request's transaction, so a training is never overbooked, however
//! many requests arrive at once on however many instances.
//!
//! Two sides see a registration: the registering organisation (its scope) and the training's
//! provider; anyone else gets 404.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use iqnet_conventions::auth::{Caller, Principal};
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List, Reply};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;
use iqnet_intercultural::registration::{Registration, RegistrationAction, RegistrationActionKind};
use iqnet_intercultural::training::Training;
use iqnet_intercultural::vocabulary::{RegistrationState, StaffFunction};
use iqnet_persistence::DbConnection;
use iqnet_persistence::intercultural::registrations::{self, RegistrationFilter};
use iqnet_persistence::intercultural::trainings;
use iqnet_shared::ids::{OrganisationId, RegistrationId, TrainingId};
use iqnet_shared::records::Stamp;
use iqnet_shared::structure::Scope;
use iqnet_shared::time::now;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::counselling::{ensure_visible, owning_organisation};
use crate::permissions::{REGISTRANTS, TRAINING_MANAGERS};

/// Under `/trainings`.
pub fn configure_of_training(cfg: &mut ServiceConfig) {
    cfg.service(list).service(create);
}

/// Under `/registrations`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get).service(act);
}

/// A registration as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Registration)]
#[schema(example = json!({
    "id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e72", "training_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e6f", "organisation_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e71",
    "places": 3, "function": "client_contact", "note": "Team Leistungsbezug", "state": "confirmed",
    "allowed_actions": ["cancel"], "created_at": "2026-11-25T10:00:00Z", "updated_at": "2026-11-25T10:05:00Z", "version": 1
}))]
pub struct RegistrationView {
    pub id: RegistrationId,
    pub training_id: TrainingId,
    /// The registering organisation.
    pub organisation_id: OrganisationId,
    #[schema(example = 3)]
    pub places: i32,
    /// Whom the places are for.
    pub function: StaffFunction,
    pub note: Option<String>,
    pub state: RegistrationState,
    /// The actions the current state allows (`POST .../actions`).
    pub allowed_actions: Vec<RegistrationActionKind>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

fn view(r: &Registration, t: &Training) -> RegistrationView {
    RegistrationView {
        id: r.id,
        training_id: r.training_id,
        organisation_id: r.organisation_id,
        places: r.places,
        function: r.function,
        note: r.note.clone(),
        state: r.state,
        allowed_actions: r.allowed_actions(t).to_vec(),
        stamp: r.stamp,
    }
}

/// Whether the caller manages the training's provider.
pub fn providers_side(conn: &mut DbConnection, caller: &Caller, t: &Training) -> bool {
    TRAINING_MANAGERS.contains(&caller.role)
        && ensure_visible(conn, caller, t.organisation_id).is_ok()
}

/// 404 unless the caller is on one of the registration's two sides.
fn ensure_party(
    conn: &mut DbConnection,
    caller: &Caller,
    r: &Registration,
    t: &Training,
) -> ApiResult<()> {
    if providers_side(conn, caller, t) || ensure_visible(conn, caller, r.organisation_id).is_ok() {
        Ok(())
    } else {
        Err(ApiError::not_found())
    }
}

list_query! {
    pub struct RegistrationQuery => RegistrationFilter {
        /// Only registrations in this state.
        pub state: Option<RegistrationState>,
        /// Only registrations changed at or after this instant (RFC 3339).
        pub updated_since: Option<DateTime<Utc>>,
    }
}

/// List a training's registrations
///
/// All of them for the training's provider, those of organisations in the caller's scope for
/// anyone else; oldest first.
#[utoipa::path(
    operation_id = "listTrainingRegistrations",
    tag = "intercultural",
    params(("id" = TrainingId, Path, description = "Training id"), RegistrationQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of registrations", body = List<RegistrationView>))
)]
#[get("/{id}/registrations")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<TrainingId>,
    query: Query<RegistrationQuery>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(REGISTRANTS)?;
    let (filter, page) = query.0.into_parts()?;
    let found = state
        .read(move |conn| {
            let training = trainings::get(conn, *id)?;
            let scope = if providers_side(conn, &caller, &training) {
                Scope::Everything
            } else {
                caller.scope()
            };
            let page = registrations::of_training(conn, scope, *id, &filter, &page)?;
            Ok(page.map(|r| view(&r, &training)))
        })
        .await?;
    Ok(http::list(&req, found))
}

/// A request for places.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"places": 3, "function": "client_contact", "note": "Team Leistungsbezug"}))]
pub struct NewRegistration {
    /// The registering organisation; defaults to the caller's.
    pub organisation_id: Option<OrganisationId>,
    #[schema(example = 3)]
    pub places: i32,
    pub function: StaffFunction,
    /// For whom, in a few words (no names).
    pub note: Option<String>,
}

/// Register for places
///
/// Confirmed when the training (open) still has that many places; decided by the database in
/// this request's transaction, so the capacity holds under any number of concurrent requests
/// and instances. Not enough places: 409 `training-full`; a training not open: 409
/// `training-not-open`.
#[utoipa::path(
    operation_id = "createRegistration",
    tag = "intercultural",
    params(("id" = TrainingId, Path, description = "Training id")),
    request_body = NewRegistration,
    security(("bearer" = [])),
    responses((status = 201, description = "Confirmed", body = RegistrationView,
        headers(("Location" = String, description = "URL of the new registration"), ("ETag" = String, description = "Its version"))))
)]
#[post("/{id}/registrations")]
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<TrainingId>,
    body: Json<NewRegistration>,
) -> ApiResult<Reply> {
    let caller = principal.require(REGISTRANTS)?;
    state
        .commit(&req, move |conn| {
            let training = trainings::get(conn, *id)?;
            let input = body.0;
            let organisation = owning_organisation(conn, &caller, input.organisation_id)?;
            let requested = Registration::request(
                &training,
                organisation,
                (input.places, input.function, input.note),
                now(),
            )?;
            let Some(registration) = registrations::register(conn, &requested, now())? else {
                let current = trainings::get(conn, *id)?;
                current.ensure_taking_registrations()?;
                return Err(ApiError::conflict(
                    "training-full",
                    format!(
                        "{} of {} places are free",
                        current.facts.capacity - current.places_taken,
                        current.facts.capacity
                    ),
                ));
            };
            let location = format!("/v1/registrations/{}", registration.id);
            let shown = view(&registration, &training);
            Ok(http::created(location, &shown, registration.stamp.version))
        })
        .await
}

/// Get a registration
///
/// One registration of places in an intercultural training by id, for the registering organisation
/// and the training's provider.
#[utoipa::path(
    operation_id = "getRegistration",
    tag = "intercultural",
    params(("id" = RegistrationId, Path, description = "Registration id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The registration", body = RegistrationView, headers(("ETag" = String, description = "Strong ETag: the version"))),
        (status = 304, description = "`If-None-Match` names the current version")
    )
)]
#[get("/{id}")]
async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<RegistrationId>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(REGISTRANTS)?;
    let (shown, version) = state
        .read(move |conn| {
            let registration = registrations::get(conn, *id)?;
            let training = trainings::get(conn, registration.training_id)?;
            ensure_party(conn, &caller, &registration, &training)?;
            Ok((view(&registration, &training), registration.stamp.version))
        })
        .await?;
    Ok(http::single(&req, &shown, version))
}

/// Change a registration
///
/// `cancel` (confirmed -> cancelled, before the training starts) gives the places back in the
/// same transaction. Any other is a 409 naming the allowed actions.
#[utoipa::path(
    operation_id = "actOnRegistration",
    tag = "intercultural",
    params(("id" = RegistrationId, Path, description = "Registration id")),
    request_body = RegistrationAction,
    security(("bearer" = [])),
    responses((status = 200, description = "The registration in its new state", body = RegistrationView, headers(("ETag" = String, description = "The new version"))))
)]
#[post("/{id}/actions")]
async fn act(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    if_match: IfMatch,
    id: web::Path<RegistrationId>,
    body: Json<RegistrationAction>,
) -> ApiResult<Reply> {
    let caller = principal.require(REGISTRANTS)?;
    state
        .commit(&req, move |conn| {
            let current = registrations::get(conn, *id)?;
            let training = trainings::get(conn, current.training_id)?;
            ensure_party(conn, &caller, &current, &training)?;
            if_match.check(current.stamp.version)?;
            let next = current.apply(body.0, &training, now())?;
            registrations::update(conn, &next, current.stamp.version)?;
            trainings::free_places(conn, training.id, current.places, now())?;
            let training = trainings::get(conn, training.id)?;
            Ok(http::ok_with_etag(
                &view(&next, &training),
                next.stamp.version,
            ))
        })
        .await
}
