//! The API's one error type, rendered as RFC 9457 problem details. `instance` and `request_id`
//! are filled in by the `problem` middleware, which knows the request; everything else is here.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use iqnet_persistence::StoreError;
use iqnet_shared::{DomainError, FieldError};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// The stable URI of a kind of problem.
pub fn problem_type(kind: &str) -> String {
    format!("urn:iqnet:problem:{kind}")
}

/// An RFC 9457 problem details object, as every error response carries it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:iqnet:problem:validation-failed",
    "title": "Unprocessable Content",
    "status": 422,
    "detail": "the input breaks 1 rule(s)",
    "instance": "/v1/organisations",
    "request_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e6f",
    "errors": [{"field": "postcode", "code": "invalid_format", "message": "a German postcode has five digits"}]
}))]
pub struct Problem {
    /// Stable URI naming the kind of problem (`urn:iqnet:problem:<kind>`); branch on this.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short summary of the kind of problem (the HTTP reason phrase).
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this occurrence.
    pub detail: String,
    /// The request path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// The request's id (`X-Request-Id`); quote it when reporting a problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// For validation problems: every broken rule.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub errors: Vec<FieldError>,
    /// For `invalid-transition`: the actions allowed in the current state.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = json!(["close"]))]
    pub allowed: Option<Vec<String>>,
    /// For `invalid-transition` and other state conflicts: the record's current state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_state: Option<String>,
    /// For `precondition-failed` (412): the version the record has now (its ETag).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
    /// For `already-exists`: the unique value that is taken.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constraint: Option<String>,
    /// For a taken e-mail address, to a national admin: the path of the existing record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing: Option<String>,
    /// A hint on what to do instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// For the token endpoint: the OAuth2 error code (RFC 6749 section 5.2), e.g. `invalid_grant`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Members not declared above; none is sent today (a test holds every `ApiError::with` key
    /// to a declared member). Kept so that nothing set is ever dropped from a response.
    #[serde(flatten)]
    #[schema(ignore)]
    pub extensions: Map<String, Value>,
}

/// Marks a response whose cause must be logged (with its request id) but never shown.
#[derive(Debug, Clone)]
pub struct HiddenCause(pub String);

/// An error on its way to becoming a problem response. Boxed: it travels in every `Result`.
#[derive(Debug)]
pub struct ApiError(Box<ErrorDetails>);

#[derive(Debug)]
pub struct ErrorDetails {
    pub status: StatusCode,
    pub kind: &'static str,
    pub detail: String,
    pub errors: Vec<FieldError>,
    pub extensions: Map<String, Value>,
    /// Extra response headers (e.g. `WWW-Authenticate`, `Allow`).
    pub headers: Vec<(header::HeaderName, String)>,
    /// For 5xx: what really happened, logged and never sent.
    pub cause: Option<String>,
}

impl std::ops::Deref for ApiError {
    type Target = ErrorDetails;
    fn deref(&self) -> &ErrorDetails {
        &self.0
    }
}

impl std::ops::DerefMut for ApiError {
    fn deref_mut(&mut self) -> &mut ErrorDetails {
        &mut self.0
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.kind, self.detail)
    }
}

impl ApiError {
    pub fn new(status: StatusCode, kind: &'static str, detail: impl Into<String>) -> Self {
        Self(Box::new(ErrorDetails {
            status,
            kind,
            detail: detail.into(),
            errors: Vec::new(),
            extensions: Map::new(),
            headers: Vec::new(),
            cause: None,
        }))
    }

    fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }

    fn with_cause(mut self, cause: impl Into<String>) -> Self {
        self.cause = Some(cause.into());
        self
    }

    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.extensions.insert(key.to_owned(), value.into());
        self
    }

    pub fn with_header(mut self, name: header::HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub fn bad_request(
        kind: &'static str,
        detail: impl Into<String>,
        errors: Vec<FieldError>,
    ) -> Self {
        Self::new(StatusCode::BAD_REQUEST, kind, detail).with_errors(errors)
    }

    /// `Ok` unless a query's range ends before it starts: then a 400 naming the start's field,
    /// as for any other query parameter the request got wrong.
    pub fn check_range<T: PartialOrd>(
        (from_field, from): (&str, Option<T>),
        (until_field, until): (&str, Option<T>),
    ) -> Result<(), Self> {
        match from.zip(until) {
            Some((from, until)) if from > until => Err(Self::bad_request(
                "invalid-query",
                format!("{from_field} is after {until_field}"),
                vec![FieldError::new(
                    from_field,
                    "after_end_of_range",
                    format!("not after {until_field}"),
                )],
            )),
            _ => Ok(()),
        }
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", detail).with_header(
            header::WWW_AUTHENTICATE,
            "Bearer realm=\"iqnet\", error=\"invalid_token\"",
        )
    }

    /// 401 for a token that fails verification. Why it failed goes to the log only: telling the
    /// client ("InvalidSignature", "unknown key") would help an attacker tune a forgery.
    pub fn invalid_token(reason: impl std::fmt::Display) -> Self {
        log::info!("refused a bearer token: {reason}");
        Self::unauthorized("the bearer token is invalid, expired or revoked")
    }

    pub fn missing_token() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "this operation needs a bearer token",
        )
        .with_header(header::WWW_AUTHENTICATE, "Bearer realm=\"iqnet\"")
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", detail)
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "no such resource, or not yours to see",
        )
    }

    pub fn conflict(kind: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, kind, detail)
    }

    pub fn precondition_failed(current_version: i64) -> Self {
        Self::new(
            StatusCode::PRECONDITION_FAILED,
            "precondition-failed",
            "If-Match does not name the current version; nothing was changed",
        )
        .with("current_version", current_version)
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        let detail = format!("the input breaks {} rule(s)", errors.len());
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation-failed",
            detail,
        )
        .with_errors(errors)
    }

    pub fn invalid_field(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError::new(field, code, message)])
    }

    pub fn unavailable(cause: impl Into<String>) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "service-unavailable",
            "the database is not reachable; retry later",
        )
        .with_cause(cause)
        .with_header(header::RETRY_AFTER, "5")
    }

    pub fn internal(cause: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal-error",
            "an unexpected error occurred; quote the request_id when reporting it",
        )
        .with_cause(cause)
    }

    pub fn to_problem(&self) -> Problem {
        let mut extensions = self.extensions.clone();
        Problem {
            problem_type: problem_type(self.kind),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            instance: None,
            request_id: None,
            errors: self.errors.clone(),
            allowed: take(&mut extensions, "allowed"),
            current_state: take(&mut extensions, "current_state"),
            current_version: take(&mut extensions, "current_version"),
            constraint: take(&mut extensions, "constraint"),
            existing: take(&mut extensions, "existing"),
            hint: take(&mut extensions, "hint"),
            error: take(&mut extensions, "error"),
            extensions,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        for (name, value) in &self.headers {
            response.insert_header((name.clone(), value.as_str()));
        }
        let mut response =
            response.body(serde_json::to_vec(&self.to_problem()).unwrap_or_default());
        if let Some(cause) = &self.cause {
            response.extensions_mut().insert(HiddenCause(cause.clone()));
        }
        response
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Validation(errors) => ApiError::validation(errors),
            DomainError::InvalidTransition {
                action,
                from,
                allowed,
            } => ApiError::conflict(
                "invalid-transition",
                format!("cannot {action} from state `{from}`"),
            )
            .with("current_state", from)
            .with("allowed", allowed),
            DomainError::Conflict {
                code,
                detail,
                current_state,
            } => {
                let conflict = ApiError::conflict(code, detail);
                match current_state {
                    Some(state) => conflict.with("current_state", state),
                    None => conflict,
                }
            }
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::not_found(),
            StoreError::Conflict(what) => ApiError::conflict(
                "already-exists",
                "a record with these unique values already exists",
            )
            .with("constraint", what),
            StoreError::MissingReference(_) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "missing-reference",
                "a referenced record does not exist",
            ),
            StoreError::StaleVersion { expected } => ApiError::conflict(
                "concurrent-modification",
                format!(
                    "the record changed while version {expected} was being updated; read it again and retry"
                ),
            ),
            StoreError::Unavailable(cause) => ApiError::unavailable(cause),
            StoreError::Corrupt(cause) => ApiError::internal(format!("corrupt row: {cause}")),
            StoreError::Other(cause) => ApiError::internal(cause.to_string()),
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        StoreError::from(e).into()
    }
}

/// A declared member out of `extensions`; one of another type than declared stays there.
fn take<T: serde::de::DeserializeOwned>(
    extensions: &mut Map<String, Value>,
    key: &str,
) -> Option<T> {
    let value = extensions.remove(key)?;
    match serde_json::from_value(value.clone()) {
        Ok(typed) => Some(typed),
        Err(_) => {
            extensions.insert(key.to_owned(), value);
            None
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
