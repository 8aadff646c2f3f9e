//! Counselling sessions held on a case: one `first` per seeker across their cases (the
//! domain checks it, and a unique index holds it against concurrent requests), held at a
//! counselling point by a counsellor.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::NaiveDate;
use iqnet_conventions::audit::{AccessContext, Action};
use iqnet_conventions::auth::{Caller, Principal, Subject};
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::Json;
use iqnet_conventions::http::{self, List, Reply};
use iqnet_conventions::state::AppState;
use iqnet_counselling::records::{CounsellingCase, CounsellingSession};
use iqnet_counselling::session::{FIRST_SESSION_HELD, SessionContext, SessionReport};
use iqnet_counselling::vocabulary::{SessionFormat, SessionKind, SessionTopic};
use iqnet_persistence::counselling::{cases, centres, sessions};
use iqnet_persistence::{DbConnection, Page, StoreError, structure};
use iqnet_shared::ids::{AdviceCentreId, CaseId, UserId};
use iqnet_shared::records::User;
use iqnet_shared::structure::Role;
use iqnet_shared::time::now;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::visible;
use crate::permissions::COUNSELLING_STAFF;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create).service(list);
}

/// A counselling session held.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSession {
    /// `first` once per advice seeker (across all their cases), `follow_up` after it. Left
    /// out, it follows from the seeker's sessions.
    pub kind: Option<SessionKind>,
    pub format: SessionFormat,
    pub held_on: NaiveDate,
    #[schema(example = 45, minimum = 1, maximum = 600)]
    pub duration_minutes: u16,
    /// ISO 639-1.
    #[schema(example = "ar", pattern = "^[a-z]{2}$")]
    pub language: String,
    #[serde(default)]
    pub topics: Vec<SessionTopic>,
    /// The counselling point (a fixed or mobile advice centre of the case's organisation).
    pub centre_id: Option<AdviceCentreId>,
    /// The counsellor who held it (a counsellor of the case's organisation); defaults to the
    /// caller when the caller is one.
    pub counsellor_id: Option<UserId>,
}

impl From<NewSession> for SessionReport {
    fn from(s: NewSession) -> Self {
        SessionReport {
            kind: s.kind,
            format: s.format,
            held_on: s.held_on,
            duration_minutes: s.duration_minutes,
            language: s.language,
            topics: s.topics,
            centre_id: s.centre_id,
            counsellor_id: s.counsellor_id,
        }
    }
}

/// The counsellor named, or else the caller when they counsel for the case's organisation.
fn counsellor(
    conn: &mut DbConnection,
    caller: &Caller,
    case: &CounsellingCase,
    named: Option<UserId>,
) -> ApiResult<Option<User>> {
    let id = match (named, &caller.subject) {
        (Some(id), _) => id,
        (None, Subject::User(me))
            if caller.role == Role::Counsellor
                && caller.organisation == Some(case.organisation_id) =>
        {
            *me
        }
        (None, _) => return Ok(None),
    };
    structure::users::get(conn, id)
        .map(Some)
        .map_err(|_| ApiError::invalid_field("counsellor_id", "not_found", "no such counsellor"))
}

/// A second `first` session that raced past the domain's check, refused by the unique index.
fn first_session_held(e: StoreError) -> ApiError {
    match e {
        StoreError::Conflict(_) => ApiError::conflict(
            FIRST_SESSION_HELD,
            "the seeker's first counselling is already recorded; record this one as `follow_up`",
        ),
        other => other.into(),
    }
}

/// Record a counselling session
///
/// Only on an open or in-progress case; the first session of an open case starts it. A seeker
/// has one `first` session across all their cases (409 `first-session-held` for another), and a
/// `follow_up` needs it (409 `no-first-session`).
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
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<CaseId>,
    body: Json<NewSession>,
) -> ApiResult<Reply> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    state
        .commit(&req, move |conn| {
            let case = visible(conn, &caller, |c| cases::get(c, *id))?;
            let report = SessionReport::from(body.0);
            let first_session = sessions::first_of_seeker(conn, case.seeker_id)?;
            let centre = match report.centre_id {
                Some(centre) => Some(centres::get(conn, centre).map_err(|_| {
                    ApiError::invalid_field("centre_id", "not_found", "no such advice centre")
                })?),
                None => None,
            };
            let counsellor = counsellor(conn, &caller, &case, report.counsellor_id)?;
            let context = SessionContext {
                first_session: first_session.as_ref(),
                centre: centre.as_ref(),
                counsellor: counsellor.as_ref(),
            };
            let (session, started) = case.hold_session(report, context, now())?;
            // The session first: a second `first` racing on the same case then meets the unique
            // index (and its precise 409) before the case's version check.
            sessions::insert(conn, &session).map_err(first_session_held)?;
            if let Some(started) = started {
                cases::update(conn, &started, case.stamp.version)?;
            }
            ctx.by(&caller).record(conn, Action::Update, &case)?;
            let location = format!("/v1/counselling-cases/{}/sessions", case.id);
            Ok(http::created(location, &session, session.stamp.version))
        })
        .await
}

/// List a case's sessions
///
/// The sessions held in one counselling case, for counselling staff who may see the case.
#[utoipa::path(
    operation_id = "listCounsellingSessions",
    tag = "counselling",
    params(("id" = CaseId, Path, description = "Case id")),
    security(("bearer" = [])),
    responses((status = 200, description = "Every session of the case, in the order recorded", body = List<CounsellingSession>))
)]
#[get("/{id}/sessions")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<CaseId>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let items = state
        .write(move |conn| {
            let case = visible(conn, &caller, |c| cases::get(c, *id))?;
            ctx.by(&caller).record(conn, Action::Read, &case)?;
            Ok(sessions::of_case(conn, case.id)?)
        })
        .await?;
    Ok(http::list(&req, Page::all(items)))
}
