//! `POST /v1/auth/token`: the OAuth2 token endpoint (RFC 6749), with the password grant for
//! staff and the client-credentials grant for machine clients. Accepts the standard form
//! encoding and JSON.

use std::net::IpAddr;

use actix_web::http::{StatusCode, header};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, post, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use iqnet_conventions::config::SignInLimits;
use iqnet_persistence::DbConnection;
use iqnet_persistence::access::sessions::{self, Refresh};
use iqnet_persistence::access::throttle::{self, Policy};
use iqnet_persistence::structure;
use iqnet_shared::codes::{Email, StateCode};
use iqnet_shared::ids::{ApiClientId, OrganisationId};
use iqnet_shared::records::User;
use iqnet_shared::structure::Role;
use iqnet_shared::time::now;
use rand::RngCore;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use iqnet_conventions::auth::{Grant, Verification, verify_secret};
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::parse_json;
use iqnet_conventions::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/auth")
            .service(token)
            .service(revoke),
    );
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
    /// For `grant_type=refresh_token`.
    pub refresh_token: Option<String>,
    /// Accepted for compatibility with OAuth2 clients; scopes follow from the role.
    pub scope: Option<String>,
}

/// Get an access token
///
/// Exchanges credentials for a short-lived bearer token. `password` signs a user in and starts a
/// session: the answer also carries a `refresh_token`, which `grant_type=refresh_token` exchanges
/// (once) for a new access token and a new refresh token; presenting a used refresh token again
/// ends the whole session. `client_credentials` is for machine clients. Failures follow OAuth2:
/// `400` with `error` = `invalid_grant`, `invalid_client`, `invalid_request` or
/// `unsupported_grant_type`. After repeated wrong passwords for an account, or failed sign-ins
/// from one address, sign-in is locked for a while: `429` with `Retry-After`.
#[utoipa::path(
    operation_id = "createToken",
    tag = "auth",
    request_body(content(
        (TokenRequest = "application/x-www-form-urlencoded"),
        (TokenRequest = "application/json")
    )),
    security(()),
    responses(
        (status = 200, description = "A bearer token", body = TokenResponse,
            headers(("Cache-Control" = String, description = "`no-store`"))),
        (status = 429, description = "Too many failed sign-ins for this account or address; retry after `Retry-After` seconds",
            body = iqnet_conventions::error::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = String, description = "Seconds until sign-in is possible again")))
    )
)]
#[post("/token")]
async fn token(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Bytes,
) -> ApiResult<HttpResponse> {
    let request: TokenRequest = parse_form_or_json(&req, &body)?;
    let issued = match request.grant_type.as_str() {
        "password" => {
            let (Some(username), Some(password)) = (request.username, request.password) else {
                return Err(oauth_error(
                    "invalid_request",
                    "the password grant needs username and password",
                ));
            };
            let address = client_address(&req);
            password_grant(&state, &username, password, address).await?
        }
        "refresh_token" => {
            let Some(presented) = request.refresh_token else {
                return Err(oauth_error(
                    "invalid_request",
                    "the refresh_token grant needs refresh_token",
                ));
            };
            refresh_grant(&state, presented).await?
        }
        "client_credentials" => {
            let (Some(id), Some(secret)) = (request.client_id, request.client_secret) else {
                return Err(oauth_error(
                    "invalid_request",
                    "the client_credentials grant needs client_id and client_secret",
                ));
            };
            client_grant(&state, id, secret, client_address(&req)).await?
        }
        other => {
            return Err(oauth_error(
                "unsupported_grant_type",
                format!("grant_type `{other}` is not supported"),
            ));
        }
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(issued))
}

/// A token to revoke (RFC 7009).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevocationRequest {
    /// A refresh token or an access token of this API.
    pub token: String,
    /// `refresh_token` or `access_token`; a hint only, both are tried.
    pub token_type_hint: Option<String>,
    /// Sent by public OAuth2 clients; accepted and not needed (the token itself is the proof).
    pub client_id: Option<String>,
}

/// Revoke a token (sign out)
///
/// Ends the session the token belongs to: its refresh tokens and every access token issued in it
/// stop working at once (RFC 7009). Answers 200 also for unknown or already revoked tokens, as the
/// RFC asks, so the answer reveals nothing. Access tokens of machine clients have no session: they
/// expire, or end when the client is revoked.
#[utoipa::path(
    operation_id = "revokeToken",
    tag = "auth",
    request_body(content(
        (RevocationRequest = "application/x-www-form-urlencoded"),
        (RevocationRequest = "application/json")
    )),
    security(()),
    responses((status = 200, description = "The token is revoked (or was never valid)"))
)]
#[post("/revoke")]
async fn revoke(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Bytes,
) -> ApiResult<HttpResponse> {
    let request: RevocationRequest = parse_form_or_json(&req, &body)?;
    let session = state.keys.verify(&request.token).ok().and_then(|c| c.sid);
    let hash = token_hash(&request.token);
    state
        .write(move |conn| {
            let session = match session {
                Some(session) => Some(session),
                None => sessions::session_of_refresh_token(conn, &hash)?,
            };
            if let Some(session) = session {
                sessions::revoke(conn, &session, now())?;
            }
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish())
}

/// The standard form encoding (RFC 6749) or JSON.
fn parse_form_or_json<T: DeserializeOwned>(req: &HttpRequest, body: &[u8]) -> ApiResult<T> {
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

/// The peer's address, an IPv6 one as its /64 (one host owns a whole /64, so single addresses
/// would be free to rotate). Behind a proxy this is the proxy's: trusting `X-Forwarded-For`
/// would let any client pick the address it is throttled under.
fn client_address(req: &HttpRequest) -> Option<String> {
    req.peer_addr().map(|a| match a.ip() {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        ip => ip.to_string(),
    })
}

/// The throttle keys of a sign-in: the account (by its e-mail as given, so unknown accounts
/// are throttled alike) and the client address.
fn throttle_keys(
    account: Option<String>,
    address: Option<String>,
    limits: SignInLimits,
) -> Vec<(String, Policy)> {
    let policy = |limit: u32| Policy {
        limit: i32::try_from(limit).unwrap_or(i32::MAX),
        window: Duration::from_std(limits.window).unwrap_or(Duration::MAX),
        lockout: Duration::from_std(limits.lockout).unwrap_or(Duration::MAX),
    };
    let mut keys = Vec::new();
    if let Some(account) = account {
        keys.push((format!("account:{account}"), policy(limits.per_account)));
    }
    if let Some(address) = address {
        keys.push((format!("address:{address}"), policy(limits.per_address)));
    }
    keys
}

/// Counts this sign-in attempt against every key before any password is hashed; 429 (and
/// nothing counted) while one of them is locked. Counting first is what makes a burst of
/// concurrent guesses count: a check that only read the count would let them all through.
async fn reserve_attempt(state: &AppState, keys: &[(String, Policy)]) -> ApiResult<()> {
    let keys = keys.to_vec();
    state
        .write(move |conn| {
            let at = now();
            for (key, policy) in &keys {
                if let Err(until) = throttle::reserve(conn, key, *policy, at)? {
                    // An error rolls back the reservations already made in this transaction.
                    return Err(too_many_attempts(until));
                }
            }
            Ok(())
        })
        .await
}

fn too_many_attempts(until: DateTime<Utc>) -> ApiError {
    let seconds = (until - now()).num_seconds().max(0) + 1;
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too-many-sign-in-failures",
        "too many failed sign-ins for this account or address; retry later",
    )
    .with_header(header::RETRY_AFTER, seconds.to_string())
}

/// After a successful sign-in: the account's count is cleared, the address's reservation taken
/// back.
fn settle_success(conn: &mut DbConnection, keys: &[(String, Policy)]) -> ApiResult<()> {
    for (key, _) in keys {
        if key.starts_with("account:") {
            throttle::clear(conn, key)?;
        } else {
            throttle::refund(conn, key)?;
        }
    }
    Ok(())
}

/// What the token endpoint answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: u64,
    /// For password sign-ins and refreshes: exchange it (once) for the next access token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

fn token_hash(presented: &str) -> String {
    hex::encode(Sha256::digest(presented.as_bytes()))
}

fn new_refresh_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("iqr_{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The regional network of a coordinator (their organisation's state).
fn network_of(
    conn: &mut DbConnection,
    role: Role,
    organisation: Option<OrganisationId>,
) -> ApiResult<Option<StateCode>> {
    Ok(match (role, organisation) {
        (Role::NetworkCoordinator, Some(org)) => {
            Some(structure::organisations::get(conn, org)?.state)
        }
        _ => None,
    })
}

/// Issues the tokens of a session for `user`: a new refresh token of `session` and an access
/// token carrying the user's present credential epoch.
fn session_tokens(
    conn: &mut DbConnection,
    state: &AppState,
    user: &User,
    epoch: i64,
    session: String,
) -> ApiResult<TokenResponse> {
    let at = now();
    let refresh_token = new_refresh_token();
    let ttl = Duration::from_std(state.settings.refresh_token_ttl).unwrap_or(Duration::MAX);
    let expires = at.checked_add_signed(ttl).unwrap_or(at);
    sessions::add_refresh_token(conn, &token_hash(&refresh_token), &session, at, expires)?;
    let grant = Grant {
        sub: format!("user:{}", user.id),
        role: user.role,
        org: user.organisation_id,
        net: network_of(conn, user.role, user.organisation_id)?,
        epoch,
        session: Some(session),
    };
    Ok(TokenResponse {
        access_token: state.keys.issue(grant).map_err(ApiError::internal)?,
        token_type: "Bearer".into(),
        expires_in: state.keys.ttl().as_secs(),
        refresh_token: Some(refresh_token),
    })
}

async fn password_grant(
    state: &web::Data<AppState>,
    username: &str,
    password: String,
    address: Option<String>,
) -> ApiResult<TokenResponse> {
    let email = Email::parse(username).ok();
    let keys = throttle_keys(
        email.as_ref().map(|e| e.as_str().to_owned()),
        address,
        state.settings.sign_in,
    );
    reserve_attempt(state, &keys).await?;
    let found = match email {
        Some(email) => {
            state
                .read(move |conn| {
                    let Some((user, hash)) = structure::users::find_by_email(conn, &email)? else {
                        return Ok(None);
                    };
                    let epoch = structure::users::credentials(conn, user.id)?.map(|c| c.epoch);
                    Ok(epoch.map(|epoch| (user, hash, epoch)))
                })
                .await?
        }
        None => None,
    };
    let hash = found.as_ref().map(|(_, h, _)| h.clone());
    let verified = state
        .hash(move || verify_secret(&password, hash.as_deref()))
        .await?;
    let (user, checked_epoch) = match found {
        Some((user, _, epoch)) if verified == Verification::Match && user.active => (user, epoch),
        _ => {
            return Err(oauth_error(
                "invalid_grant",
                "unknown user, wrong password, or the account is inactive",
            ));
        }
    };
    let app = state.clone();
    state
        .write(move |conn| {
            settle_success(conn, &keys)?;
            // Read again in this transaction: if the account changed while the password was
            // being checked (a reset, a new role), the password checked may no longer be the
            // account's, and no token may carry the new epoch.
            let user = structure::users::get(conn, user.id)?;
            let credentials = structure::users::credentials(conn, user.id)?
                .filter(|c| c.active && user.active && c.epoch == checked_epoch)
                .ok_or_else(|| {
                    oauth_error("invalid_grant", "the account changed during sign-in; retry")
                })?;
            let at = now();
            let lifetime = Duration::from_std(app.settings.session_ttl).unwrap_or(Duration::MAX);
            let session = uuid::Uuid::now_v7().to_string();
            sessions::start(
                conn,
                &session,
                user.id,
                at,
                at.checked_add_signed(lifetime).unwrap_or(at),
            )?;
            // Ended sessions and stale sign-in counts are swept by the sign-ins themselves,
            // about once in 256, so no background job has to run on some instance.
            if rand::random::<u8>() == 0 {
                sessions::purge_ended(conn, at)?;
                let window =
                    Duration::from_std(app.settings.sign_in.window).unwrap_or(Duration::MAX);
                throttle::purge_stale(conn, at.checked_sub_signed(window).unwrap_or(at), at)?;
            }
            session_tokens(conn, &app, &user, credentials.epoch, session)
        })
        .await
}

/// Either the next tokens, or why not (after the transaction commits: a detected reuse revokes
/// the session, and that must stick).
enum Refreshed {
    Tokens(TokenResponse),
    Refused(&'static str),
}

async fn refresh_grant(state: &web::Data<AppState>, presented: String) -> ApiResult<TokenResponse> {
    let app = state.clone();
    let outcome = state
        .write(move |conn| {
            let (session, user_id) =
                match sessions::use_refresh_token(conn, &token_hash(&presented), now())? {
                    Refresh::Rotated { session, user } => (session, user),
                    Refresh::Reused => {
                        return Ok(Refreshed::Refused(
                            "the refresh token was used before: the session is ended",
                        ));
                    }
                    Refresh::Invalid => {
                        return Ok(Refreshed::Refused(
                            "unknown, expired or revoked refresh token",
                        ));
                    }
                };
            let user = structure::users::get(conn, user_id)?;
            let credentials = structure::users::credentials(conn, user_id)?;
            match credentials {
                Some(c) if c.active && user.active => {
                    session_tokens(conn, &app, &user, c.epoch, session).map(Refreshed::Tokens)
                }
                _ => Ok(Refreshed::Refused("the account is inactive")),
            }
        })
        .await?;
    match outcome {
        Refreshed::Tokens(tokens) => Ok(tokens),
        Refreshed::Refused(why) => Err(oauth_error("invalid_grant", why)),
    }
}

async fn client_grant(
    state: &web::Data<AppState>,
    id: String,
    secret: String,
    address: Option<String>,
) -> ApiResult<TokenResponse> {
    let keys = throttle_keys(None, address, state.settings.sign_in);
    reserve_attempt(state, &keys).await?;
    let id: Option<ApiClientId> = id.parse().ok();
    let found = match id {
        Some(id) => {
            state
                .read(move |conn| {
                    let found = structure::api_clients::find_with_secret(conn, id)?;
                    let credentials = structure::api_clients::credentials(conn, id)?;
                    Ok(found.zip(credentials))
                })
                .await?
        }
        None => None,
    };
    let hash = found.as_ref().map(|((_, h), _)| h.clone());
    let verified = state
        .hash(move || verify_secret(&secret, hash.as_deref()))
        .await?;
    let (client, epoch) = match found {
        Some(((client, _), credentials))
            if verified == Verification::Match && client.active && credentials.active =>
        {
            (client, credentials.epoch)
        }
        _ => {
            return Err(oauth_error(
                "invalid_client",
                "unknown client, wrong secret, or the client is revoked",
            ));
        }
    };
    let net = state
        .write(move |conn| {
            settle_success(conn, &keys)?;
            network_of(conn, client.role, client.organisation_id)
        })
        .await?;
    let grant = Grant {
        sub: format!("client:{}", client.id),
        role: client.role,
        org: client.organisation_id,
        net,
        epoch,
        session: None,
    };
    Ok(TokenResponse {
        access_token: state.keys.issue(grant).map_err(ApiError::internal)?,
        token_type: "Bearer".into(),
        expires_in: state.keys.ttl().as_secs(),
        refresh_token: None,
    })
}
