//! What each recorded step changes, without the checks (`rules.rs` holds those): shared by
//! [`Procedure::apply`] and by [`Procedure::replay`] of a stored history.

use super::measures::{Measure, MeasureResult, MeasureStatus, TemporaryPermit};
use super::{Action, Procedure, ProcedureState as S};

impl Procedure {
    /// The procedure after `action` happened.
    pub(super) fn after(&self, action: &Action) -> Procedure {
        let mut next = self.clone();
        let on = action.on();
        next.last_action_on = on;
        match action {
            Action::ConfirmReceipt {
                complete_on_receipt,
                ..
            } => {
                next.receipt_confirmed_on = Some(on);
                next.state = S::ReceiptConfirmed;
                if *complete_on_receipt {
                    // § 6(3) BQFG: the period runs from the receipt of the complete documents,
                    // here the application itself.
                    next.start_clock(self.submitted_on);
                    next.state = S::DocumentsComplete;
                }
            }
            Action::RequestDocuments { .. } => {
                // Before the file was ever complete the clock has not started, so there is
                // nothing to suspend; afterwards a new request stops it until the documents arrive.
                next.suspend(on);
                next.state = S::DocumentsRequested;
            }
            Action::CompleteDocuments { .. } => {
                next.resume(on);
                // The decision period runs from the first complete file; later requests only
                // suspend it, they do not restart it.
                if next.documents_complete_on.is_none() {
                    next.start_clock(on);
                }
                // The applicant cooperated: a rejection for non-cooperation needs a new warning.
                next.warned_on = None;
                next.warning_deadline = None;
                next.state = S::DocumentsComplete;
            }
            Action::StartQualificationAnalysis { .. } => {
                next.suspend(on);
                next.state = S::QualificationAnalysis;
            }
            Action::FinishQualificationAnalysis { .. } => {
                next.resume(on);
                next.state = S::DocumentsComplete;
            }
            Action::Extend { months, .. } => next.extend_by(*months),
            Action::Decide { decision, .. } => {
                // Deciding ends a running analysis; its days count up to the decision.
                next.resume(on);
                next.measures = Measure::required_by(decision, on);
                next.decision = Some(decision.clone());
                next.decided_on = Some(on);
                next.state = S::Decided;
            }
            Action::WarnNonCooperation { deadline, .. } => {
                next.warned_on = Some(on);
                next.warning_deadline = *deadline;
            }
            Action::RejectNonCooperation { .. } => {
                next.resume(on);
                next.closed_on = Some(on);
                next.state = S::RejectedNonCooperation;
            }
            Action::Withdraw { .. } => {
                next.resume(on);
                next.closed_on = Some(on);
                next.state = S::Withdrawn;
            }
            Action::Appeal { .. } => {
                next.appealed_on = Some(on);
                next.state = S::Appealed;
            }
            Action::StartMeasure { measure, .. } => {
                for m in next.measures.iter_mut().filter(|m| m.kind == *measure) {
                    m.status = MeasureStatus::InProgress;
                    m.since = on;
                    m.attempts = m.attempts.saturating_add(1);
                }
            }
            Action::FinishMeasure {
                measure, result, ..
            } => {
                for m in next.measures.iter_mut().filter(|m| m.kind == *measure) {
                    m.status = match result {
                        MeasureResult::Passed => MeasureStatus::Passed,
                        MeasureResult::Failed => MeasureStatus::Failed,
                    };
                    m.since = on;
                }
            }
            Action::GrantTemporaryPermit {
                permit,
                valid_until,
                ..
            } => next.permits.push(TemporaryPermit {
                permit: *permit,
                granted_on: on,
                valid_until: *valid_until,
            }),
            Action::RecordFunding { funding, .. } => next.funding = Some(funding.clone()),
        }
        next
    }
}
