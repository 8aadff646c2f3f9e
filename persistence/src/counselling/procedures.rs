//! Recognition procedures and the history of their steps.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_counselling::procedure::{
    DecisionDetails, Funding, Measure, Procedure, ProcedureFacts, ProcedureKind, ProcedureState,
    TemporaryPermit,
};
use iqnet_counselling::records::RecognitionProcedure;
use iqnet_shared::authority::Seat;
use iqnet_shared::ids::{CaseId, OrganisationId, ProcedureId, QualificationId, SeekerId};
use iqnet_shared::structure::Scope;
use serde::{Deserialize, Serialize};

use crate::convert::{Json, load_page, of_seeker, record_store, scoped, stamp};
use crate::db::{DbConnection, MultiBackend};
use crate::error::stored;
use crate::schema::recognition_procedures;
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
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
    decision_due_on: Option<NaiveDate>,
    kind: ProcedureKind,
    authority_id: Option<String>,
    follows_procedure_id: Option<ProcedureId>,
    // Stored, not only derived, so that the overdue filter is a plain comparison in SQL.
    receipt_effective_on: Option<NaiveDate>,
    decision_effective_on: Option<NaiveDate>,
    /// `None` for a row stored before the present deadline rules: see
    /// [`crate::counselling::procedure_history::carry_forward`].
    progress: Option<Json<Progress>>,
}

/// What a procedure holds beyond its columns, stored as one JSON text.
#[derive(Debug, Serialize, Deserialize)]
struct Progress {
    /// The version of the deadline rules its dates were computed under.
    rules: i32,
    recognised_in_eu_eea_ch: bool,
    seat: Seat,
    warning_deadline: Option<NaiveDate>,
    measures: Vec<Measure>,
    permits: Vec<TemporaryPermit>,
    funding: Option<Funding>,
}

/// The version of the deadline rules the stored due dates follow. Rows stored before it are
/// recomputed from their history after the migrations; a rule that changes how a due date is
/// computed raises it (and carries the rows whose `progress.rules` is lower forward the same way).
pub const DEADLINE_RULES: i32 = 1;

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
            created_at: r.stamp.created_at.naive_utc(),
            updated_at: r.stamp.updated_at.naive_utc(),
            version: r.stamp.version,
            decision_due_on: p.decision_due_on(),
            kind: p.facts.kind,
            authority_id: r.authority_id.clone(),
            follows_procedure_id: r.follows_procedure_id,
            receipt_effective_on: p.receipt_due_effective_on(),
            decision_effective_on: p.decision_due_effective_on(),
            progress: Some(Json(Progress {
                rules: DEADLINE_RULES,
                recognised_in_eu_eea_ch: p.facts.recognised_in_eu_eea_ch,
                seat: p.seat.clone(),
                warning_deadline: p.warning_deadline,
                measures: p.measures.clone(),
                permits: p.permits.clone(),
                funding: p.funding.clone(),
            })),
        }
    }
}

impl TryFrom<ProcedureRow> for RecognitionProcedure {
    type Error = StoreError;
    fn try_from(r: ProcedureRow) -> Result<Self, StoreError> {
        // A row from before the present rules: its history rebuilds the rest (carry_forward).
        let progress = r.progress.map(|p| p.0).unwrap_or(Progress {
            rules: 0,
            recognised_in_eu_eea_ch: false,
            seat: Seat::unknown(),
            warning_deadline: None,
            measures: Vec::new(),
            permits: Vec::new(),
            funding: None,
        });
        let procedure = Procedure {
            facts: ProcedureFacts {
                kind: r.kind,
                regulated: r.regulated,
                eu_eea_ch: r.eu_eea_ch,
                recognised_in_eu_eea_ch: progress.recognised_in_eu_eea_ch,
                accelerated: r.accelerated,
            },
            seat: progress.seat,
            state: r.state,
            submitted_on: r.submitted_on,
            receipt_confirmed_on: r.receipt_confirmed_on,
            documents_complete_on: r.documents_complete_on,
            decision_period_ends_on: r.decision_due_on,
            suspended_since: r.suspended_since,
            suspended_days: stored("suspended_days", u32::try_from(r.suspended_days))?,
            extension_months: stored("extension_months", u8::try_from(r.extension_months))?,
            warned_on: r.warned_on,
            warning_deadline: progress.warning_deadline,
            decision: r.decision.map(|d| d.0),
            decided_on: r.decided_on,
            appealed_on: r.appealed_on,
            closed_on: r.closed_on,
            last_action_on: r.last_action_on,
            measures: progress.measures,
            permits: progress.permits,
            funding: progress.funding,
        };
        Ok(RecognitionProcedure {
            id: r.id,
            qualification_id: r.qualification_id,
            seeker_id: r.seeker_id,
            case_id: r.case_id,
            organisation_id: r.organisation_id,
            authority_id: r.authority_id,
            authority_name: r.authority_name,
            follows_procedure_id: r.follows_procedure_id,
            procedure,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

#[derive(Debug, Default, Clone)]
pub struct ProcedureFilter {
    pub seeker_id: Option<SeekerId>,
    pub state: Option<ProcedureState>,
    pub kind: Option<ProcedureKind>,
    /// Only the procedures of this competent authority (statistics by authority).
    pub authority_id: Option<String>,
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
    if let Some(kind) = filter.kind {
        query = query.filter(p::kind.eq(kind));
    }
    if let Some(authority) = &filter.authority_id {
        query = query.filter(p::authority_id.eq(authority.clone()));
    }
    if let Some((wanted, today)) = filter.overdue {
        // Mirrors Procedure::is_overdue: the receipt is late while submitted, the decision while
        // the clock runs (documents complete: no suspension is open in that state), each by its
        // effective end. A procedure without deadlines (ZAB) has NULL due dates: the IS NOT NULL
        // keeps `late` FALSE rather than NULL there, so that `not(late)` lists it.
        let late = p::state
            .eq(ProcedureState::Submitted)
            .and(p::receipt_effective_on.is_not_null())
            .and(p::receipt_effective_on.lt(today))
            .or(p::state
                .eq(ProcedureState::DocumentsComplete)
                .and(p::decision_effective_on.is_not_null())
                .and(p::decision_effective_on.lt(today)));
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
