//! An advice seeker's consents: given for a purpose, withdrawn later, and kept on record
//! either way (Art. 7 GDPR: the controller must be able to show that consent was given).

use chrono::{DateTime, Utc};
use iqnet_shared::DomainError;

use crate::records::{AdviceSeeker, Consent};
use crate::vocabulary::ConsentPurpose;

impl AdviceSeeker {
    /// Whether a consent for `purpose` stands now.
    pub fn consents_to(&self, purpose: ConsentPurpose) -> bool {
        self.consents
            .iter()
            .any(|c| c.purpose == purpose && c.withdrawn_at.is_none())
    }

    /// The seeker with a consent for `purpose` given at `now`; `None` when one already stands
    /// (giving it again changes nothing).
    pub fn give_consent(&self, purpose: ConsentPurpose, now: DateTime<Utc>) -> Option<Self> {
        if self.consents_to(purpose) {
            return None;
        }
        let mut next = self.clone();
        next.consents.push(Consent {
            purpose,
            given_at: now,
            withdrawn_at: None,
        });
        next.stamp = self.stamp.next(now);
        Some(next)
    }

    /// The seeker with the standing consent for `purpose` withdrawn at `now`; a conflict when
    /// none stands.
    pub fn withdraw_consent(
        &self,
        purpose: ConsentPurpose,
        now: DateTime<Utc>,
    ) -> Result<Self, DomainError> {
        if !self.consents_to(purpose) {
            return Err(DomainError::conflict(
                "no-such-consent",
                format!("no standing consent for `{purpose}`"),
            ));
        }
        let mut next = self.clone();
        for consent in next
            .consents
            .iter_mut()
            .filter(|c| c.purpose == purpose && c.withdrawn_at.is_none())
        {
            consent.withdrawn_at = Some(now);
        }
        next.stamp = self.stamp.next(now);
        Ok(next)
    }
}

/// The consents a seeker registers with, given at `now`, each purpose once.
pub fn initial_consents(purposes: &[ConsentPurpose], now: DateTime<Utc>) -> Vec<Consent> {
    let mut consents: Vec<Consent> = Vec::new();
    for purpose in purposes {
        if !consents.iter().any(|c| c.purpose == *purpose) {
            consents.push(Consent {
                purpose: *purpose,
                given_at: now,
                withdrawn_at: None,
            });
        }
    }
    consents
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::tests::{now, seeker};

    #[test]
    fn a_consent_is_given_once_and_withdrawn_but_kept_on_record() {
        let given = seeker()
            .give_consent(ConsentPurpose::SharingWithReferrals, now())
            .unwrap();
        assert!(given.consents_to(ConsentPurpose::SharingWithReferrals));
        assert!(
            given
                .give_consent(ConsentPurpose::SharingWithReferrals, now())
                .is_none()
        );
        let withdrawn = given
            .withdraw_consent(ConsentPurpose::SharingWithReferrals, now())
            .unwrap();
        assert!(!withdrawn.consents_to(ConsentPurpose::SharingWithReferrals));
        assert_eq!(withdrawn.consents.len(), 1);
        assert_eq!(withdrawn.stamp.version, given.stamp.version + 1);
        let err = withdrawn
            .withdraw_consent(ConsentPurpose::SharingWithReferrals, now())
            .unwrap_err();
        assert!(matches!(
            err,
            DomainError::Conflict {
                code: "no-such-consent",
                ..
            }
        ));
    }

    #[test]
    fn initial_consents_keep_each_purpose_once_in_the_order_given() {
        let purposes = [
            ConsentPurpose::FollowUpContact,
            ConsentPurpose::Counselling,
            ConsentPurpose::FollowUpContact,
        ];
        let consents = initial_consents(&purposes, now());
        let kept: Vec<_> = consents.iter().map(|c| c.purpose).collect();
        assert_eq!(
            kept,
            [ConsentPurpose::FollowUpContact, ConsentPurpose::Counselling]
        );
    }
}
