//! Counselling sessions held on a case.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::NaiveDate;
use iqnet_conventions::audit::{AccessContext, Action};
use iqnet_conventions::auth::Principal;
use iqnet_conventions::error::ApiResult;
use iqnet_conventions::extract::Json;
use iqnet_conventions::http::{self, List, Reply};
use iqnet_conventions::state::AppState;
use iqnet_counselling::case::SessionReport;
use iqnet_counselling::records::CounsellingSession;
use iqnet_counselling::vocabulary::{SessionFormat, SessionKind, SessionTopic};
use iqnet_persistence::Page;
use iqnet_persistence::counselling::{cases, sessions};
use iqnet_shared::ids::CaseId;
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

impl From<NewSession> for SessionReport {
    fn from(s: NewSession) -> Self {
        SessionReport {
            kind: s.kind,
            format: s.format,
            held_on: s.held_on,
            duration_minutes: s.duration_minutes,
            language: s.language,
            topics: s.topics,
        }
    }
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
            let (session, started) = case.hold_session(body.0.into(), now())?;
            if let Some(started) = started {
                cases::update(conn, &started, case.stamp.version)?;
            }
            sessions::insert(conn, &session)?;
            ctx.by(&caller).record(conn, Action::Update, &case)?;
            let location = format!("/v1/counselling-cases/{}/sessions", case.id);
            Ok(http::created(location, &session, session.stamp.version))
        })
        .await
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
