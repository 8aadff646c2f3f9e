//! An advice seeker's enrolment in a measure: applied -> admitted | waitlisted -> active ->
//! completed_success | completed_without_success | dropped_out.
//!
//! Whether an application gets a seat is not decided here: only the database can tell, inside
//! the transaction, whether a seat is still free (several API instances enrol at once). The
//! rules here say what follows from its answer, and whether a change frees a seat.

use chrono::{DateTime, NaiveDate, Utc};
use iqnet_shared::ids::{
    EnrolmentId, MeasureId, OrganisationId, ProcedureId, ReferralId, SeekerId,
};
use iqnet_shared::records::{PersonalData, Stamp};
use iqnet_shared::time::recorded_date;
use iqnet_shared::{DomainError, closed_enum};
use serde::Deserialize;
use utoipa::ToSchema;

pub use crate::links::Links;
use crate::measure::Measure;
use crate::vocabulary::{EmploymentAfter, EnrolmentResult, EnrolmentState, Funding, MeasureState};

/// An enrolment as stored. It carries the seeker's personal data, so it is owned by the seeker's
/// organisation (the one that enrolled them) and every access to it is audited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    pub id: EnrolmentId,
    pub measure_id: MeasureId,
    pub seeker_id: SeekerId,
    pub organisation_id: OrganisationId,
    /// The counselling referral to the provider it came from.
    pub referral_id: Option<ReferralId>,
    /// The recognition procedure whose decision (partial equivalence, compensation required)
    /// the measure answers.
    pub procedure_id: Option<ProcedureId>,
    pub state: EnrolmentState,
    pub funding: Option<Funding>,
    pub result: Option<EnrolmentResult>,
    pub ended_on: Option<NaiveDate>,
    /// When the exit was recorded: orders it among the same day's steps of the journey, however
    /// often the enrolment changes later.
    pub exit_recorded_at: Option<DateTime<Utc>>,
    /// Employment six months after a completed measure, and when it was found out.
    pub employment_after: Option<(EmploymentAfter, NaiveDate)>,
    /// The area-1 procedure that decided again after the successful exit (`record_follow_up`).
    pub follow_up_procedure_id: Option<ProcedureId>,
    pub stamp: Stamp,
}

impl PersonalData for Enrolment {
    const RESOURCE: &'static str = "enrolment";
    fn resource_id(&self) -> String {
        self.id.to_string()
    }
    fn seeker(&self) -> SeekerId {
        self.seeker_id
    }
    fn owner(&self) -> OrganisationId {
        self.organisation_id
    }
}

closed_enum! {
    /// What can be done to an enrolment (`POST /v1/enrolments/{id}/actions`).
    pub enum EnrolmentActionKind {
        Start = "start", Complete = "complete", DropOut = "drop_out",
        RecordEmployment = "record_employment", RecordFollowUp = "record_follow_up",
    }
}

/// A change of an enrolment's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
#[schema(example = json!({"action": "complete", "result": "full_recognition", "date": "2027-08-31"}))]
pub enum EnrolmentAction {
    /// The participant has begun (admitted -> active); the measure must be running.
    Start,
    /// The participant finished: with a result other than `none` a success.
    Complete {
        result: EnrolmentResult,
        #[serde(rename = "date")]
        on: NaiveDate,
    },
    /// The person leaves or withdraws (admitted | waitlisted | active -> dropped_out).
    DropOut {
        #[serde(rename = "date")]
        on: NaiveDate,
    },
    /// Employment at least six months after a completed measure (once).
    RecordEmployment {
        employment: EmploymentAfter,
        #[serde(rename = "date")]
        on: NaiveDate,
    },
    /// After a successful exit, once: the area-1 procedure (of the same seeker, decided, whose
    /// `follows_procedure_id` is the procedure this enrolment answers) that decided again.
    RecordFollowUp { procedure_id: ProcedureId },
}

impl EnrolmentAction {
    pub fn kind(self) -> EnrolmentActionKind {
        match self {
            EnrolmentAction::Start => EnrolmentActionKind::Start,
            EnrolmentAction::Complete { .. } => EnrolmentActionKind::Complete,
            EnrolmentAction::DropOut { .. } => EnrolmentActionKind::DropOut,
            EnrolmentAction::RecordEmployment { .. } => EnrolmentActionKind::RecordEmployment,
            EnrolmentAction::RecordFollowUp { .. } => EnrolmentActionKind::RecordFollowUp,
        }
    }
}

/// An enrolment after an action, and whether the seat it held is free for the waiting list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub next: Enrolment,
    pub frees_seat: bool,
}

impl Enrolment {
    /// An application of `seeker_id` (of `organisation_id`) to `measure`, which must be open.
    pub fn apply_for(
        measure: &Measure,
        (seeker_id, organisation_id): (SeekerId, OrganisationId),
        (funding, links): (Option<Funding>, Links<'_>),
        now: DateTime<Utc>,
    ) -> Result<Enrolment, DomainError> {
        links.check(seeker_id, measure)?;
        measure.ensure_taking_enrolments()?;
        Ok(Enrolment {
            id: EnrolmentId::new(),
            measure_id: measure.id,
            seeker_id,
            organisation_id,
            referral_id: links.referral.map(|r| r.id),
            procedure_id: links.procedure.map(|p| p.id),
            state: EnrolmentState::Applied,
            funding,
            result: None,
            ended_on: None,
            exit_recorded_at: None,
            employment_after: None,
            follow_up_procedure_id: None,
            stamp: Stamp::new(now),
        })
    }

    /// The application decided: admitted when the database granted a seat, else waitlisted.
    pub fn decided(self, seat_granted: bool) -> Enrolment {
        let state = if seat_granted {
            EnrolmentState::Admitted
        } else {
            EnrolmentState::Waitlisted
        };
        Enrolment { state, ..self }
    }

    /// The first on the waiting list, given a freed seat.
    pub fn promoted(&self, now: DateTime<Utc>) -> Enrolment {
        Enrolment {
            state: EnrolmentState::Admitted,
            stamp: self.stamp.next(now),
            ..self.clone()
        }
    }

    pub fn holds_seat(&self) -> bool {
        matches!(
            self.state,
            EnrolmentState::Admitted
                | EnrolmentState::Active
                | EnrolmentState::CompletedSuccess
                | EnrolmentState::CompletedWithoutSuccess
        )
    }

    /// The actions the enrolment's state allows.
    pub fn allowed_actions(&self) -> &'static [EnrolmentActionKind] {
        use EnrolmentActionKind as A;
        match self.state {
            EnrolmentState::Admitted => &[A::Start, A::DropOut],
            EnrolmentState::Waitlisted => &[A::DropOut],
            EnrolmentState::Active => &[A::Complete, A::DropOut],
            EnrolmentState::CompletedSuccess => {
                // A decision can follow only what a procedure decided before the measure.
                let employment = self.employment_after.is_none();
                let follow_up =
                    self.procedure_id.is_some() && self.follow_up_procedure_id.is_none();
                match (employment, follow_up) {
                    (true, true) => &[A::RecordEmployment, A::RecordFollowUp],
                    (true, false) => &[A::RecordEmployment],
                    (false, true) => &[A::RecordFollowUp],
                    (false, false) => &[],
                }
            }
            EnrolmentState::CompletedWithoutSuccess if self.employment_after.is_none() => {
                &[A::RecordEmployment]
            }
            _ => &[],
        }
    }

    /// 409 naming the allowed actions unless the state allows `action`.
    pub(crate) fn ensure_allowed(&self, action: EnrolmentActionKind) -> Result<(), DomainError> {
        DomainError::unless_allowed(action, self.state, self.allowed_actions())
    }

    /// The enrolment after `action` on `measure`. A seat given up before the measure starts is
    /// freed for the waiting list; once it runs, nobody can join, so the seat stays taken.
    pub fn apply(
        &self,
        action: EnrolmentAction,
        measure: &Measure,
        now: DateTime<Utc>,
    ) -> Result<Transition, DomainError> {
        self.ensure_allowed(action.kind())?;
        let mut next = Enrolment {
            stamp: self.stamp.next(now),
            ..self.clone()
        };
        match action {
            EnrolmentAction::Start => {
                if measure.state != MeasureState::Running {
                    return Err(DomainError::conflict(
                        "measure-not-running",
                        format!("the measure is {}", measure.state),
                    ));
                }
                next.state = EnrolmentState::Active;
            }
            EnrolmentAction::Complete { result, on } => {
                next.ended_on = Some(recorded_date("date", on)?);
                next.exit_recorded_at = Some(now);
                next.result = Some(result);
                next.state = if result == EnrolmentResult::None {
                    EnrolmentState::CompletedWithoutSuccess
                } else {
                    EnrolmentState::CompletedSuccess
                };
            }
            EnrolmentAction::DropOut { on } => {
                next.ended_on = Some(recorded_date("date", on)?);
                next.exit_recorded_at = Some(now);
                next.state = EnrolmentState::DroppedOut;
            }
            EnrolmentAction::RecordEmployment { employment, on } => {
                let exit = self.ended_on.unwrap_or(on);
                if on < exit + chrono::Months::new(6) {
                    return Err(DomainError::invalid(
                        "date",
                        "too_early",
                        "employment is recorded six months after the exit at the earliest",
                    ));
                }
                next.employment_after = Some((employment, recorded_date("date", on)?));
            }
            EnrolmentAction::RecordFollowUp { .. } => {
                // It names a procedure, which only the caller's side can look up.
                return Err(DomainError::conflict(
                    "follow-up-needs-procedure",
                    "a follow-up is recorded with `record_follow_up` on the procedure it names",
                ));
            }
        }
        let frees_seat = self.holds_seat()
            && !next.holds_seat()
            && matches!(measure.state, MeasureState::Planned | MeasureState::Open);
        Ok(Transition { next, frees_seat })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::tests::measure;

    fn today() -> NaiveDate {
        iqnet_shared::time::today_in_germany()
    }

    fn enrolment(state: EnrolmentState) -> Enrolment {
        let applied = Enrolment::apply_for(
            &measure(MeasureState::Open),
            (SeekerId::new(), OrganisationId::new()),
            (Some(Funding::TrainingVoucher), Links::default()),
            Utc::now(),
        )
        .unwrap();
        Enrolment { state, ..applied }
    }

    #[test]
    fn the_database_answer_decides_admission() {
        let applied = enrolment(EnrolmentState::Applied);
        assert_eq!(
            applied.clone().decided(true).state,
            EnrolmentState::Admitted
        );
        assert_eq!(applied.decided(false).state, EnrolmentState::Waitlisted);
    }

    #[test]
    fn a_measure_that_is_not_open_takes_no_application() {
        let err = Enrolment::apply_for(
            &measure(MeasureState::Cancelled),
            (SeekerId::new(), OrganisationId::new()),
            (None, Links::default()),
            Utc::now(),
        )
        .unwrap_err();
        assert!(matches!(
            err,
            DomainError::Conflict {
                code: "measure-cancelled",
                ..
            }
        ));
    }

    #[test]
    fn withdrawing_before_the_start_frees_the_seat() {
        let t = enrolment(EnrolmentState::Admitted)
            .apply(
                EnrolmentAction::DropOut { on: today() },
                &measure(MeasureState::Open),
                Utc::now(),
            )
            .unwrap();
        assert_eq!(t.next.state, EnrolmentState::DroppedOut);
        assert!(t.frees_seat);
    }

    #[test]
    fn leaving_a_running_measure_or_the_waiting_list_frees_nothing() {
        let running = measure(MeasureState::Running);
        let drop = EnrolmentAction::DropOut { on: today() };
        let active = enrolment(EnrolmentState::Active)
            .apply(drop, &running, Utc::now())
            .unwrap();
        assert!(!active.frees_seat);
        let open = measure(MeasureState::Open);
        let waiting = enrolment(EnrolmentState::Waitlisted)
            .apply(drop, &open, Utc::now())
            .unwrap();
        assert!(!waiting.frees_seat);
    }

    #[test]
    fn a_result_other_than_none_is_a_success() {
        let running = measure(MeasureState::Running);
        let active = enrolment(EnrolmentState::Admitted)
            .apply(EnrolmentAction::Start, &running, Utc::now())
            .unwrap()
            .next;
        let done = |result| {
            active
                .apply(
                    EnrolmentAction::Complete {
                        result,
                        on: today(),
                    },
                    &running,
                    Utc::now(),
                )
                .unwrap()
                .next
                .state
        };
        assert_eq!(
            done(EnrolmentResult::ExamPassed),
            EnrolmentState::CompletedSuccess
        );
        assert_eq!(
            done(EnrolmentResult::None),
            EnrolmentState::CompletedWithoutSuccess
        );
    }

    #[test]
    fn a_waitlisted_person_cannot_start() {
        let err = enrolment(EnrolmentState::Waitlisted)
            .apply(
                EnrolmentAction::Start,
                &measure(MeasureState::Running),
                Utc::now(),
            )
            .unwrap_err();
        assert!(
            matches!(err, DomainError::InvalidTransition { ref allowed, .. } if allowed == &["drop_out"])
        );
    }

    #[test]
    fn an_admitted_person_starts_only_a_running_measure() {
        let err = enrolment(EnrolmentState::Admitted)
            .apply(
                EnrolmentAction::Start,
                &measure(MeasureState::Open),
                Utc::now(),
            )
            .unwrap_err();
        assert!(matches!(
            err,
            DomainError::Conflict {
                code: "measure-not-running",
                ..
            }
        ));
    }
}

#[cfg(test)]
mod employment_tests {
    use super::*;
    use crate::measure::tests::measure;

    fn completed_on(on: NaiveDate) -> Enrolment {
        let applied = Enrolment::apply_for(
            &measure(MeasureState::Open),
            (SeekerId::new(), OrganisationId::new()),
            (None, Links::default()),
            Utc::now(),
        )
        .unwrap();
        Enrolment {
            state: EnrolmentState::CompletedSuccess,
            ended_on: Some(on),
            ..applied
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn employment_is_recorded_once_six_months_after_the_exit() {
        let done = completed_on(d(2026, 1, 10));
        let completed = measure(MeasureState::Completed);
        let record = |on| EnrolmentAction::RecordEmployment {
            employment: EmploymentAfter::Adequate,
            on,
        };
        let early = done
            .apply(record(d(2026, 7, 9)), &completed, Utc::now())
            .unwrap_err();
        assert!(matches!(early, DomainError::Validation(ref e) if e[0].code == "too_early"));
        let t = done
            .apply(record(d(2026, 7, 10)), &completed, Utc::now())
            .unwrap();
        assert_eq!(
            t.next.employment_after,
            Some((EmploymentAfter::Adequate, d(2026, 7, 10)))
        );
        assert!(!t.frees_seat);
        assert!(t.next.allowed_actions().is_empty(), "once");
    }
}
