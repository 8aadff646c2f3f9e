//! Counselling sessions held on a case. The monitoring counts first counselling per person: each
//! advice seeker has one `first` session across all their cases, and a `follow_up` needs it. A
//! session names where it was held (a fixed or mobile advice centre) and by whom.
//!
//! The rule is checked here against the seeker's first session as stored; storage also holds a
//! unique index on the first session of a seeker, so that two requests racing past this check
//! cannot both record one.

use chrono::{DateTime, NaiveDate, Utc};
use iqnet_shared::DomainError;
use iqnet_shared::error::Violations;
use iqnet_shared::ids::{AdviceCentreId, SessionId, UserId};
use iqnet_shared::records::{Stamp, User};
use iqnet_shared::structure::Role;
use iqnet_shared::time::recorded_date;

use crate::records::{AdviceCentre, CounsellingCase, CounsellingSession};
use crate::vocabulary::{CaseState, SessionFormat, SessionKind, SessionTopic, parse_language};

/// A session as the counsellor reports it, before it is checked against its case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionReport {
    /// `None`: `first` when the seeker has had none, `follow_up` otherwise.
    pub kind: Option<SessionKind>,
    pub format: SessionFormat,
    pub held_on: NaiveDate,
    pub duration_minutes: u16,
    /// ISO 639-1.
    pub language: String,
    pub topics: Vec<SessionTopic>,
    pub centre_id: Option<AdviceCentreId>,
    pub counsellor_id: Option<UserId>,
}

/// What the session is checked against besides its case: the seeker's first session (on any of
/// their cases) and the counselling point and counsellor the report names, looked up.
#[derive(Debug, Clone, Copy, Default)]
pub struct SessionContext<'a> {
    pub first_session: Option<&'a CounsellingSession>,
    pub centre: Option<&'a AdviceCentre>,
    pub counsellor: Option<&'a User>,
}

/// The problem type of a second `first` session (also what storage's unique index answers).
pub const FIRST_SESSION_HELD: &str = "first-session-held";

impl CounsellingCase {
    /// Records a session held on this case. Returns the session and, when this first session
    /// started an open case, the case in progress. Sessions go on open cases only, not before the
    /// case was opened, and not before the seeker's first session.
    pub fn hold_session(
        &self,
        report: SessionReport,
        context: SessionContext<'_>,
        now: DateTime<Utc>,
    ) -> Result<(CounsellingSession, Option<CounsellingCase>), DomainError> {
        let mut v = Violations::new();
        let language = v.check("language", parse_language(&report.language));
        if !(1..=600).contains(&report.duration_minutes) {
            v.push("duration_minutes", "out_of_range", "1 to 600 minutes");
        }
        let held_on = v.check("held_on", recorded_date("", report.held_on));
        self.check_place(&mut v, &context);
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
        let kind = kind_of(report.kind, context.first_session, held_on)?;
        let mut topics = report.topics;
        topics.sort();
        topics.dedup();
        let session = CounsellingSession {
            id: SessionId::new(),
            case_id: self.id,
            seeker_id: self.seeker_id,
            organisation_id: self.organisation_id,
            kind,
            format: report.format,
            held_on,
            duration_minutes: report.duration_minutes,
            language,
            topics,
            centre_id: context.centre.map(|c| c.id),
            counsellor_id: context.counsellor.map(|u| u.id),
            stamp: Stamp::new(now),
        };
        let started = (self.state == CaseState::Open).then(|| CounsellingCase {
            state: CaseState::InProgress,
            stamp: self.stamp.next(now),
            ..self.clone()
        });
        Ok((session, started))
    }

    /// The counselling point is one of the case organisation's advice centres, and the
    /// counsellor one of its counsellors.
    fn check_place(&self, v: &mut Violations, context: &SessionContext<'_>) {
        if context
            .centre
            .is_some_and(|c| c.organisation_id != self.organisation_id)
        {
            v.push(
                "centre_id",
                "other_organisation",
                "the counselling point belongs to another organisation than the case",
            );
        }
        if context.counsellor.is_some_and(|u| {
            u.organisation_id != Some(self.organisation_id) || u.role != Role::Counsellor
        }) {
            v.push(
                "counsellor_id",
                "not_a_counsellor",
                "the counsellor is a counsellor of the case's organisation",
            );
        }
    }
}

/// The session's kind: one `first` per seeker, and a `follow_up` only after it.
fn kind_of(
    reported: Option<SessionKind>,
    first: Option<&CounsellingSession>,
    held_on: NaiveDate,
) -> Result<SessionKind, DomainError> {
    match (reported, first) {
        (None, None) | (Some(SessionKind::First), None) => Ok(SessionKind::First),
        (Some(SessionKind::First), Some(first)) => Err(DomainError::Conflict {
            code: FIRST_SESSION_HELD,
            detail: format!(
                "the seeker's first counselling was held on {} (session {}); record this one as `follow_up`",
                first.held_on, first.id
            ),
            current_state: None,
        }),
        (Some(SessionKind::FollowUp), None) => Err(DomainError::conflict(
            "no-first-session",
            "a follow-up needs the seeker's first session; record this one as `first`",
        )),
        (None | Some(SessionKind::FollowUp), Some(first)) if held_on < first.held_on => {
            Err(DomainError::invalid(
                "held_on",
                "before_first_session",
                format!(
                    "a follow-up cannot precede the seeker's first session, held on {}",
                    first.held_on
                ),
            ))
        }
        (None | Some(SessionKind::FollowUp), Some(_)) => Ok(SessionKind::FollowUp),
    }
}

#[cfg(test)]
mod tests {
    use iqnet_shared::codes::StateCode;
    use iqnet_shared::ids::OrganisationId;

    use super::*;
    use crate::case::CaseAction;
    use crate::case::tests::{case_opened, d, now};
    use crate::vocabulary::CentreKind;

    fn report(held_on: &str) -> SessionReport {
        SessionReport {
            kind: Some(SessionKind::First),
            format: SessionFormat::Video,
            held_on: d(held_on),
            duration_minutes: 45,
            language: "ar".into(),
            topics: vec![
                SessionTopic::Documents,
                SessionTopic::Procedure,
                SessionTopic::Documents,
            ],
            centre_id: None,
            counsellor_id: None,
        }
    }

    fn follow_up(held_on: &str) -> SessionReport {
        SessionReport {
            kind: Some(SessionKind::FollowUp),
            ..report(held_on)
        }
    }

    fn none() -> SessionContext<'static> {
        SessionContext::default()
    }

    #[test]
    fn the_first_session_starts_an_open_case_and_later_ones_do_not() {
        let case = case_opened("2026-01-10");
        let (session, started) = case
            .hold_session(report("2026-01-12"), none(), now())
            .unwrap();
        assert_eq!(
            session.topics,
            [SessionTopic::Procedure, SessionTopic::Documents]
        );
        let started = started.expect("the open case starts");
        assert_eq!(started.state, CaseState::InProgress);
        let after_first = SessionContext {
            first_session: Some(&session),
            ..none()
        };
        let (_, again) = started
            .hold_session(follow_up("2026-01-13"), after_first, now())
            .unwrap();
        assert!(again.is_none());
    }

    /// Monitoring counts first counselling per person: one `first` session per seeker across
    /// all cases, and a follow-up needs it.
    #[test]
    fn one_first_session_per_seeker_and_a_follow_up_needs_it() {
        let case = case_opened("2026-01-10");
        let (first, _) = case
            .hold_session(report("2026-01-12"), none(), now())
            .unwrap();
        let after_first = SessionContext {
            first_session: Some(&first),
            ..none()
        };
        let another_case = case_opened("2026-02-01");
        let err = another_case
            .hold_session(report("2026-02-02"), after_first, now())
            .unwrap_err();
        assert!(matches!(
            err,
            DomainError::Conflict {
                code: FIRST_SESSION_HELD,
                ..
            }
        ));
        let err = case
            .hold_session(follow_up("2026-01-12"), none(), now())
            .unwrap_err();
        assert!(matches!(
            err,
            DomainError::Conflict {
                code: "no-first-session",
                ..
            }
        ));
        let err = case
            .hold_session(follow_up("2026-01-11"), after_first, now())
            .unwrap_err();
        assert!(matches!(err, DomainError::Validation(e) if e[0].code == "before_first_session"));
    }

    #[test]
    fn an_unnamed_kind_follows_from_the_seekers_sessions() {
        let case = case_opened("2026-01-10");
        let unnamed = SessionReport {
            kind: None,
            ..report("2026-01-12")
        };
        let (first, _) = case.hold_session(unnamed.clone(), none(), now()).unwrap();
        assert_eq!(first.kind, SessionKind::First);
        let after_first = SessionContext {
            first_session: Some(&first),
            ..none()
        };
        let (next, _) = case.hold_session(unnamed, after_first, now()).unwrap();
        assert_eq!(next.kind, SessionKind::FollowUp);
    }

    #[test]
    fn a_session_names_a_counselling_point_and_counsellor_of_its_organisation() {
        let case = case_opened("2026-01-10");
        let centre = AdviceCentre {
            id: AdviceCentreId::new(),
            organisation_id: case.organisation_id,
            sub_project_id: None,
            name: "IQ Mobil".into(),
            kind: CentreKind::Mobile,
            state: StateCode::Sachsen,
            street: None,
            postcode: "04109".into(),
            city: "Leipzig".into(),
            languages: vec!["de".into()],
            formats: vec![],
            opening_hours: None,
            email: None,
            phone: None,
            stamp: Stamp::new(now()),
        };
        let counsellor = User {
            id: UserId::new(),
            email: iqnet_shared::codes::Email::parse("c@example.org").unwrap(),
            display_name: "C".into(),
            role: Role::Counsellor,
            organisation_id: Some(case.organisation_id),
            active: true,
            stamp: Stamp::new(now()),
        };
        let here = SessionContext {
            first_session: None,
            centre: Some(&centre),
            counsellor: Some(&counsellor),
        };
        let (session, _) = case
            .hold_session(report("2026-01-12"), here, now())
            .unwrap();
        assert_eq!(
            (session.centre_id, session.counsellor_id),
            (Some(centre.id), Some(counsellor.id))
        );
        let elsewhere = AdviceCentre {
            organisation_id: OrganisationId::new(),
            ..centre.clone()
        };
        let stranger = User {
            organisation_id: Some(OrganisationId::new()),
            ..counsellor
        };
        let there = SessionContext {
            first_session: None,
            centre: Some(&elsewhere),
            counsellor: Some(&stranger),
        };
        let DomainError::Validation(errors) = case
            .hold_session(report("2026-01-12"), there, now())
            .unwrap_err()
        else {
            panic!("validation")
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["centre_id", "counsellor_id"]);
    }

    #[test]
    fn sessions_go_on_open_cases_only_and_not_before_the_opening() {
        let case = case_opened("2026-01-10");
        let err = case
            .hold_session(report("2026-01-09"), none(), now())
            .unwrap_err();
        assert!(
            matches!(err, DomainError::Validation(e) if e[0].field == "held_on" && e[0].code == "before_opening")
        );
        let abandon = CaseAction::Abandon {
            on: d("2026-01-11"),
        };
        let abandoned = case
            .apply(&abandon, &crate::case::tests::seeker(), now())
            .unwrap();
        let err = abandoned
            .hold_session(report("2026-01-12"), none(), now())
            .unwrap_err();
        assert!(
            matches!(err, DomainError::Conflict { code: "case-ended", current_state: Some(s), .. } if s == "abandoned")
        );
        let mut bad = report("2026-01-12");
        bad.language = "Arabic".into();
        bad.duration_minutes = 0;
        let DomainError::Validation(errors) = case.hold_session(bad, none(), now()).unwrap_err()
        else {
            panic!("validation")
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["language", "duration_minutes"]);
    }
}
