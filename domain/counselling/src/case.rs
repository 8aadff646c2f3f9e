//! The counselling case as an aggregate: open -> in_progress -> closed | abandoned, with the
//! seeker's situation and status at intake and the recommendations and status at the close.
//! Sessions held on a case are in `session`.

use chrono::{DateTime, NaiveDate, Utc};
use iqnet_shared::ids::CaseId;
use iqnet_shared::records::Stamp;
use iqnet_shared::time::recorded_date;
use iqnet_shared::{DomainError, closed_enum};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::outcome::{Closing, IntakeSituationReport};
use crate::records::{AdviceSeeker, CounsellingCase};
use crate::status::{StatusReport, StatusSnapshot};
use crate::vocabulary::{AccessRoute, CaseKind, CaseOutcome, CaseState, Recommendation};

closed_enum! {
    /// What can be done to a case (`POST /v1/counselling-cases/{id}/actions`).
    pub enum CaseActionKind { Start = "start", Close = "close", Abandon = "abandon" }
}

/// A change of a case's state.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum CaseAction {
    /// Counselling has begun.
    Start,
    /// The case ends with its recommendations, or the single outcome earlier clients send (one
    /// of the two is required: a case cannot be closed without an outcome).
    Close {
        outcome: Option<CaseOutcome>,
        /// Several may be given; `no_action` stands alone.
        #[serde(default)]
        recommendations: Vec<Recommendation>,
        /// The seeker's status at the close; defaults to the seeker record's, dated the close.
        status: Option<StatusReport>,
        #[serde(rename = "date")]
        on: NaiveDate,
    },
    /// The person stopped coming.
    Abandon {
        #[serde(rename = "date")]
        on: NaiveDate,
    },
}

impl CaseAction {
    pub fn kind(&self) -> CaseActionKind {
        match self {
            CaseAction::Start => CaseActionKind::Start,
            CaseAction::Close { .. } => CaseActionKind::Close,
            CaseAction::Abandon { .. } => CaseActionKind::Abandon,
        }
    }
}

/// What the counsellor records at the intake, besides the case's kind and access route.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Intake {
    pub situation: Option<IntakeSituationReport>,
    /// Defaults to the seeker record's status, dated the opening.
    pub status: Option<StatusReport>,
}

impl CounsellingCase {
    /// A new case of `seeker`, owned by the seeker's organisation, `open`.
    pub fn open(
        seeker: &AdviceSeeker,
        (kind, access_route): (CaseKind, AccessRoute),
        opened_on: NaiveDate,
        intake: Intake,
        now: DateTime<Utc>,
    ) -> Result<CounsellingCase, DomainError> {
        let opened_on = recorded_date("opened_on", opened_on)?;
        let status_at_intake = match intake.status {
            Some(report) => Some(report.snapshot("status_at_intake", opened_on, NaiveDate::MIN)?),
            None => StatusSnapshot::of_seeker(seeker, opened_on),
        };
        Ok(CounsellingCase {
            id: CaseId::new(),
            seeker_id: seeker.id,
            organisation_id: seeker.organisation_id,
            kind,
            access_route,
            state: CaseState::Open,
            outcome: None,
            recommendations: Vec::new(),
            situation_at_intake: intake.situation.map(|s| s.parse()).transpose()?,
            status_at_intake,
            status_at_close: None,
            opened_on,
            closed_on: None,
            stamp: Stamp::new(now),
        })
    }

    /// The actions the case's state allows.
    pub fn allowed_actions(&self) -> &'static [CaseActionKind] {
        use CaseActionKind as A;
        match self.state {
            CaseState::Open => &[A::Start, A::Close, A::Abandon],
            CaseState::InProgress => &[A::Close, A::Abandon],
            CaseState::Closed | CaseState::Abandoned => &[],
        }
    }

    pub(crate) fn has_ended(&self) -> bool {
        matches!(self.state, CaseState::Closed | CaseState::Abandoned)
    }

    /// The case after `action`: a transition its state does not allow is an
    /// `InvalidTransition`; a closing date before the opening or in the future, a validation error.
    /// `seeker` is the case's seeker as recorded now: its status is the default one at a close.
    pub fn apply(
        &self,
        action: &CaseAction,
        seeker: &AdviceSeeker,
        now: DateTime<Utc>,
    ) -> Result<Self, DomainError> {
        DomainError::unless_allowed(action.kind(), self.state, self.allowed_actions())?;
        let ended_on = |on: NaiveDate| {
            if on < self.opened_on {
                Err(DomainError::invalid(
                    "date",
                    "before_opening",
                    "a case cannot end before it was opened",
                ))
            } else {
                recorded_date("date", on)
            }
        };
        let mut next = CounsellingCase {
            stamp: self.stamp.next(now),
            ..self.clone()
        };
        match action {
            CaseAction::Start => next.state = CaseState::InProgress,
            CaseAction::Close {
                outcome,
                recommendations,
                status,
                on,
            } => {
                let closing = Closing::parse(*outcome, recommendations)?;
                let on = ended_on(*on)?;
                let intake_on = self
                    .status_at_intake
                    .map_or(self.opened_on, |s| s.recorded_on);
                next.status_at_close = match status {
                    Some(report) => Some(report.snapshot("status", on, intake_on)?),
                    None => StatusSnapshot::of_seeker(seeker, on),
                };
                next.state = CaseState::Closed;
                next.outcome = Some(closing.outcome);
                next.recommendations = closing.recommendations;
                next.closed_on = Some(on);
            }
            CaseAction::Abandon { on } => {
                next.state = CaseState::Abandoned;
                next.closed_on = Some(ended_on(*on)?);
            }
        }
        Ok(next)
    }

    /// Refuses a referral from a case that has ended.
    pub(crate) fn ensure_open(&self) -> Result<(), DomainError> {
        if self.has_ended() {
            Err(DomainError::conflict(
                "case-ended",
                format!("the case is {}", self.state),
            ))
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use iqnet_shared::codes::{CountryCode, LanguageLevel};
    use iqnet_shared::ids::{OrganisationId, SeekerId};

    use super::*;
    use crate::procedure::Decision;
    use crate::vocabulary::{EmploymentStatus, Gender};

    pub(crate) fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    pub(crate) fn now() -> DateTime<Utc> {
        iqnet_shared::time::now()
    }

    pub(crate) fn seeker() -> AdviceSeeker {
        AdviceSeeker {
            id: SeekerId::new(),
            organisation_id: OrganisationId::new(),
            client_code: "B-1".into(),
            name: None,
            email: None,
            phone: None,
            gender: Gender::Female,
            age_band: None,
            nationalities: vec![],
            country_of_residence: CountryCode::parse("DE").unwrap(),
            residence: crate::residence::Residence::default(),
            year_of_entry: None,
            residence_title: None,
            german_level: None,
            employment_status: None,
            benefits: vec![],
            consents: vec![],
            stamp: Stamp::new(now()),
        }
    }

    pub(crate) fn case_opened(on: &str) -> CounsellingCase {
        let kind = (CaseKind::Recognition, AccessRoute::Internet);
        CounsellingCase::open(&seeker(), kind, d(on), Intake::default(), now()).unwrap()
    }

    fn close(outcome: Option<CaseOutcome>, recommendations: &[Recommendation]) -> CaseAction {
        CaseAction::Close {
            outcome,
            recommendations: recommendations.to_vec(),
            status: None,
            on: d("2026-03-01"),
        }
    }

    #[test]
    fn a_case_runs_open_in_progress_closed_with_an_outcome() {
        let case = case_opened("2026-01-10");
        assert_eq!(
            case.allowed_actions(),
            [
                CaseActionKind::Start,
                CaseActionKind::Close,
                CaseActionKind::Abandon
            ]
        );
        let started = case.apply(&CaseAction::Start, &seeker(), now()).unwrap();
        assert_eq!(
            (started.state, started.stamp.version),
            (CaseState::InProgress, 2)
        );
        let closing = close(Some(CaseOutcome::ApplicationFiled), &[]);
        let closed = started.apply(&closing, &seeker(), now()).unwrap();
        assert_eq!(
            (closed.state, closed.outcome, closed.closed_on),
            (
                CaseState::Closed,
                Some(CaseOutcome::ApplicationFiled),
                Some(d("2026-03-01"))
            )
        );
        assert_eq!(
            closed.recommendations,
            [Recommendation::RecognitionApplication]
        );
        let err = closed
            .apply(&CaseAction::Start, &seeker(), now())
            .unwrap_err();
        assert!(
            matches!(err, DomainError::InvalidTransition { allowed, .. } if allowed.is_empty())
        );
    }

    #[test]
    fn a_case_cannot_start_twice_or_end_before_it_opened() {
        let started = case_opened("2026-01-10")
            .apply(&CaseAction::Start, &seeker(), now())
            .unwrap();
        let DomainError::InvalidTransition { allowed, from, .. } = started
            .apply(&CaseAction::Start, &seeker(), now())
            .unwrap_err()
        else {
            panic!("a transition error")
        };
        assert_eq!(from, "in_progress");
        assert_eq!(allowed, ["close", "abandon"]);
        let early = CaseAction::Abandon {
            on: d("2026-01-09"),
        };
        assert!(
            case_opened("2026-01-10")
                .apply(&early, &seeker(), now())
                .is_err()
        );
    }

    #[test]
    fn a_case_closes_with_several_recommendations_and_needs_one() {
        let case = case_opened("2026-01-10");
        let both = [
            Recommendation::LanguageCourse,
            Recommendation::RecognitionApplication,
        ];
        let closed = case.apply(&close(None, &both), &seeker(), now()).unwrap();
        assert_eq!(
            closed.recommendations,
            [
                Recommendation::RecognitionApplication,
                Recommendation::LanguageCourse
            ]
        );
        assert_eq!(closed.outcome, Some(CaseOutcome::ApplicationRecommended));
        let err = case.apply(&close(None, &[]), &seeker(), now()).unwrap_err();
        assert!(matches!(err, DomainError::Validation(e) if e[0].field == "outcome"));
    }

    /// The status at intake and at close, each dated, so that employment after recognition can
    /// be counted.
    #[test]
    fn the_status_is_kept_at_intake_and_at_close() {
        let mut amina = seeker();
        amina.employment_status = Some(EmploymentStatus::Unemployed);
        amina.german_level = Some(LanguageLevel::B1);
        let kind = (CaseKind::Recognition, AccessRoute::Jobcenter);
        let situation = crate::outcome::IntakeSituationReport {
            decision_received: Some(Decision::PartialEquivalence),
            ..Default::default()
        };
        let intake = Intake {
            situation: Some(situation),
            status: None,
        };
        let case = CounsellingCase::open(&amina, kind, d("2026-01-10"), intake, now()).unwrap();
        let at_intake = case.status_at_intake.unwrap();
        assert_eq!(
            (at_intake.recorded_on, at_intake.employment_status),
            (d("2026-01-10"), Some(EmploymentStatus::Unemployed))
        );
        assert!(case.situation_at_intake.unwrap().application_filed);

        let employed = StatusReport {
            employment_status: Some(EmploymentStatus::EmployedAdequate),
            ..StatusReport::default()
        };
        let closing = CaseAction::Close {
            outcome: Some(CaseOutcome::ApplicationFiled),
            recommendations: vec![],
            status: Some(employed),
            on: d("2026-06-01"),
        };
        let closed = case.apply(&closing, &amina, now()).unwrap();
        let at_close = closed.status_at_close.unwrap();
        assert_eq!(
            (at_close.recorded_on, at_close.employment_status),
            (d("2026-06-01"), Some(EmploymentStatus::EmployedAdequate))
        );
        assert_eq!(closed.status_at_intake, case.status_at_intake);
        let too_early = CaseAction::Close {
            outcome: Some(CaseOutcome::ApplicationFiled),
            recommendations: vec![],
            status: Some(StatusReport {
                recorded_on: Some(d("2026-01-09")),
                ..employed
            }),
            on: d("2026-06-01"),
        };
        assert!(case.apply(&too_early, &amina, now()).is_err());
    }
}
