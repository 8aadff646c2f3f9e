//! Sends no personal data before its audit rows are committed: handlers leave the entries of
//! their reads in the request, and this writes them (group-committed with other requests',
//! `audit_writer`) after the handler answered and before the answer leaves. An error answer
//! disclosed nothing, so its entries are dropped.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, web};

use crate::audit_writer::PendingReads;
use crate::error::ApiError;
use crate::state::AppState;

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let pending = PendingReads::default();
    req.extensions_mut().insert(pending.clone());
    let res = next.call(req).await?.map_into_boxed_body();
    let entries = pending.take();
    if entries.is_empty() || !res.status().is_success() {
        return Ok(res);
    }
    let Some(state) = res.request().app_data::<web::Data<AppState>>().cloned() else {
        let err = ApiError::internal("application state is not configured");
        return Ok(ServiceResponse::from_err(err, res.into_parts().0));
    };
    match state.audit.append(entries).await {
        Ok(()) => Ok(res),
        Err(err) => Ok(ServiceResponse::from_err(err, res.into_parts().0)),
    }
}
