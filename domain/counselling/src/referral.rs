//! A referral as an aggregate: sent from a case to another organisation, then
//! sent -> accepted | declined; accepted -> completed, answered by the receiving organisation.

use chrono::{DateTime, NaiveDate, Utc};
use iqnet_shared::ids::{OrganisationId, ReferralId};
use iqnet_shared::records::Stamp;
use iqnet_shared::structure::parse_text;
use iqnet_shared::time::recorded_date;
use iqnet_shared::{DomainError, closed_enum};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::records::{CounsellingCase, Referral};
use crate::vocabulary::ReferralStatus;

closed_enum! {
    /// What the receiving organisation can do to a referral.
    pub enum ReferralActionKind { Accept = "accept", Decline = "decline", Complete = "complete" }
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
    pub fn kind(&self) -> ReferralActionKind {
        match self {
            ReferralAction::Accept { .. } => ReferralActionKind::Accept,
            ReferralAction::Decline { .. } => ReferralActionKind::Decline,
            ReferralAction::Complete { .. } => ReferralActionKind::Complete,
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

impl Referral {
    /// Refers `case` to the organisation `to` (which the caller has checked exists). The case
    /// must still be open, and the referral goes to another organisation than the case's.
    pub fn send(
        case: &CounsellingCase,
        to: OrganisationId,
        reason: &str,
        sent_on: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Referral, DomainError> {
        let reason = parse_text(reason, 500).map_err(|e| e.at("reason"))?;
        let sent_on = recorded_date("sent_on", sent_on)?;
        case.ensure_open()?;
        if to == case.organisation_id {
            return Err(DomainError::invalid(
                "to_organisation_id",
                "same_organisation",
                "a referral goes to another organisation",
            ));
        }
        Ok(Referral {
            id: ReferralId::new(),
            case_id: case.id,
            seeker_id: case.seeker_id,
            organisation_id: case.organisation_id,
            to_organisation_id: to,
            reason,
            status: ReferralStatus::Sent,
            sent_on,
            answered_on: None,
            completed_on: None,
            stamp: Stamp::new(now),
        })
    }

    /// The actions the referral's status allows.
    pub fn allowed_actions(&self) -> &'static [ReferralActionKind] {
        use ReferralActionKind as A;
        match self.status {
            ReferralStatus::Sent => &[A::Accept, A::Decline],
            ReferralStatus::Accepted => &[A::Complete],
            ReferralStatus::Declined | ReferralStatus::Completed => &[],
        }
    }

    /// The referral after `action`, or why it cannot be recorded.
    pub fn apply(&self, action: &ReferralAction, now: DateTime<Utc>) -> Result<Self, DomainError> {
        let on = recorded_date("date", action.on())?;
        if !self.allowed_actions().contains(&action.kind()) {
            return Err(DomainError::InvalidTransition {
                action: action.kind().to_string(),
                from: self.status.to_string(),
                allowed: self
                    .allowed_actions()
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
            });
        }
        if on < self.sent_on {
            return Err(DomainError::invalid(
                "date",
                "before_sending",
                "a referral cannot be answered before it was sent",
            ));
        }
        let mut next = Referral {
            stamp: self.stamp.next(now),
            ..self.clone()
        };
        match action.kind() {
            ReferralActionKind::Accept => {
                next.status = ReferralStatus::Accepted;
                next.answered_on = Some(on);
            }
            ReferralActionKind::Decline => {
                next.status = ReferralStatus::Declined;
                next.answered_on = Some(on);
            }
            ReferralActionKind::Complete => {
                next.status = ReferralStatus::Completed;
                next.completed_on = Some(on);
            }
        }
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::CaseAction;
    use crate::case::tests::{case_opened, d, now};

    fn sent() -> Referral {
        Referral::send(
            &case_opened("2026-01-10"),
            OrganisationId::new(),
            " bridge course ",
            d("2026-02-01"),
            now(),
        )
        .unwrap()
    }

    #[test]
    fn a_referral_leaves_an_open_case_for_another_organisation() {
        let referral = sent();
        assert_eq!(
            (referral.status, referral.reason.as_str()),
            (ReferralStatus::Sent, "bridge course")
        );
        let case = case_opened("2026-01-10");
        let same =
            Referral::send(&case, case.organisation_id, "x", d("2026-02-01"), now()).unwrap_err();
        assert!(matches!(same, DomainError::Validation(e) if e[0].code == "same_organisation"));
        let ended = case
            .apply(
                &CaseAction::Abandon {
                    on: d("2026-01-11"),
                },
                now(),
            )
            .unwrap();
        let err =
            Referral::send(&ended, OrganisationId::new(), "x", d("2026-02-01"), now()).unwrap_err();
        assert!(matches!(
            err,
            DomainError::Conflict {
                code: "case-ended",
                ..
            }
        ));
    }

    #[test]
    fn a_referral_is_answered_once_and_completed_only_when_accepted() {
        let on = d("2026-02-03");
        let accepted = sent().apply(&ReferralAction::Accept { on }, now()).unwrap();
        assert_eq!(
            (accepted.status, accepted.answered_on),
            (ReferralStatus::Accepted, Some(on))
        );
        let completed = accepted
            .apply(&ReferralAction::Complete { on }, now())
            .unwrap();
        assert_eq!(
            (
                completed.status,
                completed.answered_on,
                completed.completed_on
            ),
            (ReferralStatus::Completed, Some(on), Some(on))
        );
        assert!(
            sent()
                .apply(&ReferralAction::Complete { on }, now())
                .is_err()
        );
        let declined = sent()
            .apply(&ReferralAction::Decline { on }, now())
            .unwrap();
        assert!(
            declined
                .apply(&ReferralAction::Accept { on }, now())
                .is_err()
        );
        assert!(
            sent()
                .apply(
                    &ReferralAction::Accept {
                        on: d("2026-01-31")
                    },
                    now()
                )
                .is_err()
        );
    }
}
