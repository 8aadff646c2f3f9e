//! Enrolments of advice seekers in measures. A counsellor enrols a seeker they may see; the
//! database decides in the same transaction whether a seat is free (admitted) or not
//! (waitlisted), and a seat given up before the start goes to the first on the waiting list.
//!
//! Two sides see an enrolment: the seeker's organisation (its scope, as in area 1) and the
//! measure's provider. The provider learns who the person is (`seeker_id`) only while the
//! seeker's consent `sharing_with_referrals` stands, as a referred organisation does; anyone else
//! gets 404.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use iqnet_conventions::audit::Audit;
use iqnet_conventions::audit::{AccessContext, Action};
use iqnet_conventions::auth::{Caller, Principal};
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List, Reply};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;
use iqnet_counselling::records::{RecognitionProcedure, Referral};
use iqnet_counselling::vocabulary::ConsentPurpose;
use iqnet_persistence::DbConnection;
use iqnet_persistence::counselling::{procedures, referrals, seekers};
use iqnet_persistence::qualification::enrolments::{self, EnrolmentFilter};
use iqnet_persistence::qualification::measures;
use iqnet_qualification::enrolment::{
    Enrolment, EnrolmentAction, EnrolmentActionKind, Links, Transition,
};
use iqnet_qualification::measure::Measure;
use iqnet_qualification::vocabulary::{EmploymentAfter, EnrolmentResult, EnrolmentState, Funding};
use iqnet_shared::ids::{
    EnrolmentId, MeasureId, OrganisationId, ProcedureId, ReferralId, SeekerId,
};
use iqnet_shared::records::Stamp;
use iqnet_shared::structure::Scope;
use iqnet_shared::time::now;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::counselling::{ensure_visible, named};
use crate::permissions::{COUNSELLING_STAFF, ENROLMENT_PARTIES, MEASURE_MANAGERS};

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
#[schema(example = json!({
    "id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e71", "measure_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e6f",
    "seeker_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e72", "organisation_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e73",
    "referral_id": null, "procedure_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e74", "state": "completed_success",
    "waitlist_position": null, "funding": "training_voucher", "result": "full_recognition",
    "ended_on": "2027-08-31", "employment_after": null, "employment_recorded_on": null,
    "follow_up_procedure_id": null, "allowed_actions": ["record_employment", "record_follow_up"],
    "created_at": "2027-01-10T09:00:00Z", "updated_at": "2027-08-31T16:00:00Z", "version": 4
}))]
pub struct EnrolmentView {
    pub id: EnrolmentId,
    pub measure_id: MeasureId,
    /// Always for the seeker's organisation; for the provider only while the seeker's consent
    /// `sharing_with_referrals` stands, else `null`.
    pub seeker_id: Option<SeekerId>,
    /// The seeker's organisation, which enrolled them.
    pub organisation_id: OrganisationId,
    /// The referral it follows, if any.
    pub referral_id: Option<ReferralId>,
    /// The recognition procedure whose decision it answers, if any.
    pub procedure_id: Option<ProcedureId>,
    pub state: EnrolmentState,
    /// Place on the measure's waiting list (1 = next to be admitted); `null` unless waitlisted.
    pub waitlist_position: Option<i64>,
    pub funding: Option<Funding>,
    pub result: Option<EnrolmentResult>,
    pub ended_on: Option<NaiveDate>,
    /// Employment six months after the exit, once recorded (`record_employment`).
    pub employment_after: Option<EmploymentAfter>,
    pub employment_recorded_on: Option<NaiveDate>,
    /// The area-1 procedure that decided again after the successful exit (`record_follow_up`);
    /// like `procedure_id`, only for those who may see the seeker.
    pub follow_up_procedure_id: Option<ProcedureId>,
    /// The actions the current state allows (`POST .../actions`).
    pub allowed_actions: Vec<EnrolmentActionKind>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

/// `e` for a caller who sees the seeker (`show_seeker`) or not, on the seeker's side or not.
fn view(
    conn: &mut DbConnection,
    e: &Enrolment,
    (show_seeker, seekers_side): (bool, bool),
) -> ApiResult<EnrolmentView> {
    // Only the seeker's side sees the procedures a follow-up names.
    let allowed_actions = e
        .allowed_actions()
        .iter()
        .copied()
        .filter(|a| seekers_side || *a != EnrolmentActionKind::RecordFollowUp)
        .collect();
    Ok(EnrolmentView {
        id: e.id,
        measure_id: e.measure_id,
        seeker_id: show_seeker.then_some(e.seeker_id),
        organisation_id: e.organisation_id,
        referral_id: e.referral_id.filter(|_| show_seeker),
        procedure_id: e.procedure_id.filter(|_| show_seeker),
        state: e.state,
        waitlist_position: enrolments::waitlist_position(conn, e)?,
        funding: e.funding,
        result: e.result,
        ended_on: e.ended_on,
        employment_after: e.employment_after.map(|(a, _)| a),
        employment_recorded_on: e.employment_after.map(|(_, on)| on),
        follow_up_procedure_id: e.follow_up_procedure_id.filter(|_| show_seeker),
        allowed_actions,
        stamp: e.stamp,
    })
}

/// Whether the caller stands on the seeker's side of `e` (their organisation's scope).
fn seekers_side(conn: &mut DbConnection, caller: &Caller, e: &Enrolment) -> bool {
    COUNSELLING_STAFF.contains(&caller.role)
        && ensure_visible(conn, caller, e.organisation_id).is_ok()
}

/// Whether the caller manages the measure's provider.
fn providers_side(conn: &mut DbConnection, caller: &Caller, measure: &Measure) -> bool {
    MEASURE_MANAGERS.contains(&caller.role)
        && ensure_visible(conn, caller, measure.organisation_id).is_ok()
}

/// 404 unless the caller is on one of the enrolment's two sides.
fn ensure_party(
    conn: &mut DbConnection,
    caller: &Caller,
    e: &Enrolment,
    m: &Measure,
) -> ApiResult<()> {
    if seekers_side(conn, caller, e) || providers_side(conn, caller, m) {
        Ok(())
    } else {
        Err(ApiError::not_found())
    }
}

/// `e` as the caller may see it; showing who the person is is audited as a read.
fn disclose(
    conn: &mut DbConnection,
    audit: &Audit<'_>,
    caller: &Caller,
    e: &Enrolment,
) -> ApiResult<EnrolmentView> {
    let own = seekers_side(conn, caller, e);
    let shown =
        own || seekers::get(conn, e.seeker_id)?.consents_to(ConsentPurpose::SharingWithReferrals);
    if shown {
        audit.record(conn, Action::Read, e)?;
    }
    view(conn, e, (shown, own))
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
/// In arrival order, which is also the waiting list's order: all of them for the measure's
/// provider, those of seekers in the caller's scope for counselling staff.
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
    let caller = principal.require(ENROLMENT_PARTIES)?;
    let (filter, page) = query.0.into_parts()?;
    let found = state
        .read(move |conn| {
            let measure = measures::get(conn, *id)?;
            let scope = if providers_side(conn, &caller, &measure) {
                Scope::Everything
            } else if COUNSELLING_STAFF.contains(&caller.role) {
                caller.scope()
            } else {
                return Err(ApiError::not_found());
            };
            let page = enrolments::of_measure(conn, scope, *id, &filter, &page)?;
            let audit = ctx.by(&caller);
            page.try_map(|e| disclose(conn, &audit, &caller, &e))
        })
        .await?;
    Ok(http::list(&req, found))
}

/// An application for a seat.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"seeker_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e6f", "funding": "training_voucher"}))]
pub struct NewEnrolment {
    /// An advice seeker the caller may see.
    pub seeker_id: SeekerId,
    pub funding: Option<Funding>,
    /// The seeker's referral to the measure's provider this enrolment follows.
    pub referral_id: Option<ReferralId>,
    /// The seeker's recognition procedure whose decision (partial equivalence, compensation
    /// required) the measure answers.
    pub procedure_id: Option<ProcedureId>,
}

/// The referral and procedure `input` names: each one the caller may see, else a 422.
fn linked(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &NewEnrolment,
) -> ApiResult<(Option<Referral>, Option<RecognitionProcedure>)> {
    let referral = input
        .referral_id
        .map(|id| {
            named(conn, caller, ("referral_id", "referral"), |c| {
                referrals::get(c, id)
            })
        })
        .transpose()?;
    let procedure = input
        .procedure_id
        .map(|id| {
            named(
                conn,
                caller,
                ("procedure_id", "recognition procedure"),
                |c| procedures::get(c, id),
            )
        })
        .transpose()?;
    Ok((referral, procedure))
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
            let (referral, procedure) = linked(conn, &caller, &body.0)?;
            let links = Links {
                referral: referral.as_ref(),
                procedure: procedure.as_ref(),
            };
            let applied = Enrolment::apply_for(&measure, owner, (body.0.funding, links), now())?;
            let enrolment = enrolments::enrol(conn, applied, now())?;
            ctx.by(&caller).record(conn, Action::Create, &enrolment)?;
            let location = format!("/v1/enrolments/{}", enrolment.id);
            let shown = view(conn, &enrolment, (true, true))?;
            Ok(http::created(location, &shown, enrolment.stamp.version))
        })
        .await
}

/// Get an enrolment
///
/// One enrolment in a bridge-training measure by id, for its parties: the seeker's counselling
/// staff and the measure's provider.
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
    let caller = principal.require(ENROLMENT_PARTIES)?;
    let (shown, version) = state
        .read(move |conn| {
            let enrolment = enrolments::get(conn, *id)?;
            let measure = measures::get(conn, enrolment.measure_id)?;
            ensure_party(conn, &caller, &enrolment, &measure)?;
            let shown = disclose(conn, &ctx.by(&caller), &caller, &enrolment)?;
            Ok((shown, enrolment.stamp.version))
        })
        .await?;
    Ok(http::single(&req, &shown, version))
}

/// Change an enrolment's state
///
/// `start` (admitted -> active, the measure running), `complete` with a result (active ->
/// completed_success, or completed_without_success for `none`), `drop_out` (admitted |
/// waitlisted | active -> dropped_out), `record_employment` once, six months after a completed
/// measure at the earliest, and after a successful exit `record_follow_up` once: the seeker's
/// area-1 procedure that follows up (`follows_procedure_id`) the one the enrolment answers and
/// has decided again, on or after the exit (422 otherwise). A seat given up before the measure starts admits the
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
    let caller = principal.require(ENROLMENT_PARTIES)?;
    state
        .commit(&req, move |conn| {
            let current = enrolments::get(conn, *id)?;
            let measure = measures::get(conn, current.measure_id)?;
            ensure_party(conn, &caller, &current, &measure)?;
            if_match.check(current.stamp.version)?;
            let t = match body.0 {
                EnrolmentAction::RecordFollowUp { procedure_id } => {
                    let procedure = named(
                        conn,
                        &caller,
                        ("procedure_id", "recognition procedure"),
                        |c| procedures::get(c, procedure_id),
                    )?;
                    let next = current.record_follow_up(&procedure, now())?;
                    Transition {
                        next,
                        frees_seat: false,
                    }
                }
                action => current.apply(action, &measure, now())?,
            };
            enrolments::update(conn, &t.next, current.stamp.version)?;
            ctx.by(&caller).record(conn, Action::Update, &t.next)?;
            if t.frees_seat {
                let promoted = enrolments::release_seat(conn, measure.id, now())?;
                ctx.by(&caller)
                    .record_all(conn, Action::Update, &promoted)?;
            }
            let shown = disclose(conn, &ctx.by(&caller), &caller, &t.next)?;
            Ok(http::ok_with_etag(&shown, t.next.stamp.version))
        })
        .await
}
