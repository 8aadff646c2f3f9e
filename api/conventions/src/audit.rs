//! The audit log of personal data: who read or changed which seeker's data, when, and why.
//! Handlers call `Audit::record` inside the transaction of the access. A change's row commits
//! with the change; a read's rows are group-committed before its response is sent
//! (`audit_writer`). Either way an access that is not logged does not happen.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use iqnet_persistence::{DbConnection, audit};
use iqnet_shared::FieldError;
use iqnet_shared::records::{AuditEntry, PersonalData};

use crate::audit_writer::PendingReads;
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

/// The request facts an audit entry needs: its ids (the client's `X-Request-Id` and the
/// server's own), the operation it calls (from the OpenAPI document, so no handler spells it
/// twice) and the reason the caller gave in the optional `X-Access-Reason` header.
#[derive(Debug, Clone)]
pub struct AccessContext {
    pub request_id: Option<String>,
    pub server_request_id: Option<String>,
    pub operation: String,
    pub reason: Option<String>,
    /// Where reads wait for the group commit; without it (no `audit_reads` middleware) reads
    /// are written in the handler's transaction like changes.
    pending: Option<PendingReads>,
}

pub const ACCESS_REASON: &str = "X-Access-Reason";

/// The longest reason kept, in characters; the rest is cut off.
const REASON_LIMIT: usize = 500;

/// Reads `X-Access-Reason`: visible ASCII and spaces as they are, or any text as an RFC 8187
/// extended value (`UTF-8''Beratung%20f%C3%BCr%20...`, decoded). Anything else is a 400 naming
/// the header, never silently dropped.
pub fn access_reason(value: &[u8]) -> ApiResult<String> {
    let reason = if let Some(encoded) = rfc8187_value(value) {
        percent_decode(encoded)
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .filter(|text| !text.chars().any(char::is_control))
            .ok_or_else(invalid_reason)?
    } else if value.iter().all(|b| *b == b' ' || b.is_ascii_graphic()) {
        String::from_utf8_lossy(value).into_owned()
    } else {
        return Err(invalid_reason());
    };
    Ok(reason.trim().chars().take(REASON_LIMIT).collect())
}

/// The value-chars of an RFC 8187 `ext-value` in UTF-8 (`UTF-8'[language]'value-chars`).
fn rfc8187_value(value: &[u8]) -> Option<&[u8]> {
    let charset = b"utf-8'";
    let rest = value
        .get(..charset.len())
        .filter(|p| p.eq_ignore_ascii_case(charset))
        .map(|_| &value[charset.len()..])?;
    let language_end = rest.iter().position(|b| *b == b'\'')?;
    rest[..language_end]
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        .then(|| &rest[language_end + 1..])
}

/// Decodes `pct-encoded` and `attr-char`s; `None` when anything else occurs.
fn percent_decode(value: &[u8]) -> Option<Vec<u8>> {
    let attr_char = |b: u8| b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b);
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut out = Vec::with_capacity(value.len());
    let mut bytes = value.iter().copied();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let (hi, lo) = (hex(bytes.next()?)?, hex(bytes.next()?)?);
            out.push(u8::try_from(hi * 16 + lo).ok()?);
        } else if attr_char(b) {
            out.push(b);
        } else {
            return None;
        }
    }
    Some(out)
}

fn invalid_reason() -> ApiError {
    let message = "X-Access-Reason must be visible ASCII text, or UTF-8 text encoded as in RFC 8187 (UTF-8''percent-encoded)";
    ApiError::bad_request(
        "invalid-header",
        message,
        vec![FieldError::new(ACCESS_REASON, "invalid_character", message)],
    )
}

impl FromRequest for AccessContext {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let reason = match req.headers().get(ACCESS_REASON) {
            None => None,
            Some(value) => match access_reason(value.as_bytes()) {
                Ok(reason) => Some(reason).filter(|r| !r.is_empty()),
                Err(err) => return ready(Err(err)),
            },
        };
        let operation = req
            .app_data::<web::Data<RouteTable>>()
            .and_then(|table| table.operation_id(req.method(), req.path()))
            .unwrap_or("unknown operation")
            .to_owned();
        ready(Ok(AccessContext {
            request_id: request_id::of(req),
            server_request_id: request_id::server_id_of(req),
            operation,
            reason,
            pending: req.extensions().get::<PendingReads>().cloned(),
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
        match (&self.ctx.pending, action) {
            (Some(pending), Action::Read) => {
                pending.add(entries);
                Ok(())
            }
            _ => Ok(audit::append(conn, &entries)?),
        }
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
            server_request_id: self.ctx.server_request_id.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_visible_ascii_or_rfc_8187() {
        assert_eq!(access_reason(b"client called").unwrap(), "client called");
        assert_eq!(
            access_reason(b"UTF-8''Beratung%20f%C3%BCr%20Gr%C3%BC%C3%9Fe").unwrap(),
            "Beratung für Grüße"
        );
        assert_eq!(access_reason(b"utf-8'de'%E2%82%AC").unwrap(), "€");
        for invalid in [
            &b"caf\xc3\xa9"[..],
            b"tab\there",
            b"UTF-8''%C3",
            b"UTF-8''%zz",
            b"UTF-8''with space",
            b"UTF-8''%0A",
        ] {
            let err = access_reason(invalid).unwrap_err();
            assert_eq!(err.status, actix_web::http::StatusCode::BAD_REQUEST);
            assert_eq!(err.errors[0].field, ACCESS_REASON);
        }
    }
}
