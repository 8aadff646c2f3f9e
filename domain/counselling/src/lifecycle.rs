//! The small state machines of counselling: a case (open -> in_progress -> closed | abandoned)
//! and a referral (sent -> accepted | declined; accepted -> completed).

use chrono::NaiveDate;
use iqnet_shared::DomainError;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::vocabulary::{CaseOutcome, CaseState, ReferralStatus};

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
    pub fn name(&self) -> &'static str {
        match self {
            CaseAction::Start => "start",
            CaseAction::Close { .. } => "close",
            CaseAction::Abandon { .. } => "abandon",
        }
    }
}

/// The actions a case in `state` allows.
pub fn case_actions(state: CaseState) -> &'static [&'static str] {
    match state {
        CaseState::Open => &["start", "close", "abandon"],
        CaseState::InProgress => &["close", "abandon"],
        CaseState::Closed | CaseState::Abandoned => &[],
    }
}

/// The next state of a case, its outcome and its closing date.
pub fn apply_case_action(
    state: CaseState,
    opened_on: NaiveDate,
    action: &CaseAction,
) -> Result<(CaseState, Option<CaseOutcome>, Option<NaiveDate>), DomainError> {
    if !case_actions(state).contains(&action.name()) {
        return Err(DomainError::InvalidTransition {
            action: action.name().to_owned(),
            from: state.as_str().to_owned(),
            allowed: case_actions(state)
                .iter()
                .map(|a| (*a).to_owned())
                .collect(),
        });
    }
    let not_before_opening = |on: NaiveDate| {
        if on < opened_on {
            Err(DomainError::invalid(
                "date",
                "before_opening",
                "a case cannot end before it was opened",
            ))
        } else {
            Ok(on)
        }
    };
    match action {
        CaseAction::Start => Ok((CaseState::InProgress, None, None)),
        CaseAction::Close { outcome, on } => Ok((
            CaseState::Closed,
            Some(*outcome),
            Some(not_before_opening(*on)?),
        )),
        CaseAction::Abandon { on } => {
            Ok((CaseState::Abandoned, None, Some(not_before_opening(*on)?)))
        }
    }
}

/// A change of a referral's state, made by the receiving organisation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum ReferralAction {
    Accept {
        #[serde(rename = "date")]
        on: NaiveDate,
    },
    Decline {
        #[serde(rename = "date")]
        on: NaiveDate,
    },
    Complete {
        #[serde(rename = "date")]
        on: NaiveDate,
    },
}

impl ReferralAction {
    pub fn name(&self) -> &'static str {
        match self {
            ReferralAction::Accept { .. } => "accept",
            ReferralAction::Decline { .. } => "decline",
            ReferralAction::Complete { .. } => "complete",
        }
    }

    pub fn on(&self) -> NaiveDate {
        match self {
            ReferralAction::Accept { on }
            | ReferralAction::Decline { on }
            | ReferralAction::Complete { on } => *on,
        }
    }
}

pub fn referral_actions(status: ReferralStatus) -> &'static [&'static str] {
    match status {
        ReferralStatus::Sent => &["accept", "decline"],
        ReferralStatus::Accepted => &["complete"],
        ReferralStatus::Declined | ReferralStatus::Completed => &[],
    }
}

/// The next status of a referral sent on `sent_on`.
pub fn apply_referral_action(
    status: ReferralStatus,
    sent_on: NaiveDate,
    action: &ReferralAction,
) -> Result<ReferralStatus, DomainError> {
    if !referral_actions(status).contains(&action.name()) {
        return Err(DomainError::InvalidTransition {
            action: action.name().to_owned(),
            from: status.as_str().to_owned(),
            allowed: referral_actions(status)
                .iter()
                .map(|a| (*a).to_owned())
                .collect(),
        });
    }
    if action.on() < sent_on {
        return Err(DomainError::invalid(
            "date",
            "before_sending",
            "a referral cannot be answered before it was sent",
        ));
    }
    Ok(match action {
        ReferralAction::Accept { .. } => ReferralStatus::Accepted,
        ReferralAction::Decline { .. } => ReferralStatus::Declined,
        ReferralAction::Complete { .. } => ReferralStatus::Completed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_case_runs_open_in_progress_closed_with_an_outcome() {
        let opened = d("2026-01-10");
        let (state, _, _) = apply_case_action(CaseState::Open, opened, &CaseAction::Start).unwrap();
        assert_eq!(state, CaseState::InProgress);
        let close = CaseAction::Close {
            outcome: CaseOutcome::ApplicationFiled,
            on: d("2026-03-01"),
        };
        let (state, outcome, closed) = apply_case_action(state, opened, &close).unwrap();
        assert_eq!(
            (state, outcome, closed),
            (
                CaseState::Closed,
                Some(CaseOutcome::ApplicationFiled),
                Some(d("2026-03-01"))
            )
        );
        let err = apply_case_action(state, opened, &CaseAction::Start).unwrap_err();
        assert!(
            matches!(err, DomainError::InvalidTransition { allowed, .. } if allowed.is_empty())
        );
    }

    #[test]
    fn a_case_cannot_start_twice_or_end_before_it_opened() {
        let opened = d("2026-01-10");
        let err = apply_case_action(CaseState::InProgress, opened, &CaseAction::Start).unwrap_err();
        let DomainError::InvalidTransition { allowed, from, .. } = err else {
            panic!("a transition error")
        };
        assert_eq!(from, "in_progress");
        assert_eq!(allowed, ["close", "abandon"]);
        assert!(
            apply_case_action(
                CaseState::Open,
                opened,
                &CaseAction::Abandon {
                    on: d("2026-01-09")
                }
            )
            .is_err()
        );
    }

    #[test]
    fn a_referral_is_answered_once_and_completed_only_when_accepted() {
        let sent = d("2026-02-01");
        let on = d("2026-02-03");
        assert_eq!(
            apply_referral_action(ReferralStatus::Sent, sent, &ReferralAction::Accept { on })
                .unwrap(),
            ReferralStatus::Accepted
        );
        assert_eq!(
            apply_referral_action(
                ReferralStatus::Accepted,
                sent,
                &ReferralAction::Complete { on }
            )
            .unwrap(),
            ReferralStatus::Completed
        );
        assert!(
            apply_referral_action(ReferralStatus::Sent, sent, &ReferralAction::Complete { on })
                .is_err()
        );
        assert!(
            apply_referral_action(
                ReferralStatus::Declined,
                sent,
                &ReferralAction::Accept { on }
            )
            .is_err()
        );
        assert!(
            apply_referral_action(
                ReferralStatus::Sent,
                sent,
                &ReferralAction::Accept {
                    on: d("2026-01-31")
                }
            )
            .is_err()
        );
    }
}
