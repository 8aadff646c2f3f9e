//! A seeker's audit log: who read or changed their data, when and why.

use actix_web::{HttpRequest, HttpResponse, get, web};
use iqnet_conventions::auth::Principal;
use iqnet_conventions::error::ApiResult;
use iqnet_conventions::extract::Query;
use iqnet_conventions::http::{self, List};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;
use iqnet_persistence::audit;
use iqnet_persistence::counselling::seekers;
use iqnet_shared::ids::SeekerId;
use iqnet_shared::records::AuditEntry;
use utoipa_actix_web::service_config::ServiceConfig;

use super::visible;
use crate::permissions::AUDIT_READERS;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list);
}

list_query! {
    pub struct AuditQuery {}
}

/// A seeker's audit log
///
/// Who read or changed the seeker's data, when and why. National admins and coordinators.
#[utoipa::path(
    operation_id = "listSeekerAuditLog",
    tag = "counselling",
    params(("id" = SeekerId, Path, description = "Advice seeker id"), AuditQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of audit entries, oldest first", body = List<AuditEntry>))
)]
#[get("/{id}/audit-log")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<SeekerId>,
    query: Query<AuditQuery>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(AUDIT_READERS)?;
    let page = query.0.page()?;
    let found = state
        .read(move |conn| {
            let seeker = visible(conn, &caller, |c| seekers::get(c, *id))?;
            Ok(audit::of_seeker(conn, seeker.id, &page)?)
        })
        .await?;
    Ok(http::list(&req, found))
}
