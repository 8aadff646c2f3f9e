//! The counselling case as an aggregate: open -> in_progress -> closed | abandoned, and the
//! sessions held on it (the first session of an open case starts it).

use chrono::{DateTime, NaiveDate, Utc};
use iqnet_shared::error::Violations;
use iqnet_shared::ids::{CaseId, SessionId};
use iqnet_shared::records::Stamp;
use iqnet_shared::time::recorded_date;
use iqnet_shared::{DomainError, closed_enum};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::records::{AdviceSeeker, CounsellingCase, CounsellingSession};
use crate::vocabulary::{
    AccessRoute, CaseKind, CaseOutcome, CaseState, SessionFormat, SessionKind, SessionTopic,
    parse_language,
};

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
    /// The case ends with an outcome (required: a case cannot be closed without one).
    Close {
        outcome: CaseOutcome,
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

/// A session as the counsellor reports it, before it is checked against its case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionReport {
    pub kind: SessionKind,
    pub format: SessionFormat,
    pub held_on: NaiveDate,
    pub duration_minutes: u16,
    /// ISO 639-1.
    pub language: String,
    pub topics: Vec<SessionTopic>,
}

impl CounsellingCase {
    /// A new case of `seeker`, owned by the seeker's organisation, `open`.
    pub fn open(
        seeker: &AdviceSeeker,
        kind: CaseKind,
        access_route: AccessRoute,
        opened_on: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<CounsellingCase, DomainError> {
        Ok(CounsellingCase {
            id: CaseId::new(),
            seeker_id: seeker.id,
            organisation_id: seeker.organisation_id,
            kind,
            access_route,
            state: CaseState::Open,
            outcome: None,
            opened_on: recorded_date("opened_on", opened_on)?,
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

    fn has_ended(&self) -> bool {
        matches!(self.state, CaseState::Closed | CaseState::Abandoned)
    }

    /// The case after `action`: a transition its state does not allow is an
    /// `InvalidTransition`; a closing date before the opening or in the future, a validation error.
    pub fn apply(&self, action: &CaseAction, now: DateTime<Utc>) -> Result<Self, DomainError> {
        if !self.allowed_actions().contains(&action.kind()) {
            return Err(DomainError::InvalidTransition {
                action: action.kind().to_string(),
                from: self.state.to_string(),
                allowed: self
                    .allowed_actions()
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
            });
        }
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
        let (state, outcome, closed_on) = match action {
            CaseAction::Start => (CaseState::InProgress, self.outcome, self.closed_on),
            CaseAction::Close { outcome, on } => {
                (CaseState::Closed, Some(*outcome), Some(ended_on(*on)?))
            }
            CaseAction::Abandon { on } => {
                (CaseState::Abandoned, self.outcome, Some(ended_on(*on)?))
            }
        };
        Ok(CounsellingCase {
            state,
            outcome,
            closed_on,
            stamp: self.stamp.next(now),
            ..self.clone()
        })
    }

    /// Records a session held on this case. Returns the session and, when this first session
    /// started an open case, the case in progress. Sessions go on open cases only, and not
    /// before the case was opened.
    pub fn hold_session(
        &self,
        report: SessionReport,
        now: DateTime<Utc>,
    ) -> Result<(CounsellingSession, Option<CounsellingCase>), DomainError> {
        let mut v = Violations::new();
        let language = v.check("language", parse_language(&report.language));
        if !(1..=600).contains(&report.duration_minutes) {
            v.push("duration_minutes", "out_of_range", "1 to 600 minutes");
        }
        let held_on = v.check("held_on", recorded_date("", report.held_on));
        let (language, held_on) = match v.finish(|| (language, held_on))? {
            (Some(language), Some(held_on)) => (language, held_on),
            _ => return Err(DomainError::invalid("", "invalid", "unparsed session")),
        };
        if self.has_ended() {
            return Err(DomainError::Conflict {
                code: "case-ended",
                detail: format!("the case is {}; sessions go on open cases", self.state),
                current_state: Some(self.state.to_string()),
            });
        }
        if held_on < self.opened_on {
            return Err(DomainError::invalid(
                "held_on",
                "before_opening",
                "a session cannot precede its case",
            ));
        }
        let mut topics = report.topics;
        topics.sort();
        topics.dedup();
        let session = CounsellingSession {
            id: SessionId::new(),
            case_id: self.id,
            organisation_id: self.organisation_id,
            kind: report.kind,
            format: report.format,
            held_on,
            duration_minutes: report.duration_minutes,
            language,
            topics,
            stamp: Stamp::new(now),
        };
        let started = (self.state == CaseState::Open).then(|| CounsellingCase {
            state: CaseState::InProgress,
            stamp: self.stamp.next(now),
            ..self.clone()
        });
        Ok((session, started))
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
    use iqnet_shared::codes::CountryCode;
    use iqnet_shared::ids::{OrganisationId, SeekerId};

    use super::*;
    use crate::vocabulary::Gender;

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
        CounsellingCase::open(
            &seeker(),
            CaseKind::Recognition,
            AccessRoute::Internet,
            d(on),
            now(),
        )
        .unwrap()
    }

    fn report(held_on: &str) -> SessionReport {
        SessionReport {
            kind: SessionKind::First,
            format: SessionFormat::Video,
            held_on: d(held_on),
            duration_minutes: 45,
            language: "ar".into(),
            topics: vec![
                SessionTopic::Documents,
                SessionTopic::Procedure,
                SessionTopic::Documents,
            ],
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
        let started = case.apply(&CaseAction::Start, now()).unwrap();
        assert_eq!(
            (started.state, started.stamp.version),
            (CaseState::InProgress, 2)
        );
        let close = CaseAction::Close {
            outcome: CaseOutcome::ApplicationFiled,
            on: d("2026-03-01"),
        };
        let closed = started.apply(&close, now()).unwrap();
        assert_eq!(
            (closed.state, closed.outcome, closed.closed_on),
            (
                CaseState::Closed,
                Some(CaseOutcome::ApplicationFiled),
                Some(d("2026-03-01"))
            )
        );
        let err = closed.apply(&CaseAction::Start, now()).unwrap_err();
        assert!(
            matches!(err, DomainError::InvalidTransition { allowed, .. } if allowed.is_empty())
        );
    }

    #[test]
    fn a_case_cannot_start_twice_or_end_before_it_opened() {
        let started = case_opened("2026-01-10")
            .apply(&CaseAction::Start, now())
            .unwrap();
        let DomainError::InvalidTransition { allowed, from, .. } =
            started.apply(&CaseAction::Start, now()).unwrap_err()
        else {
            panic!("a transition error")
        };
        assert_eq!(from, "in_progress");
        assert_eq!(allowed, ["close", "abandon"]);
        let early = CaseAction::Abandon {
            on: d("2026-01-09"),
        };
        assert!(case_opened("2026-01-10").apply(&early, now()).is_err());
    }

    #[test]
    fn the_first_session_starts_an_open_case_and_later_ones_do_not() {
        let case = case_opened("2026-01-10");
        let (session, started) = case.hold_session(report("2026-01-12"), now()).unwrap();
        assert_eq!(
            session.topics,
            [SessionTopic::Procedure, SessionTopic::Documents]
        );
        let started = started.expect("the open case starts");
        assert_eq!(started.state, CaseState::InProgress);
        let (_, again) = started.hold_session(report("2026-01-13"), now()).unwrap();
        assert!(again.is_none());
    }

    #[test]
    fn sessions_go_on_open_cases_only_and_not_before_the_opening() {
        let case = case_opened("2026-01-10");
        let err = case.hold_session(report("2026-01-09"), now()).unwrap_err();
        assert!(
            matches!(err, DomainError::Validation(e) if e[0].field == "held_on" && e[0].code == "before_opening")
        );
        let abandoned = case
            .apply(
                &CaseAction::Abandon {
                    on: d("2026-01-11"),
                },
                now(),
            )
            .unwrap();
        let err = abandoned
            .hold_session(report("2026-01-12"), now())
            .unwrap_err();
        assert!(
            matches!(err, DomainError::Conflict { code: "case-ended", current_state: Some(s), .. } if s == "abandoned")
        );
        let mut bad = report("2026-01-12");
        bad.language = "Arabic".into();
        bad.duration_minutes = 0;
        let DomainError::Validation(errors) = case.hold_session(bad, now()).unwrap_err() else {
            panic!("validation")
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["language", "duration_minutes"]);
    }
}
