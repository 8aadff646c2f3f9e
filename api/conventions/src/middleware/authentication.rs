//! Verifies the bearer token of every `/v1` request once, before any handler or the idempotency
//! layer sees it. A present but invalid token is a 401 everywhere, public operations included:
//! a client with a broken token learns it at once instead of silently acting as anonymous.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};

use crate::auth::principal_of;

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    match principal_of(req.request()) {
        Ok(principal) => {
            req.extensions_mut().insert(principal);
            next.call(req)
                .await
                .map(ServiceResponse::map_into_boxed_body)
        }
        Err(err) => Ok(req.error_response(err)),
    }
}
