//! Verifies the bearer token of every `/v1` request once, before any handler or the idempotency
//! layer sees it. A present but invalid token is a 401 everywhere, public operations included:
//! a client with a broken token learns it at once instead of silently acting as anonymous. A
//! token of an account that changed, or of a revoked session, is a 401 from the next request on.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, web};

use crate::auth::{ensure_current, principal_of};
use crate::error::ApiError;
use crate::state::AppState;

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // The token endpoints authenticate by what they are sent: a stale bearer token a client
    // attaches to its refresh or sign-out must not refuse it. (Nor is anything there stored
    // for idempotent replay: that needs a principal, and tokens must never be stored.)
    if req.path().starts_with("/v1/auth/") {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let principal = match principal_of(req.request()) {
        Ok(principal) => principal,
        Err(err) => return Ok(req.error_response(err)),
    };
    if let Some(caller) = &principal.0 {
        let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
            return Ok(
                req.error_response(ApiError::internal("application state is not configured"))
            );
        };
        if let Err(err) = ensure_current(&state, caller).await {
            return Ok(req.error_response(err));
        }
    }
    req.extensions_mut().insert(principal);
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}
