//! Employer consultations and their referrals (rows of their own, so that what was referred to
//! an organisation is found by index). A company's data is seen by the consulting organisation's
//! scope and by the organisations it was referred to.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_networks::consultation::{Consultation, ConsultationReferral, Inquiry};
use iqnet_networks::vocabulary::{ConsultationState, ReferralService, Topic};
use iqnet_shared::codes::{CountryCode, KldbCode};
use iqnet_shared::ids::{
    ConsultationId, ConsultationReferralId, OrganisationId, SeekerId, SkilledWorkerNetworkId,
};
use iqnet_shared::structure::Scope;

use crate::convert::{Json, expect_one_updated, load_page, stamp};
use crate::db::{DbConnection, MultiBackend};
use crate::schema::{consultation_referrals, employer_consultations, organisations};
use crate::{Page, PageRequest, StoreError};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = employer_consultations, treat_none_as_null = true)]
struct ConsultationRow {
    id: ConsultationId,
    network_id: SkilledWorkerNetworkId,
    organisation_id: OrganisationId,
    company_id: OrganisationId,
    seeker_id: Option<SeekerId>,
    topics: Json<Vec<Topic>>,
    target_occupations: Json<Vec<KldbCode>>,
    countries: Json<Vec<CountryCode>>,
    posts: i32,
    received_on: NaiveDate,
    state: ConsultationState,
    closed_on: Option<NaiveDate>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = consultation_referrals)]
struct ReferralRow {
    id: ConsultationReferralId,
    consultation_id: ConsultationId,
    to_organisation_id: OrganisationId,
    service: ReferralService,
    sent_on: NaiveDate,
    answer: Option<String>,
    answered_on: Option<NaiveDate>,
}

impl From<&Consultation> for ConsultationRow {
    fn from(c: &Consultation) -> Self {
        let i = &c.inquiry;
        ConsultationRow {
            id: c.id,
            network_id: c.network_id,
            organisation_id: c.organisation_id,
            company_id: c.company_id,
            seeker_id: c.seeker_id,
            topics: Json(i.topics.clone()),
            target_occupations: Json(i.target_occupations.clone()),
            countries: Json(i.countries.clone()),
            posts: i.posts,
            received_on: i.received_on,
            state: c.state,
            closed_on: c.closed_on,
            created_at: c.stamp.created_at.naive_utc(),
            updated_at: c.stamp.updated_at.naive_utc(),
            version: c.stamp.version,
        }
    }
}

impl ConsultationRow {
    fn into_consultation(self, referrals: Vec<ConsultationReferral>) -> Consultation {
        Consultation {
            id: self.id,
            network_id: self.network_id,
            organisation_id: self.organisation_id,
            company_id: self.company_id,
            seeker_id: self.seeker_id,
            inquiry: Inquiry {
                topics: self.topics.0,
                target_occupations: self.target_occupations.0,
                countries: self.countries.0,
                posts: self.posts,
                received_on: self.received_on,
            },
            state: self.state,
            referrals,
            closed_on: self.closed_on,
            stamp: stamp(self.created_at, self.updated_at, self.version),
        }
    }
}

fn with_referrals(
    conn: &mut DbConnection,
    rows: Vec<ConsultationRow>,
) -> Result<Vec<Consultation>, StoreError> {
    let ids: Vec<ConsultationId> = rows.iter().map(|r| r.id).collect();
    let referrals: Vec<ReferralRow> = consultation_referrals::table
        .filter(consultation_referrals::consultation_id.eq_any(&ids))
        .order(consultation_referrals::id)
        .select(ReferralRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let of_row = referrals
                .iter()
                .filter(|r| r.consultation_id == row.id)
                .map(|r| ConsultationReferral {
                    id: r.id,
                    to_organisation_id: r.to_organisation_id,
                    service: r.service,
                    sent_on: r.sent_on,
                    answer: r.answer.clone(),
                    answered_on: r.answered_on,
                })
                .collect();
            row.into_consultation(of_row)
        })
        .collect())
}

pub fn get(conn: &mut DbConnection, id: ConsultationId) -> Result<Consultation, StoreError> {
    let row = employer_consultations::table
        .find(id)
        .select(ConsultationRow::as_select())
        .first(conn)?;
    with_referrals(conn, vec![row])?
        .pop()
        .ok_or(StoreError::NotFound)
}

fn write_referrals(conn: &mut DbConnection, c: &Consultation) -> Result<(), StoreError> {
    diesel::delete(
        consultation_referrals::table.filter(consultation_referrals::consultation_id.eq(c.id)),
    )
    .execute(conn)?;
    for r in &c.referrals {
        diesel::insert_into(consultation_referrals::table)
            .values(ReferralRow {
                id: r.id,
                consultation_id: c.id,
                to_organisation_id: r.to_organisation_id,
                service: r.service,
                sent_on: r.sent_on,
                answer: r.answer.clone(),
                answered_on: r.answered_on,
            })
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert(conn: &mut DbConnection, c: &Consultation) -> Result<(), StoreError> {
    diesel::insert_into(employer_consultations::table)
        .values(ConsultationRow::from(c))
        .execute(conn)?;
    write_referrals(conn, c)
}

/// Writes `c` (its stamp already the next one) if `expected_version` is still current.
pub fn update(
    conn: &mut DbConnection,
    c: &Consultation,
    expected_version: i64,
) -> Result<(), StoreError> {
    let target = employer_consultations::table
        .filter(employer_consultations::id.eq(c.id))
        .filter(employer_consultations::version.eq(expected_version));
    let updated = diesel::update(target)
        .set(ConsultationRow::from(c))
        .execute(conn)?;
    expect_one_updated(updated, expected_version)?;
    write_referrals(conn, c)
}

#[derive(Debug, Default, Clone)]
pub struct ConsultationFilter {
    pub state: Option<ConsultationState>,
    pub updated_since: Option<DateTime<Utc>>,
}

/// A network's consultations the caller may see: those of organisations in `scope`, and those
/// referred to `referred_to` (the caller's organisation).
pub fn of_network(
    conn: &mut DbConnection,
    network: SkilledWorkerNetworkId,
    (scope, referred_to): (Scope, Option<OrganisationId>),
    filter: &ConsultationFilter,
    page: &PageRequest,
) -> Result<Page<Consultation>, StoreError> {
    use employer_consultations as c;
    let mut query = c::table
        .filter(c::network_id.eq(network))
        .into_boxed::<MultiBackend>();
    // A caller of no organisation was referred nothing: a fresh id matches no referral.
    let referred_to = referred_to.unwrap_or_else(OrganisationId::new);
    let referred = consultation_referrals::table
        .filter(consultation_referrals::to_organisation_id.eq(referred_to))
        .select(consultation_referrals::consultation_id);
    query = match scope {
        Scope::Everything => query,
        Scope::Network(state) => query.filter(
            c::organisation_id
                .eq_any(
                    organisations::table
                        .filter(organisations::state.eq(state))
                        .select(organisations::id),
                )
                .or(c::id.eq_any(referred)),
        ),
        Scope::Organisation(org) => {
            query.filter(c::organisation_id.eq(org).or(c::id.eq_any(referred)))
        }
        Scope::Nothing => query.filter(c::id.eq_any(referred)),
    };
    if let Some(state) = filter.state {
        query = query.filter(c::state.eq(state));
    }
    if let Some(since) = filter.updated_since {
        query = query.filter(c::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    let rows = load_page!(conn, query, c::id, page, ConsultationRow, |r| r.id);
    let next_after = rows.next_after;
    Ok(Page {
        items: with_referrals(conn, rows.items)?,
        next_after,
    })
}

/// The consultations naming `seeker`, oldest first (for the seeker's journey).
pub fn of_seeker(
    conn: &mut DbConnection,
    seeker: SeekerId,
) -> Result<Vec<Consultation>, StoreError> {
    let rows: Vec<ConsultationRow> = employer_consultations::table
        .filter(employer_consultations::seeker_id.eq(seeker))
        .order(employer_consultations::id.asc())
        .select(ConsultationRow::as_select())
        .load(conn)?;
    with_referrals(conn, rows)
}

/// How many of a network's consultations received within `[from, until]` are in `state`.
pub fn count_of_network(
    conn: &mut DbConnection,
    network: SkilledWorkerNetworkId,
    state: ConsultationState,
    (from, until): (Option<NaiveDate>, Option<NaiveDate>),
) -> Result<i64, StoreError> {
    use employer_consultations as c;
    let mut query = c::table
        .filter(c::network_id.eq(network))
        .filter(c::state.eq(state))
        .into_boxed::<MultiBackend>();
    if let Some(from) = from {
        query = query.filter(c::received_on.ge(from));
    }
    if let Some(until) = until {
        query = query.filter(c::received_on.le(until));
    }
    Ok(query.count().get_result(conn)?)
}
