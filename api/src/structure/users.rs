//! Staff users. Personal data: each caller sees the users in their scope (national admins all,
//! coordinators their network's, staff their own organisation's); analysts and partners none.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use iqnet_persistence::DbConnection;
use iqnet_persistence::structure::{self, users::AccountFilter};
use iqnet_shared::DomainError;
use iqnet_shared::codes::Email;
use iqnet_shared::error::Violations;
use iqnet_shared::ids::{OrganisationId, UserId};
use iqnet_shared::records::{Stamp, User};
use iqnet_shared::structure::{Role, parse_text};
use iqnet_shared::time::now;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use iqnet_conventions::auth::{
    Caller, Principal, Subject, Verification, hash_secret, verify_secret,
};
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List, Patch, Reply};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;

use crate::permissions::{
    ACCOUNT_READERS as READERS, COORDINATOR_GRANTS, STRUCTURE_MANAGERS as MANAGERS, manageable,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/users")
            .service(list)
            .service(create)
            .service(me)
            .service(update_me)
            .service(get)
            .service(update),
    );
}

list_query! {
    pub struct UserQuery => AccountFilter {
        /// Only users with this role.
        pub role: Option<Role>,
        /// Only users of this organisation.
        pub organisation_id: Option<OrganisationId>,
        /// Only users changed at or after this instant (RFC 3339).
        pub updated_since: Option<DateTime<Utc>>,
    }
}

/// List users
///
/// The users within the caller's scope.
#[utoipa::path(
    operation_id = "listUsers",
    tag = "network",
    params(UserQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of users, oldest first", body = List<User>))
)]
#[get("")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<UserQuery>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(READERS)?;
    let (filter, page) = query.0.into_parts()?;
    let scope = caller.scope();
    let found = state
        .read(move |conn| Ok(structure::users::list(conn, scope, &filter, &page)?))
        .await?;
    Ok(http::list(&req, found))
}

/// Loads a user the caller may see; 404 for anyone else's.
fn visible_user(conn: &mut DbConnection, caller: &Caller, id: UserId) -> ApiResult<User> {
    let user = structure::users::get(conn, id)?;
    if caller.subject == Subject::User(id) {
        return Ok(user);
    }
    ensure_in_scope(conn, caller, user.organisation_id)?;
    Ok(user)
}

/// 404 unless an account of `organisation` is in the caller's scope. Accounts outside any
/// organisation are visible to national admins only.
fn ensure_in_scope(
    conn: &mut DbConnection,
    caller: &Caller,
    organisation: Option<OrganisationId>,
) -> ApiResult<()> {
    match organisation {
        None if caller.role == Role::NationalAdmin => Ok(()),
        None => Err(ApiError::not_found()),
        Some(org) => {
            let owner = structure::organisations::get(conn, org)?;
            caller.ensure_covers(owner.id, owner.state)
        }
    }
}

/// The signed-in user
///
/// The account of the user the bearer token was issued to, with its `ETag`. A token of a machine
/// client or of an external subject has no user account here: 404.
#[utoipa::path(
    operation_id = "getCurrentUser",
    tag = "network",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The user the token belongs to", body = User, headers(("ETag" = String, description = "Strong ETag: the version"))),
        (status = 304, description = "`If-None-Match` names the current version"),
        (status = 404, description = "The token belongs to a machine client or an external subject, not a user", body = iqnet_conventions::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/me")]
async fn me(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
) -> ApiResult<HttpResponse> {
    let caller = principal.authenticated()?;
    let Subject::User(id) = caller.subject else {
        return Err(
            ApiError::not_found().with("hint", "the token belongs to a machine client, not a user")
        );
    };
    let found = state
        .read(move |conn| Ok(structure::users::get(conn, id)?))
        .await?;
    Ok(http::single(&req, &found, found.stamp.version))
}

/// Get a user
///
/// One staff account by id, for staff who may see accounts: their own always, others within their
/// scope (404 outside it).
#[utoipa::path(
    operation_id = "getUser",
    tag = "network",
    params(("id" = UserId, Path, description = "User id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The user", body = User, headers(("ETag" = String, description = "Strong ETag: the version"))),
        (status = 304, description = "`If-None-Match` names the current version")
    )
)]
#[get("/{id}")]
async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<UserId>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(READERS)?;
    let id = id.into_inner();
    let found = state
        .read(move |conn| visible_user(conn, &caller, id))
        .await?;
    Ok(http::single(&req, &found, found.stamp.version))
}

/// A new staff user.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    #[schema(example = "ana.silva@example.org")]
    pub email: String,
    #[schema(example = "Ana Silva", min_length = 1, max_length = 200)]
    pub display_name: String,
    pub role: Role,
    /// Required for coordinators, counsellors and trainers.
    pub organisation_id: Option<OrganisationId>,
    /// At least 12 characters.
    #[schema(example = "correct horse battery staple", min_length = 12)]
    pub password: String,
}

pub fn parse_password(password: &str) -> Result<String, DomainError> {
    let length = password.chars().count();
    if !(12..=200).contains(&length) {
        return Err(DomainError::invalid(
            "",
            "out_of_range",
            "a password has 12 to 200 characters",
        ));
    }
    hash_secret(password).map_err(|e| DomainError::invalid("", "invalid", e))
}

/// Checks that `role` may be held with `organisation`, and that `caller` may grant it there.
fn ensure_may_grant(
    conn: &mut DbConnection,
    caller: &Caller,
    role: Role,
    organisation: Option<OrganisationId>,
) -> ApiResult<()> {
    if !role.for_staff() {
        return Err(ApiError::invalid_field(
            "role",
            "invalid",
            "`partner` is a role for machine clients",
        ));
    }
    if role.requires_organisation() && organisation.is_none() {
        return Err(ApiError::invalid_field(
            "organisation_id",
            "required",
            format!("a {role} belongs to an organisation"),
        ));
    }
    if !manageable(caller.role, COORDINATOR_GRANTS).contains(&role) {
        return Err(ApiError::forbidden(format!(
            "coordinators may not grant the role `{role}`"
        )));
    }
    if let Some(org) = organisation {
        let owner = structure::organisations::get(conn, org).map_err(|_| {
            ApiError::invalid_field("organisation_id", "not_found", "no such organisation")
        })?;
        if !caller.scope().covers(owner.id, owner.state) {
            return Err(ApiError::forbidden(
                "the organisation is outside your regional network",
            ));
        }
    }
    Ok(())
}

/// The answer to a new account whose e-mail another account holds.
///
/// E-mails are unique nationwide (they sign in), so refusing one tells the caller that the
/// address has an account somewhere: no answer can hide that short of pretending to create the
/// account. What it must not tell a coordinator is anything about accounts outside their
/// network: so whoever asks, and wherever the other account is, the refusal is checked after the
/// caller's right to grant this role in this organisation (403/422 first, before any lookup) and
/// is one fixed 409, whether the other account is in the caller's scope or not, whatever its
/// organisation, role or state. Telling in-scope duplicates apart (say, with a link) would
/// reveal by its absence which ones are outside. Only a national admin, who sees every account,
/// also gets the existing account's URL (`existing`), e.g. to reactivate it instead. Probing
/// many addresses is for rate limits to stop.
fn email_taken(caller: &Caller, existing: Option<&User>) -> ApiError {
    let refusal = ApiError::conflict(
        "already-exists",
        "this e-mail address already belongs to an account",
    );
    match existing {
        Some(user) if caller.role == Role::NationalAdmin => {
            refusal.with("existing", format!("/v1/users/{}", user.id))
        }
        _ => refusal,
    }
}

/// Create a user
///
/// National admins create any staff user; coordinators create coordinators, counsellors and
/// trainers of organisations in their network.
#[utoipa::path(
    operation_id = "createUser",
    tag = "network",
    request_body = NewUser,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = User,
            headers(("Location" = String, description = "URL of the new user"), ("ETag" = String, description = "Its version"))),
        (status = 409, description = "The e-mail already belongs to an account (the same answer wherever it is; a national admin also gets its URL in `existing`)", body = iqnet_conventions::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("")]
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<NewUser>,
) -> ApiResult<Reply> {
    let caller = principal.require(MANAGERS)?;
    let input = body.0;
    let mut v = Violations::new();
    let email = v.check("email", Email::parse(&input.email));
    let display_name = v.check("display_name", parse_text(&input.display_name, 200));
    let password = input.password.clone();
    let hash = v.check(
        "password",
        state.hash(move || parse_password(&password)).await?,
    );
    let (email, display_name, hash) = match v.finish(|| (email, display_name, hash))? {
        (Some(e), Some(d), Some(h)) => (e, d, h),
        _ => return Err(ApiError::internal("parsed user without values")),
    };
    let user = User {
        id: UserId::new(),
        email,
        display_name,
        role: input.role,
        organisation_id: input.organisation_id,
        active: true,
        stamp: Stamp::new(now()),
    };
    state
        .commit(&req, move |conn| {
            ensure_may_grant(conn, &caller, user.role, user.organisation_id)?;
            if let Some((existing, _)) = structure::users::find_by_email(conn, &user.email)? {
                return Err(email_taken(&caller, Some(&existing)));
            }
            structure::users::insert(conn, &user, hash).map_err(|e| match e {
                // Taken between the lookup and the insert.
                iqnet_persistence::StoreError::Conflict(_) => email_taken(&caller, None),
                other => ApiError::from(other),
            })?;
            let location = format!("/v1/users/{}", user.id);
            Ok(http::created(location, &user, user.stamp.version))
        })
        .await
}

/// Changes to a user (JSON merge patch). Users may change their own name and password; managers
/// also role, organisation and `active`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    #[serde(default)]
    #[schema(value_type = String)]
    pub display_name: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 12)]
    pub password: Patch<String>,
    /// Required with `password` on one's own account: a stolen token alone must not be enough
    /// to take the account over. Not stored.
    #[serde(default)]
    #[schema(value_type = Option<String>, write_only)]
    pub current_password: Option<String>,
    #[serde(default)]
    #[schema(value_type = Role)]
    pub role: Patch<Role>,
    #[serde(default)]
    #[schema(value_type = Option<OrganisationId>)]
    pub organisation_id: Patch<OrganisationId>,
    #[serde(default)]
    #[schema(value_type = bool)]
    pub active: Patch<bool>,
}

/// Update a user
///
/// A JSON merge patch (RFC 7396) of a staff account; members left out stay as they are. Send the
/// `ETag` you read as `If-Match`.
#[utoipa::path(
    operation_id = "updateUser",
    tag = "network",
    params(
        ("id" = UserId, Path, description = "User id")
    ),
    request_body(content = UserPatch, content_type = "application/merge-patch+json"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated user", body = User, headers(("ETag" = String, description = "The new version")))
    )
)]
#[patch("/{id}")]
async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<UserId>,
    body: Json<UserPatch>,
) -> ApiResult<Reply> {
    apply_patch(req, state, principal, id.into_inner(), body.0).await
}

/// Update the signed-in user
///
/// The same as `PATCH /v1/users/{id}` with one's own id: name and password.
#[utoipa::path(
    operation_id = "updateCurrentUser",
    tag = "network",
    request_body(content = UserPatch, content_type = "application/merge-patch+json"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated user", body = User, headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "The token belongs to a machine client or an external subject, not a user", body = iqnet_conventions::error::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/me")]
async fn update_me(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<UserPatch>,
) -> ApiResult<Reply> {
    let caller = principal.clone().authenticated()?;
    let Subject::User(id) = caller.subject else {
        return Err(
            ApiError::not_found().with("hint", "the token belongs to a machine client, not a user")
        );
    };
    apply_patch(req, state, principal, id, body.0).await
}

/// Who may change what of an account: everyone their own name and password; national admins
/// and coordinators (not on their own account) also role, organisation and `active`, a
/// coordinator only on accounts it could have created. Returns whether access changes.
fn ensure_may_patch(caller: &Caller, current: &User, patch: &UserPatch) -> ApiResult<bool> {
    let own = caller.subject == Subject::User(current.id);
    let managing = MANAGERS.contains(&caller.role) && !own;
    let touches_access = !matches!(patch.role, Patch::Absent)
        || !matches!(patch.organisation_id, Patch::Absent)
        || !matches!(patch.active, Patch::Absent);
    if touches_access && !managing {
        return Err(ApiError::forbidden(
            "only a national admin or coordinator may change role, organisation or active, \
             and not their own",
        ));
    }
    if !own && !managing {
        return Err(ApiError::forbidden(
            "staff may change their own account only",
        ));
    }
    // A coordinator manages the accounts it could have created, nothing above them.
    if managing && !manageable(caller.role, COORDINATOR_GRANTS).contains(&current.role) {
        let message = format!("coordinators may not change a {} account", current.role);
        return Err(ApiError::forbidden(message));
    }
    // Setting someone else's password would let the setter sign in as them: only a national
    // admin may, to help a locked-out user.
    let sets_password = !matches!(patch.password, Patch::Absent);
    if managing && caller.role != Role::NationalAdmin && sets_password {
        return Err(ApiError::forbidden(
            "only a national admin may set another user's password",
        ));
    }
    Ok(touches_access)
}

/// 422 unless `given` is the account's current password (`stored` is its hash).
async fn confirm_current_password(
    state: &AppState,
    given: Option<String>,
    stored: String,
) -> ApiResult<()> {
    let Some(given) = given else {
        return Err(ApiError::invalid_field(
            "current_password",
            "required",
            "changing one's own password needs the current one",
        ));
    };
    match state
        .hash(move || verify_secret(&given, Some(&stored)))
        .await?
    {
        Verification::Match => Ok(()),
        Verification::NoMatch => Err(ApiError::invalid_field(
            "current_password",
            "mismatch",
            "not the account's current password",
        )),
    }
}

async fn apply_patch(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: UserId,
    patch: UserPatch,
) -> ApiResult<Reply> {
    let caller = principal.require(READERS)?;
    let if_match = IfMatch::of(&req);
    // Hashed before the transaction, in a bounded slot: argon2 must hold neither a database
    // connection nor a lock. And only once the caller may make the change: nobody queues
    // hashing work for an account they cannot touch.
    let hashed = match &patch.password {
        Patch::Value(p) => {
            let (check, who) = (patch.clone(), caller.clone());
            let own_hash = state
                .read(move |conn| {
                    let current = visible_user(conn, &who, id)?;
                    ensure_may_patch(&who, &current, &check)?;
                    let own = who.subject == Subject::User(current.id);
                    Ok(own
                        .then(|| structure::users::password_hash(conn, id))
                        .transpose()?)
                })
                .await?;
            if let Some(stored) = own_hash {
                confirm_current_password(&state, patch.current_password.clone(), stored).await?;
            }
            let p = p.clone();
            Some(state.hash(move || parse_password(&p)).await?)
        }
        _ => None,
    };
    state
        .commit(&req, move |conn| {
            let current = visible_user(conn, &caller, id)?;
            let touches_access = ensure_may_patch(&caller, &current, &patch)?;
            if_match.check(current.stamp.version)?;
            let mut v = Violations::new();
            let name = current.display_name.clone();
            let display_name =
                patch
                    .display_name
                    .parse_required(&mut v, "display_name", name, |n| parse_text(&n, 200));
            let new_hash = match (patch.password, hashed) {
                (Patch::Value(_), Some(hashed)) => v.check("password", hashed),
                (Patch::Null, _) => {
                    let message = "cannot be removed";
                    return Err(ApiError::invalid_field("password", "required", message));
                }
                _ => None,
            };
            v.finish(|| ())?;
            let next = User {
                display_name: display_name.unwrap_or_default(),
                role: patch.role.apply_required("role", current.role)?,
                organisation_id: patch.organisation_id.apply_to(current.organisation_id),
                active: patch.active.apply_required("active", current.active)?,
                stamp: current.stamp.next(now()),
                ..current.clone()
            };
            if touches_access {
                ensure_may_grant(conn, &caller, next.role, next.organisation_id)?;
            }
            structure::users::update(conn, &next, new_hash, current.stamp.version)?;
            Ok(http::ok_with_etag(&next, next.stamp.version))
        })
        .await
}
