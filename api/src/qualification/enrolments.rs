//! Enrolments of advice seekers in measures. A counsellor enrols a seeker they may see; the
//! database decides in the same transaction whether a seat is free (admitted) or not
//! (waitlisted), and a seat given up before the start goes to the first on the waiting list.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use iqnet_conventions::audit::{AccessContext, Action};
use iqnet_conventions::auth::Principal;
use iqnet_conventions::error::ApiResult;
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List, Reply};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;
use iqnet_persistence::counselling::seekers;
use iqnet_persistence::qualification::enrolments::{self, EnrolmentFilter};
use iqnet_persistence::qualification::measures;
use iqnet_persistence::{DbConnection, StoreError};
use iqnet_qualification::enrolment::{Enrolment, EnrolmentAction, EnrolmentActionKind};
use iqnet_qualification::vocabulary::{EnrolmentResult, EnrolmentState, Funding};
use iqnet_shared::ids::{EnrolmentId, MeasureId, OrganisationId, SeekerId};
use iqnet_shared::records::Stamp;
use iqnet_shared::time::now;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::counselling::{named, visible};
use crate::permissions::COUNSELLING_STAFF;

/// Under `/measures`.
pub fn configure_of_measure(cfg: &mut ServiceConfig) {
    cfg.service(list).service(create);
}

/// Under `/enrolments`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get).service(act);
}

/// An enrolment as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Enrolment)]
pub struct EnrolmentView {
    pub id: EnrolmentId,
    pub measure_id: MeasureId,
    pub seeker_id: SeekerId,
    /// The seeker's organisation, which enrolled them.
    pub organisation_id: OrganisationId,
    pub state: EnrolmentState,
    /// Place on the measure's waiting list (1 = next to be admitted); `null` unless waitlisted.
    pub waitlist_position: Option<i64>,
    pub funding: Option<Funding>,
    pub result: Option<EnrolmentResult>,
    pub ended_on: Option<NaiveDate>,
    /// The actions the current state allows (`POST .../actions`).
    pub allowed_actions: Vec<EnrolmentActionKind>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

fn view(conn: &mut DbConnection, e: &Enrolment) -> Result<EnrolmentView, StoreError> {
    Ok(EnrolmentView {
        id: e.id,
        measure_id: e.measure_id,
        seeker_id: e.seeker_id,
        organisation_id: e.organisation_id,
        state: e.state,
        waitlist_position: enrolments::waitlist_position(conn, e)?,
        funding: e.funding,
        result: e.result,
        ended_on: e.ended_on,
        allowed_actions: e.allowed_actions().to_vec(),
        stamp: e.stamp,
    })
}

list_query! {
    pub struct EnrolmentQuery => EnrolmentFilter {
        /// Only enrolments in this state (`waitlisted`: the waiting list, in its order).
        pub state: Option<EnrolmentState>,
        /// Only enrolments changed at or after this instant (RFC 3339).
        pub updated_since: Option<DateTime<Utc>>,
    }
}

/// List a measure's enrolments
///
/// Those in the caller's scope, in arrival order, which is also the waiting list's order.
#[utoipa::path(
    operation_id = "listMeasureEnrolments",
    tag = "qualification",
    params(("id" = MeasureId, Path, description = "Measure id"), EnrolmentQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of enrolments", body = List<EnrolmentView>))
)]
#[get("/{id}/enrolments")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<MeasureId>,
    query: Query<EnrolmentQuery>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let (filter, page) = query.0.into_parts()?;
    let found = state
        .read(move |conn| {
            measures::get(conn, *id)?;
            let page = enrolments::of_measure(conn, caller.scope(), *id, &filter, &page)?;
            ctx.by(&caller)
                .record_all(conn, Action::Read, &page.items)?;
            Ok(page.try_map(|e| view(conn, &e))?)
        })
        .await?;
    Ok(http::list(&req, found))
}

/// An application for a seat.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEnrolment {
    /// An advice seeker the caller may see.
    pub seeker_id: SeekerId,
    pub funding: Option<Funding>,
}

/// Enrol an advice seeker
///
/// Admitted while the measure has a free seat, else waitlisted; decided by the database in this
/// request's transaction, so capacity holds under any number of concurrent requests and
/// instances. A measure that is not open refuses with 409 (`measure-cancelled`,
/// `measure-not-open`).
#[utoipa::path(
    operation_id = "createEnrolment",
    tag = "qualification",
    params(("id" = MeasureId, Path, description = "Measure id")),
    request_body = NewEnrolment,
    security(("bearer" = [])),
    responses((status = 201, description = "Admitted or waitlisted", body = EnrolmentView,
        headers(("Location" = String, description = "URL of the new enrolment"), ("ETag" = String, description = "Its version"))))
)]
#[post("/{id}/enrolments")]
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<MeasureId>,
    body: Json<NewEnrolment>,
) -> ApiResult<Reply> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    state
        .commit(&req, move |conn| {
            let measure = measures::get(conn, *id)?;
            let seeker = named(conn, &caller, ("seeker_id", "advice seeker"), |c| {
                seekers::get(c, body.0.seeker_id)
            })?;
            let owner = (seeker.id, seeker.organisation_id);
            let applied = Enrolment::apply_for(&measure, owner, body.0.funding, now())?;
            let enrolment = enrolments::enrol(conn, applied, now())?;
            ctx.by(&caller).record(conn, Action::Create, &enrolment)?;
            let location = format!("/v1/enrolments/{}", enrolment.id);
            let shown = view(conn, &enrolment)?;
            Ok(http::created(location, &shown, enrolment.stamp.version))
        })
        .await
}

/// Get an enrolment
#[utoipa::path(
    operation_id = "getEnrolment",
    tag = "qualification",
    params(("id" = EnrolmentId, Path, description = "Enrolment id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The enrolment", body = EnrolmentView, headers(("ETag" = String, description = "Strong ETag: the version"))),
        (status = 304, description = "`If-None-Match` names the current version")
    )
)]
#[get("/{id}")]
async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<EnrolmentId>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let (shown, version) = state
        .read(move |conn| {
            let enrolment = visible(conn, &caller, |c| enrolments::get(c, *id))?;
            ctx.by(&caller).record(conn, Action::Read, &enrolment)?;
            Ok((view(conn, &enrolment)?, enrolment.stamp.version))
        })
        .await?;
    Ok(http::single(&req, &shown, version))
}

/// Change an enrolment's state
///
/// `start` (admitted -> active, the measure running), `complete` with a result (active ->
/// completed_success, or completed_without_success for `none`), `drop_out` (admitted |
/// waitlisted | active -> dropped_out). A seat given up before the measure starts admits the
/// first on the waiting list in the same transaction. Any other is a 409 naming the allowed
/// actions.
#[utoipa::path(
    operation_id = "actOnEnrolment",
    tag = "qualification",
    params(("id" = EnrolmentId, Path, description = "Enrolment id")),
    request_body = EnrolmentAction,
    security(("bearer" = [])),
    responses((status = 200, description = "The enrolment in its new state", body = EnrolmentView, headers(("ETag" = String, description = "The new version"))))
)]
#[post("/{id}/actions")]
async fn act(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    if_match: IfMatch,
    id: web::Path<EnrolmentId>,
    body: Json<EnrolmentAction>,
) -> ApiResult<Reply> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    state
        .commit(&req, move |conn| {
            let current = visible(conn, &caller, |c| enrolments::get(c, *id))?;
            if_match.check(current.stamp.version)?;
            let measure = measures::get(conn, current.measure_id)?;
            let t = current.apply(body.0, &measure, now())?;
            enrolments::update(conn, &t.next, current.stamp.version)?;
            ctx.by(&caller).record(conn, Action::Update, &t.next)?;
            if t.frees_seat
                && let Some(promoted) = enrolments::release_seat(conn, measure.id, now())?
            {
                ctx.by(&caller).record(conn, Action::Update, &promoted)?;
            }
            Ok(http::ok_with_etag(
                &view(conn, &t.next)?,
                t.next.stamp.version,
            ))
        })
        .await
}
