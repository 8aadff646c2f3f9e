//! The recorded steps of recognition procedures, and carrying stored procedures forward when the
//! deadline rules change.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_counselling::procedure::{Action, Procedure};
use iqnet_counselling::records::{ProcedureEvent, RecognitionProcedure};
use iqnet_shared::ids::{ProcedureId, SeekerId};

use super::procedures;
use crate::StoreError;
use crate::db::DbConnection;
use crate::error::stored;
use crate::schema::{procedure_events, recognition_procedures};

/// Appends one step to a procedure's history; `details` is the action as JSON.
pub fn record_event(
    conn: &mut DbConnection,
    procedure: ProcedureId,
    action: &str,
    happened_on: NaiveDate,
    details: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::insert_into(procedure_events::table)
        .values((
            procedure_events::id.eq(uuid::Uuid::now_v7().to_string()),
            procedure_events::procedure_id.eq(procedure),
            procedure_events::action.eq(action),
            procedure_events::happened_on.eq(happened_on),
            procedure_events::details.eq(details),
            procedure_events::recorded_at.eq(at.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// One step as stored: the action's name, its date, the action as JSON, when it was recorded.
/// Steps are read in `id` order, so ids must grow with `at` (UUIDv7 of it).
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub id: uuid::Uuid,
    pub procedure: ProcedureId,
    pub action: &'static str,
    pub happened_on: NaiveDate,
    pub details: String,
    pub at: DateTime<Utc>,
}

/// Appends many steps in multi-row statements (the data generator's path).
pub fn record_events(conn: &mut DbConnection, events: &[NewEvent]) -> Result<(), StoreError> {
    for chunk in events.chunks(crate::convert::BULK_ROWS) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|e| {
                (
                    procedure_events::id.eq(e.id.to_string()),
                    procedure_events::procedure_id.eq(e.procedure),
                    procedure_events::action.eq(e.action),
                    procedure_events::happened_on.eq(e.happened_on),
                    procedure_events::details.eq(&e.details),
                    procedure_events::recorded_at.eq(e.at.naive_utc()),
                )
            })
            .collect();
        crate::convert::insert_rows!(conn, procedure_events::table, rows);
    }
    Ok(())
}

type EventRow = (String, NaiveDate, String, NaiveDateTime);

/// Every step of a procedure, in the order recorded (which is the order they happened: a step
/// cannot be dated before the previous one).
fn events(conn: &mut DbConnection, procedure: ProcedureId) -> Result<Vec<EventRow>, StoreError> {
    Ok(procedure_events::table
        .filter(procedure_events::procedure_id.eq(procedure))
        .order(procedure_events::id.asc())
        .select((
            procedure_events::action,
            procedure_events::happened_on,
            procedure_events::details,
            procedure_events::recorded_at,
        ))
        .load(conn)?)
}

/// The history as shown: each step with its own decision, so that after an appeal both
/// decisions appear, each with its outcome.
pub fn history(
    conn: &mut DbConnection,
    procedure: ProcedureId,
) -> Result<Vec<ProcedureEvent>, StoreError> {
    events(conn, procedure)?.into_iter().map(shown).collect()
}

/// The histories of every procedure of `seeker` in one query (the journey shows them all).
pub fn histories_of_seeker(
    conn: &mut DbConnection,
    seeker: SeekerId,
) -> Result<HashMap<ProcedureId, Vec<ProcedureEvent>>, StoreError> {
    let of_seeker = recognition_procedures::table
        .filter(recognition_procedures::seeker_id.eq(seeker))
        .select(recognition_procedures::id);
    let rows: Vec<(ProcedureId, String, NaiveDate, String, NaiveDateTime)> =
        procedure_events::table
            .filter(procedure_events::procedure_id.eq_any(of_seeker))
            .order(procedure_events::id.asc())
            .select((
                procedure_events::procedure_id,
                procedure_events::action,
                procedure_events::happened_on,
                procedure_events::details,
                procedure_events::recorded_at,
            ))
            .load(conn)?;
    let mut histories: HashMap<ProcedureId, Vec<ProcedureEvent>> = HashMap::new();
    for (procedure, action, happened_on, details, at) in rows {
        let step = shown((action, happened_on, details, at))?;
        histories.entry(procedure).or_default().push(step);
    }
    Ok(histories)
}

/// One stored step as shown, with the decision it recorded, if any.
fn shown((action, happened_on, details, at): EventRow) -> Result<ProcedureEvent, StoreError> {
    let decision = match stored("details", serde_json::from_str::<Action>(&details))? {
        Action::Decide { decision, .. } => Some(decision),
        _ => None,
    };
    Ok(ProcedureEvent {
        action,
        happened_on,
        recorded_at: at.and_utc(),
        decision,
    })
}

/// Recomputes every procedure stored under older deadline rules from its recorded history, and
/// returns how many it changed (rules version
/// [`procedures::DEADLINE_RULES`]). Run after the migrations; it is idempotent (a row once carried
/// forward has the present rules), and any number of instances may run it, since each row is
/// updated against its version.
pub fn carry_forward(conn: &mut DbConnection, at: DateTime<Utc>) -> Result<usize, StoreError> {
    // Rows from before rules version 1 have no `progress` at all; a later version also finds
    // the rows whose `progress.rules` is lower (read in Rust: JSON is no portable SQL).
    let stale: Vec<ProcedureId> = recognition_procedures::table
        .filter(recognition_procedures::progress.is_null())
        .select(recognition_procedures::id)
        .load(conn)?;
    for id in &stale {
        let current = procedures::get(conn, *id)?;
        let steps = events(conn, *id)?
            .into_iter()
            .map(|(_, _, details, _)| stored("details", serde_json::from_str::<Action>(&details)))
            .collect::<Result<Vec<_>, _>>()?;
        let p = &current.procedure;
        let replayed = Procedure::replay(p.facts, p.seat.clone(), p.submitted_on, &steps);
        let next = RecognitionProcedure {
            procedure: replayed,
            stamp: current.stamp.next(at),
            ..current.clone()
        };
        procedures::update(conn, &next, current.stamp.version)?;
    }
    Ok(stale.len())
}
