//! An advice seeker's consents: given and withdrawn, both audited.

use actix_web::{HttpRequest, post, web};
use iqnet_conventions::audit::{AccessContext, Action};
use iqnet_conventions::auth::Principal;
use iqnet_conventions::error::ApiResult;
use iqnet_conventions::extract::Json;
use iqnet_conventions::http::{self, Reply};
use iqnet_conventions::state::AppState;
use iqnet_counselling::records::AdviceSeeker;
use iqnet_counselling::vocabulary::ConsentPurpose;
use iqnet_persistence::counselling::seekers;
use iqnet_shared::ids::SeekerId;
use iqnet_shared::time::now;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::seekers::DIRECT_IDENTIFIERS;
use super::visible;
use crate::permissions::COUNSELLING_STAFF;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(give).service(withdraw);
}

/// A consent to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewConsent {
    pub purpose: ConsentPurpose,
}

/// Record a consent
///
/// Records that the seeker gave a consent now. Giving a consent that stands changes nothing.
#[utoipa::path(
    operation_id = "giveConsent",
    tag = "counselling",
    params(("id" = SeekerId, Path, description = "Advice seeker id")),
    request_body = NewConsent,
    security(("bearer" = [])),
    responses((status = 200, description = "The seeker with the consent", body = AdviceSeeker, headers(("ETag" = String, description = "The new version"))))
)]
#[post("/{id}/consents")]
async fn give(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<SeekerId>,
    body: Json<NewConsent>,
) -> ApiResult<Reply> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let purpose = body.0.purpose;
    state
        .commit(&req, move |conn| {
            let current = visible(conn, &caller, |c| seekers::get(c, *id))?;
            let audit = ctx.by(&caller);
            let seeker = match current.give_consent(purpose, now()) {
                Some(next) => {
                    seekers::update(conn, &next, current.stamp.version)?;
                    audit.record(conn, Action::Update, &next)?;
                    next
                }
                None => {
                    audit.record(conn, Action::Read, &current)?;
                    current
                }
            };
            Ok(http::ok_with_etag(&seeker, seeker.stamp.version)
                .redact_on_replay(DIRECT_IDENTIFIERS))
        })
        .await
}

/// Withdraw a consent
///
/// Marks the standing consent for `purpose` as withdrawn now (it stays in the record). Data
/// shared on its strength is hidden from then on.
#[utoipa::path(
    operation_id = "withdrawConsent",
    tag = "counselling",
    params(("id" = SeekerId, Path, description = "Advice seeker id"), ("purpose" = ConsentPurpose, Path, description = "The consent's purpose")),
    security(("bearer" = [])),
    responses((status = 200, description = "The seeker with the consent withdrawn", body = AdviceSeeker, headers(("ETag" = String, description = "The new version"))))
)]
#[post("/{id}/consents/{purpose}/withdrawal")]
async fn withdraw(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    path: web::Path<(SeekerId, ConsentPurpose)>,
) -> ApiResult<Reply> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let (id, purpose) = path.into_inner();
    state
        .commit(&req, move |conn| {
            let current = visible(conn, &caller, |c| seekers::get(c, id))?;
            let next = current.withdraw_consent(purpose, now())?;
            seekers::update(conn, &next, current.stamp.version)?;
            ctx.by(&caller).record(conn, Action::Update, &next)?;
            Ok(http::ok_with_etag(&next, next.stamp.version).redact_on_replay(DIRECT_IDENTIFIERS))
        })
        .await
}
