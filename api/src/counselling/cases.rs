//! Counselling cases, their sessions, and a seeker's whole journey in time order.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use iqnet_counselling::lifecycle::{CaseAction, apply_case_action, case_actions};
use iqnet_counselling::records::{CounsellingCase, CounsellingSession};
use iqnet_counselling::vocabulary::{
    AccessRoute, CaseKind, CaseState, SessionFormat, SessionKind, SessionTopic,
};
use iqnet_persistence::counselling::{self, cases::CaseFilter};
use iqnet_persistence::{DbConnection, Page};
use iqnet_shared::ids::{CaseId, SeekerId, SessionId};
use iqnet_shared::records::Stamp;
use iqnet_shared::time::now;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use iqnet_conventions::audit::{self, Access, AccessContext};
use iqnet_conventions::auth::{Caller, Principal};
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;

use super::seekers::past_date;
use super::{COUNSELLING_STAFF, ensure_visible, visible_seeker};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/counselling-cases")
            .service(list)
            .service(create)
            .service(get)
            .service(act)
            .service(add_session)
            .service(list_sessions),
    );
}

fn visible_case(
    conn: &mut DbConnection,
    caller: &Caller,
    id: CaseId,
) -> ApiResult<CounsellingCase> {
    let case = counselling::cases::get(conn, id)?;
    ensure_visible(conn, caller, case.organisation_id)?;
    Ok(case)
}

fn access<'a>(case: &CounsellingCase, action: &'static str, operation: &'a str) -> Access<'a> {
    Access {
        action,
        resource: "counselling_case",
        resource_id: case.id.to_string(),
        seeker: case.seeker_id,
        organisation: case.organisation_id,
        operation,
    }
}

fn audited(
    conn: &mut DbConnection,
    caller: &Caller,
    ctx: &AccessContext,
    case: &CounsellingCase,
    action: &'static str,
    operation: &str,
) -> ApiResult<()> {
    audit::record(conn, caller, ctx, access(case, action, operation))
}

list_query! {
    pub struct CaseQuery {
        /// Only the cases of this seeker.
        pub seeker_id: Option<SeekerId>,
        /// Only cases in this state.
        pub state: Option<CaseState>,
        /// Only cases changed at or after this instant (RFC 3339).
        pub updated_since: Option<DateTime<Utc>>,
    }
}

/// List counselling cases
#[utoipa::path(
    operation_id = "listCounsellingCases",
    tag = "counselling",
    params(CaseQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of cases in the caller's scope", body = List<CounsellingCase>,
        headers(("Link" = String, description = "`<...>; rel=\"next\"` when more pages follow"))))
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
    let q = query.0;
    let page = q.page()?;
    let filter = CaseFilter {
        seeker_id: q.seeker_id,
        state: q.state,
        updated_since: q.updated_since,
    };
    let found = state
        .write(move |conn| {
            let page = counselling::cases::list(conn, caller.scope(), &filter, &page)?;
            let accesses = page
                .items
                .iter()
                .map(|x| access(x, "read", "listCounsellingCases"));
            audit::record_all(conn, &caller, &ctx, accesses)?;
            Ok(page)
        })
        .await?;
    Ok(http::list(&req, found))
}

/// Get a counselling case
#[utoipa::path(
    operation_id = "getCounsellingCase",
    tag = "counselling",
    params(("id" = CaseId, Path, description = "Case id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The case", body = CounsellingCase, headers(("ETag" = String, description = "Strong ETag: the version"))),
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
    let id = id.into_inner();
    let found = state
        .write(move |conn| {
            let case = visible_case(conn, &caller, id)?;
            audited(conn, &caller, &ctx, &case, "read", "getCounsellingCase")?;
            Ok(case)
        })
        .await?;
    Ok(http::single(&req, &found, found.stamp.version))
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
}

/// Open a counselling case
///
/// The case belongs to the seeker's organisation and starts `open`.
#[utoipa::path(
    operation_id = "createCounsellingCase",
    tag = "counselling",
    request_body = NewCase,
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = CounsellingCase,
        headers(("Location" = String, description = "URL of the new case"), ("ETag" = String, description = "Its version"))))
)]
#[post("")]
async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    body: Json<NewCase>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let input = body.0;
    let opened_on = past_date(
        "opened_on",
        input
            .opened_on
            .unwrap_or_else(iqnet_shared::time::today_in_germany),
    )?;
    let created = state
        .write(move |conn| {
            let seeker = visible_seeker(conn, &caller, input.seeker_id).map_err(|_| {
                ApiError::invalid_field("seeker_id", "not_found", "no such advice seeker")
            })?;
            let case = CounsellingCase {
                id: CaseId::new(),
                seeker_id: seeker.id,
                organisation_id: seeker.organisation_id,
                kind: input.kind,
                access_route: input.access_route,
                state: CaseState::Open,
                outcome: None,
                opened_on,
                closed_on: None,
                allowed_actions: case_actions(CaseState::Open)
                    .iter()
                    .map(|a| (*a).to_owned())
                    .collect(),
                stamp: Stamp::new(now()),
            };
            counselling::cases::insert(conn, &case)?;
            audited(
                conn,
                &caller,
                &ctx,
                &case,
                "create",
                "createCounsellingCase",
            )?;
            Ok(case)
        })
        .await?;
    Ok(http::created(
        format!("/v1/counselling-cases/{}", created.id),
        &created,
        created.stamp.version,
    ))
}

/// Change a case's state
///
/// `start` (open -> in_progress), `close` with an outcome (open | in_progress -> closed), or
/// `abandon` (open | in_progress -> abandoned). Any other is a 409 naming the allowed actions.
#[utoipa::path(
    operation_id = "actOnCounsellingCase",
    tag = "counselling",
    params(
        ("id" = CaseId, Path, description = "Case id"),
        ("If-Match" = Option<String>, Header, description = "The ETag you read; a stale one is refused with 412")
    ),
    request_body = CaseAction,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The case in its new state", body = CounsellingCase, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "Not allowed in the current state (`allowed` lists what is)", body = iqnet_conventions::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` is stale; nothing changed", body = iqnet_conventions::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/{id}/actions")]
async fn act(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<CaseId>,
    body: Json<CaseAction>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let id = id.into_inner();
    let action = body.0;
    let if_match = IfMatch::of(&req);
    let updated = state
        .write(move |conn| {
            let current = visible_case(conn, &caller, id)?;
            if_match.check(current.stamp.version)?;
            let (state, outcome, closed_on) =
                apply_case_action(current.state, current.opened_on, &action)?;
            if let Some(on) = closed_on {
                past_date("date", on)?;
            }
            let next = CounsellingCase {
                state,
                outcome: outcome.or(current.outcome),
                closed_on: closed_on.or(current.closed_on),
                allowed_actions: case_actions(state)
                    .iter()
                    .map(|a| (*a).to_owned())
                    .collect(),
                stamp: current.stamp.next(now()),
                ..current.clone()
            };
            counselling::cases::update(conn, &next, current.stamp.version)?;
            audited(conn, &caller, &ctx, &next, "update", "actOnCounsellingCase")?;
            Ok(next)
        })
        .await?;
    Ok(http::ok_with_etag(&updated, updated.stamp.version))
}

/// A counselling session held.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSession {
    pub kind: SessionKind,
    pub format: SessionFormat,
    pub held_on: NaiveDate,
    #[schema(example = 45, minimum = 1, maximum = 600)]
    pub duration_minutes: u16,
    /// ISO 639-1.
    #[schema(example = "ar", pattern = "^[a-z]{2}$")]
    pub language: String,
    #[serde(default)]
    pub topics: Vec<SessionTopic>,
}

/// Record a counselling session
///
/// Only on an open or in-progress case; the first session of an open case starts it.
#[utoipa::path(
    operation_id = "createCounsellingSession",
    tag = "counselling",
    params(("id" = CaseId, Path, description = "Case id")),
    request_body = NewSession,
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = CounsellingSession,
        headers(("Location" = String, description = "URL of the case's sessions"))))
)]
#[post("/{id}/sessions")]
async fn add_session(
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<CaseId>,
    body: Json<NewSession>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let case_id = id.into_inner();
    let input = body.0;
    let language = iqnet_counselling::vocabulary::parse_language(&input.language)
        .map_err(|e| e.at("language"))?;
    if !(1..=600).contains(&input.duration_minutes) {
        return Err(ApiError::invalid_field(
            "duration_minutes",
            "out_of_range",
            "1 to 600 minutes",
        ));
    }
    let held_on = past_date("held_on", input.held_on)?;
    let mut topics = input.topics;
    topics.sort();
    topics.dedup();
    let created = state
        .write(move |conn| {
            let case = visible_case(conn, &caller, case_id)?;
            if matches!(case.state, CaseState::Closed | CaseState::Abandoned) {
                return Err(ApiError::conflict(
                    "case-ended",
                    format!("the case is {}; sessions go on open cases", case.state),
                )
                .with("current_state", case.state.as_str()));
            }
            if held_on < case.opened_on {
                return Err(ApiError::invalid_field(
                    "held_on",
                    "before_opening",
                    "a session cannot precede its case",
                ));
            }
            if case.state == CaseState::Open {
                let started = CounsellingCase {
                    state: CaseState::InProgress,
                    allowed_actions: case_actions(CaseState::InProgress)
                        .iter()
                        .map(|a| (*a).to_owned())
                        .collect(),
                    stamp: case.stamp.next(now()),
                    ..case.clone()
                };
                counselling::cases::update(conn, &started, case.stamp.version)?;
            }
            let session = CounsellingSession {
                id: SessionId::new(),
                case_id,
                organisation_id: case.organisation_id,
                kind: input.kind,
                format: input.format,
                held_on,
                duration_minutes: input.duration_minutes,
                language,
                topics,
                stamp: Stamp::new(now()),
            };
            counselling::sessions::insert(conn, &session)?;
            audited(
                conn,
                &caller,
                &ctx,
                &case,
                "update",
                "createCounsellingSession",
            )?;
            Ok(session)
        })
        .await?;
    Ok(http::created(
        format!("/v1/counselling-cases/{case_id}/sessions"),
        &created,
        created.stamp.version,
    ))
}

/// List a case's sessions
#[utoipa::path(
    operation_id = "listCounsellingSessions",
    tag = "counselling",
    params(("id" = CaseId, Path, description = "Case id")),
    security(("bearer" = [])),
    responses((status = 200, description = "Every session of the case, in the order recorded", body = List<CounsellingSession>))
)]
#[get("/{id}/sessions")]
async fn list_sessions(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<CaseId>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let id = id.into_inner();
    let items = state
        .write(move |conn| {
            let case = visible_case(conn, &caller, id)?;
            audited(
                conn,
                &caller,
                &ctx,
                &case,
                "read",
                "listCounsellingSessions",
            )?;
            Ok(counselling::sessions::of_case(conn, id)?)
        })
        .await?;
    Ok(http::list(
        &req,
        Page {
            items,
            next_after: None,
        },
    ))
}

/// One step of a seeker's journey.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JourneyEvent {
    /// The date it happened (for records: when they were made).
    pub date: NaiveDate,
    /// E.g. `qualification_recorded`, `case_opened`, `session_held`, `procedure_submitted`,
    /// `procedure_decide`, `referral_sent`, `case_closed`.
    #[schema(example = "procedure_decide")]
    pub event: String,
    /// `advice_seeker`, `foreign_qualification`, `counselling_case`, `counselling_session`,
    /// `recognition_procedure` or `referral`.
    pub resource: String,
    pub resource_id: String,
    /// Further facts of the step, e.g. the decision or the outcome.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    /// When the step was recorded; orders steps of the same day.
    pub recorded_at: DateTime<Utc>,
}

/// A seeker's journey: every step in time order.
#[derive(Debug, Serialize, ToSchema)]
pub struct Journey {
    pub seeker_id: SeekerId,
    pub events: Vec<JourneyEvent>,
}

fn event(
    on: NaiveDate,
    recorded_at: DateTime<Utc>,
    event: &str,
    resource: &str,
    id: String,
    details: serde_json::Value,
) -> JourneyEvent {
    JourneyEvent {
        date: on,
        event: event.to_owned(),
        resource: resource.to_owned(),
        resource_id: id,
        details,
        recorded_at,
    }
}

/// A seeker's journey
///
/// Registration, qualifications, cases and sessions, recognition procedures with each step and
/// decision, and referrals, in time order (steps of one day in the order they were recorded).
#[utoipa::path(
    operation_id = "getSeekerJourney",
    tag = "counselling",
    params(("id" = SeekerId, Path, description = "Advice seeker id")),
    security(("bearer" = [])),
    responses((status = 200, description = "The journey", body = Journey))
)]
#[get("/{id}/journey")]
pub async fn journey(
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<SeekerId>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let id = id.into_inner();
    let journey = state
        .write(move |conn| {
            let seeker = visible_seeker(conn, &caller, id)?;
            let created = seeker.stamp.created_at;
            let mut events = vec![event(created.date_naive(), created, "seeker_registered", "advice_seeker", id.to_string(), serde_json::json!({}))];
            for q in counselling::qualifications::of_seeker(conn, id)? {
                let details = serde_json::json!({"title": q.title, "country": q.country, "regulated": q.regulated});
                events.push(event(q.stamp.created_at.date_naive(), q.stamp.created_at, "qualification_recorded", "foreign_qualification", q.id.to_string(), details));
            }
            for case in counselling::cases::of_seeker(conn, id)? {
                events.push(event(case.opened_on, case.stamp.created_at, "case_opened", "counselling_case", case.id.to_string(), serde_json::json!({"kind": case.kind})));
                for s in counselling::sessions::of_case(conn, case.id)? {
                    let details = serde_json::json!({"kind": s.kind, "format": s.format, "case_id": case.id});
                    events.push(event(s.held_on, s.stamp.created_at, "session_held", "counselling_session", s.id.to_string(), details));
                }
                if let Some(closed_on) = case.closed_on {
                    let details = serde_json::json!({"state": case.state, "outcome": case.outcome});
                    events.push(event(closed_on, case.stamp.updated_at, &format!("case_{}", case.state), "counselling_case", case.id.to_string(), details));
                }
            }
            for p in counselling::procedures::of_seeker(conn, id)? {
                let details = serde_json::json!({"qualification_id": p.qualification_id, "accelerated": p.procedure.facts.accelerated});
                events.push(event(p.procedure.submitted_on, p.stamp.created_at, "procedure_submitted", "recognition_procedure", p.id.to_string(), details));
                for step in counselling::procedures::history(conn, p.id)? {
                    let details = if step.action == "decide" {
                        serde_json::json!({"decision": p.procedure.decision})
                    } else {
                        serde_json::json!({})
                    };
                    events.push(event(step.happened_on, step.recorded_at, &format!("procedure_{}", step.action), "recognition_procedure", p.id.to_string(), details));
                }
            }
            for r in counselling::referrals::of_seeker(conn, id)? {
                let details = serde_json::json!({"to_organisation_id": r.to_organisation_id, "status": r.status, "reason": r.reason});
                events.push(event(r.sent_on, r.stamp.created_at, "referral_sent", "referral", r.id.to_string(), details));
            }
            events.sort_by_key(|e| (e.date, e.recorded_at));
            audit::record(
                conn,
                &caller,
                &ctx,
                Access { action: "read", resource: "advice_seeker", resource_id: id.to_string(), seeker: id, organisation: seeker.organisation_id, operation: "getSeekerJourney" },
            )?;
            Ok(Journey { seeker_id: id, events })
        })
        .await?;
    Ok(HttpResponse::Ok().json(journey))
}
