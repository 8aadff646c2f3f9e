//! Bridge-training measures: the public search, and their providers' management (create, merge
//! patch, lifecycle actions).

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use iqnet_conventions::audit::{AccessContext, Action};
use iqnet_conventions::auth::{Caller, Principal};
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List, Patch, Reply};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;
use iqnet_persistence::qualification::enrolments;
use iqnet_persistence::qualification::measures::{self, MeasureFilter};
use iqnet_persistence::{DbConnection, reference};
use iqnet_qualification::measure::{
    Measure, MeasureAction, MeasureActionKind, MeasureFacts, Module,
};
use iqnet_qualification::vocabulary::{MeasureFormat, MeasureMode, MeasureState, MeasureType};
use iqnet_shared::codes::{KldbCode, LanguageLevel, StateCode};
use iqnet_shared::error::Violations;
use iqnet_shared::ids::{MeasureId, OrganisationId};
use iqnet_shared::records::Stamp;
use iqnet_shared::time::now;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::counselling::owning_organisation;
use crate::permissions::MEASURE_MANAGERS;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(search)
        .service(create)
        .service(get)
        .service(update)
        .service(act);
}

/// A measure as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Measure)]
#[schema(example = json!({
    "id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e6f", "organisation_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e70",
    "title": "Anpassungsqualifizierung Pflege", "type": "adaptation_qualification", "format": "course",
    "target_occupations": ["81302"], "regulated": true, "mode": "in_person", "hours": 600, "weeks": 26,
    "required_german_level": "b1", "venue": "Leipzig, Markt 1", "venue_state": "DE-SN", "capacity": 20,
    "starts_on": "2027-03-01", "ends_on": "2027-08-31", "azav_certified": true,
    "modules": [{"kind": "technical", "hours": 400}, {"kind": "vocational_language", "hours": 200}],
    "state": "open", "seats_taken": 12, "allowed_actions": ["start", "cancel"],
    "created_at": "2026-11-25T10:00:00Z", "updated_at": "2026-11-25T10:05:00Z", "version": 13
}))]
pub struct MeasureView {
    pub id: MeasureId,
    /// The providing organisation.
    pub organisation_id: OrganisationId,
    #[serde(flatten)]
    pub facts: MeasureFacts,
    pub state: MeasureState,
    /// Seats held by admitted, active and completed participants.
    pub seats_taken: i32,
    /// The actions the current state allows (`POST .../actions`).
    pub allowed_actions: Vec<MeasureActionKind>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

impl From<&Measure> for MeasureView {
    fn from(m: &Measure) -> Self {
        MeasureView {
            id: m.id,
            organisation_id: m.organisation_id,
            facts: m.facts.clone(),
            state: m.state,
            seats_taken: m.seats_taken,
            allowed_actions: m.allowed_actions().to_vec(),
            stamp: m.stamp,
        }
    }
}

list_query! {
    pub struct MeasureQuery {
        /// Only measures preparing for this reference occupation, named by its id, which is its
        /// KldB 2010 code (`/v1/reference/occupations/{kldb_code}`).
        #[param(value_type = Option<String>, example = "81302")]
        pub occupation: Option<KldbCode>,
        /// Only measures held in this federal state.
        pub venue_state: Option<StateCode>,
        /// Only measures of this type.
        pub r#type: Option<MeasureType>,
        /// Only measures delivered this way.
        pub mode: Option<MeasureMode>,
        /// Only measures starting on or after this date.
        pub starts_from: Option<NaiveDate>,
        /// Only measures starting on or before this date.
        pub starts_until: Option<NaiveDate>,
        /// The highest German level the person has: only measures requiring at most that.
        pub german_level: Option<LanguageLevel>,
        /// Measures in this state; `open` (taking enrolments) when not given.
        pub state: Option<MeasureState>,
        /// Only measures of this provider.
        pub organisation_id: Option<OrganisationId>,
        /// Only measures changed at or after this instant (RFC 3339).
        pub updated_since: Option<DateTime<Utc>>,
    }
}

/// Search bridge-training measures
///
/// Public. Filters combine; by default only open measures (taking enrolments), oldest first.
#[utoipa::path(
    operation_id = "searchMeasures",
    tag = "qualification",
    params(MeasureQuery),
    security(()),
    responses((status = 200, description = "One page of measures", body = List<MeasureView>))
)]
#[get("")]
async fn search(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Query<MeasureQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.0;
    ApiError::check_range(
        ("starts_from", q.starts_from),
        ("starts_until", q.starts_until),
    )?;
    let page = q.page()?;
    let filter = MeasureFilter {
        state: q.state.unwrap_or(MeasureState::Open),
        occupation: q.occupation,
        venue_state: q.venue_state,
        kind: q.r#type,
        mode: q.mode,
        starts_from: q.starts_from,
        starts_until: q.starts_until,
        german_level: q.german_level,
        organisation_id: q.organisation_id,
        updated_since: q.updated_since,
    };
    let found = state
        .read(move |conn| Ok(measures::search(conn, &filter, &page)?))
        .await?;
    Ok(http::list(&req, found.map(|m| MeasureView::from(&m))))
}

/// Get a measure
///
/// One bridge-training measure by id, as the public search shows it; no token needed.
#[utoipa::path(
    operation_id = "getMeasure",
    tag = "qualification",
    params(("id" = MeasureId, Path, description = "Measure id")),
    security(()),
    responses(
        (status = 200, description = "The measure", body = MeasureView, headers(("ETag" = String, description = "Strong ETag: the version"))),
        (status = 304, description = "`If-None-Match` names the current version")
    )
)]
#[get("/{id}")]
async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<MeasureId>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let found = state.read(move |conn| Ok(measures::get(conn, id)?)).await?;
    Ok(http::single(
        &req,
        &MeasureView::from(&found),
        found.stamp.version,
    ))
}

/// A new measure: its facts and, for callers managing several providers, whose it is.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMeasure {
    /// Defaults to the caller's organisation.
    pub organisation_id: Option<OrganisationId>,
    #[schema(
        example = "Anpassungsqualifizierung Pflege",
        min_length = 1,
        max_length = 200
    )]
    pub title: String,
    #[serde(rename = "type")]
    pub kind: MeasureType,
    pub format: MeasureFormat,
    #[schema(value_type = Vec<String>, example = json!(["81302"]))]
    pub target_occupations: Vec<KldbCode>,
    pub regulated: bool,
    pub mode: MeasureMode,
    #[schema(example = 600)]
    pub hours: i32,
    #[schema(example = 26)]
    pub weeks: i32,
    pub required_german_level: Option<LanguageLevel>,
    #[schema(example = "Leipzig, Markt 1")]
    pub venue: Option<String>,
    pub venue_state: StateCode,
    #[schema(example = 20)]
    pub capacity: i32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub azav_certified: bool,
    #[serde(default)]
    pub modules: Vec<Module>,
}

impl NewMeasure {
    fn into_parts(self) -> (Option<OrganisationId>, MeasureFacts) {
        let facts = MeasureFacts {
            title: self.title,
            kind: self.kind,
            format: self.format,
            target_occupations: self.target_occupations,
            regulated: self.regulated,
            mode: self.mode,
            hours: self.hours,
            weeks: self.weeks,
            required_german_level: self.required_german_level,
            venue: self.venue,
            venue_state: self.venue_state,
            capacity: self.capacity,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            azav_certified: self.azav_certified,
            modules: self.modules,
        };
        (self.organisation_id, facts)
    }
}

/// Target occupations must be reference occupations, not only well-formed codes.
fn ensure_occupations_known(conn: &mut DbConnection, facts: &MeasureFacts) -> ApiResult<()> {
    let mut v = Violations::new();
    for (i, code) in facts.target_occupations.iter().enumerate() {
        if reference::get_occupation(conn, code).is_err() {
            let message = format!("`{code}` is not a reference occupation");
            v.push(
                format!("target_occupations[{i}]"),
                "unknown_occupation",
                message,
            );
        }
    }
    Ok(v.finish(|| ())?)
}

/// The measure `id`, if the caller manages its provider. Measures are public, so existence is no
/// secret: outside the caller's scope it is a 403, as for advice centres.
fn managed(conn: &mut DbConnection, caller: &Caller, id: MeasureId) -> ApiResult<Measure> {
    let measure = measures::get(conn, id)?;
    owning_organisation(conn, caller, Some(measure.organisation_id))?;
    Ok(measure)
}

/// Plan a measure
///
/// The measure belongs to the caller's organisation (or the one named, within the caller's
/// scope) and starts `planned`.
#[utoipa::path(
    operation_id = "createMeasure",
    tag = "qualification",
    request_body = NewMeasure,
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = MeasureView,
        headers(("Location" = String, description = "URL of the new measure"), ("ETag" = String, description = "Its version"))))
)]
#[post("")]
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<NewMeasure>,
) -> ApiResult<Reply> {
    let caller = principal.require(MEASURE_MANAGERS)?;
    let (organisation, facts) = body.0.into_parts();
    let facts = facts.parse()?;
    state
        .commit(&req, move |conn| {
            let organisation_id = owning_organisation(conn, &caller, organisation)?;
            ensure_occupations_known(conn, &facts)?;
            let measure = Measure::plan(organisation_id, facts, now())?;
            measures::insert(conn, &measure)?;
            let location = format!("/v1/measures/{}", measure.id);
            Ok(http::created(
                location,
                &MeasureView::from(&measure),
                measure.stamp.version,
            ))
        })
        .await
}

/// Changes to a measure (JSON merge patch); `null` removes an optional field.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"capacity": 24, "venue": null}))]
pub struct MeasurePatch {
    #[serde(default)]
    #[schema(value_type = String)]
    pub title: Patch<String>,
    #[serde(rename = "type", default)]
    #[schema(value_type = MeasureType)]
    pub kind: Patch<MeasureType>,
    #[serde(default)]
    #[schema(value_type = MeasureFormat)]
    pub format: Patch<MeasureFormat>,
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub target_occupations: Patch<Vec<KldbCode>>,
    #[serde(default)]
    #[schema(value_type = bool)]
    pub regulated: Patch<bool>,
    #[serde(default)]
    #[schema(value_type = MeasureMode)]
    pub mode: Patch<MeasureMode>,
    #[serde(default)]
    #[schema(value_type = i32)]
    pub hours: Patch<i32>,
    #[serde(default)]
    #[schema(value_type = i32)]
    pub weeks: Patch<i32>,
    #[serde(default)]
    #[schema(value_type = Option<LanguageLevel>)]
    pub required_german_level: Patch<LanguageLevel>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub venue: Patch<String>,
    #[serde(default)]
    #[schema(value_type = StateCode)]
    pub venue_state: Patch<StateCode>,
    #[serde(default)]
    #[schema(value_type = i32)]
    pub capacity: Patch<i32>,
    #[serde(default)]
    #[schema(value_type = NaiveDate)]
    pub starts_on: Patch<NaiveDate>,
    #[serde(default)]
    #[schema(value_type = NaiveDate)]
    pub ends_on: Patch<NaiveDate>,
    #[serde(default)]
    #[schema(value_type = bool)]
    pub azav_certified: Patch<bool>,
    #[serde(default)]
    #[schema(value_type = Vec<Module>)]
    pub modules: Patch<Vec<Module>>,
}

impl MeasurePatch {
    /// The facts after the patch; a required field set to `null` is refused.
    fn apply(self, f: MeasureFacts) -> ApiResult<MeasureFacts> {
        Ok(MeasureFacts {
            title: self.title.apply_required("title", f.title)?,
            kind: self.kind.apply_required("type", f.kind)?,
            format: self.format.apply_required("format", f.format)?,
            target_occupations: self
                .target_occupations
                .apply_required("target_occupations", f.target_occupations)?,
            regulated: self.regulated.apply_required("regulated", f.regulated)?,
            mode: self.mode.apply_required("mode", f.mode)?,
            hours: self.hours.apply_required("hours", f.hours)?,
            weeks: self.weeks.apply_required("weeks", f.weeks)?,
            required_german_level: self.required_german_level.apply_to(f.required_german_level),
            venue: self.venue.apply_to(f.venue),
            venue_state: self
                .venue_state
                .apply_required("venue_state", f.venue_state)?,
            capacity: self.capacity.apply_required("capacity", f.capacity)?,
            starts_on: self.starts_on.apply_required("starts_on", f.starts_on)?,
            ends_on: self.ends_on.apply_required("ends_on", f.ends_on)?,
            azav_certified: self
                .azav_certified
                .apply_required("azav_certified", f.azav_certified)?,
            modules: self.modules.apply_required("modules", f.modules)?,
        })
    }
}

/// Update a measure
///
/// Capacity cannot fall below the seats taken (422); seats a raised capacity adds admit the
/// waiting list in its order. A completed or cancelled measure is no longer edited (409).
#[utoipa::path(
    operation_id = "updateMeasure",
    tag = "qualification",
    params(("id" = MeasureId, Path, description = "Measure id")),
    request_body(content = MeasurePatch, content_type = "application/merge-patch+json"),
    security(("bearer" = [])),
    responses((status = 200, description = "The updated measure", body = MeasureView, headers(("ETag" = String, description = "The new version"))))
)]
#[patch("/{id}")]
async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    if_match: IfMatch,
    id: web::Path<MeasureId>,
    body: Json<MeasurePatch>,
) -> ApiResult<Reply> {
    let caller = principal.require(MEASURE_MANAGERS)?;
    state
        .commit(&req, move |conn| {
            let current = managed(conn, &caller, *id)?;
            if_match.check(current.stamp.version)?;
            let next = current.revise(body.0.apply(current.facts.clone())?, now())?;
            ensure_occupations_known(conn, &next.facts)?;
            measures::update(conn, &next, current.stamp.version)?;
            // Seats a raised capacity adds go to the waiting list first, in its order.
            let promoted = enrolments::fill_free_seats(conn, next.id, now())?;
            ctx.by(&caller)
                .record_all(conn, Action::Update, &promoted)?;
            let next = measures::get(conn, next.id)?;
            Ok(http::ok_with_etag(
                &MeasureView::from(&next),
                next.stamp.version,
            ))
        })
        .await
}

/// Change a measure's state
///
/// `open` (planned -> open: enrolments are taken), `start` (open -> running), `complete`
/// (running -> completed) or `cancel` (planned | open | running -> cancelled: further
/// enrolments are refused with 409). Any other is a 409 naming the allowed actions.
#[utoipa::path(
    operation_id = "actOnMeasure",
    tag = "qualification",
    params(("id" = MeasureId, Path, description = "Measure id")),
    request_body = MeasureAction,
    security(("bearer" = [])),
    responses((status = 200, description = "The measure in its new state", body = MeasureView, headers(("ETag" = String, description = "The new version"))))
)]
#[post("/{id}/actions")]
async fn act(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    if_match: IfMatch,
    id: web::Path<MeasureId>,
    body: Json<MeasureAction>,
) -> ApiResult<Reply> {
    let caller = principal.require(MEASURE_MANAGERS)?;
    state
        .commit(&req, move |conn| {
            let current = managed(conn, &caller, *id)?;
            if_match.check(current.stamp.version)?;
            let next = current.apply(body.0, now())?;
            measures::update(conn, &next, current.stamp.version)?;
            Ok(http::ok_with_etag(
                &MeasureView::from(&next),
                next.stamp.version,
            ))
        })
        .await
}
