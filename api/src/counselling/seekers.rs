//! Advice seekers: personal data, owned by one organisation. Every read and write is audited.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use iqnet_conventions::audit::{AccessContext, Action};
use iqnet_conventions::auth::Principal;
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List, Patch, Reply};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;
use iqnet_counselling::records::AdviceSeeker;
use iqnet_counselling::residence::Residence;
use iqnet_counselling::seeker::NewAdviceSeeker;
use iqnet_counselling::vocabulary::{AgeBand, Benefit, EmploymentStatus};
use iqnet_persistence::StoreError;
use iqnet_persistence::counselling::seekers::{self, SeekerFilter};
use iqnet_shared::codes::{Email, LanguageLevel, StateCode};
use iqnet_shared::error::Violations;
use iqnet_shared::ids::SeekerId;
use iqnet_shared::reference::ResidenceTitle;
use iqnet_shared::structure::parse_postcode;
use iqnet_shared::structure::parse_text;
use iqnet_shared::time::now;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{ensure_countries_known, owning_organisation, visible};
use crate::permissions::COUNSELLING_STAFF;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get)
        .service(update);
}

/// The fields that name a person directly. An idempotent replay carries them as `null`: a stored
/// copy must not outlive an erasure (PATCH `name: null`) or a withdrawn consent.
pub const DIRECT_IDENTIFIERS: &[&str] = &["name", "email", "phone"];

list_query! {
    pub struct SeekerQuery => SeekerFilter {
        /// Only the seeker with this client code.
        pub client_code: Option<String>,
        /// Only seekers changed at or after this instant (RFC 3339).
        pub updated_since: Option<DateTime<Utc>>,
    }
}

/// List advice seekers
///
/// The seekers in the caller's scope. Each one returned is audited as read.
#[utoipa::path(
    operation_id = "listAdviceSeekers",
    tag = "counselling",
    params(SeekerQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of advice seekers", body = List<AdviceSeeker>))
)]
#[get("")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    query: Query<SeekerQuery>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let (filter, page) = query.0.into_parts()?;
    let found = state
        .read(move |conn| {
            let page = seekers::list(conn, caller.scope(), &filter, &page)?;
            ctx.by(&caller)
                .record_all(conn, Action::Read, &page.items)?;
            Ok(page)
        })
        .await?;
    Ok(http::list(&req, found))
}

/// Get an advice seeker
///
/// One advice seeker by id, for counselling staff within their scope (404 outside it). Personal
/// data: the read is audited, with the reason from `X-Access-Reason` when given.
#[utoipa::path(
    operation_id = "getAdviceSeeker",
    tag = "counselling",
    params(
        ("id" = SeekerId, Path, description = "Advice seeker id"),
        ("X-Access-Reason" = Option<String>, Header, description = "Why the data is accessed; written to the audit log. Visible ASCII, or RFC 8187 (`UTF-8''...`, percent-encoded) for other characters")
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The seeker", body = AdviceSeeker, headers(("ETag" = String, description = "Strong ETag: the version"))),
        (status = 304, description = "`If-None-Match` names the current version")
    )
)]
#[get("/{id}")]
async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<SeekerId>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let found = state
        .read(move |conn| {
            let seeker = visible(conn, &caller, |c| seekers::get(c, *id))?;
            ctx.by(&caller).record(conn, Action::Read, &seeker)?;
            Ok(seeker)
        })
        .await?;
    Ok(http::single(&req, &found, found.stamp.version))
}

/// Register an advice seeker
///
/// Registers a person seeking advice on recognition, for counselling staff. The seeker belongs to
/// the organisation named in `organisation_id` (in the caller's scope) or else to the caller's
/// own. Personal data: the write is audited.
#[utoipa::path(
    operation_id = "createAdviceSeeker",
    tag = "counselling",
    request_body = NewAdviceSeeker,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = AdviceSeeker,
            headers(("Location" = String, description = "URL of the new seeker"), ("ETag" = String, description = "Its version"))),
        (status = 409, description = "The client code is taken in this organisation", body = iqnet_conventions::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("")]
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    body: Json<NewAdviceSeeker>,
) -> ApiResult<Reply> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let registration = body.0.parse(now())?;
    state
        .commit(&req, move |conn| {
            let named = registration.organisation_id;
            let seeker = registration.owned_by(owning_organisation(conn, &caller, named)?);
            ensure_countries_known(conn, &seeker.countries())?;
            seekers::insert(conn, &seeker).map_err(|e| match e {
                StoreError::Conflict(_) => ApiError::conflict(
                    "already-exists",
                    "this client code is already used in the organisation",
                ),
                other => other.into(),
            })?;
            ctx.by(&caller).record(conn, Action::Create, &seeker)?;
            let location = format!("/v1/advice-seekers/{}", seeker.id);
            Ok(http::created(location, &seeker, seeker.stamp.version)
                .redact_on_replay(DIRECT_IDENTIFIERS))
        })
        .await
}

/// Changes to an advice seeker (JSON merge patch: `null` erases an optional field, e.g. the name).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdviceSeekerPatch {
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub name: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub email: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub phone: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<AgeBand>)]
    pub age_band: Patch<AgeBand>,
    #[serde(default)]
    #[schema(value_type = Option<StateCode>)]
    pub residence_state: Patch<StateCode>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub residence_district: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub residence_postcode: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<ResidenceTitle>)]
    pub residence_title: Patch<ResidenceTitle>,
    #[serde(default)]
    #[schema(value_type = Option<LanguageLevel>)]
    pub german_level: Patch<LanguageLevel>,
    #[serde(default)]
    #[schema(value_type = Option<EmploymentStatus>)]
    pub employment_status: Patch<EmploymentStatus>,
    #[serde(default)]
    #[schema(value_type = Option<Vec<Benefit>>)]
    pub benefits: Patch<Vec<Benefit>>,
}

impl AdviceSeekerPatch {
    /// The seeker with the patch applied (its stamp the next one), or every broken rule.
    fn apply_to(self, current: &AdviceSeeker) -> ApiResult<AdviceSeeker> {
        let mut v = Violations::new();
        let name = self
            .name
            .parse_into(&mut v, "name", current.name.clone(), |s| parse_text(s, 200));
        let phone = self
            .phone
            .parse_into(&mut v, "phone", current.phone.clone(), |s| {
                parse_text(s, 50)
            });
        let email = self
            .email
            .parse_into(&mut v, "email", current.email.clone(), Email::parse);
        let residence = Residence {
            state: self.residence_state.apply_to(current.residence.state),
            district: self.residence_district.parse_into(
                &mut v,
                "residence_district",
                current.residence.district.clone(),
                |s| parse_text(s, 100),
            ),
            postcode: self.residence_postcode.parse_into(
                &mut v,
                "residence_postcode",
                current.residence.postcode.clone(),
                parse_postcode,
            ),
        };
        v.check("", residence.ensure_in(&current.country_of_residence));
        v.finish(|| ())?;
        Ok(AdviceSeeker {
            name,
            email,
            phone,
            residence,
            age_band: self.age_band.apply_to(current.age_band),
            residence_title: self.residence_title.apply_to(current.residence_title),
            german_level: self.german_level.apply_to(current.german_level),
            employment_status: self.employment_status.apply_to(current.employment_status),
            benefits: self
                .benefits
                .apply_to(Some(current.benefits.clone()))
                .unwrap_or_default(),
            stamp: current.stamp.next(now()),
            ..current.clone()
        })
    }
}

/// Update an advice seeker
///
/// A JSON merge patch (RFC 7396) of an advice seeker, for counselling staff within their scope.
/// Personal data: the change is audited. Send the `ETag` you read as `If-Match`.
#[utoipa::path(
    operation_id = "updateAdviceSeeker",
    tag = "counselling",
    params(("id" = SeekerId, Path, description = "Advice seeker id")),
    request_body(content = AdviceSeekerPatch, content_type = "application/merge-patch+json"),
    security(("bearer" = [])),
    responses((status = 200, description = "The updated seeker", body = AdviceSeeker, headers(("ETag" = String, description = "The new version"))))
)]
#[patch("/{id}")]
async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    if_match: IfMatch,
    id: web::Path<SeekerId>,
    body: Json<AdviceSeekerPatch>,
) -> ApiResult<Reply> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    state
        .commit(&req, move |conn| {
            let current = visible(conn, &caller, |c| seekers::get(c, *id))?;
            if_match.check(current.stamp.version)?;
            let next = body.0.apply_to(&current)?;
            seekers::update(conn, &next, current.stamp.version)?;
            ctx.by(&caller).record(conn, Action::Update, &next)?;
            Ok(http::ok_with_etag(&next, next.stamp.version))
        })
        .await
}
