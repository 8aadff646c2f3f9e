//! Referrals from a counselling case to another organisation (a bridge-training provider, a
//! job centre, ...). The receiving organisation sees the referred seeker's necessary data only
//! while the seeker's consent to sharing stands; withdrawing it hides the data again.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use iqnet_counselling::lifecycle::{ReferralAction, apply_referral_action, referral_actions};
use iqnet_counselling::records::{Referral, consent_stands};
use iqnet_counselling::vocabulary::{CaseState, ConsentPurpose, ReferralStatus};
use iqnet_persistence::counselling::{self, referrals::ReferralFilter};
use iqnet_persistence::{DbConnection, structure};
use iqnet_shared::ids::{CaseId, OrganisationId, ReferralId, SeekerId};
use iqnet_shared::records::Stamp;
use iqnet_shared::structure::parse_text;
use iqnet_shared::time::now;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use iqnet_conventions::audit::{self, Access, AccessContext};
use iqnet_conventions::auth::{Caller, Principal};
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List};
use iqnet_conventions::list_query;
use iqnet_conventions::middleware::idempotency::RedactOnReplay;
use iqnet_conventions::state::AppState;

use super::seekers::{SharedSeeker, past_date};
use super::{COUNSELLING_STAFF, ensure_visible};

use crate::permissions::REFERRAL_PARTIES as PARTIES;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/referrals")
            .service(list)
            .service(create)
            .service(get)
            .service(act),
    );
}

/// A referral, with the referred seeker's data where the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralView {
    #[serde(flatten)]
    pub referral: Referral,
    /// The actions the receiving organisation can take now.
    pub allowed_actions: Vec<String>,
    /// The seeker's necessary data: always for the referring side; for the receiving
    /// organisation only while the seeker's consent `sharing_with_referrals` stands, else `null`.
    pub seeker: Option<SharedSeeker>,
}

fn referral_access<'a>(
    referral: &Referral,
    action: &'static str,
    operation: &'a str,
) -> Access<'a> {
    Access {
        action,
        resource: "referral",
        resource_id: referral.id.to_string(),
        seeker: referral.seeker_id,
        organisation: referral.organisation_id,
        operation,
    }
}

/// How the caller stands to a referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Referring,
    Receiving,
}

fn side(conn: &mut DbConnection, caller: &Caller, referral: &Referral) -> ApiResult<Side> {
    if COUNSELLING_STAFF.contains(&caller.role)
        && ensure_visible(conn, caller, referral.organisation_id).is_ok()
    {
        return Ok(Side::Referring);
    }
    if caller.organisation == Some(referral.to_organisation_id) {
        return Ok(Side::Receiving);
    }
    Err(ApiError::not_found())
}

fn view(
    conn: &mut DbConnection,
    caller: &Caller,
    ctx: &AccessContext,
    referral: Referral,
    side: Side,
    operation: &str,
) -> ApiResult<ReferralView> {
    let seeker = counselling::seekers::get(conn, referral.seeker_id)?;
    let shared = side == Side::Referring
        || consent_stands(&seeker.consents, ConsentPurpose::SharingWithReferrals);
    let seeker = if shared {
        audit::record(
            conn,
            caller,
            ctx,
            referral_access(&referral, "read", operation),
        )?;
        Some(SharedSeeker::of(
            &seeker,
            counselling::qualifications::of_seeker(conn, seeker.id)?,
        ))
    } else {
        None
    };
    let allowed_actions = referral_actions(referral.status)
        .iter()
        .map(|a| (*a).to_owned())
        .collect();
    Ok(ReferralView {
        referral,
        allowed_actions,
        seeker,
    })
}

list_query! {
    pub struct ReferralQuery {
        /// Only referrals with this status.
        pub status: Option<ReferralStatus>,
        /// Only referrals of this seeker.
        pub seeker_id: Option<SeekerId>,
        /// Only referrals changed at or after this instant (RFC 3339).
        pub updated_since: Option<DateTime<Utc>>,
    }
}

/// List referrals
///
/// Those sent within the caller's scope and those addressed to the caller's organisation.
/// The list carries no seeker data; get a single referral for that.
#[utoipa::path(
    operation_id = "listReferrals",
    tag = "counselling",
    params(ReferralQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of referrals", body = List<Referral>,
        headers(("Link" = String, description = "`<...>; rel=\"next\"` when more pages follow"))))
)]
#[get("")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<ReferralQuery>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(PARTIES)?;
    let q = query.0;
    let page = q.page()?;
    let filter = ReferralFilter {
        status: q.status,
        seeker_id: q.seeker_id,
        updated_since: q.updated_since,
    };
    // Trainers and partners see only what is addressed to them, never what their organisation sent.
    let scope = if COUNSELLING_STAFF.contains(&caller.role) {
        caller.scope()
    } else {
        iqnet_shared::structure::Scope::Nothing
    };
    let receiving = caller.organisation;
    let found = state
        .read(move |conn| {
            Ok(counselling::referrals::list(
                conn, scope, receiving, &filter, &page,
            )?)
        })
        .await?;
    Ok(http::list(&req, found))
}

/// Get a referral
#[utoipa::path(
    operation_id = "getReferral",
    tag = "counselling",
    params(("id" = ReferralId, Path, description = "Referral id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The referral", body = ReferralView, headers(("ETag" = String, description = "Strong ETag: the version"))),
    )
)]
#[get("/{id}")]
async fn get(
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<ReferralId>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(PARTIES)?;
    let id = id.into_inner();
    let found = state
        .write(move |conn| {
            let referral = counselling::referrals::get(conn, id)?;
            let side = side(conn, &caller, &referral)?;
            view(conn, &caller, &ctx, referral, side, "getReferral")
        })
        .await?;
    // No 304: whether the seeker is shown depends on a consent, which the version does not track.
    Ok(http::ok_with_etag(&found, found.referral.stamp.version))
}

/// A referral to send.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReferral {
    pub case_id: CaseId,
    pub to_organisation_id: OrganisationId,
    #[schema(example = "adaptation qualification for nurses")]
    pub reason: String,
    /// Defaults to today.
    pub sent_on: Option<NaiveDate>,
}

/// Refer a case to another organisation
#[utoipa::path(
    operation_id = "createReferral",
    tag = "counselling",
    request_body = NewReferral,
    security(("bearer" = [])),
    responses((status = 201, description = "Sent", body = ReferralView,
        headers(("Location" = String, description = "URL of the new referral"), ("ETag" = String, description = "Its version"))))
)]
#[post("")]
async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    body: Json<NewReferral>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let input = body.0;
    let reason = parse_text(&input.reason, 500).map_err(|e| e.at("reason"))?;
    let sent_on = past_date(
        "sent_on",
        input
            .sent_on
            .unwrap_or_else(iqnet_shared::time::today_in_germany),
    )?;
    let created = state
        .write(move |conn| {
            let case = counselling::cases::get(conn, input.case_id)
                .map_err(ApiError::from)
                .and_then(|c| ensure_visible(conn, &caller, c.organisation_id).map(|()| c))
                .map_err(|_| {
                    ApiError::invalid_field("case_id", "not_found", "no such counselling case")
                })?;
            if matches!(case.state, CaseState::Closed | CaseState::Abandoned) {
                return Err(ApiError::conflict(
                    "case-ended",
                    format!("the case is {}", case.state),
                ));
            }
            structure::organisations::get(conn, input.to_organisation_id).map_err(|_| {
                ApiError::invalid_field("to_organisation_id", "not_found", "no such organisation")
            })?;
            if input.to_organisation_id == case.organisation_id {
                return Err(ApiError::invalid_field(
                    "to_organisation_id",
                    "same_organisation",
                    "a referral goes to another organisation",
                ));
            }
            let referral = Referral {
                id: ReferralId::new(),
                case_id: case.id,
                seeker_id: case.seeker_id,
                organisation_id: case.organisation_id,
                to_organisation_id: input.to_organisation_id,
                reason,
                status: ReferralStatus::Sent,
                sent_on,
                answered_on: None,
                completed_on: None,
                stamp: Stamp::new(now()),
            };
            counselling::referrals::insert(conn, &referral)?;
            audit::record(
                conn,
                &caller,
                &ctx,
                referral_access(&referral, "create", "createReferral"),
            )?;
            view(
                conn,
                &caller,
                &ctx,
                referral,
                Side::Referring,
                "createReferral",
            )
        })
        .await?;
    let location = format!("/v1/referrals/{}", created.referral.id);
    Ok(seeker_not_replayed(http::created(
        location,
        &created,
        created.referral.stamp.version,
    )))
}

/// Answer a referral
///
/// The receiving organisation `accept`s or `decline`s it, and `complete`s an accepted one.
#[utoipa::path(
    operation_id = "actOnReferral",
    tag = "counselling",
    params(
        ("id" = ReferralId, Path, description = "Referral id"),
        ("If-Match" = Option<String>, Header, description = "The ETag you read; a stale one is refused with 412")
    ),
    request_body = ReferralAction,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The referral in its new status", body = ReferralView, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "Not allowed in the current status (`allowed` lists what is)", body = iqnet_conventions::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` is stale; nothing changed", body = iqnet_conventions::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/{id}/actions")]
async fn act(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<ReferralId>,
    body: Json<ReferralAction>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(PARTIES)?;
    let id = id.into_inner();
    let action = body.0;
    past_date("date", action.on())?;
    let if_match = IfMatch::of(&req);
    let updated = state
        .write(move |conn| {
            let current = counselling::referrals::get(conn, id)?;
            if caller.organisation != Some(current.to_organisation_id) {
                // Existence is no secret to the referring side; to anyone else it is.
                side(conn, &caller, &current)?;
                return Err(ApiError::forbidden(
                    "only the receiving organisation answers a referral",
                ));
            }
            if_match.check(current.stamp.version)?;
            let status = apply_referral_action(current.status, current.sent_on, &action)?;
            let next = Referral {
                status,
                answered_on: if status == ReferralStatus::Completed {
                    current.answered_on
                } else {
                    Some(action.on())
                },
                completed_on: if status == ReferralStatus::Completed {
                    Some(action.on())
                } else {
                    current.completed_on
                },
                stamp: current.stamp.next(now()),
                ..current.clone()
            };
            counselling::referrals::update(conn, &next, current.stamp.version)?;
            audit::record(
                conn,
                &caller,
                &ctx,
                referral_access(&next, "update", "actOnReferral"),
            )?;
            view(conn, &caller, &ctx, next, Side::Receiving, "actOnReferral")
        })
        .await?;
    Ok(seeker_not_replayed(http::ok_with_etag(
        &updated,
        updated.referral.stamp.version,
    )))
}

/// An idempotent replay carries no seeker data: it may only be shown while consent stands, and a
/// stored copy would outlive its withdrawal.
fn seeker_not_replayed(mut response: HttpResponse) -> HttpResponse {
    response
        .extensions_mut()
        .insert(RedactOnReplay(&["seeker"]));
    response
}
