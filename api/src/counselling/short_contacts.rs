//! Short and anonymous contacts (hotline, information at events): counted without a seeker
//! record, owned by the organisation of the counselling point, visible like the other
//! counselling records (the organisation, its network's coordinators, national admins). They
//! hold no personal data, so reading them is not audited.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use iqnet_conventions::auth::{Caller, Principal};
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List, Patch, Reply};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;
use iqnet_counselling::records::AdviceCentre;
use iqnet_counselling::short_contact::{NewShortContact, ShortContact};
use iqnet_counselling::vocabulary::{SessionTopic, ShortContactFormat};
use iqnet_persistence::counselling::centres;
use iqnet_persistence::counselling::short_contacts::{self, ShortContactFilter};
use iqnet_persistence::{DbConnection, reference};
use iqnet_shared::codes::{CountryCode, KldbCode};
use iqnet_shared::ids::{AdviceCentreId, ShortContactId};
use iqnet_shared::time::{now, today_in_germany};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{ensure_countries_known, ensure_visible, owning_organisation};
use crate::permissions::COUNSELLING_STAFF;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/short-contacts")
            .service(list)
            .service(create)
            .service(get)
            .service(update),
    );
}

list_query! {
    pub struct ShortContactQuery => ShortContactFilter {
        /// Only contacts of this counselling point.
        pub centre_id: Option<AdviceCentreId>,
        /// Only contacts of this format.
        pub format: Option<ShortContactFormat>,
        /// Only contacts on or after this day.
        pub held_from: Option<NaiveDate>,
        /// Only contacts on or before this day.
        pub held_to: Option<NaiveDate>,
        /// Only contacts changed at or after this instant (RFC 3339).
        pub updated_since: Option<DateTime<Utc>>,
    }
}

/// List short contacts
///
/// The short contacts in the caller's scope, oldest recorded first.
#[utoipa::path(
    operation_id = "listShortContacts",
    tag = "counselling",
    params(ShortContactQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of short contacts", body = List<ShortContact>))
)]
#[get("")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<ShortContactQuery>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let (filter, page) = query.0.into_parts()?;
    ApiError::check_range(("held_from", filter.held_from), ("held_to", filter.held_to))?;
    let found = state
        .read(move |conn| Ok(short_contacts::list(conn, caller.scope(), &filter, &page)?))
        .await?;
    Ok(http::list(&req, found))
}

/// The contact, if the caller's scope covers it (404 otherwise).
fn visible(
    conn: &mut DbConnection,
    caller: &Caller,
    id: ShortContactId,
) -> ApiResult<ShortContact> {
    let contact = short_contacts::get(conn, id)?;
    ensure_visible(conn, caller, contact.organisation_id)?;
    Ok(contact)
}

/// Get a short contact
///
/// One short or anonymous contact (hotline, information at events), counted without a seeker
/// record, by id; for counselling staff within their scope. It holds no personal data.
#[utoipa::path(
    operation_id = "getShortContact",
    tag = "counselling",
    params(("id" = ShortContactId, Path, description = "Short contact id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The short contact", body = ShortContact, headers(("ETag" = String, description = "Strong ETag: the version"))),
        (status = 304, description = "`If-None-Match` names the current version")
    )
)]
#[get("/{id}")]
async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<ShortContactId>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let id = id.into_inner();
    let found = state.read(move |conn| visible(conn, &caller, id)).await?;
    Ok(http::single(&req, &found, found.stamp.version))
}

/// The counselling point a request names: an advice centre of an organisation in the caller's
/// scope (a 422 when there is none; the directory is public, so one outside the scope is a 403).
fn centre(conn: &mut DbConnection, caller: &Caller, id: AdviceCentreId) -> ApiResult<AdviceCentre> {
    let centre = centres::get(conn, id)
        .map_err(|_| ApiError::invalid_field("centre_id", "not_found", "no such advice centre"))?;
    owning_organisation(conn, caller, Some(centre.organisation_id))?;
    Ok(centre)
}

/// Country and occupation must be known to the reference data, not only well-formed.
fn ensure_known(conn: &mut DbConnection, contact: &ShortContact) -> ApiResult<()> {
    if let Some(country) = &contact.country {
        ensure_countries_known(conn, &[("country", country)])?;
    }
    if let Some(code) = &contact.reference_occupation {
        reference::get_occupation(conn, code).map_err(|_| {
            ApiError::invalid_field(
                "reference_occupation",
                "unknown_occupation",
                "not a reference occupation",
            )
        })?;
    }
    Ok(())
}

/// Record a short contact
///
/// A hotline call, a question at an information event, ...: counted with its format, date,
/// topics and counselling point, and the country and occupation when the person named them.
/// No personal data, no free text.
#[utoipa::path(
    operation_id = "createShortContact",
    tag = "counselling",
    request_body = NewShortContact,
    security(("bearer" = [])),
    responses((status = 201, description = "Recorded", body = ShortContact,
        headers(("Location" = String, description = "URL of the new short contact"), ("ETag" = String, description = "Its version"))))
)]
#[post("")]
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<NewShortContact>,
) -> ApiResult<Reply> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let (centre_id, facts) = body.0.facts(today_in_germany());
    state
        .commit(&req, move |conn| {
            let centre = centre(conn, &caller, centre_id)?;
            let contact = ShortContact::record(&centre, facts, now())?;
            ensure_known(conn, &contact)?;
            short_contacts::insert(conn, &contact)?;
            let location = format!("/v1/short-contacts/{}", contact.id);
            Ok(http::created(location, &contact, contact.stamp.version))
        })
        .await
}

/// Corrections to a short contact (JSON merge patch: `null` removes the country or occupation).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShortContactPatch {
    #[serde(default)]
    #[schema(value_type = AdviceCentreId)]
    pub centre_id: Patch<AdviceCentreId>,
    #[serde(default)]
    #[schema(value_type = ShortContactFormat)]
    pub format: Patch<ShortContactFormat>,
    #[serde(default)]
    #[schema(value_type = NaiveDate)]
    pub held_on: Patch<NaiveDate>,
    #[serde(default)]
    #[schema(value_type = Vec<SessionTopic>)]
    pub topics: Patch<Vec<SessionTopic>>,
    #[serde(default)]
    #[schema(value_type = Option<CountryCode>)]
    pub country: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<KldbCode>)]
    pub reference_occupation: Patch<String>,
}

/// Correct a short contact
///
/// A JSON merge patch (RFC 7396) correcting a short contact, for counselling staff within their
/// scope. Send the `ETag` you read as `If-Match`.
#[utoipa::path(
    operation_id = "updateShortContact",
    tag = "counselling",
    params(("id" = ShortContactId, Path, description = "Short contact id")),
    request_body(content = ShortContactPatch, content_type = "application/merge-patch+json"),
    security(("bearer" = [])),
    responses((status = 200, description = "The corrected short contact", body = ShortContact, headers(("ETag" = String, description = "The new version"))))
)]
#[patch("/{id}")]
async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    if_match: IfMatch,
    id: web::Path<ShortContactId>,
    body: Json<ShortContactPatch>,
) -> ApiResult<Reply> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let id = id.into_inner();
    let patch = body.0;
    state
        .commit(&req, move |conn| {
            let current = visible(conn, &caller, id)?;
            if_match.check(current.stamp.version)?;
            let mut facts = current.facts();
            facts.format = patch.format.apply_required("format", facts.format)?;
            facts.held_on = patch.held_on.apply_required("held_on", facts.held_on)?;
            facts.topics = patch.topics.apply_required("topics", facts.topics)?;
            facts.country = patch.country.apply_to(facts.country);
            facts.reference_occupation = patch
                .reference_occupation
                .apply_to(facts.reference_occupation);
            let centre_id = patch
                .centre_id
                .apply_required("centre_id", current.centre_id)?;
            let centre = centre(conn, &caller, centre_id)?;
            let next = current.with(&centre, facts, current.stamp.next(now()))?;
            ensure_known(conn, &next)?;
            short_contacts::update(conn, &next, current.stamp.version)?;
            Ok(http::ok_with_etag(&next, next.stamp.version))
        })
        .await
}
