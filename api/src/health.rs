//! Liveness and readiness, outside `/v1` so load balancers need no token.

use std::time::Duration;

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: String,
}

/// Liveness
///
/// 200 while the process serves requests.
#[utoipa::path(operation_id = "getHealth", tag = "operations", security(()),
    responses((status = 200, description = "The process is alive", body = Health)))]
#[get("/healthz")]
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok".into(),
    })
}

/// Readiness
///
/// 200 when the database answers; 503 otherwise.
#[utoipa::path(operation_id = "getReadiness", tag = "operations", security(()),
    responses(
        (status = 200, description = "Ready to serve", body = Health),
        (status = 503, description = "The database is unreachable", body = iqnet_conventions::error::Problem, content_type = "application/problem+json")
    ))]
#[get("/readyz")]
async fn readyz(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    // 503 within a second even while the database is down or unreachable (the doc comment above
    // is the OpenAPI description). The check waits CONNECTION_WAIT for a pooled connection; the
    // whole check, which can also wait for a blocking thread or hang on a query over a dead
    // network, is cut off at CHECK_LIMIT.
    const CONNECTION_WAIT: Duration = Duration::from_millis(400);
    const CHECK_LIMIT: Duration = Duration::from_millis(700);
    let db = state.db.clone();
    let check = web::block(move || db.ping(CONNECTION_WAIT));
    actix_web::rt::time::timeout(CHECK_LIMIT, check)
        .await
        .map_err(|_| {
            ApiError::unavailable(format!(
                "the database did not answer within {} ms",
                CHECK_LIMIT.as_millis()
            ))
        })?
        .map_err(|e| ApiError::internal(format!("blocking task failed: {e}")))??;
    Ok(HttpResponse::Ok().json(Health {
        status: "ready".into(),
    }))
}
