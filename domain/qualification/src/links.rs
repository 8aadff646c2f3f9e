//! What an application answers in area 1: the referral to the measure's provider it follows,
//! and the recognition procedure whose decision found the gaps the measure closes.

use iqnet_counselling::procedure::Decision;
use iqnet_counselling::records::{RecognitionProcedure, Referral};
use iqnet_shared::DomainError;
use iqnet_shared::error::Violations;
use iqnet_shared::ids::SeekerId;

use crate::measure::Measure;

/// The area-1 records an application names, if any.
#[derive(Debug, Clone, Copy, Default)]
pub struct Links<'a> {
    pub referral: Option<&'a Referral>,
    pub procedure: Option<&'a RecognitionProcedure>,
}

impl Links<'_> {
    /// Each link must be about the same seeker; the referral must go to the measure's provider;
    /// the procedure must have decided gaps a measure can close.
    pub(crate) fn check(&self, seeker: SeekerId, measure: &Measure) -> Result<(), DomainError> {
        let mut v = Violations::new();
        if let Some(r) = self.referral {
            if r.seeker_id != seeker {
                v.push(
                    "referral_id",
                    "other_seeker",
                    "the referral is of another seeker",
                );
            } else if r.to_organisation_id != measure.organisation_id {
                v.push(
                    "referral_id",
                    "other_provider",
                    "the referral is to another organisation",
                );
            }
        }
        if let Some(p) = self.procedure {
            let decision = p.procedure.decision.as_ref().map(|d| d.decision);
            if p.seeker_id != seeker {
                v.push(
                    "procedure_id",
                    "other_seeker",
                    "the procedure is of another seeker",
                );
            } else if !matches!(
                decision,
                Some(Decision::PartialEquivalence | Decision::CompensationRequired)
            ) {
                v.push(
                    "procedure_id",
                    "no_gaps_decided",
                    "a measure answers a decision of partial equivalence or compensation required",
                );
            }
        }
        v.finish(|| ())
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use iqnet_shared::ids::{OrganisationId, ReferralId};
    use iqnet_shared::records::Stamp;

    use super::*;
    use crate::enrolment::Enrolment;
    use crate::measure::tests::measure;
    use crate::vocabulary::MeasureState;

    fn today() -> chrono::NaiveDate {
        iqnet_shared::time::today_in_germany()
    }

    fn referral(seeker: SeekerId, to: OrganisationId) -> Referral {
        Referral {
            id: ReferralId::new(),
            case_id: iqnet_shared::ids::CaseId::new(),
            seeker_id: seeker,
            organisation_id: OrganisationId::new(),
            to_organisation_id: to,
            reason: "bridge course".into(),
            status: iqnet_counselling::vocabulary::ReferralStatus::Sent,
            sent_on: today(),
            answered_on: None,
            completed_on: None,
            stamp: Stamp::new(Utc::now()),
        }
    }

    #[test]
    fn a_referral_links_only_the_same_seeker_to_the_measures_provider() {
        let open = measure(MeasureState::Open);
        let seeker = SeekerId::new();
        let apply = |r: &Referral| {
            let links = Links {
                referral: Some(r),
                procedure: None,
            };
            Enrolment::apply_for(
                &open,
                (seeker, OrganisationId::new()),
                (None, links),
                Utc::now(),
            )
        };
        let ok = apply(&referral(seeker, open.organisation_id)).unwrap();
        assert!(ok.referral_id.is_some());
        for (r, code) in [
            (
                referral(SeekerId::new(), open.organisation_id),
                "other_seeker",
            ),
            (referral(seeker, OrganisationId::new()), "other_provider"),
        ] {
            match apply(&r).unwrap_err() {
                DomainError::Validation(errors) => assert_eq!(errors[0].code, code),
                other => panic!("{other:?}"),
            }
        }
    }
}
