//! Regional networks: one per federal state, seeded. Readable by anyone; a national admin records
//! the coordinating organisation and the funding round.

use actix_web::{HttpRequest, HttpResponse, get, patch, web};
use iqnet_persistence::structure;
use iqnet_shared::codes::{FundingRound, StateCode};
use iqnet_shared::error::Violations;
use iqnet_shared::ids::OrganisationId;
use iqnet_shared::records::RegionalNetwork;
use iqnet_shared::structure::parse_text;
use iqnet_shared::time::now;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use iqnet_conventions::auth::Principal;
use iqnet_conventions::error::ApiResult;
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List, Patch, Reply};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/regional-networks")
            .service(list)
            .service(get)
            .service(update),
    );
}

list_query! {
    pub struct NetworkQuery {}
}

/// List the regional networks
///
/// The sixteen networks, ordered by state code. Public.
#[utoipa::path(
    operation_id = "listRegionalNetworks",
    tag = "network",
    params(NetworkQuery),
    security(()),
    responses((status = 200, description = "One page of regional networks", body = List<RegionalNetwork>))
)]
#[get("")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Query<NetworkQuery>,
) -> ApiResult<HttpResponse> {
    let page = query.0.page()?;
    let networks = state
        .read(move |conn| Ok(structure::networks::list(conn, &page)?))
        .await?;
    Ok(http::list(&req, networks))
}

/// Get a regional network
///
/// Public.
#[utoipa::path(
    operation_id = "getRegionalNetwork",
    tag = "network",
    params(("code" = StateCode, Path, description = "ISO 3166-2:DE code of the state", example = "DE-BE")),
    security(()),
    responses(
        (status = 200, description = "The network", body = RegionalNetwork, headers(("ETag" = String, description = "Strong ETag: the version"))),
        (status = 304, description = "`If-None-Match` names the current version")
    )
)]
#[get("/{code}")]
async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<StateCode>,
) -> ApiResult<HttpResponse> {
    let code = code.into_inner();
    let found = state
        .read(move |conn| Ok(structure::networks::get(conn, code)?))
        .await?;
    Ok(http::single(&req, &found, found.stamp.version))
}

/// Changes to a regional network (JSON merge patch).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkPatch {
    #[serde(default)]
    #[schema(value_type = String, example = "IQ Netzwerk Berlin")]
    pub name: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<OrganisationId>)]
    pub coordinating_organisation_id: Patch<OrganisationId>,
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "2023-2028")]
    pub funding_round: Patch<String>,
}

/// Update a regional network
///
/// National admins only. Send `If-Match` with the version you read to avoid overwriting
/// someone else's change.
#[utoipa::path(
    operation_id = "updateRegionalNetwork",
    tag = "network",
    params(
        ("code" = StateCode, Path, description = "ISO 3166-2:DE code of the state", example = "DE-BE")
    ),
    request_body(content = NetworkPatch, content_type = "application/merge-patch+json"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated network", body = RegionalNetwork, headers(("ETag" = String, description = "The new version")))
    )
)]
#[patch("/{code}")]
async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    code: web::Path<StateCode>,
    body: Json<NetworkPatch>,
) -> ApiResult<Reply> {
    principal.require(crate::permissions::NETWORK_ADMINS)?;
    let code = code.into_inner();
    let patch = body.0;
    let if_match = IfMatch::of(&req);
    state
        .commit(&req, move |conn| {
            let current = structure::networks::get(conn, code)?;
            if_match.check(current.stamp.version)?;
            let mut v = Violations::new();
            let name = patch
                .name
                .parse_required(&mut v, "name", current.name.clone(), |n| {
                    parse_text(&n, 200)
                });
            let funding_round = patch.funding_round.parse_into(
                &mut v,
                "funding_round",
                current.funding_round.clone(),
                FundingRound::parse,
            );
            v.finish(|| ())?;
            let coordinating = patch
                .coordinating_organisation_id
                .apply_to(current.coordinating_organisation_id);
            if let Some(org) = coordinating {
                structure::organisations::get(conn, org).map_err(|_| {
                    iqnet_conventions::error::ApiError::invalid_field(
                        "coordinating_organisation_id",
                        "not_found",
                        "no such organisation",
                    )
                })?;
            }
            let next = RegionalNetwork {
                name: name.unwrap_or_default(),
                coordinating_organisation_id: coordinating,
                funding_round,
                stamp: current.stamp.next(now()),
                ..current.clone()
            };
            structure::networks::update(conn, &next, current.stamp.version)?;
            Ok(http::ok_with_etag(&next, next.stamp.version))
        })
        .await
}
