//! Priority area 1: counselling on recognition. Personal data (seekers and everything about
//! them) is visible to its owning organisation, to the coordinators of that organisation's
//! network and to national admins; referred organisations see a referral's seeker only while the
//! seeker's consent to sharing stands. Anyone else gets 404.

pub mod cases;
pub mod centres;
pub mod procedures;
pub mod referrals;
pub mod seekers;

use iqnet_counselling::records::AdviceSeeker;
use iqnet_persistence::{DbConnection, counselling, structure};
use iqnet_shared::ids::{OrganisationId, SeekerId};
use utoipa_actix_web::service_config::ServiceConfig;

use iqnet_conventions::auth::Caller;
use iqnet_conventions::error::{ApiError, ApiResult};

pub use crate::permissions::COUNSELLING_STAFF;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.configure(centres::configure)
        .configure(seekers::configure)
        .configure(cases::configure)
        .configure(procedures::configure)
        .configure(referrals::configure);
}

/// 404 unless records owned by `organisation` are in the caller's scope.
pub fn ensure_visible(
    conn: &mut DbConnection,
    caller: &Caller,
    organisation: OrganisationId,
) -> ApiResult<()> {
    let owner = structure::organisations::get(conn, organisation)?;
    caller.ensure_covers(owner.id, owner.state)
}

/// The seeker, if the caller may see them.
pub fn visible_seeker(
    conn: &mut DbConnection,
    caller: &Caller,
    id: SeekerId,
) -> ApiResult<AdviceSeeker> {
    let seeker = counselling::seekers::get(conn, id)?;
    ensure_visible(conn, caller, seeker.organisation_id)?;
    Ok(seeker)
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
