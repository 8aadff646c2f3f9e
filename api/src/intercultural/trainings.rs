//! Intercultural trainings: their providers' management (create, merge patch, lifecycle
//! actions) and the public calendar as JSON (`calendar.rs` serves it as iCalendar).

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use iqnet_conventions::auth::{Caller, Principal};
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List, Patch, Reply};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;
use iqnet_intercultural::training::{
    Training, TrainingAction, TrainingActionKind, TrainingFacts, TrainingSession,
};
use iqnet_intercultural::vocabulary::{TargetKind, TrainingFormat, TrainingState, TrainingTopic};
use iqnet_persistence::intercultural::trainings::{self, TrainingFilter};
use iqnet_persistence::{DbConnection, PageRequest, structure};
use iqnet_shared::error::Violations;
use iqnet_shared::ids::{OrganisationId, TrainingId, UserId};
use iqnet_shared::records::Stamp;
use iqnet_shared::structure::Role;
use iqnet_shared::time::now;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::counselling::owning_organisation;
use crate::permissions::TRAINING_MANAGERS;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(search)
        .service(create)
        .service(super::calendar::feed)
        .service(get)
        .service(update)
        .service(act);
}

/// A training as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Training)]
#[schema(example = json!({
    "id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e6f", "organisation_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e70",
    "title": "Interkulturelle Kompetenz in der Beratung", "description": null, "format": "workshop",
    "topics": ["anti_discrimination"], "target_kinds": ["jobcenter"], "trainer_ids": [], "capacity": 20,
    "sessions": [{"starts_at": "2027-03-01T08:00:00Z", "ends_at": "2027-03-01T15:00:00Z", "hours": 6,
                  "venue": "Jobcenter Leipzig, Raum 3", "online_url": null}],
    "starts_on": "2027-03-01", "ends_on": "2027-03-01", "hours": 6, "state": "open",
    "places_taken": 3, "places_free": 17, "allowed_actions": ["start", "cancel"],
    "created_at": "2026-11-25T10:00:00Z", "updated_at": "2026-11-25T10:05:00Z", "version": 3
}))]
pub struct TrainingView {
    pub id: TrainingId,
    /// The providing organisation.
    pub organisation_id: OrganisationId,
    #[serde(flatten)]
    pub facts: TrainingFacts,
    /// The day of the first session.
    pub starts_on: NaiveDate,
    /// The day the last session ends.
    pub ends_on: NaiveDate,
    /// Teaching hours of all sessions.
    pub hours: i32,
    pub state: TrainingState,
    /// Places held by confirmed registrations.
    pub places_taken: i32,
    pub places_free: i32,
    /// The actions the current state allows (`POST .../actions`).
    pub allowed_actions: Vec<TrainingActionKind>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

impl From<&Training> for TrainingView {
    fn from(t: &Training) -> Self {
        TrainingView {
            id: t.id,
            organisation_id: t.organisation_id,
            facts: t.facts.clone(),
            starts_on: t.facts.starts_on(),
            ends_on: t.facts.ends_on(),
            hours: t.facts.hours(),
            state: t.state,
            places_taken: t.places_taken,
            places_free: t.facts.capacity - t.places_taken,
            allowed_actions: t.allowed_actions().to_vec(),
            stamp: t.stamp,
        }
    }
}

list_query! {
    pub struct TrainingQuery => TrainingSearch {
        /// Trainings in this state; `open` (taking registrations) when not given.
        pub state: Option<TrainingState>,
        /// Only trainings of this format.
        pub format: Option<TrainingFormat>,
        /// Only trainings on this topic.
        pub topic: Option<TrainingTopic>,
        /// Only trainings for this kind of organisation.
        pub target_kind: Option<TargetKind>,
        /// Only trainings with a day on or after this date.
        pub from: Option<NaiveDate>,
        /// Only trainings with a day on or before this date.
        pub until: Option<NaiveDate>,
        /// Only trainings of this provider.
        pub organisation_id: Option<OrganisationId>,
        /// Only trainings changed at or after this instant (RFC 3339).
        pub updated_since: Option<DateTime<Utc>>,
    }
}

/// The query's filters, as the calendar in both formats reads them.
pub struct TrainingSearch {
    state: Option<TrainingState>,
    format: Option<TrainingFormat>,
    topic: Option<TrainingTopic>,
    target_kind: Option<TargetKind>,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
    organisation_id: Option<OrganisationId>,
    updated_since: Option<DateTime<Utc>>,
}

impl From<TrainingSearch> for TrainingFilter {
    fn from(q: TrainingSearch) -> Self {
        TrainingFilter {
            state: q.state.unwrap_or(TrainingState::Open),
            format: q.format,
            topic: q.topic,
            target_kind: q.target_kind,
            from: q.from,
            until: q.until,
            organisation_id: q.organisation_id,
            updated_since: q.updated_since,
        }
    }
}

/// One page of the calendar: the trainings `query` asks for.
pub async fn calendar_page(
    state: &AppState,
    query: TrainingQuery,
) -> ApiResult<iqnet_persistence::Page<Training>> {
    ApiError::check_range(("from", query.from), ("until", query.until))?;
    let (wanted, page): (TrainingSearch, PageRequest) = query.into_parts()?;
    let filter = TrainingFilter::from(wanted);
    state
        .read(move |conn| Ok(trainings::search(conn, &filter, &page)?))
        .await
}

/// The public training calendar
///
/// Public. Filters combine; by default only open trainings (taking registrations), in the
/// order they were planned. The same calendar as iCalendar: `GET /v1/trainings/calendar.ics`.
#[utoipa::path(
    operation_id = "searchTrainings",
    tag = "intercultural",
    params(TrainingQuery),
    security(()),
    responses((status = 200, description = "One page of trainings", body = List<TrainingView>))
)]
#[get("")]
async fn search(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Query<TrainingQuery>,
) -> ApiResult<HttpResponse> {
    let found = calendar_page(&state, query.0).await?;
    Ok(http::list(&req, found.map(|t| TrainingView::from(&t))))
}

/// Get a training
///
/// One intercultural training by id, as the public calendar shows it; no token needed.
#[utoipa::path(
    operation_id = "getTraining",
    tag = "intercultural",
    params(("id" = TrainingId, Path, description = "Training id")),
    security(()),
    responses(
        (status = 200, description = "The training", body = TrainingView, headers(("ETag" = String, description = "Strong ETag: the version"))),
        (status = 304, description = "`If-None-Match` names the current version")
    )
)]
#[get("/{id}")]
async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<TrainingId>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let found = state
        .read(move |conn| Ok(trainings::get(conn, id)?))
        .await?;
    Ok(http::single(
        &req,
        &TrainingView::from(&found),
        found.stamp.version,
    ))
}

/// A new training: its facts and, for callers managing several providers, whose it is.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Interkulturelle Kompetenz in der Beratung", "format": "multi_module",
    "topics": ["intercultural_competence", "anti_discrimination"], "target_kinds": ["jobcenter"],
    "trainer_ids": [], "capacity": 20,
    "sessions": [{"starts_at": "2027-03-01T08:00:00Z", "ends_at": "2027-03-01T15:00:00Z", "hours": 6,
                  "venue": "Jobcenter Leipzig, Raum 3"}]
}))]
pub struct NewTraining {
    /// Defaults to the caller's organisation.
    pub organisation_id: Option<OrganisationId>,
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    pub description: Option<String>,
    pub format: TrainingFormat,
    pub topics: Vec<TrainingTopic>,
    pub target_kinds: Vec<TargetKind>,
    /// Trainers: users with the role `trainer` of the providing organisation.
    #[serde(default)]
    pub trainer_ids: Vec<UserId>,
    pub capacity: i32,
    pub sessions: Vec<TrainingSession>,
}

impl NewTraining {
    fn into_parts(self) -> (Option<OrganisationId>, TrainingFacts) {
        let facts = TrainingFacts {
            title: self.title,
            description: self.description,
            format: self.format,
            topics: self.topics,
            target_kinds: self.target_kinds,
            trainer_ids: self.trainer_ids,
            capacity: self.capacity,
            sessions: self.sessions,
        };
        (self.organisation_id, facts)
    }
}

/// Trainers must be trainers of the providing organisation.
fn ensure_trainers(
    conn: &mut DbConnection,
    organisation: OrganisationId,
    facts: &TrainingFacts,
) -> ApiResult<()> {
    let mut v = Violations::new();
    for (i, id) in facts.trainer_ids.iter().enumerate() {
        let staff = structure::users::get(conn, *id)
            .is_ok_and(|u| u.role == Role::Trainer && u.organisation_id == Some(organisation));
        if !staff {
            v.push(
                format!("trainer_ids[{i}]"),
                "not_a_trainer",
                "not a trainer of the providing organisation",
            );
        }
    }
    Ok(v.finish(|| ())?)
}

/// The training `id`, if the caller manages its provider. Trainings are public, so existence is
/// no secret: outside the caller's scope it is a 403, as for measures.
pub fn managed(conn: &mut DbConnection, caller: &Caller, id: TrainingId) -> ApiResult<Training> {
    let training = trainings::get(conn, id)?;
    owning_organisation(conn, caller, Some(training.organisation_id))?;
    Ok(training)
}

/// Plan a training
///
/// The training belongs to the caller's organisation (or the one named, within the caller's
/// scope) and starts `planned`; it shows in the public calendar once opened.
#[utoipa::path(
    operation_id = "createTraining",
    tag = "intercultural",
    request_body = NewTraining,
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = TrainingView,
        headers(("Location" = String, description = "URL of the new training"), ("ETag" = String, description = "Its version"))))
)]
#[post("")]
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<NewTraining>,
) -> ApiResult<Reply> {
    let caller = principal.require(TRAINING_MANAGERS)?;
    let (organisation, facts) = body.0.into_parts();
    let facts = facts.parse()?;
    state
        .commit(&req, move |conn| {
            let organisation_id = owning_organisation(conn, &caller, organisation)?;
            ensure_trainers(conn, organisation_id, &facts)?;
            let training = Training::plan(organisation_id, facts, now())?;
            trainings::insert(conn, &training)?;
            let location = format!("/v1/trainings/{}", training.id);
            Ok(http::created(
                location,
                &TrainingView::from(&training),
                training.stamp.version,
            ))
        })
        .await
}

/// Changes to a training (JSON merge patch); `null` removes an optional field.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"capacity": 24, "description": null}))]
pub struct TrainingPatch {
    #[serde(default)]
    #[schema(value_type = String)]
    pub title: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub description: Patch<String>,
    #[serde(default)]
    #[schema(value_type = TrainingFormat)]
    pub format: Patch<TrainingFormat>,
    #[serde(default)]
    #[schema(value_type = Vec<TrainingTopic>)]
    pub topics: Patch<Vec<TrainingTopic>>,
    #[serde(default)]
    #[schema(value_type = Vec<TargetKind>)]
    pub target_kinds: Patch<Vec<TargetKind>>,
    #[serde(default)]
    #[schema(value_type = Vec<UserId>)]
    pub trainer_ids: Patch<Vec<UserId>>,
    #[serde(default)]
    #[schema(value_type = i32)]
    pub capacity: Patch<i32>,
    #[serde(default)]
    #[schema(value_type = Vec<TrainingSession>)]
    pub sessions: Patch<Vec<TrainingSession>>,
}

impl TrainingPatch {
    /// The facts after the patch; a required field set to `null` is refused.
    fn apply(self, f: TrainingFacts) -> ApiResult<TrainingFacts> {
        Ok(TrainingFacts {
            title: self.title.apply_required("title", f.title)?,
            description: self.description.apply_to(f.description),
            format: self.format.apply_required("format", f.format)?,
            topics: self.topics.apply_required("topics", f.topics)?,
            target_kinds: self
                .target_kinds
                .apply_required("target_kinds", f.target_kinds)?,
            trainer_ids: self
                .trainer_ids
                .apply_required("trainer_ids", f.trainer_ids)?,
            capacity: self.capacity.apply_required("capacity", f.capacity)?,
            sessions: self.sessions.apply_required("sessions", f.sessions)?,
        })
    }
}

/// Update a training
///
/// Capacity cannot fall below the places taken (422); a running training keeps its number of
/// sessions (participation is counted per session). A completed or cancelled training is no
/// longer edited (409).
#[utoipa::path(
    operation_id = "updateTraining",
    tag = "intercultural",
    params(("id" = TrainingId, Path, description = "Training id")),
    request_body(content = TrainingPatch, content_type = "application/merge-patch+json"),
    security(("bearer" = [])),
    responses((status = 200, description = "The updated training", body = TrainingView, headers(("ETag" = String, description = "The new version"))))
)]
#[patch("/{id}")]
async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    if_match: IfMatch,
    id: web::Path<TrainingId>,
    body: Json<TrainingPatch>,
) -> ApiResult<Reply> {
    let caller = principal.require(TRAINING_MANAGERS)?;
    state
        .commit(&req, move |conn| {
            let current = managed(conn, &caller, *id)?;
            if_match.check(current.stamp.version)?;
            let next = current.revise(body.0.apply(current.facts.clone())?, now())?;
            ensure_trainers(conn, next.organisation_id, &next.facts)?;
            trainings::update(conn, &next, current.stamp.version)?;
            Ok(http::ok_with_etag(
                &TrainingView::from(&next),
                next.stamp.version,
            ))
        })
        .await
}

/// Change a training's state
///
/// `open` (planned -> open: in the public calendar, registrations are taken), `start` (open ->
/// running), `complete` (running -> completed) or `cancel` (planned | open | running ->
/// cancelled). Any other is a 409 naming the allowed actions.
#[utoipa::path(
    operation_id = "actOnTraining",
    tag = "intercultural",
    params(("id" = TrainingId, Path, description = "Training id")),
    request_body = TrainingAction,
    security(("bearer" = [])),
    responses((status = 200, description = "The training in its new state", body = TrainingView, headers(("ETag" = String, description = "The new version"))))
)]
#[post("/{id}/actions")]
async fn act(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    if_match: IfMatch,
    id: web::Path<TrainingId>,
    body: Json<TrainingAction>,
) -> ApiResult<Reply> {
    let caller = principal.require(TRAINING_MANAGERS)?;
    state
        .commit(&req, move |conn| {
            let current = managed(conn, &caller, *id)?;
            if_match.check(current.stamp.version)?;
            let next = current.apply(body.0, now())?;
            trainings::update(conn, &next, current.stamp.version)?;
            Ok(http::ok_with_etag(
                &TrainingView::from(&next),
                next.stamp.version,
            ))
        })
        .await
}
