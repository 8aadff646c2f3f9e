//! `POST /v1/auth/token`: the OAuth2 token endpoint (RFC 6749), with the password grant for
//! staff and the client-credentials grant for machine clients. Accepts the standard form
//! encoding and JSON.

use actix_web::http::{StatusCode, header};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, post, web};
use iqnet_persistence::structure;
use iqnet_shared::codes::Email;
use iqnet_shared::ids::ApiClientId;
use iqnet_shared::structure::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use iqnet_conventions::auth::{Verification, verify_secret};
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::parse_json;
use iqnet_conventions::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(utoipa_actix_web::scope("/auth").service(token));
}

/// A token request: `grant_type=password` with `username` (e-mail) and `password`, or
/// `grant_type=client_credentials` with `client_id` and `client_secret`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    #[schema(example = "password")]
    pub grant_type: String,
    #[schema(example = "admin@example.org")]
    pub username: Option<String>,
    #[schema(example = "correct horse battery staple")]
    pub password: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    /// Accepted for compatibility with OAuth2 clients; scopes follow from the role.
    pub scope: Option<String>,
}

/// An issued access token.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the token expires.
    #[schema(example = 900)]
    pub expires_in: u64,
}

/// Who the credentials belong to, as the token will say.
struct Grant {
    sub: String,
    role: Role,
    organisation: Option<iqnet_shared::ids::OrganisationId>,
}

/// Get an access token
///
/// Exchanges credentials for a short-lived bearer token. Failures follow OAuth2: `400` with
/// `error` = `invalid_grant`, `invalid_client`, `invalid_request` or `unsupported_grant_type`.
#[utoipa::path(
    operation_id = "createToken",
    tag = "auth",
    request_body(content(
        (TokenRequest = "application/x-www-form-urlencoded"),
        (TokenRequest = "application/json")
    )),
    security(()),
    responses((status = 200, description = "A bearer token", body = TokenResponse,
        headers(("Cache-Control" = String, description = "`no-store`"))))
)]
#[post("/token")]
async fn token(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Bytes,
) -> ApiResult<HttpResponse> {
    let request = parse_token_request(&req, &body)?;
    let grant = match request.grant_type.as_str() {
        "password" => {
            let (Some(username), Some(password)) = (request.username, request.password) else {
                return Err(oauth_error(
                    "invalid_request",
                    "the password grant needs username and password",
                ));
            };
            password_grant(&state, username, password).await?
        }
        "client_credentials" => {
            let (Some(id), Some(secret)) = (request.client_id, request.client_secret) else {
                return Err(oauth_error(
                    "invalid_request",
                    "the client_credentials grant needs client_id and client_secret",
                ));
            };
            client_grant(&state, id, secret).await?
        }
        other => {
            return Err(oauth_error(
                "unsupported_grant_type",
                format!("grant_type `{other}` is not supported"),
            ));
        }
    };
    let network = match (grant.role, grant.organisation) {
        (Role::NetworkCoordinator, Some(org)) => Some(
            state
                .read(move |conn| Ok(structure::organisations::get(conn, org)?.state))
                .await?,
        ),
        _ => None,
    };
    let access_token = state
        .keys
        .issue(grant.sub, grant.role, grant.organisation, network)
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(TokenResponse {
            access_token,
            token_type: "Bearer".into(),
            expires_in: state.keys.ttl().as_secs(),
        }))
}

fn parse_token_request(req: &HttpRequest, body: &[u8]) -> ApiResult<TokenRequest> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => parse_json(body),
        "application/x-www-form-urlencoded" => serde_urlencoded::from_bytes(body)
            .map_err(|e| oauth_error("invalid_request", format!("the form is malformed: {e}"))),
        _ => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "send application/x-www-form-urlencoded or application/json",
        )),
    }
}

/// An OAuth2 error (RFC 6749 §5.2), as a problem with the OAuth `error` code beside it.
fn oauth_error(code: &'static str, detail: impl Into<String>) -> ApiError {
    let kind = match code {
        "invalid_grant" => "invalid-grant",
        "invalid_client" => "invalid-client",
        "unsupported_grant_type" => "unsupported-grant-type",
        _ => "invalid-token-request",
    };
    ApiError::new(StatusCode::BAD_REQUEST, kind, detail).with("error", code)
}

async fn password_grant(state: &AppState, username: String, password: String) -> ApiResult<Grant> {
    let email = Email::parse(&username).ok();
    let found = match email {
        Some(email) => {
            state
                .read(move |conn| Ok(structure::users::find_by_email(conn, &email)?))
                .await?
        }
        None => None,
    };
    let hash = found.as_ref().map(|(_, h)| h.clone());
    let verified = web::block(move || verify_secret(&password, hash.as_deref()))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?;
    match found {
        Some((user, _)) if verified == Verification::Match && user.active => Ok(Grant {
            sub: format!("user:{}", user.id),
            role: user.role,
            organisation: user.organisation_id,
        }),
        _ => Err(oauth_error(
            "invalid_grant",
            "unknown user, wrong password, or the account is inactive",
        )),
    }
}

async fn client_grant(state: &AppState, id: String, secret: String) -> ApiResult<Grant> {
    let id: Option<ApiClientId> = id.parse().ok();
    let found = match id {
        Some(id) => {
            state
                .read(move |conn| Ok(structure::api_clients::find_with_secret(conn, id)?))
                .await?
        }
        None => None,
    };
    let hash = found.as_ref().map(|(_, h)| h.clone());
    let verified = web::block(move || verify_secret(&secret, hash.as_deref()))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?;
    match found {
        Some((client, _)) if verified == Verification::Match && client.active => Ok(Grant {
            sub: format!("client:{}", client.id),
            role: client.role,
            organisation: client.organisation_id,
        }),
        _ => Err(oauth_error(
            "invalid_client",
            "unknown client, wrong secret, or the client is revoked",
        )),
    }
}
