//! A referral as an aggregate: sent from a case to another organisation, then
//! sent -> accepted | declined; accepted -> completed, answered by the receiving organisation.
//!
//! What the receiving organisation sees of it depends on the seeker's consent to sharing
//! (`disclosed_to`): without it, neither the seeker's id, nor the case's, nor the free-text
//! `reason` (which may well name the person or their situation) leave the referring
//! organisation. Such referrals are still allowed: the receiver can plan a place and count the
//! referral, the seeker can turn up by themselves, and consent given later shows the rest.

use chrono::{DateTime, NaiveDate, Utc};
use iqnet_shared::ids::{CaseId, OrganisationId, ReferralId, SeekerId};
use iqnet_shared::records::Stamp;
use iqnet_shared::structure::parse_text;
use iqnet_shared::time::recorded_date;
use iqnet_shared::{DomainError, closed_enum};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::records::{AdviceSeeker, CounsellingCase, Referral};
use crate::vocabulary::{ConsentPurpose, ReferralStatus};

/// How a caller stands to a referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralSide {
    /// The referring organisation (or those who oversee it): sees everything.
    Referring,
    /// The organisation the seeker was referred to.
    Receiving,
}

/// A referral as one side may see it. For the receiving organisation, `seeker_id`, `case_id`
/// and `reason` are `null` unless the seeker's consent `sharing_with_referrals` stands.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = Referral)]
pub struct DisclosedReferral {
    pub id: ReferralId,
    pub case_id: Option<CaseId>,
    pub seeker_id: Option<SeekerId>,
    /// The referring organisation.
    pub organisation_id: OrganisationId,
    pub to_organisation_id: OrganisationId,
    #[schema(example = "adaptation qualification for nurses")]
    pub reason: Option<String>,
    pub status: ReferralStatus,
    pub sent_on: NaiveDate,
    pub answered_on: Option<NaiveDate>,
    pub completed_on: Option<NaiveDate>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

impl DisclosedReferral {
    /// Whether the seeker's data (ids, reason) is shown.
    pub fn shows_seeker(&self) -> bool {
        self.seeker_id.is_some()
    }
}

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

    /// The referral as `side` may see it; `seeker` is the referral's seeker, as recorded now.
    pub fn disclosed_to(&self, side: ReferralSide, seeker: &AdviceSeeker) -> DisclosedReferral {
        let shared = side == ReferralSide::Referring
            || (seeker.id == self.seeker_id
                && seeker.consents_to(ConsentPurpose::SharingWithReferrals));
        DisclosedReferral {
            id: self.id,
            case_id: shared.then_some(self.case_id),
            seeker_id: shared.then_some(self.seeker_id),
            organisation_id: self.organisation_id,
            to_organisation_id: self.to_organisation_id,
            reason: shared.then(|| self.reason.clone()),
            status: self.status,
            sent_on: self.sent_on,
            answered_on: self.answered_on,
            completed_on: self.completed_on,
            stamp: self.stamp,
        }
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
        DomainError::unless_allowed(action.kind(), self.status, self.allowed_actions())?;
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
        let abandon = CaseAction::Abandon {
            on: d("2026-01-11"),
        };
        let ended = case
            .apply(&abandon, &crate::case::tests::seeker(), now())
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

    /// Privacy (Art. 6, 7 GDPR): without the seeker's consent to sharing, the receiving
    /// organisation gets no personal data, and free text may hold some.
    #[test]
    fn the_receiver_sees_the_seeker_and_reason_only_while_sharing_stands() {
        let case = case_opened("2026-01-10");
        let mut seeker = crate::case::tests::seeker();
        seeker.id = case.seeker_id;
        let referral = Referral::send(
            &case,
            OrganisationId::new(),
            "Olena, nurse",
            d("2026-02-01"),
            now(),
        )
        .unwrap();
        let hidden = referral.disclosed_to(ReferralSide::Receiving, &seeker);
        assert_eq!(
            (hidden.seeker_id, hidden.case_id, hidden.reason.as_deref()),
            (None, None, None)
        );
        assert_eq!(hidden.status, ReferralStatus::Sent);
        let own = referral.disclosed_to(ReferralSide::Referring, &seeker);
        assert_eq!(own.reason.as_deref(), Some("Olena, nurse"));
        let consenting = seeker
            .give_consent(ConsentPurpose::SharingWithReferrals, now())
            .unwrap();
        let shared = referral.disclosed_to(ReferralSide::Receiving, &consenting);
        assert_eq!(shared.seeker_id, Some(case.seeker_id));
        assert!(shared.shows_seeker());
        let withdrawn = consenting
            .withdraw_consent(ConsentPurpose::SharingWithReferrals, now())
            .unwrap();
        assert!(
            !referral
                .disclosed_to(ReferralSide::Receiving, &withdrawn)
                .shows_seeker()
        );
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
