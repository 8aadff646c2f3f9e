//! Priority area 1: counselling on recognition. Personal data (seekers and everything about
//! them) is visible to its owning organisation, to the coordinators of that organisation's
//! network and to national admins; referred organisations see a referral's seeker only while the
//! seeker's consent to sharing stands. Anyone else gets 404.

pub mod audit_log;
pub mod cases;
pub mod centres;
pub mod consents;
pub mod journey;
pub mod procedure_view;
pub mod procedures;
pub mod qualifications;
pub mod referrals;
pub mod seekers;
pub mod sessions;
pub mod short_contacts;

use iqnet_conventions::auth::Caller;
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_persistence::{DbConnection, StoreError, reference, structure};
use iqnet_shared::codes::CountryCode;
use iqnet_shared::error::Violations;
use iqnet_shared::ids::OrganisationId;
use iqnet_shared::records::PersonalData;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.configure(centres::configure)
        .service(
            scope("/advice-seekers")
                .configure(seekers::configure)
                .configure(consents::configure)
                .configure(qualifications::configure)
                .configure(journey::configure)
                .configure(audit_log::configure),
        )
        .service(
            scope("/counselling-cases")
                .configure(cases::configure)
                .configure(sessions::configure),
        )
        .configure(procedures::configure)
        .configure(referrals::configure)
        .configure(short_contacts::configure);
}

/// 404 unless records owned by `organisation` are in the caller's scope.
pub fn ensure_visible(
    conn: &mut DbConnection,
    caller: &Caller,
    organisation: OrganisationId,
) -> ApiResult<()> {
    // Only a network's scope depends on where the owner is: the others cost no query.
    match caller.scope().covers_without_state(organisation) {
        Some(true) => Ok(()),
        Some(false) => Err(ApiError::not_found()),
        None => {
            let owner = structure::organisations::get(conn, organisation)?;
            caller.ensure_covers(owner.id, owner.state)
        }
    }
}

/// How a record is loaded by its id.
pub trait Load<R>: FnOnce(&mut DbConnection) -> Result<R, StoreError> {}
impl<R, F: FnOnce(&mut DbConnection) -> Result<R, StoreError>> Load<R> for F {}

/// The record `load` finds, if the caller may see it (404 otherwise).
pub fn visible<R: PersonalData>(
    conn: &mut DbConnection,
    caller: &Caller,
    load: impl Load<R>,
) -> ApiResult<R> {
    let record = load(conn)?;
    ensure_visible(conn, caller, record.owner())?;
    Ok(record)
}

/// A record the request body names (e.g. `case_id`): one the caller may not see, or that does
/// not exist, is a 422 on that field.
pub fn named<R: PersonalData>(
    conn: &mut DbConnection,
    caller: &Caller,
    (field, what): (&str, &str),
    load: impl Load<R>,
) -> ApiResult<R> {
    visible(conn, caller, load)
        .map_err(|_| ApiError::invalid_field(field, "not_found", format!("no such {what}")))
}

/// The organisation a new record belongs to: the one named, or the caller's own. It must be in
/// the caller's scope.
pub fn owning_organisation(
    conn: &mut DbConnection,
    caller: &Caller,
    named: Option<OrganisationId>,
) -> ApiResult<OrganisationId> {
    let organisation = named.or(caller.organisation).ok_or_else(|| {
        ApiError::invalid_field(
            "organisation_id",
            "required",
            "name the organisation the record belongs to",
        )
    })?;
    let owner = structure::organisations::get(conn, organisation).map_err(|_| {
        ApiError::invalid_field("organisation_id", "not_found", "no such organisation")
    })?;
    if caller.scope().covers(owner.id, owner.state) {
        Ok(organisation)
    } else {
        Err(ApiError::forbidden(
            "the organisation is outside your scope",
        ))
    }
}

/// Countries must be known to the reference data, not only well-formed.
pub fn ensure_countries_known(
    conn: &mut DbConnection,
    fields: &[(&str, &CountryCode)],
) -> ApiResult<()> {
    let mut v = Violations::new();
    for (field, code) in fields {
        if reference::get_country(conn, code).is_err() {
            v.push(
                *field,
                "unknown_country",
                format!("`{code}` is not an ISO 3166-1 country"),
            );
        }
    }
    Ok(v.finish(|| ())?)
}
