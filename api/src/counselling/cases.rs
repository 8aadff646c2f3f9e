//! Counselling cases: open -> in_progress -> closed | abandoned, with what the monitoring counts
//! of them (situation and status at intake, recommendations and status at close).

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use iqnet_conventions::audit::{AccessContext, Action};
use iqnet_conventions::auth::Principal;
use iqnet_conventions::error::ApiResult;
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List, Reply};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;
use iqnet_counselling::case::{CaseAction, CaseActionKind, Intake};
use iqnet_counselling::outcome::{IntakeSituation, IntakeSituationReport};
use iqnet_counselling::records::CounsellingCase;
use iqnet_counselling::status::{StatusReport, StatusSnapshot};
use iqnet_counselling::vocabulary::{
    AccessRoute, CaseKind, CaseOutcome, CaseState, Recommendation,
};
use iqnet_persistence::counselling::cases::{self, CaseFilter};
use iqnet_persistence::counselling::seekers;
use iqnet_shared::ids::{CaseId, OrganisationId, SeekerId};
use iqnet_shared::records::Stamp;
use iqnet_shared::time::{now, today_in_germany};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{named, visible};
use crate::permissions::COUNSELLING_STAFF;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list).service(create).service(get).service(act);
}

/// A counselling case as the API shows it: the record and what can be done to it now.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CounsellingCase)]
pub struct CaseView {
    pub id: CaseId,
    pub seeker_id: SeekerId,
    pub organisation_id: OrganisationId,
    pub kind: CaseKind,
    pub access_route: AccessRoute,
    pub state: CaseState,
    /// The single outcome of earlier clients; with recommendations, that of the first.
    pub outcome: Option<CaseOutcome>,
    /// What the close recommended; empty until the case is closed.
    pub recommendations: Vec<Recommendation>,
    /// Where the seeker stood at intake, when recorded.
    pub situation_at_intake: Option<IntakeSituation>,
    /// The seeker's status at intake, dated; `null` when unknown.
    pub status_at_intake: Option<StatusSnapshot>,
    /// The seeker's status at the close, dated; `null` until closed, or when unknown.
    pub status_at_close: Option<StatusSnapshot>,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    /// The actions the current state allows (`POST .../actions`).
    pub allowed_actions: Vec<CaseActionKind>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

impl From<&CounsellingCase> for CaseView {
    fn from(c: &CounsellingCase) -> Self {
        CaseView {
            id: c.id,
            seeker_id: c.seeker_id,
            organisation_id: c.organisation_id,
            kind: c.kind,
            access_route: c.access_route,
            state: c.state,
            outcome: c.outcome,
            recommendations: c.recommendations.clone(),
            situation_at_intake: c.situation_at_intake,
            status_at_intake: c.status_at_intake,
            status_at_close: c.status_at_close,
            opened_on: c.opened_on,
            closed_on: c.closed_on,
            allowed_actions: c.allowed_actions().to_vec(),
            stamp: c.stamp,
        }
    }
}

list_query! {
    pub struct CaseQuery => CaseFilter {
        /// Only the cases of this seeker.
        pub seeker_id: Option<SeekerId>,
        /// Only cases in this state.
        pub state: Option<CaseState>,
        /// Only cases changed at or after this instant (RFC 3339).
        pub updated_since: Option<DateTime<Utc>>,
    }
}

/// List counselling cases
///
/// The counselling cases in the caller's scope, for counselling staff, filtered by the query
/// parameters.
#[utoipa::path(
    operation_id = "listCounsellingCases",
    tag = "counselling",
    params(CaseQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of cases in the caller's scope", body = List<CaseView>))
)]
#[get("")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    query: Query<CaseQuery>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let (filter, page) = query.0.into_parts()?;
    let found = state
        .read(move |conn| {
            let page = cases::list(conn, caller.scope(), &filter, &page)?;
            ctx.by(&caller)
                .record_all(conn, Action::Read, &page.items)?;
            Ok(page)
        })
        .await?;
    Ok(http::list(&req, found.map(|c| CaseView::from(&c))))
}

/// Get a counselling case
///
/// One counselling case by id, for counselling staff within their scope (404 outside it).
#[utoipa::path(
    operation_id = "getCounsellingCase",
    tag = "counselling",
    params(("id" = CaseId, Path, description = "Case id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The case", body = CaseView, headers(("ETag" = String, description = "Strong ETag: the version"))),
        (status = 304, description = "`If-None-Match` names the current version")
    )
)]
#[get("/{id}")]
async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<CaseId>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let found = state
        .read(move |conn| {
            let case = visible(conn, &caller, |c| cases::get(c, *id))?;
            ctx.by(&caller).record(conn, Action::Read, &case)?;
            Ok(case)
        })
        .await?;
    Ok(http::single(
        &req,
        &CaseView::from(&found),
        found.stamp.version,
    ))
}

/// A new counselling case.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCase {
    pub seeker_id: SeekerId,
    pub kind: CaseKind,
    pub access_route: AccessRoute,
    /// Defaults to today.
    pub opened_on: Option<NaiveDate>,
    /// Where the seeker stood at intake: an application filed, a decision received, a ZAB
    /// evaluation held.
    pub situation_at_intake: Option<IntakeSituationReport>,
    /// The seeker's status at intake; defaults to the seeker record's, dated the opening.
    pub status_at_intake: Option<StatusReport>,
}

/// Open a counselling case
///
/// The case belongs to the seeker's organisation and starts `open`.
#[utoipa::path(
    operation_id = "createCounsellingCase",
    tag = "counselling",
    request_body = NewCase,
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = CaseView,
        headers(("Location" = String, description = "URL of the new case"), ("ETag" = String, description = "Its version"))))
)]
#[post("")]
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    body: Json<NewCase>,
) -> ApiResult<Reply> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let input = body.0;
    let opened_on = input.opened_on.unwrap_or_else(today_in_germany);
    iqnet_shared::time::recorded_date("opened_on", opened_on)?;
    state
        .commit(&req, move |conn| {
            let seeker = named(conn, &caller, ("seeker_id", "advice seeker"), |c| {
                seekers::get(c, input.seeker_id)
            })?;
            let intake = Intake {
                situation: input.situation_at_intake,
                status: input.status_at_intake,
            };
            let kind = (input.kind, input.access_route);
            let case = CounsellingCase::open(&seeker, kind, opened_on, intake, now())?;
            cases::insert(conn, &case)?;
            ctx.by(&caller).record(conn, Action::Create, &case)?;
            let location = format!("/v1/counselling-cases/{}", case.id);
            Ok(http::created(
                location,
                &CaseView::from(&case),
                case.stamp.version,
            ))
        })
        .await
}

/// Change a case's state
///
/// `start` (open -> in_progress), `close` with recommendations or an outcome (open |
/// in_progress -> closed; the seeker's status at the close defaults to the seeker record's), or
/// `abandon` (open | in_progress -> abandoned). Any other is a 409 naming the allowed actions.
#[utoipa::path(
    operation_id = "actOnCounsellingCase",
    tag = "counselling",
    params(("id" = CaseId, Path, description = "Case id")),
    request_body = CaseAction,
    security(("bearer" = [])),
    responses((status = 200, description = "The case in its new state", body = CaseView, headers(("ETag" = String, description = "The new version"))))
)]
#[post("/{id}/actions")]
async fn act(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    if_match: IfMatch,
    id: web::Path<CaseId>,
    body: Json<CaseAction>,
) -> ApiResult<Reply> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    state
        .commit(&req, move |conn| {
            let current = visible(conn, &caller, |c| cases::get(c, *id))?;
            if_match.check(current.stamp.version)?;
            let seeker = seekers::get(conn, current.seeker_id)?;
            let next = current.apply(&body.0, &seeker, now())?;
            cases::update(conn, &next, current.stamp.version)?;
            ctx.by(&caller).record(conn, Action::Update, &next)?;
            Ok(http::ok_with_etag(
                &CaseView::from(&next),
                next.stamp.version,
            ))
        })
        .await
}
