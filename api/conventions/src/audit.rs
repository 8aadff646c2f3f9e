//! The audit log of personal data: who read or changed which seeker's data, when, and why.
//! Handlers call `Audit::record` inside the same transaction as the access, so an access that
//! is not logged does not happen.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use iqnet_persistence::{DbConnection, audit};
use iqnet_shared::records::{AuditEntry, PersonalData};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::middleware::fallback::RouteTable;
use crate::middleware::request_id;

/// What was done to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    Create,
    Update,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Create => "create",
            Action::Update => "update",
        }
    }
}

/// The request facts an audit entry needs: its id, the operation it calls (from the OpenAPI
/// document, so no handler spells it twice) and the reason the caller gave in the optional
/// `X-Access-Reason` header.
#[derive(Debug, Clone)]
pub struct AccessContext {
    pub request_id: Option<String>,
    pub operation: String,
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
        let operation = req
            .app_data::<web::Data<RouteTable>>()
            .and_then(|table| table.operation_id(req.method(), req.path()))
            .unwrap_or("unknown operation")
            .to_owned();
        ready(Ok(AccessContext {
            request_id: request_id::of(req),
            operation,
            reason,
        }))
    }
}

impl AccessContext {
    /// Who accesses: the context bound to the authorised caller.
    pub fn by<'a>(&'a self, caller: &'a Caller) -> Audit<'a> {
        Audit { ctx: self, caller }
    }
}

/// Writes audit entries for one caller in one request.
#[derive(Debug, Clone, Copy)]
pub struct Audit<'a> {
    ctx: &'a AccessContext,
    caller: &'a Caller,
}

impl Audit<'_> {
    /// Records one access to `record`.
    pub fn record<R: PersonalData>(
        &self,
        conn: &mut DbConnection,
        action: Action,
        record: &R,
    ) -> ApiResult<()> {
        self.record_all(conn, action, std::slice::from_ref(record))
    }

    /// Records an access to each of `records` (e.g. a list page) in one insert.
    pub fn record_all<R: PersonalData>(
        &self,
        conn: &mut DbConnection,
        action: Action,
        records: &[R],
    ) -> ApiResult<()> {
        let entries: Vec<AuditEntry> = records.iter().map(|r| self.entry(action, r)).collect();
        Ok(audit::append(conn, &entries)?)
    }

    fn entry<R: PersonalData>(&self, action: Action, record: &R) -> AuditEntry {
        let reason = match &self.ctx.reason {
            Some(given) => format!("{}: {given}", self.ctx.operation),
            None => self.ctx.operation.clone(),
        };
        AuditEntry {
            at: iqnet_shared::time::now(),
            actor: self.caller.key(),
            actor_role: self.caller.role.as_str().to_owned(),
            action: action.as_str().to_owned(),
            resource: R::RESOURCE.to_owned(),
            resource_id: record.resource_id(),
            seeker_id: Some(record.seeker().to_string()),
            organisation_id: Some(record.owner().to_string()),
            reason: Some(reason),
            request_id: self.ctx.request_id.clone(),
        }
    }
}
