//! Accelerated skilled-worker procedures (§ 81a AufenthG): started by a network's organisation
//! for an employer, linked to the worker's accelerated recognition procedure of area 1 (whose
//! § 14a BQFG deadlines they show), and moved on milestone by milestone, in order.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use iqnet_conventions::audit::{AccessContext, Action, Audit};
use iqnet_conventions::auth::{Caller, Principal};
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List, Reply};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;
use iqnet_counselling::procedure::ProcedureState;
use iqnet_counselling::records::RecognitionProcedure;
use iqnet_networks::accelerated::{AcceleratedProcedure, Links, Reached};
use iqnet_networks::vocabulary::{Milestone, Stage, TargetTitle};
use iqnet_persistence::DbConnection;
use iqnet_persistence::counselling::{procedures, seekers};
use iqnet_persistence::skilled_workers::accelerated::{self, AcceleratedFilter};
use iqnet_persistence::skilled_workers::{consultations, networks};
use iqnet_shared::ids::{
    AcceleratedProcedureId, ConsultationId, OrganisationId, ProcedureId, SeekerId,
    SkilledWorkerNetworkId,
};
use iqnet_shared::records::Stamp;
use iqnet_shared::time::{now, today_in_germany};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{acting_organisation, company, disclose_seeker};
use crate::counselling::{ensure_visible, named, visible};
use crate::permissions::SKILLED_WORKER_NETWORK_PARTIES;

/// Under `/skilled-worker-networks`.
pub fn configure_of_network(cfg: &mut ServiceConfig) {
    cfg.service(list).service(create);
}

/// Under `/accelerated-procedures`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get).service(record_milestone);
}

/// A milestone reached, and the days since the one before.
#[derive(Debug, Serialize, ToSchema)]
pub struct MilestoneView {
    pub milestone: Milestone,
    #[serde(rename = "date")]
    pub on: NaiveDate,
    /// Days since the previous milestone; `null` for the first.
    #[schema(example = 14)]
    pub days_since_previous: Option<i64>,
}

/// The linked recognition procedure and its accelerated deadlines (§ 14a BQFG: receipt
/// confirmed within two weeks of the application, decision within two months of the complete
/// documents), as area 1 computes them.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecognitionLink {
    pub id: ProcedureId,
    pub state: ProcedureState,
    pub accelerated: bool,
    pub submitted_on: NaiveDate,
    pub receipt_due_on: Option<NaiveDate>,
    /// Moved off a weekend or holiday at the authority's seat.
    pub receipt_due_effective_on: Option<NaiveDate>,
    pub documents_complete_on: Option<NaiveDate>,
    pub decision_due_on: Option<NaiveDate>,
    pub decision_due_effective_on: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    /// The authority is late today.
    pub overdue: bool,
}

impl From<&RecognitionProcedure> for RecognitionLink {
    fn from(r: &RecognitionProcedure) -> Self {
        let p = &r.procedure;
        RecognitionLink {
            id: r.id,
            state: p.state,
            accelerated: p.facts.accelerated,
            submitted_on: p.submitted_on,
            receipt_due_on: p.receipt_due_on(),
            receipt_due_effective_on: p.receipt_due_effective_on(),
            documents_complete_on: p.documents_complete_on,
            decision_due_on: p.decision_due_on(),
            decision_due_effective_on: p.decision_due_effective_on(),
            decided_on: p.decided_on,
            overdue: p.is_overdue(today_in_germany()),
        }
    }
}

/// An accelerated procedure as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = AcceleratedProcedure, example = json!({
    "id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e31", "network_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e01",
    "organisation_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e02", "company_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e04",
    "target_title": "18a", "consultation_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e21",
    "seeker_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e05",
    "milestones": [{"milestone": "agreement_signed", "date": "2026-03-01", "days_since_previous": null},
                   {"milestone": "recognition_decided", "date": "2026-05-20", "days_since_previous": 80}],
    "stage": "recognition_decided", "next_milestone": "ba_approval", "total_days": 80,
    "procedure_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e06",
    "recognition_procedure": {"id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e06", "state": "decided", "accelerated": true,
        "submitted_on": "2026-03-02", "receipt_due_on": "2026-03-16", "receipt_due_effective_on": "2026-03-16",
        "documents_complete_on": "2026-03-31", "decision_due_on": "2026-05-31",
        "decision_due_effective_on": "2026-06-01", "decided_on": "2026-05-20", "overdue": false},
    "created_at": "2026-03-01T09:00:00Z", "updated_at": "2026-05-20T10:00:00Z", "version": 3
}))]
pub struct AcceleratedView {
    pub id: AcceleratedProcedureId,
    pub network_id: SkilledWorkerNetworkId,
    /// The supporting organisation.
    pub organisation_id: OrganisationId,
    /// The employer driving the procedure.
    pub company_id: OrganisationId,
    pub target_title: TargetTitle,
    pub consultation_id: Option<ConsultationId>,
    pub seeker_id: Option<SeekerId>,
    /// The milestones reached, in order, with the days between them.
    pub milestones: Vec<MilestoneView>,
    /// The latest milestone reached, or `initiated` before the agreement.
    pub stage: Stage,
    /// The milestone that may be recorded next; `null` after entry.
    pub next_milestone: Option<Milestone>,
    /// Days from the agreement to the latest milestone.
    pub total_days: Option<i64>,
    /// The linked recognition procedure: its deadlines when the caller may see it, else only
    /// its id.
    pub procedure_id: Option<ProcedureId>,
    pub recognition_procedure: Option<RecognitionLink>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

fn view(
    conn: &mut DbConnection,
    audit: &Audit<'_>,
    caller: &Caller,
    p: &AcceleratedProcedure,
) -> ApiResult<AcceleratedView> {
    // Only the owner's scope sees a procedure at all.
    let shown = disclose_seeker(conn, audit, true, p.concerning())?;
    let recognition = match p.procedure_id {
        Some(id) => visible(conn, caller, |c| procedures::get(c, id))
            .ok()
            .map(|r| RecognitionLink::from(&r)),
        None => None,
    };
    let milestones = p
        .milestones
        .iter()
        .zip(p.intervals())
        .map(|(r, days)| MilestoneView {
            milestone: r.milestone,
            on: r.on,
            days_since_previous: days,
        })
        .collect();
    Ok(AcceleratedView {
        id: p.id,
        network_id: p.network_id,
        organisation_id: p.organisation_id,
        company_id: p.company_id,
        target_title: p.target_title,
        consultation_id: p.consultation_id,
        seeker_id: p.seeker_id.filter(|_| shown),
        milestones,
        stage: p.stage(),
        next_milestone: p.next_milestone().first().copied(),
        total_days: p.total_days(),
        procedure_id: p.procedure_id,
        recognition_procedure: recognition,
        stamp: p.stamp,
    })
}

list_query! {
    pub struct AcceleratedQuery => AcceleratedFilter {
        /// Only procedures whose latest milestone is this one (`initiated`: none yet).
        pub stage: Option<Stage>,
        /// Only procedures changed at or after this instant (RFC 3339).
        pub updated_since: Option<DateTime<Utc>>,
    }
}

/// List a network's accelerated procedures
///
/// Those of organisations in the caller's scope.
#[utoipa::path(
    operation_id = "listAcceleratedProcedures",
    tag = "skilled_immigration",
    params(("id" = SkilledWorkerNetworkId, Path, description = "Network id"), AcceleratedQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of procedures", body = List<AcceleratedView>))
)]
#[get("/{id}/accelerated-procedures")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<SkilledWorkerNetworkId>,
    query: Query<AcceleratedQuery>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(SKILLED_WORKER_NETWORK_PARTIES)?;
    let (filter, page) = query.0.into_parts()?;
    let found = state
        .read(move |conn| {
            let network = networks::get(conn, *id)?;
            let page = accelerated::of_network(conn, network.id, caller.scope(), &filter, &page)?;
            let audit = ctx.by(&caller);
            page.try_map(|p| view(conn, &audit, &caller, &p))
        })
        .await?;
    Ok(http::list(&req, found))
}

/// A new accelerated procedure.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"company_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e6f", "target_title": "18a", "procedure_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e70"}))]
pub struct NewAccelerated {
    /// The supporting organisation; defaults to the caller's.
    pub organisation_id: Option<OrganisationId>,
    /// The employer: an organisation of kind `company_sme` or `company_large`.
    pub company_id: OrganisationId,
    pub target_title: TargetTitle,
    /// The employer consultation it came from (same network and company).
    pub consultation_id: Option<ConsultationId>,
    /// The skilled worker, an advice seeker the caller may see.
    pub seeker_id: Option<SeekerId>,
    /// The worker's recognition procedure, filed as accelerated; names the seeker too.
    pub procedure_id: Option<ProcedureId>,
}

/// Start an accelerated procedure
///
/// For an employer, by a network's coordinating or member organisation. A linked recognition
/// procedure must be the seeker's and filed as accelerated (422 `not_accelerated`).
#[utoipa::path(
    operation_id = "createAcceleratedProcedure",
    tag = "skilled_immigration",
    params(("id" = SkilledWorkerNetworkId, Path, description = "Network id")),
    request_body = NewAccelerated,
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = AcceleratedView,
        headers(("Location" = String, description = "URL of the new procedure"), ("ETag" = String, description = "Its version"))))
)]
#[post("/{id}/accelerated-procedures")]
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<SkilledWorkerNetworkId>,
    body: Json<NewAccelerated>,
) -> ApiResult<Reply> {
    let caller = principal.require(SKILLED_WORKER_NETWORK_PARTIES)?;
    state
        .commit(&req, move |conn| {
            let network = networks::get(conn, *id)?;
            let input = body.0;
            let organisation = acting_organisation(&caller, &network, input.organisation_id)?;
            let company = company(conn, input.company_id)?;
            if let Some(seeker) = input.seeker_id {
                named(conn, &caller, ("seeker_id", "advice seeker"), |c| {
                    seekers::get(c, seeker)
                })?;
            }
            let procedure = input
                .procedure_id
                .map(|p| {
                    named(
                        conn,
                        &caller,
                        ("procedure_id", "recognition procedure"),
                        |c| procedures::get(c, p),
                    )
                })
                .transpose()?;
            let consultation = input
                .consultation_id
                .map(|c| {
                    let found =
                        consultations::get(conn, c).map_err(|_| not_found("consultation_id"))?;
                    ensure_visible(conn, &caller, found.organisation_id)
                        .map_err(|_| not_found("consultation_id"))?;
                    Ok::<_, ApiError>(found)
                })
                .transpose()?;
            let links = Links {
                seeker: input.seeker_id,
                procedure: procedure.as_ref(),
                consultation: consultation.as_ref(),
            };
            let started = AcceleratedProcedure::initiate(
                &network,
                (organisation, company),
                input.target_title,
                links,
                now(),
            )?;
            accelerated::insert(conn, &started)?;
            let audit = ctx.by(&caller);
            if let Some(subject) = started.concerning() {
                audit.record(conn, Action::Create, &subject)?;
            }
            let location = format!("/v1/accelerated-procedures/{}", started.id);
            let shown = view(conn, &audit, &caller, &started)?;
            Ok(http::created(location, &shown, started.stamp.version))
        })
        .await
}

fn not_found(field: &str) -> ApiError {
    ApiError::invalid_field(field, "not_found", "no such record")
}

/// The procedure `id`, if it is in the caller's scope (404 otherwise).
fn owned(
    conn: &mut DbConnection,
    caller: &Caller,
    id: AcceleratedProcedureId,
) -> ApiResult<AcceleratedProcedure> {
    let found = accelerated::get(conn, id)?;
    ensure_visible(conn, caller, found.organisation_id)?;
    Ok(found)
}

/// Get an accelerated procedure
///
/// With the days between its milestones and, when linked, the recognition procedure's
/// accelerated deadlines.
#[utoipa::path(
    operation_id = "getAcceleratedProcedure",
    tag = "skilled_immigration",
    params(("id" = AcceleratedProcedureId, Path, description = "Procedure id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The procedure", body = AcceleratedView, headers(("ETag" = String, description = "Strong ETag: the version"))),
        (status = 304, description = "`If-None-Match` names the current version")
    )
)]
#[get("/{id}")]
async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<AcceleratedProcedureId>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(SKILLED_WORKER_NETWORK_PARTIES)?;
    let (shown, version) = state
        .read(move |conn| {
            let found = owned(conn, &caller, *id)?;
            let shown = view(conn, &ctx.by(&caller), &caller, &found)?;
            Ok((shown, found.stamp.version))
        })
        .await?;
    Ok(http::single(&req, &shown, version))
}

/// A milestone reached.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"milestone": "agreement_signed", "date": "2026-11-02"}))]
pub struct NewMilestone {
    pub milestone: Milestone,
    pub date: NaiveDate,
}

/// Record a milestone
///
/// Only the next one in order (agreement_signed -> recognition_decided -> ba_approval ->
/// pre_approval -> visa_issued -> entered), dated no earlier than the one before; any other is a
/// 409 naming the next. `recognition_decided` waits for the linked recognition procedure's
/// decision (409 `recognition-not-decided`).
#[utoipa::path(
    operation_id = "recordAcceleratedMilestone",
    tag = "skilled_immigration",
    params(("id" = AcceleratedProcedureId, Path, description = "Procedure id")),
    request_body = NewMilestone,
    security(("bearer" = [])),
    responses((status = 200, description = "The procedure with the milestone", body = AcceleratedView, headers(("ETag" = String, description = "The new version"))))
)]
#[post("/{id}/milestones")]
async fn record_milestone(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    if_match: IfMatch,
    id: web::Path<AcceleratedProcedureId>,
    body: Json<NewMilestone>,
) -> ApiResult<Reply> {
    let caller = principal.require(SKILLED_WORKER_NETWORK_PARTIES)?;
    state
        .commit(&req, move |conn| {
            let current = owned(conn, &caller, *id)?;
            if_match.check(current.stamp.version)?;
            let recognition = current
                .procedure_id
                .map(|p| procedures::get(conn, p))
                .transpose()?;
            let reached = Reached {
                milestone: body.0.milestone,
                on: body.0.date,
            };
            let next = current.record(reached, recognition.as_ref(), now())?;
            accelerated::update(conn, &next, current.stamp.version)?;
            let audit = ctx.by(&caller);
            if let Some(subject) = next.concerning() {
                audit.record(conn, Action::Update, &subject)?;
            }
            let shown = view(conn, &audit, &caller, &next)?;
            Ok(http::ok_with_etag(&shown, next.stamp.version))
        })
        .await
}
