//! Bridge-training measures, their target occupations (a join table, for the search) and their
//! seats: `take_seat` and `free_seat` are the only writers of `seats_taken`.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_qualification::measure::{Measure, MeasureFacts, Module};
use iqnet_qualification::vocabulary::{MeasureFormat, MeasureMode, MeasureState, MeasureType};
use iqnet_shared::codes::{KldbCode, LanguageLevel, StateCode};
use iqnet_shared::ids::{MeasureId, OrganisationId};

use crate::convert::{Json, expect_one_updated, load_page, stamp};
use crate::db::{DbConnection, MultiBackend};
use crate::schema::{measure_occupations, measures};
use crate::{Page, PageRequest, StoreError};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = measures, treat_none_as_null = true)]
struct MeasureRow {
    id: MeasureId,
    organisation_id: OrganisationId,
    title: String,
    kind: MeasureType,
    format: MeasureFormat,
    regulated: bool,
    mode: MeasureMode,
    hours: i32,
    weeks: i32,
    german_rank: i32,
    venue: Option<String>,
    venue_state: StateCode,
    capacity: i32,
    seats_taken: i32,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    azav_certified: bool,
    modules: Json<Vec<Module>>,
    state: MeasureState,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

/// The level's place in the scale (0 = no requirement), so that "requires at most what the
/// person has" is `german_rank <= rank`.
fn rank(level: Option<LanguageLevel>) -> i32 {
    let position = |l| LanguageLevel::ALL.iter().position(|x| *x == l).unwrap_or(0);
    level.map_or(0, |l| i32::try_from(position(l)).unwrap_or(0))
}

fn level_of(rank: i32) -> Result<Option<LanguageLevel>, StoreError> {
    match usize::try_from(rank) {
        Ok(0) => Ok(None),
        Ok(i) if i < LanguageLevel::ALL.len() => Ok(Some(LanguageLevel::ALL[i])),
        _ => Err(StoreError::Corrupt(format!("german_rank {rank}"))),
    }
}

impl From<&Measure> for MeasureRow {
    fn from(m: &Measure) -> Self {
        let f = &m.facts;
        MeasureRow {
            id: m.id,
            organisation_id: m.organisation_id,
            title: f.title.clone(),
            kind: f.kind,
            format: f.format,
            regulated: f.regulated,
            mode: f.mode,
            hours: f.hours,
            weeks: f.weeks,
            german_rank: rank(f.required_german_level),
            venue: f.venue.clone(),
            venue_state: f.venue_state,
            capacity: f.capacity,
            seats_taken: m.seats_taken,
            starts_on: f.starts_on,
            ends_on: f.ends_on,
            azav_certified: f.azav_certified,
            modules: Json(f.modules.clone()),
            state: m.state,
            created_at: m.stamp.created_at.naive_utc(),
            updated_at: m.stamp.updated_at.naive_utc(),
            version: m.stamp.version,
        }
    }
}

impl MeasureRow {
    fn into_measure(self, target_occupations: Vec<KldbCode>) -> Result<Measure, StoreError> {
        Ok(Measure {
            id: self.id,
            organisation_id: self.organisation_id,
            facts: MeasureFacts {
                title: self.title,
                kind: self.kind,
                format: self.format,
                target_occupations,
                regulated: self.regulated,
                mode: self.mode,
                hours: self.hours,
                weeks: self.weeks,
                required_german_level: level_of(self.german_rank)?,
                venue: self.venue,
                venue_state: self.venue_state,
                capacity: self.capacity,
                starts_on: self.starts_on,
                ends_on: self.ends_on,
                azav_certified: self.azav_certified,
                modules: self.modules.0,
            },
            state: self.state,
            seats_taken: self.seats_taken,
            stamp: stamp(self.created_at, self.updated_at, self.version),
        })
    }
}

/// The target occupations of `ids`, each list in code order.
fn occupations_of(
    conn: &mut DbConnection,
    ids: &[MeasureId],
) -> Result<Vec<(MeasureId, KldbCode)>, StoreError> {
    Ok(measure_occupations::table
        .filter(measure_occupations::measure_id.eq_any(ids))
        .order((
            measure_occupations::measure_id,
            measure_occupations::kldb_code,
        ))
        .select((
            measure_occupations::measure_id,
            measure_occupations::kldb_code,
        ))
        .load(conn)?)
}

fn with_occupations(
    conn: &mut DbConnection,
    rows: Vec<MeasureRow>,
) -> Result<Vec<Measure>, StoreError> {
    let ids: Vec<MeasureId> = rows.iter().map(|r| r.id).collect();
    let occupations = occupations_of(conn, &ids)?;
    rows.into_iter()
        .map(|row| {
            let codes = occupations
                .iter()
                .filter(|(m, _)| *m == row.id)
                .map(|(_, c)| c.clone())
                .collect();
            row.into_measure(codes)
        })
        .collect()
}

pub fn get(conn: &mut DbConnection, id: MeasureId) -> Result<Measure, StoreError> {
    let row = measures::table
        .find(id)
        .select(MeasureRow::as_select())
        .first(conn)?;
    with_occupations(conn, vec![row])?
        .pop()
        .ok_or(StoreError::NotFound)
}

fn insert_occupations(conn: &mut DbConnection, m: &Measure) -> Result<(), StoreError> {
    for code in &m.facts.target_occupations {
        diesel::insert_into(measure_occupations::table)
            .values((
                measure_occupations::measure_id.eq(m.id),
                measure_occupations::kldb_code.eq(code),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert(conn: &mut DbConnection, m: &Measure) -> Result<(), StoreError> {
    diesel::insert_into(measures::table)
        .values(MeasureRow::from(m))
        .execute(conn)?;
    insert_occupations(conn, m)
}

/// `measures` with their target occupations in multi-row statements: the data generator's path.
pub fn insert_many(conn: &mut DbConnection, all: &[Measure]) -> Result<(), StoreError> {
    for chunk in all.chunks(crate::convert::BULK_ROWS) {
        let rows: Vec<MeasureRow> = chunk.iter().map(MeasureRow::from).collect();
        crate::convert::insert_rows!(conn, measures::table, rows);
        let targets: Vec<_> = chunk
            .iter()
            .flat_map(|m| {
                m.facts.target_occupations.iter().map(|code| {
                    (
                        measure_occupations::measure_id.eq(m.id),
                        measure_occupations::kldb_code.eq(code.clone()),
                    )
                })
            })
            .collect();
        crate::convert::insert_rows!(conn, measure_occupations::table, targets);
    }
    Ok(())
}

/// Sets every measure's `seats_taken` to the enrolments that took a seat (everyone admitted,
/// and those who left after the start, whose seat nobody could take any more): for the data
/// generator, which writes enrolments without taking seats one by one. Not for a serving
/// database, where `take_seat` and `free_seat` keep the count.
pub fn recount_seats(conn: &mut DbConnection) -> Result<usize, StoreError> {
    Ok(diesel::sql_query(
        "UPDATE measures SET seats_taken = (SELECT COUNT(*) FROM enrolments \
         WHERE enrolments.measure_id = measures.id \
         AND (enrolments.state IN ('admitted', 'active', 'completed_success', \
         'completed_without_success') \
         OR (enrolments.state = 'dropped_out' AND enrolments.ended_on >= measures.starts_on)))",
    )
    .execute(conn)?)
}

/// Writes `m` (its stamp already the next one) if `expected_version` is still current. A seat
/// taken or freed meanwhile moved the version on, so a stale `seats_taken` is never written.
pub fn update(
    conn: &mut DbConnection,
    m: &Measure,
    expected_version: i64,
) -> Result<(), StoreError> {
    let target = measures::table
        .filter(measures::id.eq(m.id))
        .filter(measures::version.eq(expected_version));
    let updated = diesel::update(target)
        .set(MeasureRow::from(m))
        .execute(conn)?;
    expect_one_updated(updated, expected_version)?;
    diesel::delete(measure_occupations::table.filter(measure_occupations::measure_id.eq(m.id)))
        .execute(conn)?;
    insert_occupations(conn, m)
}

/// Takes a seat if one is free: the check and the increment are one statement, so concurrent
/// transactions (on any instance) cannot both take the last seat. `false`: the measure is full.
pub fn take_seat(
    conn: &mut DbConnection,
    id: MeasureId,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let target = measures::table
        .filter(measures::id.eq(id))
        .filter(measures::seats_taken.lt(measures::capacity));
    let updated = diesel::update(target)
        .set((
            measures::seats_taken.eq(measures::seats_taken + 1),
            measures::version.eq(measures::version + 1),
            measures::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Locks the measure's row until the transaction ends (a no-op write), so that a seat freed
/// concurrently waits for a waitlisted enrolment about to be committed, and then promotes it.
pub fn lock(conn: &mut DbConnection, id: MeasureId) -> Result<(), StoreError> {
    diesel::update(measures::table.filter(measures::id.eq(id)))
        .set(measures::version.eq(measures::version))
        .execute(conn)?;
    Ok(())
}

/// Gives a seat back (a withdrawal before the start).
pub fn free_seat(
    conn: &mut DbConnection,
    id: MeasureId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let target = measures::table
        .filter(measures::id.eq(id))
        .filter(measures::seats_taken.gt(0));
    diesel::update(target)
        .set((
            measures::seats_taken.eq(measures::seats_taken - 1),
            measures::version.eq(measures::version + 1),
            measures::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The search: filters combine; `state` is always given (the public search asks for `open`).
#[derive(Debug, Clone)]
pub struct MeasureFilter {
    pub state: MeasureState,
    pub occupation: Option<KldbCode>,
    pub venue_state: Option<StateCode>,
    pub kind: Option<MeasureType>,
    pub mode: Option<MeasureMode>,
    pub starts_from: Option<NaiveDate>,
    pub starts_until: Option<NaiveDate>,
    /// The highest German level the person has: measures requiring at most that.
    pub german_level: Option<LanguageLevel>,
    pub organisation_id: Option<OrganisationId>,
    pub updated_since: Option<DateTime<Utc>>,
}

pub fn search(
    conn: &mut DbConnection,
    filter: &MeasureFilter,
    page: &PageRequest,
) -> Result<Page<Measure>, StoreError> {
    let mut query = measures::table
        .filter(measures::state.eq(filter.state))
        .into_boxed::<MultiBackend>();
    if let Some(code) = &filter.occupation {
        query = query.filter(
            measures::id.eq_any(
                measure_occupations::table
                    .filter(measure_occupations::kldb_code.eq(code.clone()))
                    .select(measure_occupations::measure_id),
            ),
        );
    }
    if let Some(state) = filter.venue_state {
        query = query.filter(measures::venue_state.eq(state));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(measures::kind.eq(kind));
    }
    if let Some(mode) = filter.mode {
        query = query.filter(measures::mode.eq(mode));
    }
    if let Some(from) = filter.starts_from {
        query = query.filter(measures::starts_on.ge(from));
    }
    if let Some(until) = filter.starts_until {
        query = query.filter(measures::starts_on.le(until));
    }
    if let Some(level) = filter.german_level {
        query = query.filter(measures::german_rank.le(rank(Some(level))));
    }
    if let Some(org) = filter.organisation_id {
        query = query.filter(measures::organisation_id.eq(org));
    }
    if let Some(since) = filter.updated_since {
        query = query.filter(measures::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    let rows = load_page!(conn, query, measures::id, page, MeasureRow, |r| r.id);
    let next_after = rows.next_after;
    Ok(Page {
        items: with_occupations(conn, rows.items)?,
        next_after,
    })
}
