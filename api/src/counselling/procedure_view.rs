//! How a recognition procedure reads and is filed over HTTP: its view with the statutory and
//! the effective due dates, and the body that files one.

use chrono::NaiveDate;
use iqnet_counselling::procedure::{
    DecisionDetails, Funding, Measure, ProcedureActionKind, ProcedureKind, ProcedureState,
    TemporaryPermit,
};
use iqnet_counselling::records::{ProcedureEvent, RecognitionProcedure};
use iqnet_shared::authority::Seat;
use iqnet_shared::codes::StateCode;
use iqnet_shared::ids::{CaseId, OrganisationId, ProcedureId, QualificationId, SeekerId};
use iqnet_shared::records::Stamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A recognition procedure with its deadlines as the law sets them.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecognitionProcedureView {
    pub id: ProcedureId,
    /// `recognition` (BQFG, with deadlines) or `zab_evaluation` (a ZAB statement, without).
    pub kind: ProcedureKind,
    pub qualification_id: QualificationId,
    pub seeker_id: SeekerId,
    pub case_id: Option<CaseId>,
    pub organisation_id: OrganisationId,
    /// The competent authority (reference data), when known.
    #[schema(example = "be-lageso")]
    pub authority_id: Option<String>,
    #[schema(example = "Landesamt für Gesundheit und Soziales Berlin")]
    pub authority_name: Option<String>,
    /// The authority's seat: its state and local holidays end the periods.
    pub seat: Seat,
    /// The earlier procedure this one follows up.
    pub follows_procedure_id: Option<ProcedureId>,
    /// The reference occupation is regulated (decides which decisions are possible).
    pub regulated: bool,
    /// The qualification is from the EU, EEA or Switzerland (limits the extension to one month).
    pub eu_eea_ch: bool,
    /// A third-country qualification already recognised in an EU/EEA/CH state (same limit).
    pub recognised_in_eu_eea_ch: bool,
    /// The employer-driven accelerated procedure (§ 81a AufenthG): 2 weeks / 2 months.
    pub accelerated: bool,
    pub state: ProcedureState,
    pub submitted_on: NaiveDate,
    pub receipt_confirmed_on: Option<NaiveDate>,
    /// When the documents were complete: the decision clock started here.
    pub documents_complete_on: Option<NaiveDate>,
    /// Since when the clock is suspended (documents requested, qualification analysis).
    pub suspended_since: Option<NaiveDate>,
    /// Days of finished suspensions (both end days included), added to the decision deadline.
    pub suspended_days: u32,
    /// Months of the (single) extension; 0 when not extended.
    pub extension_months: u8,
    pub warned_on: Option<NaiveDate>,
    /// The deadline the § 15 warning set for the applicant.
    pub warning_deadline: Option<NaiveDate>,
    /// The latest decision; each decision is in `history` with its own outcome.
    pub decision: Option<DecisionDetails>,
    pub decided_on: Option<NaiveDate>,
    pub appealed_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    /// The statutory receipt deadline (1 month; 2 weeks accelerated); `null` for a ZAB statement.
    pub receipt_due_on: Option<NaiveDate>,
    /// The receipt deadline moved off a weekend or holiday at the seat (§ 31(3) VwVfG).
    pub receipt_due_effective_on: Option<NaiveDate>,
    /// The statutory decision deadline as it stands: 3 months from complete documents
    /// (2 accelerated), moved by suspensions and the extension in the order they happened.
    /// `null` until the documents are complete, and for a ZAB statement.
    pub decision_due_on: Option<NaiveDate>,
    /// The decision deadline moved off a weekend or holiday at the seat (§ 31(3) VwVfG).
    pub decision_due_effective_on: Option<NaiveDate>,
    pub clock_suspended: bool,
    /// The authority is late today, by the effective deadlines.
    pub overdue: bool,
    /// The actions that can be recorded today (`POST .../actions`); any other is refused.
    pub allowed_actions: Vec<ProcedureActionKind>,
    /// The measures the latest decision requires, with status and result.
    pub measures: Vec<Measure>,
    /// Temporary permits linked to the procedure.
    pub permits: Vec<TemporaryPermit>,
    pub funding: Option<Funding>,
    /// Every recorded step, oldest first.
    pub history: Vec<ProcedureEvent>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

pub fn view(r: RecognitionProcedure, history: Vec<ProcedureEvent>) -> RecognitionProcedureView {
    let p = &r.procedure;
    let today = iqnet_shared::time::today_in_germany();
    RecognitionProcedureView {
        id: r.id,
        kind: p.facts.kind,
        qualification_id: r.qualification_id,
        seeker_id: r.seeker_id,
        case_id: r.case_id,
        organisation_id: r.organisation_id,
        authority_id: r.authority_id.clone(),
        authority_name: r.authority_name.clone(),
        seat: p.seat.clone(),
        follows_procedure_id: r.follows_procedure_id,
        regulated: p.facts.regulated,
        eu_eea_ch: p.facts.eu_eea_ch,
        recognised_in_eu_eea_ch: p.facts.recognised_in_eu_eea_ch,
        accelerated: p.facts.accelerated,
        state: p.state,
        submitted_on: p.submitted_on,
        receipt_confirmed_on: p.receipt_confirmed_on,
        documents_complete_on: p.documents_complete_on,
        suspended_since: p.suspended_since,
        suspended_days: p.suspended_days,
        extension_months: p.extension_months,
        warned_on: p.warned_on,
        warning_deadline: p.warning_deadline,
        decision: p.decision.clone(),
        decided_on: p.decided_on,
        appealed_on: p.appealed_on,
        closed_on: p.closed_on,
        receipt_due_on: p.receipt_due_on(),
        receipt_due_effective_on: p.receipt_due_effective_on(),
        decision_due_on: p.decision_due_on(),
        decision_due_effective_on: p.decision_due_effective_on(),
        clock_suspended: p.clock_suspended(),
        overdue: p.is_overdue(today),
        allowed_actions: p.allowed_actions(today),
        measures: p.measures.clone(),
        permits: p.permits.clone(),
        funding: p.funding.clone(),
        history,
        stamp: r.stamp,
    }
}

/// A recognition procedure filed with a competent authority.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProcedure {
    pub qualification_id: QualificationId,
    /// The counselling case it came from.
    pub case_id: Option<CaseId>,
    pub submitted_on: NaiveDate,
    /// `recognition` (default) or `zab_evaluation`.
    #[serde(default)]
    pub kind: Option<ProcedureKind>,
    /// The employer-driven accelerated procedure (§ 81a AufenthG).
    #[serde(default)]
    pub accelerated: bool,
    /// The competent authority, from `/v1/reference/competent-authorities`.
    #[schema(example = "be-lageso")]
    pub authority_id: Option<String>,
    /// Fallback when the authority is not in the reference data: its name as free text.
    #[schema(example = "Landesamt für Gesundheit und Soziales Berlin")]
    pub authority_name: Option<String>,
    /// Fallback with `authority_name`: the authority's state, so its holidays count.
    pub authority_state: Option<StateCode>,
    /// The earlier, decided procedure of the same seeker this one follows up.
    pub follows_procedure_id: Option<ProcedureId>,
}
