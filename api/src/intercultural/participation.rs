//! Participation in a training's sessions, counted by organisation kind, gender and function:
//! recorded by the provider per session (replacing that session's counts), read by the provider,
//! coordinators and analysts. Counts only, never names.

use actix_web::{HttpRequest, HttpResponse, get, put, web};
use chrono::{DateTime, Utc};
use iqnet_conventions::auth::{Caller, Principal};
use iqnet_conventions::error::ApiResult;
use iqnet_conventions::extract::Json;
use iqnet_conventions::http::{self, IfMatch, Reply};
use iqnet_conventions::state::AppState;
use iqnet_intercultural::participation::{ParticipationCount, parse_counts};
use iqnet_intercultural::training::Training;
use iqnet_persistence::DbConnection;
use iqnet_persistence::intercultural::{participation, trainings};
use iqnet_shared::ids::TrainingId;
use iqnet_shared::structure::Role;
use iqnet_shared::time::now;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::trainings::managed;
use crate::counselling::owning_organisation;
use crate::permissions::{TRAINING_FIGURES_READERS, TRAINING_MANAGERS};

/// Under `/trainings`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(record).service(show);
}

/// One session's participants.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionParticipation {
    /// The session's number, from 1 in time order.
    #[schema(example = 1)]
    pub session: i32,
    pub starts_at: DateTime<Utc>,
    pub counts: Vec<ParticipationCount>,
    /// All participants of the session.
    #[schema(example = 18)]
    pub participants: i32,
}

/// Who took part in a training, session by session.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "training_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e6f",
    "sessions": [{"session": 1, "starts_at": "2027-03-01T08:00:00Z", "participants": 11, "counts": [
        {"organisation_kind": "jobcenter", "gender": "female", "function": "client_contact", "participants": 9},
        {"organisation_kind": "jobcenter", "gender": "male", "function": "management", "participants": 2}]}],
    "participant_sessions": 11, "version": 4
}))]
pub struct Participation {
    pub training_id: TrainingId,
    pub sessions: Vec<SessionParticipation>,
    /// Participants summed over the sessions (one person at three sessions counts three times).
    #[schema(example = 52)]
    pub participant_sessions: i32,
    /// The training's version (its `ETag`): recording participation moves it on.
    pub version: i64,
}

fn participation_of(conn: &mut DbConnection, t: &Training) -> ApiResult<Participation> {
    let all = participation::of_training(conn, t.id)?;
    let sessions: Vec<SessionParticipation> = t
        .facts
        .sessions
        .iter()
        .zip(1..)
        .map(|(s, number)| {
            let counts: Vec<ParticipationCount> = all
                .iter()
                .filter(|(n, _)| *n == number)
                .map(|(_, c)| *c)
                .collect();
            SessionParticipation {
                session: number,
                starts_at: s.starts_at,
                participants: counts.iter().map(|c| c.participants).sum(),
                counts,
            }
        })
        .collect();
    Ok(Participation {
        training_id: t.id,
        participant_sessions: sessions.iter().map(|s| s.participants).sum(),
        sessions,
        version: t.stamp.version,
    })
}

/// The training `id`, if the caller may read its figures: analysts and admins everywhere, the
/// provider's staff and coordinators in their scope (403 outside: trainings are public).
pub fn with_figures(
    conn: &mut DbConnection,
    caller: &Caller,
    id: TrainingId,
) -> ApiResult<Training> {
    let training = trainings::get(conn, id)?;
    if caller.role != Role::Analyst {
        owning_organisation(conn, caller, Some(training.organisation_id))?;
    }
    Ok(training)
}

/// A session's participants, counted.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"counts": [
    {"organisation_kind": "jobcenter", "gender": "female", "function": "client_contact", "participants": 9},
    {"organisation_kind": "jobcenter", "gender": "male", "function": "management", "participants": 2}
]}))]
pub struct SessionCounts {
    pub counts: Vec<ParticipationCount>,
}

/// Record a session's participants
///
/// Replaces the session's counts (by organisation kind, gender and function; each combination
/// once). Only once the training runs (409 `training-not-held` before); the session number
/// counts from 1 in time order. Moves the training's version on, so `If-Match` takes the
/// training's `ETag`.
#[utoipa::path(
    operation_id = "recordParticipation",
    tag = "intercultural",
    params(
        ("id" = TrainingId, Path, description = "Training id"),
        ("number" = i32, Path, description = "Session number, from 1 in time order", example = 1)
    ),
    request_body = SessionCounts,
    security(("bearer" = [])),
    responses((status = 200, description = "The training's participation", body = Participation, headers(("ETag" = String, description = "The training's new version"))))
)]
#[put("/{id}/sessions/{number}/participation")]
async fn record(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    if_match: IfMatch,
    path: web::Path<(TrainingId, i32)>,
    body: Json<SessionCounts>,
) -> ApiResult<Reply> {
    let caller = principal.require(TRAINING_MANAGERS)?;
    let (id, number) = path.into_inner();
    let counts = parse_counts(body.0.counts)?;
    state
        .commit(&req, move |conn| {
            let current = managed(conn, &caller, id)?;
            if_match.check(current.stamp.version)?;
            let next = current.recorded(now())?;
            next.session(number)?;
            trainings::update(conn, &next, current.stamp.version)?;
            participation::replace(conn, id, number, &counts)?;
            let shown = participation_of(conn, &next)?;
            Ok(http::ok_with_etag(&shown, next.stamp.version))
        })
        .await
}

/// Get a training's participation
///
/// For the provider's staff and coordinators in their scope, and analysts.
#[utoipa::path(
    operation_id = "getParticipation",
    tag = "intercultural",
    params(("id" = TrainingId, Path, description = "Training id")),
    security(("bearer" = [])),
    responses((status = 200, description = "Participants per session", body = Participation))
)]
#[get("/{id}/participation")]
async fn show(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<TrainingId>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(TRAINING_FIGURES_READERS)?;
    let shown = state
        .read(move |conn| {
            let training = with_figures(conn, &caller, *id)?;
            participation_of(conn, &training)
        })
        .await?;
    Ok(HttpResponse::Ok().json(shown))
}
