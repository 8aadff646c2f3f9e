//! What may be recorded when: the actions a procedure's state and data allow on a date (so
//! `allowed_actions` never lists one that would be refused), and the rules of each action.

use chrono::NaiveDate;
use iqnet_shared::error::Violations;

use super::measures::{Funding, Measure, MeasureKind};
use super::{
    Action, CompensationMeasure, Decision, DecisionDetails, Procedure, ProcedureActionKind,
    ProcedureKind, ProcedureState,
};

/// The longest extension for a third-country qualification. The BQFG only says "appropriate";
/// six months keeps a typo (60 instead of 6) from hiding a late authority for years.
const MAX_THIRD_COUNTRY_EXTENSION_MONTHS: u8 = 6;
/// Directive 2005/36/EC, as transposed in the BQFG: at most one month for EU/EEA/CH qualifications.
const MAX_EU_EXTENSION_MONTHS: u8 = 1;
/// § 11 BQFG: an adaptation period lasts at most three years.
const MAX_ADAPTATION_PERIOD_MONTHS: u8 = 36;

impl Procedure {
    /// The actions that can be recorded on `on`: those the state allows, less those the
    /// procedure's data rules out on that date: a second extension or one after the period
    /// ended (§ 6(3) BQFG), a rejection for non-cooperation before a warning's deadline lapsed
    /// (§ 15 BQFG), an appeal against full equivalence, a measure that is not due.
    pub fn allowed_on(&self, on: NaiveDate) -> Vec<ProcedureActionKind> {
        self.by_state()
            .iter()
            .copied()
            .filter(|&action| self.data_allows(action, on))
            .collect()
    }

    /// The actions the state allows, whatever the data.
    fn by_state(&self) -> &'static [ProcedureActionKind] {
        use ProcedureActionKind as A;
        use ProcedureState as S;
        let zab = self.facts.kind == ProcedureKind::ZabEvaluation;
        match self.state {
            // Non-cooperation needs a request the applicant ignored, and no request can precede
            // the confirmation of receipt, which is where missing documents are first named.
            S::Submitted => &[
                A::ConfirmReceipt,
                A::Withdraw,
                A::GrantTemporaryPermit,
                A::RecordFunding,
            ],
            // The ZAB is no BQFG authority: no § 15 rejection, no expert analysis, no extension.
            S::ReceiptConfirmed if zab => &[
                A::RequestDocuments,
                A::CompleteDocuments,
                A::Withdraw,
                A::RecordFunding,
            ],
            S::DocumentsRequested if zab => &[A::CompleteDocuments, A::Withdraw, A::RecordFunding],
            S::DocumentsComplete if zab => &[
                A::RequestDocuments,
                A::Decide,
                A::Withdraw,
                A::RecordFunding,
            ],
            S::Decided | S::Appealed | S::QualificationAnalysis if zab => &[],
            S::ReceiptConfirmed => &[
                A::RequestDocuments,
                A::CompleteDocuments,
                A::WarnNonCooperation,
                A::RejectNonCooperation,
                A::Withdraw,
                A::GrantTemporaryPermit,
                A::RecordFunding,
            ],
            S::DocumentsRequested => &[
                A::CompleteDocuments,
                A::WarnNonCooperation,
                A::RejectNonCooperation,
                A::Withdraw,
                A::GrantTemporaryPermit,
                A::RecordFunding,
            ],
            S::DocumentsComplete => &[
                A::RequestDocuments,
                A::StartQualificationAnalysis,
                A::Extend,
                A::Decide,
                A::Withdraw,
                A::GrantTemporaryPermit,
                A::RecordFunding,
            ],
            S::QualificationAnalysis => &[
                A::FinishQualificationAnalysis,
                A::Extend,
                A::Decide,
                A::Withdraw,
                A::GrantTemporaryPermit,
                A::RecordFunding,
            ],
            // A decision ends the procedure; only an appeal reopens it. Its measures follow it.
            S::Decided => &[
                A::Appeal,
                A::StartMeasure,
                A::FinishMeasure,
                A::GrantTemporaryPermit,
                A::RecordFunding,
            ],
            S::Appealed => &[
                A::Decide,
                A::Withdraw,
                A::GrantTemporaryPermit,
                A::RecordFunding,
            ],
            S::Withdrawn | S::RejectedNonCooperation => &[],
        }
    }

    /// Whether the procedure's data allow `action` on `on`, given that its state does.
    fn data_allows(&self, action: ProcedureActionKind, on: NaiveDate) -> bool {
        use ProcedureActionKind as A;
        match action {
            A::Extend => self.extension_months == 0 && !self.decision_period_over(on),
            A::RejectNonCooperation => self.warning_lapsed(on),
            A::Appeal => self
                .decision
                .as_ref()
                .is_none_or(|d| d.decision != Decision::FullEquivalence),
            A::StartMeasure => self.measures.iter().any(|m| m.can_start()),
            A::FinishMeasure => self.measures.iter().any(|m| m.can_finish()),
            _ => true,
        }
    }

    /// § 15 BQFG (and § 66 SGB I, § 26 VwVfG): the application may be rejected for missing
    /// cooperation only after a written warning and once the deadline it set has passed; the
    /// deadline's end moves off a day off at the seat like any other (§ 31(3) VwVfG). A warning
    /// recorded before the deadline was required carries none and counts as lapsed.
    fn warning_lapsed(&self, on: NaiveDate) -> bool {
        self.warned_on.is_some()
            && self
                .warning_deadline
                .is_none_or(|deadline| on > self.seat.period_end(deadline))
    }

    /// Checks the rules of an allowed action and returns it with its texts trimmed.
    pub(super) fn check(&self, violations: &mut Violations, action: &Action) -> Action {
        let mut action = action.clone();
        match &mut action {
            Action::RequestDocuments { documents, .. } => {
                check_texts(violations, "documents", documents, "document");
            }
            Action::Extend { months, reason, .. } => {
                self.check_extension(violations, *months, reason);
            }
            Action::Decide { decision, .. } => {
                *decision = self.check_decision(violations, decision);
            }
            Action::WarnNonCooperation { on, deadline } => match deadline {
                None => violations.push(
                    "deadline",
                    "required",
                    "a warning sets the applicant a deadline (§ 15 BQFG)",
                ),
                Some(deadline) if *deadline <= *on => violations.push(
                    "deadline",
                    "not_after_warning",
                    "the deadline must lie after the warning",
                ),
                Some(_) => {}
            },
            Action::StartMeasure { measure, .. }
                if !self.has_measure(*measure, Measure::can_start) =>
            {
                violations.push(
                    "measure",
                    "not_due",
                    "the decision requires no such measure, or it is under way or passed",
                );
            }
            Action::FinishMeasure { measure, .. }
                if !self.has_measure(*measure, Measure::can_finish) =>
            {
                violations.push("measure", "not_started", "that measure is not under way");
            }
            Action::GrantTemporaryPermit {
                on, valid_until, ..
            } if valid_until.is_some_and(|until| until < *on) => {
                violations.push(
                    "valid_until",
                    "before_grant",
                    "a permit cannot end before it was granted",
                );
            }
            Action::RecordFunding { funding, .. } => check_funding(violations, funding),
            _ => {}
        }
        action
    }

    /// Whether the decision requires a measure of `kind` in a status that `can` accepts.
    fn has_measure(&self, kind: MeasureKind, can: fn(&Measure) -> bool) -> bool {
        self.measures.iter().any(|m| m.kind == kind && can(m))
    }

    /// The extension is allowed once (§ 6(3), § 13(3) BQFG; `allowed_on` refuses a second),
    /// must be justified, and is capped at one month for qualifications from, or already
    /// recognised in, the EU, the EEA or Switzerland.
    fn check_extension(&self, violations: &mut Violations, months: u8, reason: &str) {
        let eu = self.facts.eu_eea_ch || self.facts.recognised_in_eu_eea_ch;
        let max = if eu {
            MAX_EU_EXTENSION_MONTHS
        } else {
            MAX_THIRD_COUNTRY_EXTENSION_MONTHS
        };
        if !(1..=max).contains(&months) {
            let message = if eu {
                "for a qualification from or recognised in the EU/EEA/CH the extension is exactly 1 month"
                    .to_owned()
            } else {
                format!("the extension is 1 to {max} months")
            };
            violations.push("months", "out_of_range", message);
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
        if facts.kind == ProcedureKind::ZabEvaluation
            && details.decision == Decision::CompensationRequired
        {
            violations.push(
                "decision.decision",
                "not_for_zab",
                "a ZAB statement compares degrees; it requires no compensation",
            );
        }
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

/// Amounts in cents below 100,000 euros: larger ones are typos.
fn check_funding(violations: &mut Violations, funding: &Funding) {
    const MAX_CENTS: u32 = 10_000_000;
    for (field, amount) in [
        ("funding.fee_cents", funding.fee_cents),
        (
            "funding.recognition_grant_cents",
            funding.recognition_grant_cents,
        ),
    ] {
        if amount.is_some_and(|cents| cents > MAX_CENTS) {
            violations.push(field, "out_of_range", "at most 100,000 euros");
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
