//! Organisations: every actor of the network. Any signed-in caller may read them (they hold no
//! personal data); national admins create and change any, coordinators those of their network.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use iqnet_persistence::structure::{self, organisations::OrganisationFilter};
use iqnet_shared::DomainError;
use iqnet_shared::codes::{Email, StateCode};
use iqnet_shared::error::Violations;
use iqnet_shared::ids::OrganisationId;
use iqnet_shared::records::{Organisation, Stamp};
use iqnet_shared::structure::{OrganisationKind, Role, parse_postcode, parse_text};
use iqnet_shared::time::now;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use iqnet_conventions::auth::{Caller, Principal};
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List, Patch, Reply};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;

use crate::permissions::STRUCTURE_MANAGERS as MANAGERS;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/organisations")
            .service(list)
            .service(create)
            .service(get)
            .service(update),
    );
}

list_query! {
    pub struct OrganisationQuery => OrganisationFilter {
        /// Only organisations of this kind.
        pub kind: Option<OrganisationKind>,
        /// Only organisations in this federal state (regional network).
        pub state: Option<StateCode>,
        /// Only organisations changed at or after this instant (RFC 3339).
        pub updated_since: Option<DateTime<Utc>>,
    }
}

/// List organisations
///
/// The network's organisations, filtered by the query parameters. Any signed-in caller may read
/// them.
#[utoipa::path(
    operation_id = "listOrganisations",
    tag = "network",
    params(OrganisationQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of organisations, oldest first", body = List<Organisation>))
)]
#[get("")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<OrganisationQuery>,
) -> ApiResult<HttpResponse> {
    principal.authenticated()?;
    let (filter, page) = query.0.into_parts()?;
    let found = state
        .read(move |conn| Ok(structure::organisations::list(conn, &filter, &page)?))
        .await?;
    Ok(http::list(&req, found))
}

/// Get an organisation
///
/// One organisation by id; any signed-in caller may read it. Send its `ETag` as `If-None-Match` to
/// get a 304 while it is unchanged.
#[utoipa::path(
    operation_id = "getOrganisation",
    tag = "network",
    params(("id" = OrganisationId, Path, description = "Organisation id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The organisation", body = Organisation, headers(("ETag" = String, description = "Strong ETag: the version"))),
        (status = 304, description = "`If-None-Match` names the current version")
    )
)]
#[get("/{id}")]
async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<OrganisationId>,
) -> ApiResult<HttpResponse> {
    principal.authenticated()?;
    let id = id.into_inner();
    let found = state
        .read(move |conn| Ok(structure::organisations::get(conn, id)?))
        .await?;
    Ok(http::single(&req, &found, found.stamp.version))
}

/// A new organisation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisation {
    #[schema(
        example = "Beratungszentrum Anerkennung Mitte",
        min_length = 1,
        max_length = 200
    )]
    pub name: String,
    pub kind: OrganisationKind,
    pub state: StateCode,
    #[schema(example = "Alexanderplatz 1")]
    pub street: Option<String>,
    #[schema(example = "10178", pattern = "^[0-9]{5}$")]
    pub postcode: Option<String>,
    #[schema(example = "Berlin")]
    pub city: Option<String>,
    #[schema(example = "info@example.org")]
    pub email: Option<String>,
    #[schema(example = "+49 30 1234567")]
    pub phone: Option<String>,
    #[schema(example = "https://example.org")]
    pub website: Option<String>,
}

/// The contact fields, checked together so a client learns every broken rule at once.
struct Contact {
    street: Option<String>,
    postcode: Option<String>,
    city: Option<String>,
    email: Option<Email>,
    phone: Option<String>,
    website: Option<String>,
}

fn optional<T>(
    v: &mut Violations,
    field: &str,
    value: Option<String>,
    parse: impl Fn(&str) -> Result<T, DomainError>,
) -> Option<T> {
    value.and_then(|s| v.check(field, parse(&s)))
}

fn parse_website(s: &str) -> Result<String, DomainError> {
    let url = parse_text(s, 500)?;
    if url.starts_with("https://") || url.starts_with("http://") {
        Ok(url)
    } else {
        Err(DomainError::invalid(
            "",
            "invalid_format",
            "a website starts with https:// or http://",
        ))
    }
}

fn parse_contact(v: &mut Violations, c: [Option<String>; 6]) -> Contact {
    let [street, postcode, city, email, phone, website] = c;
    Contact {
        street: optional(v, "street", street, |s| parse_text(s, 200)),
        postcode: optional(v, "postcode", postcode, parse_postcode),
        city: optional(v, "city", city, |s| parse_text(s, 100)),
        email: optional(v, "email", email, Email::parse),
        phone: optional(v, "phone", phone, |s| parse_text(s, 50)),
        website: optional(v, "website", website, parse_website),
    }
}

/// Coordinators act only inside their own network.
fn ensure_manages(caller: &Caller, state: StateCode) -> ApiResult<()> {
    match caller.role {
        Role::NationalAdmin => Ok(()),
        _ if caller.network == Some(state) => Ok(()),
        _ => Err(ApiError::forbidden(
            "coordinators manage organisations of their own regional network only",
        )),
    }
}

/// Create an organisation
///
/// National admins in any state; coordinators in their own network.
#[utoipa::path(
    operation_id = "createOrganisation",
    tag = "network",
    request_body = NewOrganisation,
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = Organisation,
        headers(("Location" = String, description = "URL of the new organisation"), ("ETag" = String, description = "Its version"))))
)]
#[post("")]
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<NewOrganisation>,
) -> ApiResult<Reply> {
    let caller = principal.require(MANAGERS)?;
    let input = body.0;
    let mut v = Violations::new();
    let name = v.check("name", parse_text(&input.name, 200));
    let contact = parse_contact(
        &mut v,
        [
            input.street,
            input.postcode,
            input.city,
            input.email,
            input.phone,
            input.website,
        ],
    );
    let name = v.finish(|| name.unwrap_or_default())?;
    ensure_manages(&caller, input.state)?;
    let organisation = Organisation {
        id: OrganisationId::new(),
        name,
        kind: input.kind,
        state: input.state,
        street: contact.street,
        postcode: contact.postcode,
        city: contact.city,
        email: contact.email,
        phone: contact.phone,
        website: contact.website,
        stamp: Stamp::new(now()),
    };
    state
        .commit(&req, move |conn| {
            structure::organisations::insert(conn, &organisation)?;
            let location = format!("/v1/organisations/{}", organisation.id);
            Ok(http::created(
                location,
                &organisation,
                organisation.stamp.version,
            ))
        })
        .await
}

/// Changes to an organisation (JSON merge patch: `null` removes an optional field).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationPatch {
    #[serde(default)]
    #[schema(value_type = String)]
    pub name: Patch<String>,
    #[serde(default)]
    #[schema(value_type = OrganisationKind)]
    pub kind: Patch<OrganisationKind>,
    #[serde(default)]
    #[schema(value_type = StateCode)]
    pub state: Patch<StateCode>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub street: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub postcode: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub city: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub email: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub phone: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub website: Patch<String>,
}

/// Update an organisation
///
/// National admins; coordinators for organisations of their network (which they cannot move out
/// of it). Honours `If-Match`.
#[utoipa::path(
    operation_id = "updateOrganisation",
    tag = "network",
    params(
        ("id" = OrganisationId, Path, description = "Organisation id")
    ),
    request_body(content = OrganisationPatch, content_type = "application/merge-patch+json"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated organisation", body = Organisation, headers(("ETag" = String, description = "The new version")))
    )
)]
#[patch("/{id}")]
async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<OrganisationId>,
    body: Json<OrganisationPatch>,
) -> ApiResult<Reply> {
    let caller = principal.require(MANAGERS)?;
    let id = id.into_inner();
    let patch = body.0;
    let if_match = IfMatch::of(&req);
    state
        .commit(&req, move |conn| {
            let current = structure::organisations::get(conn, id)?;
            ensure_manages(&caller, current.state)?;
            if_match.check(current.stamp.version)?;
            let mut v = Violations::new();
            let name = patch
                .name
                .parse_required(&mut v, "name", current.name.clone(), |n| {
                    parse_text(&n, 200)
                });
            let next_state = patch.state.apply_required("state", current.state)?;
            let next = Organisation {
                name: name.unwrap_or_default(),
                kind: patch.kind.apply_required("kind", current.kind)?,
                state: next_state,
                street: patch
                    .street
                    .parse_into(&mut v, "street", current.street.clone(), |s| {
                        parse_text(s, 200)
                    }),
                postcode: patch.postcode.parse_into(
                    &mut v,
                    "postcode",
                    current.postcode.clone(),
                    parse_postcode,
                ),
                city: patch
                    .city
                    .parse_into(&mut v, "city", current.city.clone(), |s| parse_text(s, 100)),
                email: patch
                    .email
                    .parse_into(&mut v, "email", current.email.clone(), Email::parse),
                phone: patch
                    .phone
                    .parse_into(&mut v, "phone", current.phone.clone(), |s| {
                        parse_text(s, 50)
                    }),
                website: patch.website.parse_into(
                    &mut v,
                    "website",
                    current.website.clone(),
                    parse_website,
                ),
                stamp: current.stamp.next(now()),
                ..current.clone()
            };
            v.finish(|| ())?;
            ensure_manages(&caller, next_state)?;
            structure::organisations::update(conn, &next, current.stamp.version)?;
            if next.state != current.state {
                // Its coordinators' network was its state: their tokens must not keep it.
                structure::users::revoke_organisation(conn, next.id, next.stamp.updated_at)?;
            }
            Ok(http::ok_with_etag(&next, next.stamp.version))
        })
        .await
}
