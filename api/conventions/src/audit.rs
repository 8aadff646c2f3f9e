//! The audit log of personal data: who read or changed which seeker's data, when, and why.
//! Handlers call `record` inside the same transaction as the access, so an access that is not
//! logged does not happen.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use iqnet_persistence::DbConnection;
use iqnet_persistence::audit;
use iqnet_shared::ids::{OrganisationId, SeekerId};
use iqnet_shared::records::AuditEntry;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::middleware::request_id;

/// The request facts an audit entry needs: its id, and the reason the caller gave in the
/// optional `X-Access-Reason` header.
#[derive(Debug, Clone)]
pub struct AccessContext {
    pub request_id: Option<String>,
    pub reason: Option<String>,
}

impl FromRequest for AccessContext {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let reason = req
            .headers()
            .get("x-access-reason")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(500).collect::<String>());
        ready(Ok(AccessContext {
            request_id: request_id::of(req),
            reason,
        }))
    }
}

/// What was done to which record of which seeker.
pub struct Access<'a> {
    pub action: &'static str,
    pub resource: &'static str,
    pub resource_id: String,
    pub seeker: SeekerId,
    pub organisation: OrganisationId,
    /// The operation, e.g. `getAdviceSeeker`: the default reason.
    pub operation: &'a str,
}

pub fn record(
    conn: &mut DbConnection,
    caller: &Caller,
    ctx: &AccessContext,
    access: Access<'_>,
) -> ApiResult<()> {
    record_all(conn, caller, ctx, [access])
}

/// Records several accesses (e.g. every seeker of a list page) in one insert.
pub fn record_all<'a>(
    conn: &mut DbConnection,
    caller: &Caller,
    ctx: &AccessContext,
    accesses: impl IntoIterator<Item = Access<'a>>,
) -> ApiResult<()> {
    let entries: Vec<AuditEntry> = accesses
        .into_iter()
        .map(|access| entry(caller, ctx, access))
        .collect();
    Ok(audit::append(conn, &entries)?)
}

fn entry(caller: &Caller, ctx: &AccessContext, access: Access<'_>) -> AuditEntry {
    let reason = match &ctx.reason {
        Some(given) => format!("{}: {given}", access.operation),
        None => access.operation.to_owned(),
    };
    AuditEntry {
        at: iqnet_shared::time::now(),
        actor: caller.key(),
        actor_role: caller.role.as_str().to_owned(),
        action: access.action.to_owned(),
        resource: access.resource.to_owned(),
        resource_id: access.resource_id,
        seeker_id: Some(access.seeker.to_string()),
        organisation_id: Some(access.organisation.to_string()),
        reason: Some(reason),
        request_id: ctx.request_id.clone(),
    }
}
