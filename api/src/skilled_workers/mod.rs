//! Priority area 4: regional skilled-worker networks for immigration. Networks and their public
//! events are no secret (the calendar needs no token); a network's coordinating and member
//! organisations act for it, and its regional network's coordinators manage it, a coordinator
//! of one regional network never another's. A company's consultation is seen by the consulting
//! organisation's scope and the members it was referred to; a named skilled worker is an advice
//! seeker of area 1, under its consent rules.

pub mod accelerated;
pub mod calendar;
pub mod consultations;
pub mod events;
pub mod journey;
pub mod networks;
pub mod report;

use iqnet_conventions::audit::{Action, Audit};
use iqnet_conventions::auth::Caller;
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_counselling::vocabulary::ConsentPurpose;
use iqnet_networks::network::SkilledWorkerNetwork;
use iqnet_persistence::counselling::seekers;
use iqnet_persistence::{DbConnection, structure};
use iqnet_shared::codes::StateCode;
use iqnet_shared::ids::OrganisationId;
use iqnet_shared::records::PersonalData;
use iqnet_shared::structure::{OrganisationKind, Scope};
use iqnet_shared::time::today_in_germany;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        scope("/skilled-worker-networks")
            .configure(networks::configure)
            .configure(events::configure_of_network)
            .configure(consultations::configure_of_network)
            .configure(accelerated::configure_of_network)
            .configure(report::configure_of_network),
    )
    .service(scope("/network-events").configure(events::configure))
    .configure(calendar::configure)
    .service(scope("/employer-consultations").configure(consultations::configure))
    .service(scope("/accelerated-procedures").configure(accelerated::configure));
}

/// Whether the caller coordinates the regional network of `region` (or everything).
fn coordinates_region(caller: &Caller, region: StateCode) -> bool {
    match caller.scope() {
        Scope::Everything => true,
        Scope::Network(state) => state == region,
        _ => false,
    }
}

/// 403 unless the caller acts for `network`: its regional coordinators, or the staff of its
/// coordinating organisation or a current member. Networks are public, so this is no secret.
fn ensure_party(caller: &Caller, network: &SkilledWorkerNetwork) -> ApiResult<()> {
    let member = caller
        .organisation
        .is_some_and(|org| network.is_party(org, today_in_germany()));
    if coordinates_region(caller, network.regional_network) || member {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "you act for neither this network's organisations nor its regional network",
        ))
    }
}

/// The organisation a new record of `network` belongs to: the one named or the caller's own;
/// it must be the network's coordinator or a current member, and the caller must act for it.
fn acting_organisation(
    caller: &Caller,
    network: &SkilledWorkerNetwork,
    named: Option<OrganisationId>,
) -> ApiResult<OrganisationId> {
    ensure_party(caller, network)?;
    let org = named.or(caller.organisation).ok_or_else(|| {
        ApiError::invalid_field(
            "organisation_id",
            "required",
            "name the organisation acting",
        )
    })?;
    if named.is_some_and(|n| Some(n) != caller.organisation)
        && !coordinates_region(caller, network.regional_network)
    {
        return Err(ApiError::forbidden(
            "you act for your own organisation only",
        ));
    }
    if !network.is_party(org, today_in_germany()) {
        return Err(ApiError::invalid_field(
            "organisation_id",
            "not_a_member",
            "the organisation coordinates or belongs to the network",
        ));
    }
    Ok(org)
}

/// The company a consultation or procedure is about: an organisation of a company kind.
fn company(conn: &mut DbConnection, id: OrganisationId) -> ApiResult<OrganisationId> {
    let org = structure::organisations::get(conn, id)
        .map_err(|_| ApiError::invalid_field("company_id", "not_found", "no such organisation"))?;
    if matches!(
        org.kind,
        OrganisationKind::CompanySme | OrganisationKind::CompanyLarge
    ) {
        Ok(org.id)
    } else {
        Err(ApiError::invalid_field(
            "company_id",
            "not_a_company",
            "the organisation is not a company (`company_sme`, `company_large`)",
        ))
    }
}

/// Whether the caller may see which advice seeker `subject` names: always on the owner's side,
/// on the other side (a referred member) only while the seeker consents to sharing with
/// referrals, as area 1's referrals do. Showing the seeker is audited as a read.
fn disclose_seeker<R: PersonalData>(
    conn: &mut DbConnection,
    audit: &Audit<'_>,
    owners_side: bool,
    subject: Option<R>,
) -> ApiResult<bool> {
    let Some(subject) = subject else {
        return Ok(false);
    };
    let shown = owners_side
        || seekers::get(conn, subject.seeker())?.consents_to(ConsentPurpose::SharingWithReferrals);
    if shown {
        audit.record(conn, Action::Read, &subject)?;
    }
    Ok(shown)
}
