//! The caller behind a request, and the one guard every handler uses: `principal.require(ROLES)`
//! names the roles an operation allows; `caller.scope()` and `caller.ensure_covers(..)` limit it to
//! the records those roles may see (anything else is a 404, never a hint that it exists).

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use iqnet_shared::codes::StateCode;
use iqnet_shared::ids::{ApiClientId, OrganisationId, UserId};
use iqnet_shared::structure::{Role, Scope};

use iqnet_persistence::access::sessions;
use iqnet_persistence::structure;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Who a verified token names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    User(UserId),
    Client(ApiClientId),
    /// A subject of the external identity provider: `(issuer, subject)`.
    External(String, String),
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    pub subject: Subject,
    pub role: Role,
    pub organisation: Option<OrganisationId>,
    pub network: Option<StateCode>,
    /// The account's credential epoch the token was issued under (our tokens only).
    pub epoch: Option<i64>,
    /// The sign-in session the token belongs to, if any.
    pub session: Option<String>,
}

impl Caller {
    /// The records holding personal data this caller may see.
    pub fn scope(&self) -> Scope {
        Scope::of(self.role, self.organisation, self.network)
    }

    /// 404 unless a record owned by `owner` (in `owner_state`) is within the caller's scope.
    pub fn ensure_covers(&self, owner: OrganisationId, owner_state: StateCode) -> ApiResult<()> {
        if self.scope().covers(owner, owner_state) {
            Ok(())
        } else {
            Err(ApiError::not_found())
        }
    }

    /// A stable key for what this caller did, e.g. for idempotency keys.
    pub fn key(&self) -> String {
        match &self.subject {
            Subject::User(id) => format!("user:{id}"),
            Subject::Client(id) => format!("client:{id}"),
            Subject::External(iss, sub) => format!("ext:{iss}:{sub}"),
        }
    }
}

/// The request's principal: nobody, or a caller with a verified token. Extracting it fails only
/// when a token is present and invalid; whether anonymity is enough is the handler's `require`.
#[derive(Debug, Clone)]
pub struct Principal(pub Option<Caller>);

impl Principal {
    /// The caller, if their role is one of `roles`: 401 without a token, 403 for another role.
    pub fn require(self, roles: &[Role]) -> ApiResult<Caller> {
        let caller = self.0.ok_or_else(ApiError::missing_token)?;
        if roles.contains(&caller.role) {
            Ok(caller)
        } else {
            Err(ApiError::forbidden(format!(
                "the role `{}` may not do this",
                caller.role
            )))
        }
    }

    /// Every authenticated role.
    pub fn authenticated(self) -> ApiResult<Caller> {
        self.require(Role::ALL)
    }
}

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // Verified once by the authentication middleware; verified here where it did not run.
        let verified = req.extensions().get::<Principal>().cloned();
        ready(verified.map_or_else(|| principal_of(req), Ok))
    }
}

/// Reads and verifies the bearer token of a request.
pub fn principal_of(req: &HttpRequest) -> ApiResult<Principal> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(Principal(None));
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::unauthorized("the Authorization header must be `Bearer <token>`")
        })?;
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal("application state is not configured"))?;
    let claims = state.keys.verify(token).map_err(ApiError::invalid_token)?;
    let subject = if claims.iss == state.settings.jwt_issuer {
        parse_internal_subject(&claims.sub)
            .ok_or_else(|| ApiError::invalid_token("the token's subject is malformed"))?
    } else {
        Subject::External(claims.iss.clone(), claims.sub.clone())
    };
    // A coordinator's token must name their network; without it they would see nothing anyway.
    Ok(Principal(Some(Caller {
        subject,
        role: claims.role,
        organisation: claims.org,
        network: claims.net,
        epoch: claims.epc,
        session: claims.sid,
    })))
}

/// 401 unless the caller's token is still current: the account exists and is active, the token
/// carries the account's present credential epoch (a change of role, organisation, activity or
/// password, or a revoked client, moves it on), and its session, if it has one, is not revoked.
/// One query (a user's session is read with the user), unless the token was verified a moment
/// ago and nothing changed since (`VerifiedTokens`).
pub async fn ensure_current(state: &AppState, caller: &Caller) -> ApiResult<()> {
    if state.verified.is_current(caller) {
        return Ok(());
    }
    let generation = state.verified.generation();
    let (subject, epoch, session) = (caller.subject.clone(), caller.epoch, caller.session.clone());
    let current = state
        .read(move |conn| {
            let now = iqnet_shared::time::now();
            let (credentials, session_live) = match (subject, session) {
                // The external provider revokes its own tokens.
                (Subject::External(..), _) => return Ok(Ok(())),
                (Subject::User(id), Some(session)) => {
                    match sessions::user_in_session(conn, id, &session, now)? {
                        Some((credentials, live)) => (Some(credentials), live),
                        None => (None, false),
                    }
                }
                (Subject::User(id), None) => (structure::users::credentials(conn, id)?, true),
                (Subject::Client(id), session) => {
                    let live = match session {
                        Some(session) => sessions::is_live(conn, &session, now)?,
                        None => true,
                    };
                    (structure::api_clients::credentials(conn, id)?, live)
                }
            };
            let Some(credentials) = credentials else {
                return Ok(Err("the account no longer exists"));
            };
            if !credentials.active {
                return Ok(Err("the account is deactivated"));
            }
            if epoch != Some(credentials.epoch) {
                return Ok(Err(
                    "the account's credentials changed since the token was issued",
                ));
            }
            if !session_live {
                return Ok(Err("the session was revoked or has expired"));
            }
            Ok(Ok(()))
        })
        .await?;
    current.map_err(ApiError::invalid_token)?;
    state.verified.remember(caller, generation);
    Ok(())
}

fn parse_internal_subject(sub: &str) -> Option<Subject> {
    if let Some(id) = sub.strip_prefix("user:") {
        return id.parse().ok().map(Subject::User);
    }
    sub.strip_prefix("client:")
        .and_then(|id| id.parse().ok())
        .map(Subject::Client)
}
