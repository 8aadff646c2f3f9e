//! `HEAD` on every `GET` route: the request runs as the `GET` it mirrors (the same route, the
//! same query-parameter check, the same authorisation and audit), and actix-http sends the
//! answer's status and headers without its body, as it does for every request that arrived as
//! `HEAD`.

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;

pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}
