//! The recognition procedure (Anerkennungsverfahren) under the BQFG, as a pure state machine.
//!
//! Counsellors in the IQ network do not decide anything: they record what the competent authority
//! did, so that they can tell an advice seeker what comes next and when the authority is late.
//! Each recorded [`Action`] is checked against the procedure's state and the law, and
//! [`Procedure::apply`] returns the next procedure or a [`DomainError`] saying what was wrong.
//!
//! The deadlines follow the BQFG:
//! - the authority confirms receipt within one month of the application (two weeks in the
//!   accelerated skilled-worker procedure, § 81a Residence Act);
//! - it decides within three months (two accelerated) of the day the documents were complete;
//! - it may extend the decision period once, by at most one month for qualifications from the
//!   EU, the EEA or Switzerland (Directive 2005/36/EC);
//! - while it waits for documents it requested later, or for an expert analysis of the
//!   qualification, the decision clock is suspended and those days are added to the deadline.

use chrono::NaiveDate;
use iqnet_shared::error::Violations;
use iqnet_shared::{DomainError, closed_enum};

use crate::deadlines::{add_days, add_months, periods};

mod action;

pub use action::{Action, CompensationMeasure, Decision, DecisionDetails, ProcedureActionKind};

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
    /// A regulated profession (licence required, e.g. doctor, nurse, teacher): decides between
    /// compensation measures and partial equivalence.
    pub regulated: bool,
    /// The qualification was acquired in the EU, the EEA or Switzerland: limits the extension to
    /// one month and rules out the knowledge test.
    pub eu_eea_ch: bool,
    /// The accelerated skilled-worker procedure (§ 81a Residence Act): shorter deadlines.
    pub accelerated: bool,
}

/// A recognition procedure: its state plus the dates the deadlines are computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Procedure {
    pub facts: ProcedureFacts,
    pub state: ProcedureState,
    pub submitted_on: NaiveDate,
    pub receipt_confirmed_on: Option<NaiveDate>,
    /// When the documents were first complete: the decision clock starts here.
    pub documents_complete_on: Option<NaiveDate>,
    /// Start of the current suspension (documents requested or qualification analysis after the clock started).
    pub suspended_since: Option<NaiveDate>,
    /// Days of finished suspensions after the clock started.
    pub suspended_days: u32,
    /// 0 = not extended; the extension is allowed once.
    pub extension_months: u8,
    pub warned_on: Option<NaiveDate>,
    pub decision: Option<DecisionDetails>,
    pub decided_on: Option<NaiveDate>,
    pub appealed_on: Option<NaiveDate>,
    /// When it was withdrawn or rejected.
    pub closed_on: Option<NaiveDate>,
    /// The date of the latest action: a new action may not be dated before it.
    pub last_action_on: NaiveDate,
}

/// The longest extension for a third-country qualification. The BQFG only says "appropriate";
/// six months keeps a typo (60 instead of 6) from hiding a late authority for years.
const MAX_THIRD_COUNTRY_EXTENSION_MONTHS: u8 = 6;
/// Directive 2005/36/EC, as transposed in the BQFG: at most one month for EU/EEA/CH qualifications.
const MAX_EU_EXTENSION_MONTHS: u8 = 1;
/// § 11 BQFG: an adaptation period lasts at most three years.
const MAX_ADAPTATION_PERIOD_MONTHS: u8 = 36;

impl Procedure {
    /// A newly filed application. The receipt clock starts on `submitted_on`.
    pub fn submit(facts: ProcedureFacts, submitted_on: NaiveDate) -> Procedure {
        Procedure {
            facts,
            state: ProcedureState::Submitted,
            submitted_on,
            receipt_confirmed_on: None,
            documents_complete_on: None,
            suspended_since: None,
            suspended_days: 0,
            extension_months: 0,
            warned_on: None,
            decision: None,
            decided_on: None,
            appealed_on: None,
            closed_on: None,
            last_action_on: submitted_on,
        }
    }

    /// Names of the actions allowed in the current state (for the 409 body).
    ///
    /// This depends on the state only. Actions that the state allows but the procedure's data
    /// rules out (a second extension, a rejection without warning, an appeal against full
    /// equivalence) are listed and then refused by [`Procedure::apply`] with a validation error
    /// naming the reason, which tells the client more than "not allowed here".
    pub fn allowed_actions(&self) -> Vec<ProcedureActionKind> {
        use ProcedureActionKind as A;
        use ProcedureState as S;
        let allowed: &[ProcedureActionKind] = match self.state {
            // Non-cooperation needs a request the applicant ignored, and no request can precede
            // the confirmation of receipt, which is where missing documents are first named.
            S::Submitted => &[A::ConfirmReceipt, A::Withdraw],
            S::ReceiptConfirmed => &[
                A::RequestDocuments,
                A::CompleteDocuments,
                A::WarnNonCooperation,
                A::RejectNonCooperation,
                A::Withdraw,
            ],
            S::DocumentsRequested => &[
                A::CompleteDocuments,
                A::WarnNonCooperation,
                A::RejectNonCooperation,
                A::Withdraw,
            ],
            S::DocumentsComplete => &[
                A::RequestDocuments,
                A::StartQualificationAnalysis,
                A::Extend,
                A::Decide,
                A::Withdraw,
            ],
            S::QualificationAnalysis => &[
                A::FinishQualificationAnalysis,
                A::Extend,
                A::Decide,
                A::Withdraw,
            ],
            // A decision ends the procedure; only an appeal reopens it.
            S::Decided => &[A::Appeal],
            S::Appealed => &[A::Decide, A::Withdraw],
            S::Withdrawn | S::RejectedNonCooperation => &[],
        };
        allowed.to_vec()
    }

    /// The next procedure after `action`, or why the action cannot be recorded.
    ///
    /// An action the state does not allow is an [`DomainError::InvalidTransition`] (with the
    /// allowed action names). An allowed action that breaks a rule is a
    /// [`DomainError::Validation`] listing every broken rule at once, with field paths into the
    /// action (`on`, `months`, `reason`, `documents`, `decision.substantial_differences`, ...).
    pub fn apply(&self, action: &Action) -> Result<Procedure, DomainError> {
        use ProcedureState as S;
        if !self.allowed_actions().contains(&action.kind()) {
            return Err(DomainError::InvalidTransition {
                action: action.name().to_owned(),
                from: self.state.as_str().to_owned(),
                allowed: self
                    .allowed_actions()
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
            });
        }

        let on = action.on();
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

        let mut next = self.clone();
        next.last_action_on = on;
        match action {
            Action::ConfirmReceipt { .. } => {
                next.receipt_confirmed_on = Some(on);
                next.state = S::ReceiptConfirmed;
            }
            Action::RequestDocuments { documents, .. } => {
                check_texts(&mut violations, "documents", documents, "document");
                // Before the file was ever complete the clock has not started, so there is
                // nothing to suspend; afterwards a new request stops it until the documents arrive.
                if next.documents_complete_on.is_some() {
                    next.suspended_since = Some(on);
                }
                next.state = S::DocumentsRequested;
            }
            Action::CompleteDocuments { .. } => {
                next.end_suspension(on);
                // The decision period runs from the first complete file; later requests only
                // suspend it, they do not restart it.
                if next.documents_complete_on.is_none() {
                    next.documents_complete_on = Some(on);
                }
                // The applicant cooperated: a rejection for non-cooperation needs a new warning.
                next.warned_on = None;
                next.state = S::DocumentsComplete;
            }
            Action::StartQualificationAnalysis { .. } => {
                next.suspended_since = Some(on);
                next.state = S::QualificationAnalysis;
            }
            Action::FinishQualificationAnalysis { .. } => {
                next.end_suspension(on);
                next.state = S::DocumentsComplete;
            }
            Action::Extend { months, reason, .. } => {
                self.check_extension(&mut violations, *months, reason);
                next.extension_months = *months;
            }
            Action::Decide { decision, .. } => {
                let decision = self.check_decision(&mut violations, decision);
                // Deciding ends a running analysis; its days count up to the decision.
                next.end_suspension(on);
                next.decision = Some(decision);
                next.decided_on = Some(on);
                next.state = S::Decided;
            }
            Action::WarnNonCooperation { .. } => {
                next.warned_on = Some(on);
            }
            Action::RejectNonCooperation { .. } => {
                // § 66 SGB I / § 26 VwVfG: a rejection for missing cooperation is only lawful
                // after the applicant was warned in writing of that consequence.
                if self.warned_on.is_none() {
                    violations.push(
                        "warned_on",
                        "warning_required",
                        "the applicant must be warned before the application is rejected for non-cooperation",
                    );
                }
                next.end_suspension(on);
                next.closed_on = Some(on);
                next.state = S::RejectedNonCooperation;
            }
            Action::Withdraw { .. } => {
                next.end_suspension(on);
                next.closed_on = Some(on);
                next.state = S::Withdrawn;
            }
            Action::Appeal { .. } => {
                let full = self
                    .decision
                    .as_ref()
                    .is_some_and(|d| d.decision == Decision::FullEquivalence);
                if full {
                    violations.push(
                        "action",
                        "nothing_to_appeal",
                        "full equivalence grants everything applied for; there is nothing to appeal",
                    );
                }
                next.appealed_on = Some(on);
                next.state = S::Appealed;
            }
        }
        violations.finish(|| next)
    }

    /// submitted_on + receipt period (1 month; 2 weeks accelerated).
    pub fn receipt_due_on(&self) -> NaiveDate {
        periods(self.facts.accelerated)
            .receipt
            .after(self.submitted_on)
    }

    /// None until documents are complete; then documents_complete_on + decision period (3 months;
    /// 2 accelerated), + suspended_days, + extension_months.
    ///
    /// Suspensions stop the clock for whole days, so they move the statutory end day by day. An
    /// extension is counted from the end of the period it extends (§ 190 BGB: "the new period is
    /// computed from the expiry of the previous one"), i.e. from the end after suspensions. A
    /// suspension still running is not included: its length is unknown until it ends (see
    /// [`Procedure::clock_suspended`]).
    pub fn decision_due_on(&self) -> Option<NaiveDate> {
        let start = self.documents_complete_on?;
        let statutory = periods(self.facts.accelerated).decision.after(start);
        let suspended = add_days(statutory, self.suspended_days);
        Some(add_months(suspended, u32::from(self.extension_months)))
    }

    /// True while the decision clock is suspended (documents requested or qualification analysis after the clock started).
    pub fn clock_suspended(&self) -> bool {
        self.suspended_since.is_some()
    }

    /// The authority is late: state Submitted and today > receipt_due_on; or state DocumentsComplete (clock running) and today > decision_due_on.
    ///
    /// The due day itself is not late (§ 188 BGB: the period ends at the end of that day). While
    /// the clock is suspended the authority is waiting for someone else, so it is never late then.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        match self.state {
            ProcedureState::Submitted => today > self.receipt_due_on(),
            ProcedureState::DocumentsComplete => {
                !self.clock_suspended() && self.decision_due_on().is_some_and(|due| today > due)
            }
            _ => false,
        }
    }

    /// Ends a running suspension on `on`, adding its days to the suspended total.
    fn end_suspension(&mut self, on: NaiveDate) {
        if let Some(since) = self.suspended_since.take() {
            let days = on.signed_duration_since(since).num_days().max(0);
            let days = u32::try_from(days).unwrap_or(u32::MAX);
            self.suspended_days = self.suspended_days.saturating_add(days);
        }
    }

    /// The extension is allowed once (§ 6 (3), § 13 (3) BQFG), must be justified, and is capped at
    /// one month for EU/EEA/CH qualifications.
    fn check_extension(&self, violations: &mut Violations, months: u8, reason: &str) {
        if self.extension_months > 0 {
            violations.push(
                "months",
                "already_extended",
                format!(
                    "the decision period was already extended by {} month(s); it can be extended only once",
                    self.extension_months
                ),
            );
        } else {
            let max = if self.facts.eu_eea_ch {
                MAX_EU_EXTENSION_MONTHS
            } else {
                MAX_THIRD_COUNTRY_EXTENSION_MONTHS
            };
            if !(1..=max).contains(&months) {
                let message = if self.facts.eu_eea_ch {
                    "for an EU/EEA/CH qualification the extension is exactly 1 month".to_owned()
                } else {
                    format!("the extension is 1 to {max} months")
                };
                violations.push("months", "out_of_range", message);
            }
        }
        if reason.trim().is_empty() {
            violations.push(
                "reason",
                "required",
                "the authority must give a reason for the extension",
            );
        }
    }

    /// Checks a decision against the facts of the procedure and returns it with its texts trimmed.
    fn check_decision(
        &self,
        violations: &mut Violations,
        details: &DecisionDetails,
    ) -> DecisionDetails {
        let facts = self.facts;
        match details.decision {
            Decision::FullEquivalence => {
                // Equivalence means no substantial differences (§ 4, § 9 BQFG).
                if !details.substantial_differences.is_empty() {
                    violations.push(
                        "decision.substantial_differences",
                        "not_allowed",
                        "full equivalence means there are no substantial differences",
                    );
                }
            }
            Decision::PartialEquivalence => {
                // A regulated profession cannot be practised partly; there the differences are
                // compensated instead.
                if facts.regulated {
                    violations.push(
                        "decision.decision",
                        "not_for_regulated",
                        "partial equivalence exists for non-regulated professions only; use compensation_required",
                    );
                }
                check_texts(
                    violations,
                    "decision.substantial_differences",
                    &details.substantial_differences,
                    "substantial difference",
                );
            }
            Decision::CompensationRequired => {
                // Compensation measures lead to a licence, which only regulated professions have.
                if !facts.regulated {
                    violations.push(
                        "decision.decision",
                        "only_for_regulated",
                        "compensation measures exist for regulated professions only; use partial_equivalence",
                    );
                }
                check_texts(
                    violations,
                    "decision.substantial_differences",
                    &details.substantial_differences,
                    "substantial difference",
                );
                match details.compensation {
                    None => violations.push(
                        "decision.compensation",
                        "required",
                        "the decision must name how the differences can be compensated",
                    ),
                    // EU/EEA/CH applicants choose between adaptation period and aptitude test
                    // (Directive 2005/36/EC); the knowledge test is for third countries.
                    Some(CompensationMeasure::KnowledgeTest) if facts.eu_eea_ch => violations.push(
                        "decision.compensation",
                        "third_country_only",
                        "the knowledge test is for third-country qualifications only",
                    ),
                    Some(_) => {}
                }
            }
            Decision::NoEquivalence => {}
        }

        if details.decision != Decision::CompensationRequired && details.compensation.is_some() {
            violations.push(
                "decision.compensation",
                "not_allowed",
                "only a compensation_required decision names a compensation measure",
            );
        }

        let adaptation = details.decision == Decision::CompensationRequired
            && details.compensation == Some(CompensationMeasure::AdaptationPeriod);
        match (adaptation, details.adaptation_period_months) {
            (true, None) => violations.push(
                "decision.adaptation_period_months",
                "required",
                "an adaptation period needs its length in months",
            ),
            (true, Some(months)) if !(1..=MAX_ADAPTATION_PERIOD_MONTHS).contains(&months) => {
                violations.push(
                    "decision.adaptation_period_months",
                    "out_of_range",
                    format!(
                        "an adaptation period lasts 1 to {MAX_ADAPTATION_PERIOD_MONTHS} months"
                    ),
                )
            }
            (false, Some(_)) => violations.push(
                "decision.adaptation_period_months",
                "not_allowed",
                "a length in months belongs to an adaptation period only",
            ),
            _ => {}
        }

        DecisionDetails {
            substantial_differences: details
                .substantial_differences
                .iter()
                .map(|s| s.trim().to_owned())
                .collect(),
            ..details.clone()
        }
    }
}

/// A list of free texts that must not be empty and whose entries must not be blank.
fn check_texts(violations: &mut Violations, field: &str, texts: &[String], what: &str) {
    if texts.is_empty() {
        violations.push(field, "required", format!("name at least one {what}"));
    } else if texts.iter().any(|t| t.trim().is_empty()) {
        violations.push(field, "required", format!("every {what} needs a text"));
    }
}

#[cfg(test)]
mod tests;
