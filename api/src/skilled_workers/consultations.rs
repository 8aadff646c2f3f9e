//! Employer consultations: a network's coordinating or member organisation advises a company
//! on hiring from abroad and refers it to members' services, whose answers are recorded. The
//! company's data is seen by the consulting organisation's scope and by the members it was
//! referred to (404 for anyone else); a named skilled worker only under area 1's consent rules.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use iqnet_conventions::audit::{AccessContext, Action, Audit};
use iqnet_conventions::auth::{Caller, Principal};
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List, Reply};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;
use iqnet_networks::consultation::{
    Consultation, ConsultationAction, ConsultationActionKind, ConsultationReferral, Inquiry,
};
use iqnet_networks::vocabulary::ConsultationState;
use iqnet_persistence::counselling::seekers;
use iqnet_persistence::skilled_workers::consultations::{self, ConsultationFilter};
use iqnet_persistence::skilled_workers::networks;
use iqnet_persistence::{DbConnection, reference};
use iqnet_shared::error::Violations;
use iqnet_shared::ids::{ConsultationId, OrganisationId, SeekerId, SkilledWorkerNetworkId};
use iqnet_shared::records::Stamp;
use iqnet_shared::time::now;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{acting_organisation, company, disclose_seeker};
use crate::counselling::{ensure_countries_known, ensure_visible, named};
use crate::permissions::SKILLED_WORKER_NETWORK_PARTIES;

/// Under `/skilled-worker-networks`.
pub fn configure_of_network(cfg: &mut ServiceConfig) {
    cfg.service(list).service(create);
}

/// Under `/employer-consultations`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get).service(act);
}

/// An employer consultation as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = EmployerConsultation, example = json!({
    "id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e21", "network_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e01",
    "organisation_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e02", "company_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e04",
    "seeker_id": null, "topics": ["accelerated_procedure", "recognition"], "target_occupations": ["81302"],
    "countries": ["IN", "PH"], "posts": 5, "received_on": "2026-11-02", "state": "referred",
    "referrals": [{"id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e22", "to_organisation_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e03",
                   "service": "foreigners_authority", "sent_on": "2026-11-05",
                   "answer": "Vorabzustimmung möglich", "answered_on": "2026-11-12"}],
    "closed_on": null, "allowed_actions": ["refer", "record_answer", "close"],
    "created_at": "2026-11-02T09:00:00Z", "updated_at": "2026-11-12T10:00:00Z", "version": 4
}))]
pub struct ConsultationView {
    pub id: ConsultationId,
    pub network_id: SkilledWorkerNetworkId,
    /// The consulting organisation.
    pub organisation_id: OrganisationId,
    /// The company asking.
    pub company_id: OrganisationId,
    /// The skilled worker concerned (an advice seeker): for the consulting side always, for a
    /// referred member only while the seeker consents to `sharing_with_referrals`.
    pub seeker_id: Option<SeekerId>,
    #[serde(flatten)]
    pub inquiry: Inquiry,
    pub state: ConsultationState,
    /// The referrals to network members and their answers, oldest first.
    pub referrals: Vec<ConsultationReferral>,
    pub closed_on: Option<NaiveDate>,
    /// The actions the current state allows (`POST .../actions`).
    pub allowed_actions: Vec<ConsultationActionKind>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

/// Whether the caller stands on the consulting organisation's side (its scope).
fn consulting_side(conn: &mut DbConnection, caller: &Caller, c: &Consultation) -> bool {
    ensure_visible(conn, caller, c.organisation_id).is_ok()
}

/// 404 unless the caller is on the consulting side or was referred the consultation.
fn ensure_sees(conn: &mut DbConnection, caller: &Caller, c: &Consultation) -> ApiResult<()> {
    let referred = caller.organisation.is_some_and(|org| c.referred_to(org));
    if referred || consulting_side(conn, caller, c) {
        Ok(())
    } else {
        Err(ApiError::not_found())
    }
}

/// `c` as the caller may see it.
fn view(
    conn: &mut DbConnection,
    audit: &Audit<'_>,
    caller: &Caller,
    c: &Consultation,
) -> ApiResult<ConsultationView> {
    let owners_side = consulting_side(conn, caller, c);
    let shown = disclose_seeker(conn, audit, owners_side, c.concerning())?;
    Ok(ConsultationView {
        id: c.id,
        network_id: c.network_id,
        organisation_id: c.organisation_id,
        company_id: c.company_id,
        seeker_id: c.seeker_id.filter(|_| shown),
        inquiry: c.inquiry.clone(),
        state: c.state,
        referrals: c.referrals.clone(),
        closed_on: c.closed_on,
        allowed_actions: c.allowed_actions().to_vec(),
        stamp: c.stamp,
    })
}

list_query! {
    pub struct ConsultationQuery => ConsultationFilter {
        /// Only consultations in this state.
        pub state: Option<ConsultationState>,
        /// Only consultations changed at or after this instant (RFC 3339).
        pub updated_since: Option<DateTime<Utc>>,
    }
}

/// List a network's employer consultations
///
/// Those the caller may see: of organisations in its scope, and those referred to its
/// organisation.
#[utoipa::path(
    operation_id = "listEmployerConsultations",
    tag = "skilled_immigration",
    params(("id" = SkilledWorkerNetworkId, Path, description = "Network id"), ConsultationQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of consultations", body = List<ConsultationView>))
)]
#[get("/{id}/consultations")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<SkilledWorkerNetworkId>,
    query: Query<ConsultationQuery>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(SKILLED_WORKER_NETWORK_PARTIES)?;
    let (filter, page) = query.0.into_parts()?;
    let found = state
        .read(move |conn| {
            let network = networks::get(conn, *id)?;
            let whose = (caller.scope(), caller.organisation);
            let page = consultations::of_network(conn, network.id, whose, &filter, &page)?;
            let audit = ctx.by(&caller);
            page.try_map(|c| view(conn, &audit, &caller, &c))
        })
        .await?;
    Ok(http::list(&req, found))
}

/// A company's inquiry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"company_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e6f", "topics": ["accelerated_procedure", "recognition"], "target_occupations": ["81302"], "countries": ["PH"], "posts": 5, "received_on": "2026-11-20"}))]
pub struct NewConsultation {
    /// The consulting organisation; defaults to the caller's.
    pub organisation_id: Option<OrganisationId>,
    /// An organisation of kind `company_sme` or `company_large`.
    pub company_id: OrganisationId,
    /// The skilled worker concerned: an advice seeker the caller may see.
    pub seeker_id: Option<SeekerId>,
    #[serde(flatten)]
    pub inquiry: Inquiry,
}

/// Occupations must be reference occupations, countries known ones.
fn ensure_known(conn: &mut DbConnection, inquiry: &Inquiry) -> ApiResult<()> {
    let mut v = Violations::new();
    for (i, code) in inquiry.target_occupations.iter().enumerate() {
        if reference::get_occupation(conn, code).is_err() {
            let message = format!("`{code}` is not a reference occupation");
            v.push(
                format!("target_occupations[{i}]"),
                "unknown_occupation",
                message,
            );
        }
    }
    v.finish(|| ())?;
    let fields: Vec<(String, _)> = inquiry
        .countries
        .iter()
        .enumerate()
        .map(|(i, c)| (format!("countries[{i}]"), c))
        .collect();
    let named: Vec<(&str, _)> = fields.iter().map(|(f, c)| (f.as_str(), *c)).collect();
    ensure_countries_known(conn, &named)
}

/// Record an employer consultation
///
/// A company's inquiry, taken by the network's coordinating or a member organisation; it
/// starts as `inquiry`. Naming a seeker the caller may not see is a 422 on `seeker_id`.
#[utoipa::path(
    operation_id = "createEmployerConsultation",
    tag = "skilled_immigration",
    params(("id" = SkilledWorkerNetworkId, Path, description = "Network id")),
    request_body = NewConsultation,
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = ConsultationView,
        headers(("Location" = String, description = "URL of the new consultation"), ("ETag" = String, description = "Its version"))))
)]
#[post("/{id}/consultations")]
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<SkilledWorkerNetworkId>,
    body: Json<NewConsultation>,
) -> ApiResult<Reply> {
    let caller = principal.require(SKILLED_WORKER_NETWORK_PARTIES)?;
    state
        .commit(&req, move |conn| {
            let network = networks::get(conn, *id)?;
            let input = body.0;
            let organisation = acting_organisation(&caller, &network, input.organisation_id)?;
            let company = company(conn, input.company_id)?;
            if let Some(seeker) = input.seeker_id {
                named(conn, &caller, ("seeker_id", "advice seeker"), |c| {
                    seekers::get(c, seeker)
                })?;
            }
            ensure_known(conn, &input.inquiry)?;
            let parties = (organisation, company, input.seeker_id);
            let consultation = Consultation::receive(&network, parties, input.inquiry, now())?;
            consultations::insert(conn, &consultation)?;
            let audit = ctx.by(&caller);
            if let Some(subject) = consultation.concerning() {
                audit.record(conn, Action::Create, &subject)?;
            }
            let location = format!("/v1/employer-consultations/{}", consultation.id);
            let shown = view(conn, &audit, &caller, &consultation)?;
            Ok(http::created(location, &shown, consultation.stamp.version))
        })
        .await
}

/// Get an employer consultation
///
/// One employer consultation by id, for the side that consults the employer and for the
/// organisations it was referred to; for anyone else it is a 404.
#[utoipa::path(
    operation_id = "getEmployerConsultation",
    tag = "skilled_immigration",
    params(("id" = ConsultationId, Path, description = "Consultation id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The consultation", body = ConsultationView, headers(("ETag" = String, description = "Strong ETag: the version"))),
        (status = 304, description = "`If-None-Match` names the current version")
    )
)]
#[get("/{id}")]
async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<ConsultationId>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(SKILLED_WORKER_NETWORK_PARTIES)?;
    let (shown, version) = state
        .read(move |conn| {
            let consultation = consultations::get(conn, *id)?;
            ensure_sees(conn, &caller, &consultation)?;
            let shown = view(conn, &ctx.by(&caller), &caller, &consultation)?;
            Ok((shown, consultation.stamp.version))
        })
        .await?;
    Ok(http::single(&req, &shown, version))
}

/// Who may take `action`: the answer belongs to the referred member, everything else to the
/// consulting side (and a regional coordinator acts for the network, not for the member).
fn ensure_may(
    conn: &mut DbConnection,
    caller: &Caller,
    c: &Consultation,
    action: &ConsultationAction,
) -> ApiResult<()> {
    ensure_sees(conn, caller, c)?;
    let allowed = match action {
        ConsultationAction::RecordAnswer { referral_id, .. } => {
            let to = c.referral(*referral_id).map(|r| r.to_organisation_id);
            caller.organisation.is_some_and(|org| Some(org) == to)
        }
        _ => consulting_side(conn, caller, c),
    };
    if allowed {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "the consulting organisation acts on a consultation, a referred member answers",
        ))
    }
}

/// Act on an employer consultation
///
/// `start` (inquiry -> in_progress), `refer` to a current network member's service
/// (in_progress | referred -> referred), `record_answer` by the member referred (once per
/// referral), `close` (-> closed). Any other is a 409 naming the allowed actions.
#[utoipa::path(
    operation_id = "actOnEmployerConsultation",
    tag = "skilled_immigration",
    params(("id" = ConsultationId, Path, description = "Consultation id")),
    request_body = ConsultationAction,
    security(("bearer" = [])),
    responses((status = 200, description = "The consultation after the action", body = ConsultationView, headers(("ETag" = String, description = "The new version"))))
)]
#[post("/{id}/actions")]
async fn act(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    if_match: IfMatch,
    id: web::Path<ConsultationId>,
    body: Json<ConsultationAction>,
) -> ApiResult<Reply> {
    let caller = principal.require(SKILLED_WORKER_NETWORK_PARTIES)?;
    state
        .commit(&req, move |conn| {
            let current = consultations::get(conn, *id)?;
            ensure_may(conn, &caller, &current, &body.0)?;
            if_match.check(current.stamp.version)?;
            let network = networks::get(conn, current.network_id)?;
            let next = current.apply(body.0, &network, now())?;
            consultations::update(conn, &next, current.stamp.version)?;
            let audit = ctx.by(&caller);
            if let Some(subject) = next.concerning() {
                audit.record(conn, Action::Update, &subject)?;
            }
            let shown = view(conn, &audit, &caller, &next)?;
            Ok(http::ok_with_etag(&shown, next.stamp.version))
        })
        .await
}
