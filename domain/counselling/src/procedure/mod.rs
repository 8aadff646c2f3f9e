//! The recognition procedure (Anerkennungsverfahren) under the BQFG, as a pure state machine.
//!
//! Counsellors in the IQ network do not decide anything: they record what the competent authority
//! did, so that they can tell an advice seeker what comes next and when the authority is late.
//! Each recorded [`Action`] is checked against the procedure's state and the law, and
//! [`Procedure::apply`] returns the next procedure or a [`DomainError`] saying what was wrong.
//!
//! The deadlines follow the BQFG (see `clock.rs` for the arithmetic, `rules.rs` for what may be
//! recorded when, `transition.rs` for what each step changes):
//! - the authority confirms receipt within one month of the application (two weeks in the
//!   accelerated skilled-worker procedure, § 81a Residence Act, § 14a BQFG);
//! - it decides within three months (two accelerated) of the day the documents were complete
//!   (§ 6(3), § 13(3) BQFG), on receipt when they were complete on arrival;
//! - it may extend the decision period once, before it ends, by at most one month for
//!   qualifications from (or recognised in) the EU, the EEA or Switzerland;
//! - while it waits for documents it requested later, or for an expert analysis, the decision
//!   clock is suspended, both end days included (§ 209 BGB by analogy);
//! - every period that ends on a weekend or a public holiday at the authority's seat ends on the
//!   next working day (§ 31(3) VwVfG, § 193 BGB): the statutory and the effective end are kept.
//!
//! A ZAB statement of comparability is a procedure of its own kind, without BQFG deadlines.

use chrono::NaiveDate;
use iqnet_shared::authority::Seat;
use iqnet_shared::error::Violations;
use iqnet_shared::{DomainError, closed_enum};

mod action;
mod clock;
pub mod filing;
pub mod measures;
mod rules;
mod transition;

pub use action::{Action, CompensationMeasure, Decision, DecisionDetails, ProcedureActionKind};
pub use measures::{Funding, Measure, TemporaryPermit};

closed_enum! {
    /// What a procedure decides.
    pub enum ProcedureKind {
        /// Recognition of equivalence under the BQFG or a professional law, with its deadlines.
        Recognition = "recognition",
        /// A statement of comparability of a foreign higher-education degree by the ZAB (for
        /// degrees not leading to a regulated profession): no statutory deadlines, no extension,
        /// no BQFG non-cooperation rules, and no appeal (it is an expert statement, not a
        /// decision on a right).
        ZabEvaluation = "zab_evaluation",
    }
}

closed_enum! {
    /// Where a recognition procedure stands.
    pub enum ProcedureState {
        /// The application was filed; the authority must confirm receipt.
        Submitted = "submitted",
        /// Receipt confirmed; the documents are not yet known to be complete.
        ReceiptConfirmed = "receipt_confirmed",
        /// The authority is waiting for documents from the applicant.
        DocumentsRequested = "documents_requested",
        /// The documents are complete: the decision clock is running.
        DocumentsComplete = "documents_complete",
        /// An expert analysis of the qualification (e.g. by the ZAB) suspends the clock.
        QualificationAnalysis = "qualification_analysis",
        /// The authority has decided.
        Decided = "decided",
        /// The applicant appealed (Widerspruch) against the decision.
        Appealed = "appealed",
        /// The applicant withdrew the application. Terminal.
        Withdrawn = "withdrawn",
        /// Rejected because the applicant did not cooperate after a warning. Terminal.
        RejectedNonCooperation = "rejected_non_cooperation",
    }
}

/// Facts fixed when the procedure is filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcedureFacts {
    pub kind: ProcedureKind,
    /// A regulated profession (licence required, e.g. doctor, nurse, teacher): decides between
    /// compensation measures and partial equivalence.
    pub regulated: bool,
    /// The qualification was acquired in the EU, the EEA or Switzerland: limits the extension to
    /// one month and rules out the knowledge test.
    pub eu_eea_ch: bool,
    /// A third-country qualification already recognised in an EU/EEA/CH state: the extension
    /// is capped at one month as for an EU/EEA/CH qualification.
    pub recognised_in_eu_eea_ch: bool,
    /// The accelerated skilled-worker procedure (§ 81a Residence Act): shorter deadlines.
    pub accelerated: bool,
}

impl ProcedureFacts {
    /// A BQFG recognition procedure with these facts.
    pub const fn recognition(regulated: bool, eu_eea_ch: bool, accelerated: bool) -> Self {
        ProcedureFacts {
            kind: ProcedureKind::Recognition,
            regulated,
            eu_eea_ch,
            recognised_in_eu_eea_ch: false,
            accelerated,
        }
    }

    /// Whether the BQFG deadlines run at all.
    pub fn has_deadlines(self) -> bool {
        self.kind == ProcedureKind::Recognition
    }
}

/// A recognition procedure: its state plus the dates the deadlines are computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Procedure {
    pub facts: ProcedureFacts,
    /// The authority's seat, whose calendar ends the periods.
    pub seat: Seat,
    pub state: ProcedureState,
    pub submitted_on: NaiveDate,
    pub receipt_confirmed_on: Option<NaiveDate>,
    /// When the documents were first complete: the decision clock starts here.
    pub documents_complete_on: Option<NaiveDate>,
    /// The statutory end of the decision period as it stands: moved by each finished
    /// suspension and by the extension, in the order they happened (§ 190 BGB).
    pub decision_period_ends_on: Option<NaiveDate>,
    /// Start of the current suspension (documents requested or qualification analysis after the clock started).
    pub suspended_since: Option<NaiveDate>,
    /// Days of finished suspensions after the clock started.
    pub suspended_days: u32,
    /// 0 = not extended; the extension is allowed once.
    pub extension_months: u8,
    pub warned_on: Option<NaiveDate>,
    /// The deadline the warning set for the applicant (§ 15 BQFG).
    pub warning_deadline: Option<NaiveDate>,
    /// The latest decision (each one stays in the history).
    pub decision: Option<DecisionDetails>,
    pub decided_on: Option<NaiveDate>,
    pub appealed_on: Option<NaiveDate>,
    /// When it was withdrawn or rejected.
    pub closed_on: Option<NaiveDate>,
    /// The date of the latest action: a new action may not be dated before it.
    pub last_action_on: NaiveDate,
    /// The measures the latest decision requires, with their status.
    pub measures: Vec<Measure>,
    pub permits: Vec<TemporaryPermit>,
    pub funding: Option<Funding>,
}

impl Procedure {
    /// A newly filed application at an authority seated at `seat`. The receipt clock starts on
    /// `submitted_on`.
    pub fn submit(facts: ProcedureFacts, seat: Seat, submitted_on: NaiveDate) -> Procedure {
        Procedure {
            facts,
            seat,
            state: ProcedureState::Submitted,
            submitted_on,
            receipt_confirmed_on: None,
            documents_complete_on: None,
            decision_period_ends_on: None,
            suspended_since: None,
            suspended_days: 0,
            extension_months: 0,
            warned_on: None,
            warning_deadline: None,
            decision: None,
            decided_on: None,
            appealed_on: None,
            closed_on: None,
            last_action_on: submitted_on,
            measures: Vec::new(),
            permits: Vec::new(),
            funding: None,
        }
    }

    /// The actions that can be recorded today: see [`Procedure::allowed_on`].
    pub fn allowed_actions(&self, today: NaiveDate) -> Vec<ProcedureActionKind> {
        self.allowed_on(today)
    }

    /// The next procedure after `action`, or why the action cannot be recorded.
    ///
    /// An action that the procedure's state and data rule out on its date (a second extension,
    /// a late one, a rejection before the warning's deadline lapsed) is an
    /// [`DomainError::InvalidTransition`] listing the actions allowed on that date. An allowed
    /// action that breaks a rule of its own is a [`DomainError::Validation`] listing every
    /// broken rule at once, with field paths into the action (`date`, `months`, `reason`,
    /// `documents`, `deadline`, `decision.substantial_differences`, ...).
    pub fn apply(&self, action: &Action) -> Result<Procedure, DomainError> {
        let on = action.on();
        DomainError::unless_allowed(action.kind(), self.state, &self.allowed_on(on))?;
        let mut violations = Violations::new();
        // The deadlines are computed from these dates, so they must come in the order they
        // happened: a back-dated step would silently move a deadline.
        if on < self.last_action_on || on < self.submitted_on {
            violations.push(
                "date",
                "before_previous_step",
                format!(
                    "the action cannot be dated before the previous step ({})",
                    self.last_action_on.max(self.submitted_on)
                ),
            );
        }
        let action = self.check(&mut violations, action);
        let next = self.after(&action);
        violations.finish(|| next)
    }

    /// The procedure that a recorded history leads to, each step applied in the order it
    /// happened without the checks: what was recorded happened, and rules added later (a
    /// warning's deadline, the timeliness of an extension) must not rewrite it. Used to carry
    /// stored procedures forward when the deadline rules change.
    pub fn replay(
        facts: ProcedureFacts,
        seat: Seat,
        submitted_on: NaiveDate,
        history: &[Action],
    ) -> Procedure {
        history
            .iter()
            .fold(Procedure::submit(facts, seat, submitted_on), |p, a| {
                p.after(a)
            })
    }
}

#[cfg(test)]
mod tests;
