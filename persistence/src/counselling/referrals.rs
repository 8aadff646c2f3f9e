//! Referrals from a case to another organisation.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_counselling::records::Referral;
use iqnet_counselling::vocabulary::ReferralStatus;
use iqnet_shared::ids::{CaseId, OrganisationId, ReferralId, SeekerId};
use iqnet_shared::structure::Scope;

use crate::convert::{load_page, of_seeker, record_store, stamp};
use crate::db::{DbConnection, MultiBackend};
use crate::schema::{organisations, referrals};
use crate::{Page, PageRequest, StoreError};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = referrals, treat_none_as_null = true)]
struct ReferralRow {
    id: ReferralId,
    case_id: CaseId,
    seeker_id: SeekerId,
    organisation_id: OrganisationId,
    to_organisation_id: OrganisationId,
    reason: String,
    status: ReferralStatus,
    sent_on: NaiveDate,
    answered_on: Option<NaiveDate>,
    completed_on: Option<NaiveDate>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl From<&Referral> for ReferralRow {
    fn from(r: &Referral) -> Self {
        ReferralRow {
            id: r.id,
            case_id: r.case_id,
            seeker_id: r.seeker_id,
            organisation_id: r.organisation_id,
            to_organisation_id: r.to_organisation_id,
            reason: r.reason.clone(),
            status: r.status,
            sent_on: r.sent_on,
            answered_on: r.answered_on,
            completed_on: r.completed_on,
            created_at: r.stamp.created_at.naive_utc(),
            updated_at: r.stamp.updated_at.naive_utc(),
            version: r.stamp.version,
        }
    }
}

impl TryFrom<ReferralRow> for Referral {
    type Error = StoreError;
    fn try_from(r: ReferralRow) -> Result<Self, StoreError> {
        Ok(Referral {
            id: r.id,
            case_id: r.case_id,
            seeker_id: r.seeker_id,
            organisation_id: r.organisation_id,
            to_organisation_id: r.to_organisation_id,
            reason: r.reason,
            status: r.status,
            sent_on: r.sent_on,
            answered_on: r.answered_on,
            completed_on: r.completed_on,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

#[derive(Debug, Default, Clone)]
pub struct ReferralFilter {
    pub status: Option<ReferralStatus>,
    pub seeker_id: Option<SeekerId>,
    pub updated_since: Option<DateTime<Utc>>,
}

/// Referrals the scope sent, plus those addressed to `receiving` (the caller's organisation).
pub fn list(
    conn: &mut DbConnection,
    scope: Scope,
    receiving: Option<OrganisationId>,
    filter: &ReferralFilter,
    page: &PageRequest,
) -> Result<Page<Referral>, StoreError> {
    use referrals as r;
    // Without a receiving organisation this compares with NULL, which matches nothing.
    let received = r::to_organisation_id.nullable().eq(receiving);
    let mut query = r::table.into_boxed::<MultiBackend>();
    query = match scope {
        Scope::Everything => query,
        Scope::Organisation(org) => query.filter(r::organisation_id.eq(org).or(received)),
        Scope::Network(state) => {
            let in_network = organisations::table
                .filter(organisations::state.eq(state))
                .select(organisations::id);
            query.filter(r::organisation_id.eq_any(in_network).or(received))
        }
        Scope::Nothing => query.filter(received),
    };
    if let Some(status) = filter.status {
        query = query.filter(r::status.eq(status));
    }
    if let Some(seeker) = filter.seeker_id {
        query = query.filter(r::seeker_id.eq(seeker));
    }
    if let Some(since) = filter.updated_since {
        query = query.filter(r::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    load_page!(conn, query, r::id, page, ReferralRow, |r| r.id).try_map(Referral::try_from)
}

record_store!(
    referrals,
    ReferralRow,
    Referral,
    ReferralId,
    get = get,
    insert = insert,
    update = update
);

of_seeker!(of_seeker, referrals, ReferralRow, Referral);
