//! Advice centres: the public directory of fixed and mobile counselling points.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use iqnet_counselling::records::AdviceCentre;
use iqnet_counselling::vocabulary::{CentreKind, ContactFormat, parse_language};
use iqnet_persistence::counselling::{self, centres::CentreFilter};
use iqnet_persistence::structure;
use iqnet_shared::DomainError;
use iqnet_shared::codes::{Email, StateCode};
use iqnet_shared::error::Violations;
use iqnet_shared::ids::{AdviceCentreId, OrganisationId, SubProjectId};
use iqnet_shared::records::Stamp;
use iqnet_shared::structure::{parse_postcode, parse_text};
use iqnet_shared::time::now;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use iqnet_conventions::auth::Principal;
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List, Patch, Reply};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;

use super::owning_organisation;

use crate::permissions::COUNSELLING_STAFF as EDITORS;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/advice-centres")
            .service(list)
            .service(create)
            .service(get)
            .service(update),
    );
}

list_query! {
    pub struct CentreQuery {
        /// Only centres in this federal state.
        pub state: Option<StateCode>,
        /// Only centres whose city starts with this (case-insensitive).
        pub city: Option<String>,
        /// Only centres whose postcode starts with this, e.g. `04` for the Leipzig area.
        pub postcode: Option<String>,
        /// Only centres offering counselling in this language (ISO 639-1).
        pub language: Option<String>,
        /// Only centres reachable this way.
        pub format: Option<ContactFormat>,
        /// Only centres of this organisation.
        pub organisation_id: Option<OrganisationId>,
        /// Only centres changed at or after this instant (RFC 3339).
        pub updated_since: Option<DateTime<Utc>>,
    }
}

/// Search the advice-centre directory
///
/// Public. Filters combine; ordered oldest first.
#[utoipa::path(
    operation_id = "listAdviceCentres",
    tag = "counselling",
    params(CentreQuery),
    security(()),
    responses((status = 200, description = "One page of advice centres", body = List<AdviceCentre>))
)]
#[get("")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Query<CentreQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.0;
    let page = q.page()?;
    let mut v = Violations::new();
    let language = q
        .language
        .as_deref()
        .and_then(|l| v.check("language", parse_language(l)));
    let postcode = q.postcode.filter(|p| {
        let ok = p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit());
        if !ok {
            v.push(
                "postcode",
                "invalid_format",
                "a postcode prefix is up to five digits",
            );
        }
        ok
    });
    v.finish(|| ()).map_err(|e| match e {
        DomainError::Validation(errors) => {
            ApiError::bad_request("invalid-query", "invalid query parameters", errors)
        }
        other => other.into(),
    })?;
    let filter = CentreFilter {
        state: q.state,
        city: q
            .city
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty()),
        postcode_prefix: postcode,
        language,
        format: q.format,
        organisation_id: q.organisation_id,
        updated_since: q.updated_since,
    };
    let found = state
        .read(move |conn| Ok(counselling::centres::list(conn, &filter, &page)?))
        .await?;
    Ok(http::list(&req, found))
}

/// Get an advice centre
///
/// One advice centre of the public directory by id; no token needed.
#[utoipa::path(
    operation_id = "getAdviceCentre",
    tag = "counselling",
    params(("id" = AdviceCentreId, Path, description = "Advice centre id")),
    security(()),
    responses(
        (status = 200, description = "The advice centre", body = AdviceCentre, headers(("ETag" = String, description = "Strong ETag: the version"))),
        (status = 304, description = "`If-None-Match` names the current version")
    )
)]
#[get("/{id}")]
async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<AdviceCentreId>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let found = state
        .read(move |conn| Ok(counselling::centres::get(conn, id)?))
        .await?;
    Ok(http::single(&req, &found, found.stamp.version))
}

/// A new advice centre.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAdviceCentre {
    /// Defaults to the caller's organisation.
    pub organisation_id: Option<OrganisationId>,
    pub sub_project_id: Option<SubProjectId>,
    #[schema(
        example = "IQ Anerkennungsberatung Leipzig",
        min_length = 1,
        max_length = 200
    )]
    pub name: String,
    pub kind: CentreKind,
    pub state: StateCode,
    #[schema(example = "Markt 1")]
    pub street: Option<String>,
    #[schema(example = "04109", pattern = "^[0-9]{5}$")]
    pub postcode: String,
    #[schema(example = "Leipzig", min_length = 1, max_length = 100)]
    pub city: String,
    #[schema(example = json!(["de", "ar", "uk"]))]
    pub languages: Vec<String>,
    pub formats: Vec<ContactFormat>,
    #[schema(example = "Mon-Thu 9:00-16:00")]
    pub opening_hours: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

fn parse_languages(v: &mut Violations, languages: &[String]) -> Vec<String> {
    if languages.is_empty() {
        v.push("languages", "required", "at least one language");
    }
    let mut parsed: Vec<String> = languages
        .iter()
        .enumerate()
        .filter_map(|(i, l)| v.check(&format!("languages[{i}]"), parse_language(l)))
        .collect();
    parsed.dedup();
    parsed
}

fn parse_formats(v: &mut Violations, formats: Vec<ContactFormat>) -> Vec<ContactFormat> {
    if formats.is_empty() {
        v.push("formats", "required", "at least one format");
    }
    let mut formats = formats;
    formats.sort();
    formats.dedup();
    formats
}

/// Create an advice centre
///
/// Adds an advice centre to the public directory, with its address and optional contact details
/// (opening hours, e-mail, phone); for counselling staff.
#[utoipa::path(
    operation_id = "createAdviceCentre",
    tag = "counselling",
    request_body = NewAdviceCentre,
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = AdviceCentre,
        headers(("Location" = String, description = "URL of the new centre"), ("ETag" = String, description = "Its version"))))
)]
#[post("")]
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<NewAdviceCentre>,
) -> ApiResult<Reply> {
    let caller = principal.require(EDITORS)?;
    let input = body.0;
    let mut v = Violations::new();
    let name = v.check("name", parse_text(&input.name, 200));
    let street = input
        .street
        .as_deref()
        .and_then(|s| v.check("street", parse_text(s, 200)));
    let postcode = v.check("postcode", parse_postcode(&input.postcode));
    let city = v.check("city", parse_text(&input.city, 100));
    let languages = parse_languages(&mut v, &input.languages);
    let formats = parse_formats(&mut v, input.formats);
    let opening_hours = input
        .opening_hours
        .as_deref()
        .and_then(|s| v.check("opening_hours", parse_text(s, 500)));
    let email = input
        .email
        .as_deref()
        .and_then(|s| v.check("email", Email::parse(s)));
    let phone = input
        .phone
        .as_deref()
        .and_then(|s| v.check("phone", parse_text(s, 50)));
    let (name, postcode, city) = match v.finish(|| (name, postcode, city))? {
        (Some(n), Some(p), Some(c)) => (n, p, c),
        _ => return Err(ApiError::internal("parsed centre without values")),
    };
    state
        .commit(&req, move |conn| {
            let organisation_id = owning_organisation(conn, &caller, input.organisation_id)?;
            if let Some(sub_project) = input.sub_project_id {
                let sp = structure::sub_projects::get(conn, sub_project).map_err(|_| {
                    ApiError::invalid_field("sub_project_id", "not_found", "no such sub-project")
                })?;
                if sp.organisation_id != organisation_id {
                    return Err(ApiError::invalid_field(
                        "sub_project_id",
                        "mismatch",
                        "the sub-project belongs to another organisation",
                    ));
                }
            }
            let centre = AdviceCentre {
                id: AdviceCentreId::new(),
                organisation_id,
                sub_project_id: input.sub_project_id,
                name,
                kind: input.kind,
                state: input.state,
                street,
                postcode,
                city,
                languages,
                formats,
                opening_hours,
                email,
                phone,
                stamp: Stamp::new(now()),
            };
            counselling::centres::insert(conn, &centre)?;
            let location = format!("/v1/advice-centres/{}", centre.id);
            Ok(http::created(location, &centre, centre.stamp.version))
        })
        .await
}

/// Changes to an advice centre (JSON merge patch).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdviceCentrePatch {
    #[serde(default)]
    #[schema(value_type = String)]
    pub name: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub languages: Patch<Vec<String>>,
    #[serde(default)]
    #[schema(value_type = Vec<ContactFormat>)]
    pub formats: Patch<Vec<ContactFormat>>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub opening_hours: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub email: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub phone: Patch<String>,
}

/// Update an advice centre
///
/// A JSON merge patch (RFC 7396) of an advice centre; members left out stay as they are. Outside
/// the caller's scope the change is a 403 (the directory is public). Send the `ETag` you read as
/// `If-Match`.
#[utoipa::path(
    operation_id = "updateAdviceCentre",
    tag = "counselling",
    params(
        ("id" = AdviceCentreId, Path, description = "Advice centre id")
    ),
    request_body(content = AdviceCentrePatch, content_type = "application/merge-patch+json"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated centre", body = AdviceCentre, headers(("ETag" = String, description = "The new version")))
    )
)]
#[patch("/{id}")]
async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    if_match: IfMatch,
    id: web::Path<AdviceCentreId>,
    body: Json<AdviceCentrePatch>,
) -> ApiResult<Reply> {
    let caller = principal.require(EDITORS)?;
    let id = id.into_inner();
    let patch = body.0;
    state
        .commit(&req, move |conn| {
            let current = counselling::centres::get(conn, id)?;
            // The directory is public, so existence is no secret: outside the scope it is a 403.
            owning_organisation(conn, &caller, Some(current.organisation_id))?;
            if_match.check(current.stamp.version)?;
            let mut v = Violations::new();
            let name = patch
                .name
                .parse_required(&mut v, "name", current.name.clone(), |n| {
                    parse_text(&n, 200)
                });
            let languages = match patch.languages {
                Patch::Value(l) => parse_languages(&mut v, &l),
                other => other.apply_required("languages", current.languages.clone())?,
            };
            let formats = match patch.formats {
                Patch::Value(f) => parse_formats(&mut v, f),
                other => other.apply_required("formats", current.formats.clone())?,
            };
            let opening_hours = patch.opening_hours.parse_into(
                &mut v,
                "opening_hours",
                current.opening_hours.clone(),
                |s| parse_text(s, 500),
            );
            let phone = patch
                .phone
                .parse_into(&mut v, "phone", current.phone.clone(), |s| {
                    parse_text(s, 50)
                });
            let email =
                patch
                    .email
                    .parse_into(&mut v, "email", current.email.clone(), Email::parse);
            v.finish(|| ())?;
            let next = AdviceCentre {
                name: name.unwrap_or_default(),
                languages,
                formats,
                opening_hours,
                email,
                phone,
                stamp: current.stamp.next(now()),
                ..current.clone()
            };
            counselling::centres::update(conn, &next, current.stamp.version)?;
            Ok(http::ok_with_etag(&next, next.stamp.version))
        })
        .await
}
