//! `X-Request-Id`: taken from the request when it is sane, generated otherwise, echoed on the
//! response, logged with the request and quoted in problem details.
//!
//! A client chooses its `X-Request-Id`, so it proves nothing: every request also gets an id of
//! the server's own (UUIDv7, `ServerRequestId`), which the audit log stores next to it. When the
//! client sends no usable id, the two are the same.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpRequest};

pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the request being served.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The id the server generated for the request being served; a client cannot choose it.
#[derive(Debug, Clone)]
pub struct ServerRequestId(pub String);

pub fn of(req: &HttpRequest) -> Option<String> {
    req.extensions().get::<RequestId>().map(|r| r.0.clone())
}

pub fn server_id_of(req: &HttpRequest) -> Option<String> {
    req.extensions()
        .get::<ServerRequestId>()
        .map(|r| r.0.clone())
}

/// A client's id is kept if it is 1-128 visible ASCII characters; anything else is replaced, so
/// a log line can never be forged through it.
fn accept(value: Option<&HeaderValue>) -> Option<String> {
    let v = value?.to_str().ok()?;
    let ok = !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic());
    ok.then(|| v.to_owned())
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let server_id = uuid::Uuid::now_v7().to_string();
    let id = accept(req.headers().get(&HEADER)).unwrap_or_else(|| server_id.clone());
    req.extensions_mut().insert(RequestId(id.clone()));
    req.extensions_mut().insert(ServerRequestId(server_id));
    let value = HeaderValue::from_str(&id).ok();
    match next.call(req).await {
        Ok(mut res) => {
            if let Some(value) = value {
                res.headers_mut().insert(HEADER, value);
            }
            Ok(res)
        }
        // An error that escaped as `Err` still carries the id.
        Err(err) => {
            let mut response = err.error_response();
            if let Some(value) = value {
                response.headers_mut().insert(HEADER, value);
            }
            Err(InternalError::from_response(err.to_string(), response).into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sane_ids_are_accepted() {
        assert_eq!(
            accept(Some(&HeaderValue::from_static("abc-123"))),
            Some("abc-123".into())
        );
        assert_eq!(accept(Some(&HeaderValue::from_static("has space"))), None);
        assert_eq!(
            accept(Some(&HeaderValue::from_str(&"x".repeat(129)).unwrap())),
            None
        );
        assert_eq!(accept(None), None);
    }
}
