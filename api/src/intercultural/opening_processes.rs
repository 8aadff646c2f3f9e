//! Intercultural opening processes: a provider accompanies one organisation (a job centre, an
//! agency, a local government, a chamber, a company) through its organisational change. The
//! provider's trainers (and coordinators, admins) manage the process; the organisation opening
//! itself sees it; coordinators see those of their network, on either side. Anyone else: 404.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Months, NaiveDate, Utc};
use iqnet_conventions::auth::{Caller, Principal};
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List, Reply};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;
use iqnet_intercultural::opening::{
    OpeningAction, OpeningActionKind, OpeningMeasure, OpeningMilestone, OpeningProcess,
    SustainabilityCheck,
};
use iqnet_intercultural::vocabulary::OpeningState;
use iqnet_persistence::intercultural::opening_processes::{self, OpeningFilter};
use iqnet_persistence::{DbConnection, structure};
use iqnet_shared::ids::{OpeningProcessId, OrganisationId};
use iqnet_shared::records::Stamp;
use iqnet_shared::time::now;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::counselling::{ensure_visible, owning_organisation};
use crate::permissions::{OPENING_MANAGERS, OPENING_PARTIES};

/// Under `/opening-processes`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list).service(create).service(get).service(act);
}

/// An opening process as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = OpeningProcess)]
#[schema(example = json!({
    "id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e73", "organisation_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e70", "client_organisation_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e71",
    "state": "implementation",
    "milestones": [
        {"state": "contacted", "date": "2026-01-12", "note": "Anfrage der Geschäftsführung"},
        {"state": "needs_analysis", "date": "2026-02-02", "note": null},
        {"state": "agreement_signed", "date": "2026-03-15", "note": null},
        {"state": "implementation", "date": "2026-04-01", "note": null}],
    "measures": [{"kind": "complaint_procedure", "description": null, "status": "in_progress", "status_date": "2026-05-04"}],
    "ended_on": null, "check_due_on": null, "follow_up": null,
    "allowed_actions": ["update_measure", "begin_evaluation", "discontinue"], "created_at": "2026-11-25T10:00:00Z", "updated_at": "2026-11-25T10:05:00Z", "version": 5
}))]
pub struct OpeningView {
    pub id: OpeningProcessId,
    /// The accompanying provider, which manages the process.
    pub organisation_id: OrganisationId,
    /// The organisation opening itself.
    pub client_organisation_id: OrganisationId,
    pub state: OpeningState,
    /// Every step with its date, in order; the first is the contact.
    pub milestones: Vec<OpeningMilestone>,
    /// The measures agreed and where each stands.
    pub measures: Vec<OpeningMeasure>,
    /// The day the process ended (sustained or discontinued).
    pub ended_on: Option<NaiveDate>,
    /// When the sustainability check is due: twelve months after a sustained end.
    pub check_due_on: Option<NaiveDate>,
    /// The check twelve months after the end, once made.
    pub follow_up: Option<SustainabilityCheck>,
    /// The actions the current state allows (`POST .../actions`).
    pub allowed_actions: Vec<OpeningActionKind>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

impl From<&OpeningProcess> for OpeningView {
    fn from(p: &OpeningProcess) -> Self {
        let sustained = p.state == OpeningState::Sustained;
        OpeningView {
            id: p.id,
            organisation_id: p.organisation_id,
            client_organisation_id: p.client_organisation_id,
            state: p.state,
            milestones: p.milestones.clone(),
            measures: p.measures.clone(),
            ended_on: p.ended_on(),
            check_due_on: p
                .ended_on()
                .filter(|_| sustained)
                .map(|end| end + Months::new(12)),
            follow_up: p.follow_up.clone(),
            allowed_actions: p.allowed_actions(),
            stamp: p.stamp,
        }
    }
}

/// 404 unless the caller's scope covers the provider or the client.
fn ensure_party(conn: &mut DbConnection, caller: &Caller, p: &OpeningProcess) -> ApiResult<()> {
    ensure_visible(conn, caller, p.organisation_id)
        .or_else(|_| ensure_visible(conn, caller, p.client_organisation_id))
}

/// 403 for a party that does not manage the provider (the organisation opening itself reads
/// its process, but the provider records the steps).
fn ensure_manager(conn: &mut DbConnection, caller: &Caller, p: &OpeningProcess) -> ApiResult<()> {
    ensure_party(conn, caller, p)?;
    let manages = OPENING_MANAGERS.contains(&caller.role)
        && ensure_visible(conn, caller, p.organisation_id).is_ok();
    if manages {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "only the accompanying provider records the steps",
        ))
    }
}

list_query! {
    pub struct OpeningQuery => OpeningFilter {
        /// Only processes in this state.
        pub state: Option<OpeningState>,
        /// Only processes accompanied by this provider.
        pub organisation_id: Option<OrganisationId>,
        /// Only processes of this organisation opening itself.
        pub client_organisation_id: Option<OrganisationId>,
        /// Only processes changed at or after this instant (RFC 3339).
        pub updated_since: Option<DateTime<Utc>>,
    }
}

/// List opening processes
///
/// Those whose provider or organisation lies in the caller's scope, oldest first.
#[utoipa::path(
    operation_id = "listOpeningProcesses",
    tag = "intercultural",
    params(OpeningQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of opening processes", body = List<OpeningView>))
)]
#[get("")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<OpeningQuery>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(OPENING_PARTIES)?;
    let (filter, page) = query.0.into_parts()?;
    let found = state
        .read(move |conn| {
            Ok(opening_processes::list(
                conn,
                caller.scope(),
                &filter,
                &page,
            )?)
        })
        .await?;
    Ok(http::list(&req, found.map(|p| OpeningView::from(&p))))
}

/// The first contact with an organisation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"client_organisation_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e6f",
    "contacted_on": "2026-01-12", "note": "Anfrage der Geschäftsführung"}))]
pub struct NewOpeningProcess {
    /// The accompanying provider; defaults to the caller's organisation.
    pub organisation_id: Option<OrganisationId>,
    /// The organisation opening itself.
    pub client_organisation_id: OrganisationId,
    pub contacted_on: NaiveDate,
    pub note: Option<String>,
}

/// Start an opening process
///
/// Begins `contacted`, with the contact as its first milestone.
#[utoipa::path(
    operation_id = "createOpeningProcess",
    tag = "intercultural",
    request_body = NewOpeningProcess,
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = OpeningView,
        headers(("Location" = String, description = "URL of the new process"), ("ETag" = String, description = "Its version"))))
)]
#[post("")]
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<NewOpeningProcess>,
) -> ApiResult<Reply> {
    let caller = principal.require(OPENING_MANAGERS)?;
    state
        .commit(&req, move |conn| {
            let input = body.0;
            let provider = owning_organisation(conn, &caller, input.organisation_id)?;
            structure::organisations::get(conn, input.client_organisation_id).map_err(|_| {
                ApiError::invalid_field(
                    "client_organisation_id",
                    "not_found",
                    "no such organisation",
                )
            })?;
            let sides = (provider, input.client_organisation_id);
            let process =
                OpeningProcess::contact(sides, input.contacted_on, input.note.as_ref(), now())?;
            opening_processes::insert(conn, &process)?;
            let location = format!("/v1/opening-processes/{}", process.id);
            Ok(http::created(
                location,
                &OpeningView::from(&process),
                process.stamp.version,
            ))
        })
        .await
}

/// Get an opening process
///
/// One intercultural opening process by id, for its parties.
#[utoipa::path(
    operation_id = "getOpeningProcess",
    tag = "intercultural",
    params(("id" = OpeningProcessId, Path, description = "Opening process id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The process", body = OpeningView, headers(("ETag" = String, description = "Strong ETag: the version"))),
        (status = 304, description = "`If-None-Match` names the current version")
    )
)]
#[get("/{id}")]
async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<OpeningProcessId>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(OPENING_PARTIES)?;
    let found = state
        .read(move |conn| {
            let process = opening_processes::get(conn, *id)?;
            ensure_party(conn, &caller, &process)?;
            Ok(process)
        })
        .await?;
    Ok(http::single(
        &req,
        &OpeningView::from(&found),
        found.stamp.version,
    ))
}

/// Record a step of an opening process
///
/// `start_needs_analysis`, `sign_agreement` (with the measures agreed), `begin_implementation`,
/// `update_measure` (an agreed measure's status), `begin_evaluation`, `complete` (-> sustained),
/// `discontinue`, and `check_sustainability` once, twelve months after a sustained end at the
/// earliest. Each is dated, never before the last milestone nor in the future. Any other is a
/// 409 naming the allowed actions; `update_measure` for a kind not agreed is a 422.
#[utoipa::path(
    operation_id = "actOnOpeningProcess",
    tag = "intercultural",
    params(("id" = OpeningProcessId, Path, description = "Opening process id")),
    request_body = OpeningAction,
    security(("bearer" = [])),
    responses((status = 200, description = "The process after the step", body = OpeningView, headers(("ETag" = String, description = "The new version"))))
)]
#[post("/{id}/actions")]
async fn act(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    if_match: IfMatch,
    id: web::Path<OpeningProcessId>,
    body: Json<OpeningAction>,
) -> ApiResult<Reply> {
    let caller = principal.require(OPENING_PARTIES)?;
    state
        .commit(&req, move |conn| {
            let current = opening_processes::get(conn, *id)?;
            ensure_manager(conn, &caller, &current)?;
            if_match.check(current.stamp.version)?;
            let next = current.apply(&body.0, now())?;
            opening_processes::update(conn, &next, current.stamp.version)?;
            Ok(http::ok_with_etag(
                &OpeningView::from(&next),
                next.stamp.version,
            ))
        })
        .await
}
