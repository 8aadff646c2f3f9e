//! `Cache-Control: no-store` on every response that may hold personal data.
//!
//! The rule: **every response to a request that carries credentials (an `Authorization`
//! header) gets `Cache-Control: no-store`, unless the handler chose a policy itself**; errors
//! included. Personal data is only ever served to authenticated callers, so no response with it
//! can be kept by a browser or a proxy, while anonymous answers (the public directory,
//! reference data, health) keep whatever caching they declare.

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::middleware::Next;

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if !req.headers().contains_key(header::AUTHORIZATION) {
        return next.call(req).await;
    }
    match next.call(req).await {
        Ok(mut res) => {
            no_store(res.headers_mut());
            Ok(res)
        }
        Err(err) => {
            let mut response = err.error_response();
            no_store(response.headers_mut());
            Err(InternalError::from_response(err.to_string(), response).into())
        }
    }
}

fn no_store(headers: &mut HeaderMap) {
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}
