//! Machine clients of partner agencies (OAuth2 client credentials). The secret is shown once, at
//! creation; only its argon2 hash is kept.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use iqnet_persistence::DbConnection;
use iqnet_persistence::structure::{self, users::AccountFilter};
use iqnet_shared::error::Violations;
use iqnet_shared::ids::{ApiClientId, OrganisationId};
use iqnet_shared::records::{ApiClient, Stamp};
use iqnet_shared::structure::{Role, parse_text};
use iqnet_shared::time::now;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use iqnet_conventions::auth::{Caller, Principal, hash_secret};
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List, Patch, Reply};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;

use crate::permissions::{COORDINATOR_CLIENT_GRANTS, STRUCTURE_MANAGERS as MANAGERS, manageable};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/api-clients")
            .service(list)
            .service(create)
            .service(get)
            .service(update),
    );
}

list_query! {
    pub struct ApiClientQuery => AccountFilter {
        /// Only clients with this role.
        pub role: Option<Role>,
        /// Only clients of this organisation.
        pub organisation_id: Option<OrganisationId>,
        /// Only clients changed at or after this instant (RFC 3339).
        pub updated_since: Option<DateTime<Utc>>,
    }
}

/// List API clients
///
/// The machine clients a national admin or network coordinator may manage: within the caller's
/// scope, and for coordinators only the roles they may grant.
#[utoipa::path(
    operation_id = "listApiClients",
    tag = "auth",
    params(ApiClientQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of API clients in the caller's scope", body = List<ApiClient>))
)]
#[get("")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<ApiClientQuery>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(MANAGERS)?;
    let (filter, page) = query.0.into_parts()?;
    let scope = caller.scope();
    let roles = manageable(caller.role, COORDINATOR_CLIENT_GRANTS);
    let found = state
        .read(move |conn| {
            Ok(structure::api_clients::list(
                conn, scope, roles, &filter, &page,
            )?)
        })
        .await?;
    Ok(http::list(&req, found))
}

/// Loads a client the caller may manage; 404 for any other. Unlike a user above a coordinator's
/// grants (visible to it, a 403 to change), a client it could not have created is not shown at
/// all: a coordinator has no business with national reporting clients.
fn visible_client(
    conn: &mut DbConnection,
    caller: &Caller,
    id: ApiClientId,
) -> ApiResult<ApiClient> {
    let client = structure::api_clients::get(conn, id)?;
    if !manageable(caller.role, COORDINATOR_CLIENT_GRANTS).contains(&client.role) {
        return Err(ApiError::not_found());
    }
    match client.organisation_id {
        None if caller.role == Role::NationalAdmin => {}
        None => return Err(ApiError::not_found()),
        Some(org) => {
            let owner = structure::organisations::get(conn, org)?;
            caller.ensure_covers(owner.id, owner.state)?;
        }
    }
    Ok(client)
}

/// Get an API client
///
/// One machine client by id (its OAuth2 `client_id`), for national admins and network coordinators
/// within their scope. The secret is never shown again.
#[utoipa::path(
    operation_id = "getApiClient",
    tag = "auth",
    params(("id" = ApiClientId, Path, description = "Client id (the OAuth2 client_id)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The client", body = ApiClient, headers(("ETag" = String, description = "Strong ETag: the version"))),
        (status = 304, description = "`If-None-Match` names the current version")
    )
)]
#[get("/{id}")]
async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<ApiClientId>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(MANAGERS)?;
    let id = id.into_inner();
    let found = state
        .read(move |conn| visible_client(conn, &caller, id))
        .await?;
    Ok(http::single(&req, &found, found.stamp.version))
}

/// A new machine client.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApiClient {
    #[schema(
        example = "Jobcenter Berlin Mitte sync",
        min_length = 1,
        max_length = 200
    )]
    pub name: String,
    /// `partner` (default) or `analyst`.
    pub role: Option<Role>,
    /// Required for partners.
    pub organisation_id: Option<OrganisationId>,
}

/// A created client with its secret: store the secret now, it is never shown again.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiClient {
    #[serde(flatten)]
    pub client: ApiClient,
    /// The OAuth2 client secret. Shown once; a replayed (idempotent) response carries `null`.
    pub client_secret: Option<String>,
}

/// Create an API client
///
/// For national admins and network coordinators: a machine client (role `partner` or `analyst`; a
/// partner belongs to an organisation) for the OAuth2 client-credentials grant. The answer holds
/// the client secret, which is shown only this once.
#[utoipa::path(
    operation_id = "createApiClient",
    tag = "auth",
    request_body = NewApiClient,
    security(("bearer" = [])),
    responses((status = 201, description = "Created; the body holds the secret, once", body = CreatedApiClient,
        headers(("Location" = String, description = "URL of the new client"), ("ETag" = String, description = "Its version"))))
)]
#[post("")]
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<NewApiClient>,
) -> ApiResult<Reply> {
    let caller = principal.require(MANAGERS)?;
    let input = body.0;
    let role = input.role.unwrap_or(Role::Partner);
    let mut v = Violations::new();
    let name = v.check("name", parse_text(&input.name, 200));
    if !role.for_machines() {
        v.push(
            "role",
            "invalid",
            "a machine client is a `partner` or an `analyst`",
        );
    }
    if role.requires_organisation() && input.organisation_id.is_none() {
        v.push(
            "organisation_id",
            "required",
            "a partner client belongs to an organisation",
        );
    }
    let name = v.finish(|| name.unwrap_or_default())?;
    if !manageable(caller.role, COORDINATOR_CLIENT_GRANTS).contains(&role) {
        return Err(ApiError::forbidden(
            "coordinators create partner clients only",
        ));
    }
    let secret = new_secret();
    let to_hash = secret.clone();
    let hash = state
        .hash(move || hash_secret(&to_hash))
        .await?
        .map_err(ApiError::internal)?;
    let client = ApiClient {
        id: ApiClientId::new(),
        name,
        role,
        organisation_id: input.organisation_id,
        active: true,
        stamp: Stamp::new(now()),
    };
    state
        .commit(&req, move |conn| {
            if let Some(org) = client.organisation_id {
                let owner = structure::organisations::get(conn, org).map_err(|_| {
                    ApiError::invalid_field("organisation_id", "not_found", "no such organisation")
                })?;
                if !caller.scope().covers(owner.id, owner.state) {
                    return Err(ApiError::forbidden(
                        "the organisation is outside your regional network",
                    ));
                }
            }
            structure::api_clients::insert(conn, &client, hash)?;
            let location = format!("/v1/api-clients/{}", client.id);
            let version = client.stamp.version;
            let created = CreatedApiClient {
                client,
                client_secret: Some(secret),
            };
            Ok(http::created(location, &created, version).redact_on_replay(&["client_secret"]))
        })
        .await
}

fn new_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("iqs_{}", hex::encode(bytes))
}

/// Changes to an API client (JSON merge patch). Set `active` to false to revoke it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiClientPatch {
    #[serde(default)]
    #[schema(value_type = String)]
    pub name: Patch<String>,
    #[serde(default)]
    #[schema(value_type = bool)]
    pub active: Patch<bool>,
}

/// Update an API client
///
/// A JSON merge patch (RFC 7396) of a machine client's `name` or `active`; an inactive client
/// cannot obtain tokens. Send the `ETag` you read as `If-Match`.
#[utoipa::path(
    operation_id = "updateApiClient",
    tag = "auth",
    params(
        ("id" = ApiClientId, Path, description = "Client id")
    ),
    request_body(content = ApiClientPatch, content_type = "application/merge-patch+json"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated client", body = ApiClient, headers(("ETag" = String, description = "The new version")))
    )
)]
#[patch("/{id}")]
async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<ApiClientId>,
    body: Json<ApiClientPatch>,
) -> ApiResult<Reply> {
    let caller = principal.require(MANAGERS)?;
    let id = id.into_inner();
    let patch = body.0;
    let if_match = IfMatch::of(&req);
    state
        .commit(&req, move |conn| {
            let current = visible_client(conn, &caller, id)?;
            if_match.check(current.stamp.version)?;
            let mut v = Violations::new();
            let name = patch
                .name
                .parse_required(&mut v, "name", current.name.clone(), |n| {
                    parse_text(&n, 200)
                });
            v.finish(|| ())?;
            let next = ApiClient {
                name: name.unwrap_or_default(),
                active: patch.active.apply_required("active", current.active)?,
                stamp: current.stamp.next(now()),
                ..current.clone()
            };
            structure::api_clients::update(conn, &next, current.stamp.version)?;
            Ok(http::ok_with_etag(&next, next.stamp.version))
        })
        .await
}
