//! Referrals from a counselling case to another organisation (a bridge-training provider, a
//! job centre, ...). The receiving organisation sees the referred seeker's necessary data, their
//! id and the free-text reason only while the seeker's consent to sharing stands (the domain's
//! `Referral::disclosed_to`); withdrawing it hides them again.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use iqnet_conventions::audit::{AccessContext, Action, Audit};
use iqnet_conventions::auth::{Caller, Principal};
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List, Reply};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;
use iqnet_counselling::records::{AdviceSeeker, ForeignQualification, Referral};
use iqnet_counselling::referral::{
    DisclosedReferral, ReferralAction, ReferralActionKind, ReferralSide as Side,
};
use iqnet_counselling::vocabulary::ReferralStatus;
use iqnet_persistence::counselling::referrals::{self, ReferralFilter};
use iqnet_persistence::counselling::{cases, qualifications, seekers};
use iqnet_persistence::{DbConnection, Page, StoreError, structure};
use iqnet_shared::codes::{Email, LanguageLevel};
use iqnet_shared::ids::{CaseId, OrganisationId, ReferralId, SeekerId};
use iqnet_shared::structure::Scope;
use iqnet_shared::time::{now, today_in_germany};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{ensure_visible, named};
use crate::permissions::{COUNSELLING_STAFF, REFERRAL_PARTIES};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/referrals")
            .service(list)
            .service(create)
            .service(get)
            .service(act),
    );
}

/// Shown to an organisation a seeker was referred to, while the seeker's consent to sharing stands:
/// what it needs to act, nothing more.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SharedSeeker {
    pub client_code: String,
    pub name: Option<String>,
    pub email: Option<Email>,
    pub phone: Option<String>,
    pub german_level: Option<LanguageLevel>,
    pub qualifications: Vec<ForeignQualification>,
}

impl SharedSeeker {
    fn of(seeker: AdviceSeeker, qualifications: Vec<ForeignQualification>) -> SharedSeeker {
        SharedSeeker {
            client_code: seeker.client_code,
            name: seeker.name,
            email: seeker.email,
            phone: seeker.phone,
            german_level: seeker.german_level,
            qualifications,
        }
    }
}

/// A referral, with the referred seeker's data where the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralView {
    #[serde(flatten)]
    pub referral: DisclosedReferral,
    /// The actions the receiving organisation can take now.
    pub allowed_actions: Vec<ReferralActionKind>,
    /// The seeker's necessary data: always for the referring side; for the receiving
    /// organisation only while the seeker's consent `sharing_with_referrals` stands, else `null`.
    pub seeker: Option<SharedSeeker>,
}

/// The caller's side of the referral; 404 for anyone with no side.
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

/// The view of `referral` from `side`; showing the seeker's data is audited as a read.
fn view(
    conn: &mut DbConnection,
    audit: Audit<'_>,
    referral: Referral,
    side: Side,
) -> ApiResult<ReferralView> {
    let seeker = seekers::get(conn, referral.seeker_id)?;
    let disclosed = referral.disclosed_to(side, &seeker);
    let seeker = if disclosed.shows_seeker() {
        audit.record(conn, Action::Read, &referral)?;
        let qualifications = qualifications::of_seeker(conn, seeker.id)?;
        Some(SharedSeeker::of(seeker, qualifications))
    } else {
        None
    };
    Ok(ReferralView {
        allowed_actions: referral.allowed_actions().to_vec(),
        referral: disclosed,
        seeker,
    })
}

/// A page of referrals as the caller may see each: the referring side all of it, the receiving
/// side the seeker's id and the reason only while sharing stands (those shown are audited).
fn disclose_page(
    conn: &mut DbConnection,
    caller: &Caller,
    audit: Audit<'_>,
    page: Page<Referral>,
) -> ApiResult<Page<DisclosedReferral>> {
    let mut ids: Vec<SeekerId> = page.items.iter().map(|r| r.seeker_id).collect();
    ids.sort();
    ids.dedup();
    let seekers: HashMap<SeekerId, AdviceSeeker> = seekers::many(conn, &ids)?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut referring: HashMap<OrganisationId, bool> = HashMap::new();
    let mut shown = Vec::new();
    let mut disclosed = Vec::with_capacity(page.items.len());
    for referral in &page.items {
        let side = match referring.get(&referral.organisation_id) {
            Some(true) => Side::Referring,
            Some(false) => Side::Receiving,
            None => {
                let side = side(conn, caller, referral)?;
                referring.insert(referral.organisation_id, side == Side::Referring);
                side
            }
        };
        let seeker = seekers
            .get(&referral.seeker_id)
            .ok_or_else(|| ApiError::from(StoreError::NotFound))?;
        let view = referral.disclosed_to(side, seeker);
        if view.shows_seeker() {
            shown.push(referral.clone());
        }
        disclosed.push(view);
    }
    audit.record_all(conn, Action::Read, &shown)?;
    Ok(Page {
        items: disclosed,
        next_after: page.next_after,
    })
}

/// An idempotent replay carries no seeker data: it may only be shown while consent stands, and a
/// stored copy would outlive its withdrawal.
const NOT_REPLAYED: &[&str] = &["seeker"];

/// An answer's replay carries neither: the receiver sees them only while consent stands.
const NOT_REPLAYED_TO_RECEIVER: &[&str] = &["seeker", "seeker_id", "case_id", "reason"];

list_query! {
    pub struct ReferralQuery => ReferralFilter {
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
/// The list carries no seeker data; get a single referral for that. On referrals addressed to
/// the caller, `seeker_id`, `case_id` and `reason` are `null` unless the seeker's consent to
/// sharing stands, and `seeker_id=` matches only referrals the caller's scope sent.
#[utoipa::path(
    operation_id = "listReferrals",
    tag = "counselling",
    params(ReferralQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of referrals", body = List<DisclosedReferral>))
)]
#[get("")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    query: Query<ReferralQuery>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(REFERRAL_PARTIES)?;
    let (filter, page) = query.0.into_parts()?;
    // Trainers and partners see only what is addressed to them, never what their organisation sent.
    let scope = if COUNSELLING_STAFF.contains(&caller.role) {
        caller.scope()
    } else {
        Scope::Nothing
    };
    // A receiver learns a seeker's id only while sharing stands, so it cannot search by one.
    let receiving = caller.organisation.filter(|_| filter.seeker_id.is_none());
    let found = state
        .read(move |conn| {
            let page = referrals::list(conn, scope, receiving, &filter, &page)?;
            disclose_page(conn, &caller, ctx.by(&caller), page)
        })
        .await?;
    Ok(http::list(&req, found))
}

/// Get a referral
///
/// One referral by id, for the staff of the referring and of the receiving organisation.
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
) -> ApiResult<Reply> {
    let caller = principal.require(REFERRAL_PARTIES)?;
    let found = state
        .write(move |conn| {
            let referral = referrals::get(conn, *id)?;
            let side = side(conn, &caller, &referral)?;
            view(conn, ctx.by(&caller), referral, side)
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
    #[schema(
        example = "adaptation qualification for nurses",
        min_length = 1,
        max_length = 500
    )]
    pub reason: String,
    /// Defaults to today.
    pub sent_on: Option<NaiveDate>,
}

/// Refer a case to another organisation
///
/// Refers a counselling case to another organisation of the network (e.g. a bridge-training
/// provider), for counselling staff who may see the case. The receiving organisation answers it
/// with the referral's actions.
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
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    body: Json<NewReferral>,
) -> ApiResult<Reply> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let input = body.0;
    state
        .commit(&req, move |conn| {
            let case = named(conn, &caller, ("case_id", "counselling case"), |c| {
                cases::get(c, input.case_id)
            })?;
            structure::organisations::get(conn, input.to_organisation_id).map_err(|_| {
                ApiError::invalid_field("to_organisation_id", "not_found", "no such organisation")
            })?;
            let sent_on = input.sent_on.unwrap_or_else(today_in_germany);
            let referral = Referral::send(
                &case,
                input.to_organisation_id,
                &input.reason,
                sent_on,
                now(),
            )?;
            referrals::insert(conn, &referral)?;
            let audit = ctx.by(&caller);
            audit.record(conn, Action::Create, &referral)?;
            let view = view(conn, audit, referral, Side::Referring)?;
            let location = format!("/v1/referrals/{}", view.referral.id);
            Ok(http::created(location, &view, view.referral.stamp.version)
                .redact_on_replay(NOT_REPLAYED))
        })
        .await
}

/// Answer a referral
///
/// The receiving organisation `accept`s or `decline`s it, and `complete`s an accepted one.
#[utoipa::path(
    operation_id = "actOnReferral",
    tag = "counselling",
    params(("id" = ReferralId, Path, description = "Referral id")),
    request_body = ReferralAction,
    security(("bearer" = [])),
    responses((status = 200, description = "The referral in its new status", body = ReferralView, headers(("ETag" = String, description = "The new version"))))
)]
#[post("/{id}/actions")]
async fn act(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    if_match: IfMatch,
    id: web::Path<ReferralId>,
    body: Json<ReferralAction>,
) -> ApiResult<Reply> {
    let caller = principal.require(REFERRAL_PARTIES)?;
    state
        .commit(&req, move |conn| {
            let current = referrals::get(conn, *id)?;
            if caller.organisation != Some(current.to_organisation_id) {
                // Existence is no secret to the referring side; to anyone else it is.
                side(conn, &caller, &current)?;
                return Err(ApiError::forbidden(
                    "only the receiving organisation answers a referral",
                ));
            }
            if_match.check(current.stamp.version)?;
            let next = current.apply(&body.0, now())?;
            referrals::update(conn, &next, current.stamp.version)?;
            let audit = ctx.by(&caller);
            audit.record(conn, Action::Update, &next)?;
            let view = view(conn, audit, next, Side::Receiving)?;
            Ok(http::ok_with_etag(&view, view.referral.stamp.version)
                .redact_on_replay(NOT_REPLAYED_TO_RECEIVER))
        })
        .await
}
