//! Recognition procedures under the Recognition Act (BQFG), with the legal deadlines the domain
//! computes and an `overdue` filter for procedures whose authority is late.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use iqnet_counselling::procedure::{
    Action as Step, DecisionDetails, Procedure, ProcedureActionKind, ProcedureFacts, ProcedureState,
};
use iqnet_counselling::records::{ProcedureEvent, RecognitionProcedure};
use iqnet_persistence::counselling::{self, procedures::ProcedureFilter};
use iqnet_persistence::{DbConnection, reference};
use iqnet_shared::ids::{CaseId, OrganisationId, ProcedureId, QualificationId, SeekerId};
use iqnet_shared::records::Stamp;
use iqnet_shared::structure::parse_text;
use iqnet_shared::time::{now, recorded_date};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use iqnet_conventions::audit::{AccessContext, Action};
use iqnet_conventions::auth::{Caller, Principal};
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List, Reply};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;

use super::ensure_visible;
use crate::permissions::COUNSELLING_STAFF;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/recognition-procedures")
            .service(list)
            .service(create)
            .service(get)
            .service(act),
    );
}

/// A recognition procedure with its deadlines as the law sets them.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecognitionProcedureView {
    pub id: ProcedureId,
    pub qualification_id: QualificationId,
    pub seeker_id: SeekerId,
    pub case_id: Option<CaseId>,
    pub organisation_id: OrganisationId,
    #[schema(example = "Landesamt für Gesundheit und Soziales Berlin")]
    pub authority_name: Option<String>,
    /// The reference occupation is regulated (decides which decisions are possible).
    pub regulated: bool,
    /// The qualification is from the EU, EEA or Switzerland (limits the extension to one month).
    pub eu_eea_ch: bool,
    /// The employer-driven accelerated procedure (§ 81a AufenthG): 2 weeks / 2 months.
    pub accelerated: bool,
    pub state: ProcedureState,
    pub submitted_on: NaiveDate,
    pub receipt_confirmed_on: Option<NaiveDate>,
    /// When the documents were complete: the decision clock started here.
    pub documents_complete_on: Option<NaiveDate>,
    /// Since when the clock is suspended (documents requested, qualification analysis).
    pub suspended_since: Option<NaiveDate>,
    /// Days of finished suspensions, added to the decision deadline.
    pub suspended_days: u32,
    /// Months of the (single) extension; 0 when not extended.
    pub extension_months: u8,
    pub warned_on: Option<NaiveDate>,
    pub decision: Option<DecisionDetails>,
    pub decided_on: Option<NaiveDate>,
    pub appealed_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    /// The authority must confirm receipt by this date (1 month; 2 weeks accelerated).
    pub receipt_due_on: NaiveDate,
    /// The authority must decide by this date (3 months from complete documents; 2 accelerated),
    /// plus extension and suspended days. `null` until the documents are complete.
    pub decision_due_on: Option<NaiveDate>,
    pub clock_suspended: bool,
    /// The authority is late today.
    pub overdue: bool,
    /// The actions the current state allows (`POST .../actions`).
    pub allowed_actions: Vec<ProcedureActionKind>,
    /// Every recorded step, oldest first.
    pub history: Vec<ProcedureEvent>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

fn view(r: RecognitionProcedure, history: Vec<ProcedureEvent>) -> RecognitionProcedureView {
    let p = &r.procedure;
    RecognitionProcedureView {
        id: r.id,
        qualification_id: r.qualification_id,
        seeker_id: r.seeker_id,
        case_id: r.case_id,
        organisation_id: r.organisation_id,
        authority_name: r.authority_name.clone(),
        regulated: p.facts.regulated,
        eu_eea_ch: p.facts.eu_eea_ch,
        accelerated: p.facts.accelerated,
        state: p.state,
        submitted_on: p.submitted_on,
        receipt_confirmed_on: p.receipt_confirmed_on,
        documents_complete_on: p.documents_complete_on,
        suspended_since: p.suspended_since,
        suspended_days: p.suspended_days,
        extension_months: p.extension_months,
        warned_on: p.warned_on,
        decision: p.decision.clone(),
        decided_on: p.decided_on,
        appealed_on: p.appealed_on,
        closed_on: p.closed_on,
        receipt_due_on: p.receipt_due_on(),
        decision_due_on: p.decision_due_on(),
        clock_suspended: p.clock_suspended(),
        overdue: p.is_overdue(iqnet_shared::time::today_in_germany()),
        allowed_actions: p.allowed_actions(),
        history,
        stamp: r.stamp,
    }
}

fn visible_procedure(
    conn: &mut DbConnection,
    caller: &Caller,
    id: ProcedureId,
) -> ApiResult<RecognitionProcedure> {
    let procedure = counselling::procedures::get(conn, id)?;
    ensure_visible(conn, caller, procedure.organisation_id)?;
    Ok(procedure)
}

list_query! {
    pub struct ProcedureQuery {
        /// Only the procedures of this seeker.
        pub seeker_id: Option<SeekerId>,
        /// Only procedures in this state.
        pub state: Option<ProcedureState>,
        /// `true`: only procedures whose authority is late today (receipt not confirmed in time, or
        /// no decision in time while the clock runs).
        pub overdue: Option<bool>,
        /// Only procedures changed at or after this instant (RFC 3339).
        pub updated_since: Option<DateTime<Utc>>,
    }
}

/// List recognition procedures
#[utoipa::path(
    operation_id = "listRecognitionProcedures",
    tag = "counselling",
    params(ProcedureQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of procedures in the caller's scope", body = List<RecognitionProcedureView>))
)]
#[get("")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    query: Query<ProcedureQuery>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let q = query.0;
    let page = q.page()?;
    let today = iqnet_shared::time::today_in_germany();
    let filter = ProcedureFilter {
        seeker_id: q.seeker_id,
        state: q.state,
        overdue: q.overdue.map(|wanted| (wanted, today)),
        updated_since: q.updated_since,
    };
    let found = state
        .write(move |conn| {
            let page = counselling::procedures::list(conn, caller.scope(), &filter, &page)?;
            ctx.by(&caller)
                .record_all(conn, Action::Read, &page.items)?;
            Ok(page)
        })
        .await?;
    Ok(http::list(&req, found.map(|p| view(p, Vec::new()))))
}

/// Get a recognition procedure
///
/// With its due dates, whether it is overdue, the allowed actions and its history.
#[utoipa::path(
    operation_id = "getRecognitionProcedure",
    tag = "counselling",
    params(("id" = ProcedureId, Path, description = "Procedure id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The procedure", body = RecognitionProcedureView, headers(("ETag" = String, description = "Strong ETag: the version"))),
        (status = 304, description = "`If-None-Match` names the current version")
    )
)]
#[get("/{id}")]
async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<ProcedureId>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let id = id.into_inner();
    let found = state
        .write(move |conn| {
            let p = visible_procedure(conn, &caller, id)?;
            ctx.by(&caller).record(conn, Action::Read, &p)?;
            let history = counselling::procedures::history(conn, id)?;
            Ok(view(p, history))
        })
        .await?;
    Ok(http::single(&req, &found, found.stamp.version))
}

/// A recognition procedure filed with a competent authority.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProcedure {
    pub qualification_id: QualificationId,
    /// The counselling case it came from.
    pub case_id: Option<CaseId>,
    pub submitted_on: NaiveDate,
    /// The employer-driven accelerated procedure (§ 81a AufenthG).
    #[serde(default)]
    pub accelerated: bool,
    #[schema(example = "Landesamt für Gesundheit und Soziales Berlin")]
    pub authority_name: Option<String>,
}

/// File a recognition procedure
///
/// `regulated` comes from the qualification's reference occupation, `eu_eea_ch` from the
/// country it was acquired in.
#[utoipa::path(
    operation_id = "createRecognitionProcedure",
    tag = "counselling",
    request_body = NewProcedure,
    security(("bearer" = [])),
    responses((status = 201, description = "Created, in state `submitted`", body = RecognitionProcedureView,
        headers(("Location" = String, description = "URL of the new procedure"), ("ETag" = String, description = "Its version"))))
)]
#[post("")]
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    body: Json<NewProcedure>,
) -> ApiResult<Reply> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let input = body.0;
    let submitted_on = recorded_date("submitted_on", input.submitted_on)?;
    let authority_name = input
        .authority_name
        .as_deref()
        .map(|a| parse_text(a, 200).map_err(|e| e.at("authority_name")))
        .transpose()?;
    state
        .commit(&req, move |conn| {
            let qualification = counselling::qualifications::get(conn, input.qualification_id)
                .map_err(ApiError::from)
                .and_then(|q| ensure_visible(conn, &caller, q.organisation_id).map(|()| q))
                .map_err(|_| {
                    ApiError::invalid_field(
                        "qualification_id",
                        "not_found",
                        "no such qualification",
                    )
                })?;
            if let Some(case_id) = input.case_id {
                let case = counselling::cases::get(conn, case_id)
                    .ok()
                    .filter(|c| c.seeker_id == qualification.seeker_id);
                if case.is_none() {
                    return Err(ApiError::invalid_field(
                        "case_id",
                        "not_found",
                        "no such case of this seeker",
                    ));
                }
            }
            let country = reference::get_country(conn, &qualification.country)?;
            let facts = ProcedureFacts {
                regulated: qualification.regulated,
                eu_eea_ch: country.eu_eea_ch,
                accelerated: input.accelerated,
            };
            let procedure = RecognitionProcedure {
                id: ProcedureId::new(),
                qualification_id: qualification.id,
                seeker_id: qualification.seeker_id,
                case_id: input.case_id,
                organisation_id: qualification.organisation_id,
                authority_name,
                procedure: Procedure::submit(facts, submitted_on),
                stamp: Stamp::new(now()),
            };
            counselling::procedures::insert(conn, &procedure)?;
            ctx.by(&caller).record(conn, Action::Create, &procedure)?;
            let location = format!("/v1/recognition-procedures/{}", procedure.id);
            let version = procedure.stamp.version;
            Ok(http::created(
                location,
                &view(procedure, Vec::new()),
                version,
            ))
        })
        .await
}

/// Record a step of a procedure
///
/// One action, dated when it happened: `confirm_receipt`, `request_documents` (suspends the
/// clock), `complete_documents` (starts or resumes it), `start_qualification_analysis` /
/// `finish_qualification_analysis` (suspends / resumes), `extend` (once; at most one month for
/// EU/EEA/CH qualifications), `decide`, `warn_non_cooperation`, `reject_non_cooperation` (only
/// after a warning), `withdraw`, `appeal`. An action the state does not allow is a 409 whose
/// `allowed` lists the actions that are.
#[utoipa::path(
    operation_id = "actOnRecognitionProcedure",
    tag = "counselling",
    params(
        ("id" = ProcedureId, Path, description = "Procedure id")
    ),
    request_body = Step,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The procedure after the step", body = RecognitionProcedureView, headers(("ETag" = String, description = "The new version")))
    )
)]
#[post("/{id}/actions")]
async fn act(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    if_match: IfMatch,
    id: web::Path<ProcedureId>,
    body: Json<Step>,
) -> ApiResult<Reply> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let id = id.into_inner();
    let action = body.0;
    recorded_date("date", action.on())?;
    state
        .commit(&req, move |conn| {
            let current = visible_procedure(conn, &caller, id)?;
            if_match.check(current.stamp.version)?;
            let next_procedure = current.procedure.apply(&action)?;
            let at = now();
            let next = RecognitionProcedure {
                procedure: next_procedure,
                stamp: current.stamp.next(at),
                ..current.clone()
            };
            counselling::procedures::update(conn, &next, current.stamp.version)?;
            let details = serde_json::to_string(&action).unwrap_or_default();
            counselling::procedures::record_event(
                conn,
                id,
                action.name(),
                action.on(),
                &details,
                at,
            )?;
            ctx.by(&caller).record(conn, Action::Update, &next)?;
            let history = counselling::procedures::history(conn, id)?;
            let version = next.stamp.version;
            Ok(http::ok_with_etag(&view(next, history), version))
        })
        .await
}
