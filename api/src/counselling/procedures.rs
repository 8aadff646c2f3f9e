//! Recognition procedures under the Recognition Act (BQFG), with the legal deadlines the domain
//! computes and an `overdue` filter for procedures whose authority is late.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use iqnet_counselling::procedure::filing::{self, Authority};
use iqnet_counselling::procedure::{Action as Step, Procedure, ProcedureKind, ProcedureState};
use iqnet_counselling::records::RecognitionProcedure;
use iqnet_persistence::counselling::{self, procedures::ProcedureFilter};
use iqnet_persistence::{DbConnection, reference};
use iqnet_shared::codes::StateCode;
use iqnet_shared::ids::{ProcedureId, SeekerId};
use iqnet_shared::records::Stamp;
use iqnet_shared::structure::parse_text;
use iqnet_shared::time::{now, recorded_date};
use utoipa_actix_web::service_config::ServiceConfig;

use iqnet_conventions::audit::{AccessContext, Action};
use iqnet_conventions::auth::{Caller, Principal};
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List, Reply};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;

use super::procedure_view::{NewProcedure, RecognitionProcedureView, view};
use super::{ensure_visible, named};
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
        /// Only recognitions or only ZAB statements.
        pub kind: Option<ProcedureKind>,
        /// Only the procedures of this competent authority.
        pub authority_id: Option<String>,
        /// `true`: only procedures whose authority is late today (receipt not confirmed in time, or
        /// no decision in time while the clock runs).
        pub overdue: Option<bool>,
        /// Only procedures changed at or after this instant (RFC 3339).
        pub updated_since: Option<DateTime<Utc>>,
    }
}

/// List recognition procedures
///
/// The recognition procedures in the caller's scope, for counselling staff, filtered by the query
/// parameters.
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
        kind: q.kind,
        authority_id: q.authority_id,
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
            let history = counselling::procedure_history::history(conn, id)?;
            Ok(view(p, history))
        })
        .await?;
    Ok(http::single(&req, &found, found.stamp.version))
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
            let authority = authority(
                conn,
                input.authority_id.as_deref(),
                authority_name,
                input.authority_state,
            )?;
            let follows = input
                .follows_procedure_id
                .map(|id| {
                    named(conn, &caller, ("follows_procedure_id", "procedure"), |c| {
                        counselling::procedures::get(c, id)
                    })
                })
                .transpose()?;
            let country = reference::get_country(conn, &qualification.country)?;
            let kind = input.kind.unwrap_or(ProcedureKind::Recognition);
            let (facts, seat) = filing::file(
                kind,
                input.accelerated,
                &qualification,
                country.eu_eea_ch,
                &authority,
                follows.as_ref(),
            )?;
            let (authority_id, authority_name) = match authority {
                Authority::Known(a) => (Some(a.id), Some(a.name)),
                Authority::Named { name, .. } => (None, name),
            };
            let procedure = RecognitionProcedure {
                id: ProcedureId::new(),
                qualification_id: qualification.id,
                seeker_id: qualification.seeker_id,
                case_id: input.case_id,
                organisation_id: qualification.organisation_id,
                authority_id,
                authority_name,
                follows_procedure_id: follows.map(|f| f.id),
                procedure: Procedure::submit(facts, seat, submitted_on),
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

/// The authority named by id (422 when unknown), or the counsellor's fallback text and state.
fn authority(
    conn: &mut DbConnection,
    id: Option<&str>,
    name: Option<String>,
    state: Option<StateCode>,
) -> ApiResult<Authority> {
    match (id, name, state) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Err(ApiError::invalid_field(
            "authority_id",
            "either_id_or_name",
            "name the authority by id, or by name and state only when it is not in the reference data",
        )),
        (Some(id), None, None) => reference::get_authority(conn, id)
            .map(Authority::Known)
            .map_err(|_| {
                ApiError::invalid_field("authority_id", "not_found", "no such competent authority")
            }),
        (None, name, state) => Ok(Authority::Named { name, state }),
    }
}

/// Record a step of a procedure
///
/// One action, dated when it happened: `confirm_receipt` (with `complete_on_receipt` the decision
/// period runs from receipt), `request_documents` (suspends the clock), `complete_documents`
/// (starts or resumes it), `start_qualification_analysis` / `finish_qualification_analysis`
/// (suspends / resumes), `extend` (once, before the period ends; at most one month for
/// qualifications from or recognised in the EU/EEA/CH), `decide`, `warn_non_cooperation` (with
/// the applicant's `deadline`), `reject_non_cooperation` (only after that deadline), `withdraw`,
/// `appeal`, `start_measure` / `finish_measure` (the measures of a compensation decision),
/// `grant_temporary_permit`, `record_funding`. An action the procedure's state and data do not
/// allow on its date is a 409 whose `allowed` lists the actions that are.
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
            counselling::procedure_history::record_event(
                conn,
                id,
                action.name(),
                action.on(),
                &details,
                at,
            )?;
            ctx.by(&caller).record(conn, Action::Update, &next)?;
            let history = counselling::procedure_history::history(conn, id)?;
            let version = next.stamp.version;
            Ok(http::ok_with_etag(&view(next, history), version))
        })
        .await
}
