//! Makes every error response a complete problem+json document: our own problems get their
//! `instance` and `request_id`; anything else (actix's own plain-text errors, CORS refusals, ...)
//! is replaced by a problem for its status. 5xx causes are logged here, under the request id.

use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::{StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse};
use serde_json::Value;

use crate::error::{ApiError, HiddenCause, PROBLEM_JSON, problem_type};
use crate::middleware::request_id;

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // Only owned copies: holding a clone of the request while it is routed makes actix panic.
    let path = req.path().to_owned();
    let request_id = request_id::of(req.request());
    match next.call(req).await {
        Ok(res) if res.status().as_u16() < 400 => Ok(res.map_into_boxed_body()),
        Ok(res) => {
            let (req, res) = res.into_parts();
            let response = finalize(res.map_into_boxed_body(), &path, request_id).await;
            Ok(ServiceResponse::new(req, response))
        }
        Err(err) => {
            let response = finalize(err.error_response(), &path, request_id).await;
            Err(InternalError::from_response(err.to_string(), response).into())
        }
    }
}

async fn finalize(
    res: HttpResponse<BoxBody>,
    path: &str,
    request_id: Option<String>,
) -> HttpResponse {
    if let Some(HiddenCause(cause)) = res.extensions().get::<HiddenCause>() {
        log::error!(
            "request {} failed: {cause}",
            request_id.as_deref().unwrap_or("-")
        );
    }
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    let status = res.status();
    let (head, body) = res.into_parts();
    let bytes = body::to_bytes(body).await.unwrap_or_default();
    let mut problem = if is_problem {
        serde_json::from_slice::<Value>(&bytes).ok()
    } else {
        None
    }
    .filter(Value::is_object)
    .unwrap_or_else(|| generic_problem(status, plain_detail(status, &bytes)));
    if let Some(obj) = problem.as_object_mut() {
        obj.insert("instance".into(), Value::String(path.to_owned()));
        if let Some(id) = request_id {
            obj.insert("request_id".into(), Value::String(id));
        }
    }
    let mut response = HttpResponse::build(status);
    for (name, value) in head.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            response.append_header((name.clone(), value.clone()));
        }
    }
    response.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
    response.body(serde_json::to_vec(&problem).unwrap_or_default())
}

/// The plain-text reason another component gave for refusing a request (e.g. actix-cors's
/// "Origin is not allowed to make this request"), when it is short, printable text. Never for
/// server errors, whose causes stay in the log.
fn plain_detail(status: StatusCode, body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?.trim();
    let printable = !text.is_empty() && text.len() <= 200 && !text.chars().any(char::is_control);
    (status.is_client_error() && printable).then(|| text.to_owned())
}

/// A problem for a status some other component answered with.
fn generic_problem(status: StatusCode, detail: Option<String>) -> Value {
    let (kind, detail_default) = match status {
        StatusCode::NOT_FOUND => ("not-found", "no such resource"),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method-not-allowed",
            "the resource does not support this method",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload-too-large",
            "the request body exceeds the configured limit",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported-media-type",
            "the content type is not supported",
        ),
        StatusCode::BAD_REQUEST => ("bad-request", "the request is malformed"),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => (
            "request-header-fields-too-large",
            "the request's header fields are too large",
        ),
        s if s.is_server_error() => (
            "internal-error",
            "an unexpected error occurred; quote the request_id when reporting it",
        ),
        _ => ("http-error", "the request failed"),
    };
    let detail = detail.unwrap_or_else(|| detail_default.to_owned());
    serde_json::to_value(ApiError::new(status, kind, detail).to_problem()).unwrap_or_else(
        |_| serde_json::json!({ "type": problem_type(kind), "status": status.as_u16() }),
    )
}
