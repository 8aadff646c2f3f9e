//! Enrolments, and the two places where seats change hands: an application (a seat if one is
//! free, else the waiting list) and a freed seat (to the first on the waiting list), each
//! decided by the database inside the caller's transaction.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_qualification::enrolment::Enrolment;
use iqnet_qualification::vocabulary::{EmploymentAfter, EnrolmentResult, EnrolmentState, Funding};
use iqnet_shared::ids::{
    EnrolmentId, MeasureId, OrganisationId, ProcedureId, ReferralId, SeekerId,
};
use iqnet_shared::structure::Scope;

use super::measures;
use crate::convert::{load_page, of_seeker, record_store, scoped, stamp};
use crate::db::{DbConnection, MultiBackend};
use crate::schema::enrolments;
use crate::{Page, PageRequest, StoreError};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = enrolments, treat_none_as_null = true)]
struct EnrolmentRow {
    id: EnrolmentId,
    measure_id: MeasureId,
    seeker_id: SeekerId,
    organisation_id: OrganisationId,
    referral_id: Option<ReferralId>,
    procedure_id: Option<ProcedureId>,
    state: EnrolmentState,
    funding: Option<Funding>,
    result: Option<EnrolmentResult>,
    ended_on: Option<NaiveDate>,
    employment_after: Option<EmploymentAfter>,
    employment_recorded_on: Option<NaiveDate>,
    follow_up_procedure_id: Option<ProcedureId>,
    exit_recorded_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl From<&Enrolment> for EnrolmentRow {
    fn from(e: &Enrolment) -> Self {
        EnrolmentRow {
            id: e.id,
            measure_id: e.measure_id,
            seeker_id: e.seeker_id,
            organisation_id: e.organisation_id,
            referral_id: e.referral_id,
            procedure_id: e.procedure_id,
            state: e.state,
            funding: e.funding,
            result: e.result,
            ended_on: e.ended_on,
            employment_after: e.employment_after.map(|(a, _)| a),
            employment_recorded_on: e.employment_after.map(|(_, on)| on),
            follow_up_procedure_id: e.follow_up_procedure_id,
            exit_recorded_at: e.exit_recorded_at.map(|at| at.naive_utc()),
            created_at: e.stamp.created_at.naive_utc(),
            updated_at: e.stamp.updated_at.naive_utc(),
            version: e.stamp.version,
        }
    }
}

impl TryFrom<EnrolmentRow> for Enrolment {
    type Error = StoreError;
    fn try_from(r: EnrolmentRow) -> Result<Self, StoreError> {
        Ok(Enrolment {
            id: r.id,
            measure_id: r.measure_id,
            seeker_id: r.seeker_id,
            organisation_id: r.organisation_id,
            referral_id: r.referral_id,
            procedure_id: r.procedure_id,
            state: r.state,
            funding: r.funding,
            result: r.result,
            ended_on: r.ended_on,
            // Recorded together.
            employment_after: r.employment_after.zip(r.employment_recorded_on),
            follow_up_procedure_id: r.follow_up_procedure_id,
            exit_recorded_at: r.exit_recorded_at.map(|at| at.and_utc()),
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

record_store!(
    enrolments,
    EnrolmentRow,
    Enrolment,
    EnrolmentId,
    get = get,
    insert = insert,
    update = update
);

of_seeker!(of_seeker, enrolments, EnrolmentRow, Enrolment);

/// Records an application: admitted if the measure still has a seat, else waitlisted. Never
/// read-then-write: the seat is taken by one conditional UPDATE in this transaction.
pub fn enrol(
    conn: &mut DbConnection,
    applied: Enrolment,
    now: DateTime<Utc>,
) -> Result<Enrolment, StoreError> {
    let granted = measures::take_seat(conn, applied.measure_id, now)?;
    if !granted {
        measures::lock(conn, applied.measure_id)?;
    }
    let decided = applied.decided(granted);
    insert(conn, &decided)?;
    Ok(decided)
}

/// Gives a seat of `measure` back and, in the same transaction, admits the first on its waiting
/// list (returned, to be audited). The freeing UPDATE locks the measure's row, so concurrent
/// releases promote one person each, in waiting-list order.
pub fn release_seat(
    conn: &mut DbConnection,
    measure: MeasureId,
    now: DateTime<Utc>,
) -> Result<Vec<Enrolment>, StoreError> {
    measures::free_seat(conn, measure, now)?;
    fill_free_seats(conn, measure, now)
}

/// Admits waitlisted enrolments, first come first, while `measure` has free seats (after a seat
/// was freed, or the capacity raised); returns them, to be audited. Each seat is taken by the
/// same conditional UPDATE as an application's.
pub fn fill_free_seats(
    conn: &mut DbConnection,
    measure: MeasureId,
    now: DateTime<Utc>,
) -> Result<Vec<Enrolment>, StoreError> {
    let mut promoted = Vec::new();
    while let Some(first) = first_waitlisted(conn, measure)? {
        if !measures::take_seat(conn, measure, now)? {
            break;
        }
        let next = first.promoted(now);
        update(conn, &next, first.stamp.version)?;
        promoted.push(next);
    }
    Ok(promoted)
}

fn first_waitlisted(
    conn: &mut DbConnection,
    measure: MeasureId,
) -> Result<Option<Enrolment>, StoreError> {
    enrolments::table
        .filter(enrolments::measure_id.eq(measure))
        .filter(enrolments::state.eq(EnrolmentState::Waitlisted))
        .order(enrolments::id.asc())
        .select(EnrolmentRow::as_select())
        .first(conn)
        .optional()?
        .map(Enrolment::try_from)
        .transpose()
}

/// 1 for the first on the waiting list; `None` when not waitlisted.
pub fn waitlist_position(
    conn: &mut DbConnection,
    e: &Enrolment,
) -> Result<Option<i64>, StoreError> {
    if e.state != EnrolmentState::Waitlisted {
        return Ok(None);
    }
    let ahead: i64 = enrolments::table
        .filter(enrolments::measure_id.eq(e.measure_id))
        .filter(enrolments::state.eq(EnrolmentState::Waitlisted))
        .filter(enrolments::id.lt(e.id))
        .count()
        .get_result(conn)?;
    Ok(Some(ahead + 1))
}

#[derive(Debug, Default, Clone)]
pub struct EnrolmentFilter {
    pub state: Option<EnrolmentState>,
    pub updated_since: Option<DateTime<Utc>>,
}

/// A measure's enrolments in the caller's scope, in arrival (and so waiting-list) order.
pub fn of_measure(
    conn: &mut DbConnection,
    scope: Scope,
    measure: MeasureId,
    filter: &EnrolmentFilter,
    page: &PageRequest,
) -> Result<Page<Enrolment>, StoreError> {
    let query = enrolments::table
        .filter(enrolments::measure_id.eq(measure))
        .into_boxed::<MultiBackend>();
    let Some(mut query) = scoped!(query, enrolments::organisation_id, scope) else {
        return Ok(Page::empty());
    };
    if let Some(state) = filter.state {
        query = query.filter(enrolments::state.eq(state));
    }
    if let Some(since) = filter.updated_since {
        query = query.filter(enrolments::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    load_page!(conn, query, enrolments::id, page, EnrolmentRow, |r| r.id)
        .try_map(Enrolment::try_from)
}
