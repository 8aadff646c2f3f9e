//! Recognition procedures and the history of their steps.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_counselling::procedure::{DecisionDetails, Procedure, ProcedureFacts, ProcedureState};
use iqnet_counselling::records::{ProcedureEvent, RecognitionProcedure};
use iqnet_shared::ids::{CaseId, OrganisationId, ProcedureId, QualificationId, SeekerId};
use iqnet_shared::structure::Scope;

use crate::convert::{Json, load_page, of_seeker, record_store, scoped, stamp};
use crate::db::{DbConnection, MultiBackend};
use crate::error::stored;
use crate::schema::{procedure_events, recognition_procedures};
use crate::{Page, PageRequest, StoreError};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = recognition_procedures, treat_none_as_null = true)]
struct ProcedureRow {
    id: ProcedureId,
    qualification_id: QualificationId,
    seeker_id: SeekerId,
    case_id: Option<CaseId>,
    organisation_id: OrganisationId,
    authority_name: Option<String>,
    regulated: bool,
    eu_eea_ch: bool,
    accelerated: bool,
    state: ProcedureState,
    submitted_on: NaiveDate,
    receipt_confirmed_on: Option<NaiveDate>,
    documents_complete_on: Option<NaiveDate>,
    suspended_since: Option<NaiveDate>,
    suspended_days: i32,
    extension_months: i32,
    warned_on: Option<NaiveDate>,
    decision: Option<Json<DecisionDetails>>,
    decided_on: Option<NaiveDate>,
    appealed_on: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
    last_action_on: NaiveDate,
    receipt_due_on: NaiveDate,
    decision_due_on: Option<NaiveDate>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl From<&RecognitionProcedure> for ProcedureRow {
    fn from(r: &RecognitionProcedure) -> Self {
        let p = &r.procedure;
        ProcedureRow {
            id: r.id,
            qualification_id: r.qualification_id,
            seeker_id: r.seeker_id,
            case_id: r.case_id,
            organisation_id: r.organisation_id,
            authority_name: r.authority_name.clone(),
            regulated: p.facts.regulated,
            eu_eea_ch: p.facts.eu_eea_ch,
            accelerated: p.facts.accelerated,
            state: p.state,
            submitted_on: p.submitted_on,
            receipt_confirmed_on: p.receipt_confirmed_on,
            documents_complete_on: p.documents_complete_on,
            suspended_since: p.suspended_since,
            suspended_days: i32::try_from(p.suspended_days).unwrap_or(i32::MAX),
            extension_months: i32::from(p.extension_months),
            warned_on: p.warned_on,
            decision: p.decision.clone().map(Json),
            decided_on: p.decided_on,
            appealed_on: p.appealed_on,
            closed_on: p.closed_on,
            last_action_on: p.last_action_on,
            // Stored, not only derived, so that the overdue filter is a plain comparison in SQL.
            receipt_due_on: p.receipt_due_on(),
            decision_due_on: p.decision_due_on(),
            created_at: r.stamp.created_at.naive_utc(),
            updated_at: r.stamp.updated_at.naive_utc(),
            version: r.stamp.version,
        }
    }
}

impl TryFrom<ProcedureRow> for RecognitionProcedure {
    type Error = StoreError;
    fn try_from(r: ProcedureRow) -> Result<Self, StoreError> {
        let procedure = Procedure {
            facts: ProcedureFacts {
                regulated: r.regulated,
                eu_eea_ch: r.eu_eea_ch,
                accelerated: r.accelerated,
            },
            state: r.state,
            submitted_on: r.submitted_on,
            receipt_confirmed_on: r.receipt_confirmed_on,
            documents_complete_on: r.documents_complete_on,
            suspended_since: r.suspended_since,
            suspended_days: stored("suspended_days", u32::try_from(r.suspended_days))?,
            extension_months: stored("extension_months", u8::try_from(r.extension_months))?,
            warned_on: r.warned_on,
            decision: r.decision.map(|d| d.0),
            decided_on: r.decided_on,
            appealed_on: r.appealed_on,
            closed_on: r.closed_on,
            last_action_on: r.last_action_on,
        };
        Ok(RecognitionProcedure {
            id: r.id,
            qualification_id: r.qualification_id,
            seeker_id: r.seeker_id,
            case_id: r.case_id,
            organisation_id: r.organisation_id,
            authority_name: r.authority_name,
            procedure,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

#[derive(Debug, Default, Clone)]
pub struct ProcedureFilter {
    pub seeker_id: Option<SeekerId>,
    pub state: Option<ProcedureState>,
    /// `(true, day)`: only procedures whose authority is late on `day` (receipt or decision);
    /// `(false, day)`: only those that are not.
    pub overdue: Option<(bool, NaiveDate)>,
    pub updated_since: Option<DateTime<Utc>>,
}

pub fn list(
    conn: &mut DbConnection,
    scope: Scope,
    filter: &ProcedureFilter,
    page: &PageRequest,
) -> Result<Page<RecognitionProcedure>, StoreError> {
    use recognition_procedures as p;
    let query = p::table.into_boxed::<MultiBackend>();
    let Some(mut query) = scoped!(query, p::organisation_id, scope) else {
        return Ok(Page::empty());
    };
    if let Some(seeker) = filter.seeker_id {
        query = query.filter(p::seeker_id.eq(seeker));
    }
    if let Some(state) = filter.state {
        query = query.filter(p::state.eq(state));
    }
    if let Some((wanted, today)) = filter.overdue {
        // Mirrors Procedure::is_overdue: the receipt is late while submitted, the decision while
        // the clock runs (documents complete: no suspension is open in that state). Never NULL:
        // both due dates are set in the states that compare them.
        let late = p::state
            .eq(ProcedureState::Submitted)
            .and(p::receipt_due_on.lt(today))
            .or(p::state
                .eq(ProcedureState::DocumentsComplete)
                .and(p::decision_due_on.lt(today)));
        query = if wanted {
            query.filter(late)
        } else {
            query.filter(diesel::dsl::not(late))
        };
    }
    if let Some(since) = filter.updated_since {
        query = query.filter(p::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    load_page!(conn, query, p::id, page, ProcedureRow, |r| r.id)
        .try_map(RecognitionProcedure::try_from)
}

record_store!(
    recognition_procedures,
    ProcedureRow,
    RecognitionProcedure,
    ProcedureId,
    get = get,
    insert = insert,
    update = update
);

of_seeker!(
    of_seeker,
    recognition_procedures,
    ProcedureRow,
    RecognitionProcedure
);

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

pub fn history(
    conn: &mut DbConnection,
    procedure: ProcedureId,
) -> Result<Vec<ProcedureEvent>, StoreError> {
    let rows: Vec<(String, NaiveDate, NaiveDateTime)> = procedure_events::table
        .filter(procedure_events::procedure_id.eq(procedure))
        .order(procedure_events::id.asc())
        .select((
            procedure_events::action,
            procedure_events::happened_on,
            procedure_events::recorded_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(action, happened_on, at)| ProcedureEvent {
            action,
            happened_on,
            recorded_at: at.and_utc(),
        })
        .collect())
}
