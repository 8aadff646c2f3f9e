//! The way back to recognition: after a successful exit, the decision that follows up the
//! procedure the enrolment answered.
//!
//! Area 1 records that decision as a procedure of its own which `follows_procedure_id` the first
//! (a renewed application after a partial equivalence, the licence after a compensatory measure),
//! so its deadlines and steps keep area 1's rules. The enrolment only links it: one decision has
//! one place, and the seeker's journey shows it in its order after the exit.

use chrono::DateTime;
use chrono::Utc;
use iqnet_counselling::records::RecognitionProcedure;
use iqnet_shared::DomainError;
use iqnet_shared::error::Violations;

use crate::enrolment::{Enrolment, EnrolmentActionKind};

impl Enrolment {
    /// The enrolment with `procedure` recorded as the follow-up decision of the procedure it
    /// answered. Only after a successful exit, once, and only a decided procedure of the same
    /// seeker that follows up the linked one, decided on or after the exit.
    pub fn record_follow_up(
        &self,
        procedure: &RecognitionProcedure,
        now: DateTime<Utc>,
    ) -> Result<Enrolment, DomainError> {
        self.ensure_allowed(EnrolmentActionKind::RecordFollowUp)?;
        let mut v = Violations::new();
        let field = "procedure_id";
        let decided_on = procedure.procedure.decided_on;
        if procedure.seeker_id != self.seeker_id {
            v.push(field, "other_seeker", "the procedure is of another seeker");
        } else if procedure.follows_procedure_id.is_none()
            || procedure.follows_procedure_id != self.procedure_id
        {
            v.push(
                field,
                "not_a_follow_up",
                "the procedure does not follow up the one this enrolment answers \
                 (its follows_procedure_id)",
            );
        } else if procedure.procedure.decision.is_none() {
            v.push(
                field,
                "not_decided",
                "the follow-up procedure has no decision yet",
            );
        } else if decided_on.zip(self.ended_on).is_some_and(|(d, e)| d < e) {
            v.push(
                field,
                "decided_before_exit",
                "a decision that follows the measure cannot precede its end",
            );
        }
        v.finish(|| Enrolment {
            follow_up_procedure_id: Some(procedure.id),
            stamp: self.stamp.next(now),
            ..self.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Utc};
    use iqnet_counselling::procedure::{Decision, DecisionDetails, Procedure, ProcedureFacts};
    use iqnet_shared::authority::Seat;
    use iqnet_shared::ids::{OrganisationId, ProcedureId, QualificationId, SeekerId};
    use iqnet_shared::records::Stamp;

    use super::*;
    use crate::vocabulary::EnrolmentState;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn completed(first: ProcedureId, seeker: SeekerId) -> Enrolment {
        Enrolment {
            id: iqnet_shared::ids::EnrolmentId::new(),
            measure_id: iqnet_shared::ids::MeasureId::new(),
            seeker_id: seeker,
            organisation_id: OrganisationId::new(),
            referral_id: None,
            procedure_id: Some(first),
            state: EnrolmentState::CompletedSuccess,
            funding: None,
            result: Some(crate::vocabulary::EnrolmentResult::FullRecognition),
            ended_on: Some(d(2026, 6, 30)),
            exit_recorded_at: Some(Utc::now()),
            employment_after: None,
            follow_up_procedure_id: None,
            stamp: Stamp::new(Utc::now()),
        }
    }

    fn follow_up(
        first: ProcedureId,
        seeker: SeekerId,
        decided_on: Option<NaiveDate>,
    ) -> RecognitionProcedure {
        let facts = ProcedureFacts::recognition(false, false, false);
        let mut procedure = Procedure::submit(facts, Seat::unknown(), d(2026, 7, 1));
        procedure.decided_on = decided_on;
        procedure.decision = decided_on.map(|_| DecisionDetails {
            decision: Decision::FullEquivalence,
            substantial_differences: Vec::new(),
            compensation: None,
            adaptation_period_months: None,
            language_exam_required: false,
        });
        RecognitionProcedure {
            id: ProcedureId::new(),
            qualification_id: QualificationId::new(),
            seeker_id: seeker,
            case_id: None,
            organisation_id: OrganisationId::new(),
            authority_id: None,
            authority_name: None,
            follows_procedure_id: Some(first),
            procedure,
            stamp: Stamp::new(Utc::now()),
        }
    }

    fn code(err: DomainError) -> String {
        match err {
            DomainError::Validation(errors) => errors[0].code.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_decided_follow_up_of_the_answered_procedure_is_recorded_once() {
        let (first, seeker) = (ProcedureId::new(), SeekerId::new());
        let enrolment = completed(first, seeker);
        let next = follow_up(first, seeker, Some(d(2026, 8, 15)));
        let recorded = enrolment.record_follow_up(&next, Utc::now()).unwrap();
        assert_eq!(recorded.follow_up_procedure_id, Some(next.id));
        assert!(matches!(
            recorded.record_follow_up(&next, Utc::now()),
            Err(DomainError::InvalidTransition { .. })
        ));
    }

    #[test]
    fn only_a_decided_follow_up_of_the_same_seeker_after_the_exit() {
        let (first, seeker) = (ProcedureId::new(), SeekerId::new());
        let enrolment = completed(first, seeker);
        let after = Some(d(2026, 8, 15));
        for (procedure, expected) in [
            (follow_up(first, SeekerId::new(), after), "other_seeker"),
            (
                follow_up(ProcedureId::new(), seeker, after),
                "not_a_follow_up",
            ),
            (follow_up(first, seeker, None), "not_decided"),
            (
                follow_up(first, seeker, Some(d(2026, 6, 1))),
                "decided_before_exit",
            ),
        ] {
            let err = enrolment.record_follow_up(&procedure, Utc::now());
            assert_eq!(code(err.unwrap_err()), expected);
        }
    }

    #[test]
    fn nothing_follows_an_exit_without_success() {
        let (first, seeker) = (ProcedureId::new(), SeekerId::new());
        let enrolment = Enrolment {
            state: EnrolmentState::CompletedWithoutSuccess,
            ..completed(first, seeker)
        };
        let next = follow_up(first, seeker, Some(d(2026, 8, 15)));
        assert!(matches!(
            enrolment.record_follow_up(&next, Utc::now()),
            Err(DomainError::InvalidTransition { .. })
        ));
    }
}
