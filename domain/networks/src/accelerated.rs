//! The accelerated skilled-worker procedure (§ 81a AufenthG): an employer, authorised by the
//! skilled worker, has the foreigners' authority run recognition, the employment agency's
//! approval and the visa's pre-approval. Its milestones come in one order, each on a date no
//! earlier than the one before: agreement_signed -> recognition_decided -> ba_approval ->
//! pre_approval -> visa_issued -> entered.
//!
//! The recognition it waits for is area 1's recognition procedure filed as accelerated (§ 14a
//! BQFG: receipt confirmed within two weeks, decision within two months); the link shows those
//! deadlines, and `recognition_decided` is recorded once that procedure has a decision.

use chrono::{DateTime, NaiveDate, Utc};
use iqnet_counselling::procedure::ProcedureKind;
use iqnet_counselling::records::RecognitionProcedure;
use iqnet_shared::DomainError;
use iqnet_shared::error::Violations;
use iqnet_shared::ids::{
    AcceleratedProcedureId, ConsultationId, OrganisationId, ProcedureId, SeekerId,
    SkilledWorkerNetworkId,
};
use iqnet_shared::records::Stamp;
use iqnet_shared::time::recorded_date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::consultation::Consultation;
use crate::network::SkilledWorkerNetwork;
use crate::vocabulary::{Milestone, Stage, TargetTitle};

/// A milestone reached, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Reached {
    pub milestone: Milestone,
    pub on: NaiveDate,
}

/// An accelerated procedure as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceleratedProcedure {
    pub id: AcceleratedProcedureId,
    pub network_id: SkilledWorkerNetworkId,
    /// The supporting organisation (the network's coordinator or a member): the owner.
    pub organisation_id: OrganisationId,
    /// The employer driving the procedure.
    pub company_id: OrganisationId,
    pub target_title: TargetTitle,
    /// The employer consultation it came from.
    pub consultation_id: Option<ConsultationId>,
    /// The skilled worker, an advice seeker of area 1.
    pub seeker_id: Option<SeekerId>,
    /// The worker's accelerated recognition procedure (area 1).
    pub procedure_id: Option<ProcedureId>,
    /// The milestones reached, in their order.
    pub milestones: Vec<Reached>,
    pub stamp: Stamp,
}

/// The area-1 and area-4 records a new procedure names.
#[derive(Debug, Clone, Copy, Default)]
pub struct Links<'a> {
    pub seeker: Option<SeekerId>,
    pub procedure: Option<&'a RecognitionProcedure>,
    pub consultation: Option<&'a Consultation>,
}

impl Links<'_> {
    /// The seeker the links agree on: the procedure's is the seeker's; the consultation is of
    /// the same network and company.
    fn check(
        &self,
        network: &SkilledWorkerNetwork,
        company: OrganisationId,
    ) -> Result<Option<SeekerId>, DomainError> {
        let mut v = Violations::new();
        let mut seeker = self.seeker;
        if let Some(p) = self.procedure {
            if seeker.is_some_and(|s| s != p.seeker_id) {
                v.push(
                    "procedure_id",
                    "other_seeker",
                    "the procedure is of another seeker",
                );
            }
            seeker = Some(p.seeker_id);
            let facts = p.procedure.facts;
            if facts.kind != ProcedureKind::Recognition || !facts.accelerated {
                v.push(
                    "procedure_id",
                    "not_accelerated",
                    "the recognition procedure was not filed as accelerated (§ 14a BQFG)",
                );
            }
        }
        if self
            .consultation
            .is_some_and(|c| c.network_id != network.id || c.company_id != company)
        {
            v.push(
                "consultation_id",
                "other_company",
                "the consultation is of another network or company",
            );
        }
        v.finish(|| seeker)
    }
}

impl AcceleratedProcedure {
    /// A new procedure of `company_id`, supported by `organisation_id` for `network`.
    pub fn initiate(
        network: &SkilledWorkerNetwork,
        (organisation_id, company_id): (OrganisationId, OrganisationId),
        target_title: TargetTitle,
        links: Links<'_>,
        now: DateTime<Utc>,
    ) -> Result<AcceleratedProcedure, DomainError> {
        if !network.is_party(organisation_id, iqnet_shared::time::today_in_germany()) {
            return Err(DomainError::invalid(
                "organisation_id",
                "not_a_member",
                "the supporting organisation coordinates or belongs to the network",
            ));
        }
        let seeker_id = links.check(network, company_id)?;
        Ok(AcceleratedProcedure {
            id: AcceleratedProcedureId::new(),
            network_id: network.id,
            organisation_id,
            company_id,
            target_title,
            consultation_id: links.consultation.map(|c| c.id),
            seeker_id,
            procedure_id: links.procedure.map(|p| p.id),
            milestones: Vec::new(),
            stamp: Stamp::new(now),
        })
    }

    /// The latest milestone reached, or `initiated` before the agreement.
    pub fn stage(&self) -> Stage {
        Stage::from(self.milestones.last().map(|r| r.milestone))
    }

    /// When `milestone` was reached, if it was.
    pub fn reached_on(&self, milestone: Milestone) -> Option<NaiveDate> {
        self.milestones
            .iter()
            .find(|r| r.milestone == milestone)
            .map(|r| r.on)
    }

    /// The one milestone that may be recorded next (none after entry).
    pub fn next_milestone(&self) -> &'static [Milestone] {
        Milestone::ALL
            .get(self.milestones.len()..=self.milestones.len())
            .unwrap_or(&[])
    }

    /// Days from each milestone to the one before it (`None` for the first).
    pub fn intervals(&self) -> Vec<Option<i64>> {
        let mut previous: Option<NaiveDate> = None;
        self.milestones
            .iter()
            .map(|r| {
                let days = previous.map(|p| (r.on - p).num_days());
                previous = Some(r.on);
                days
            })
            .collect()
    }

    /// Days from the agreement to the latest milestone.
    pub fn total_days(&self) -> Option<i64> {
        let first = self.milestones.first()?;
        let last = self.milestones.last()?;
        Some((last.on - first.on).num_days())
    }

    /// The procedure with `milestone` reached on `on`: the next one in order, not dated before
    /// the one before it, and `recognition_decided` only once the linked recognition procedure
    /// (if any) has a decision.
    pub fn record(
        &self,
        reached: Reached,
        recognition: Option<&RecognitionProcedure>,
        now: DateTime<Utc>,
    ) -> Result<AcceleratedProcedure, DomainError> {
        DomainError::unless_allowed(reached.milestone, self.stage(), self.next_milestone())?;
        let on = recorded_date("date", reached.on)?;
        if self.milestones.last().is_some_and(|last| on < last.on) {
            return Err(DomainError::invalid(
                "date",
                "before_previous",
                "a milestone is not dated before the one before it",
            ));
        }
        let undecided = recognition.is_some_and(|p| p.procedure.decided_on.is_none());
        if reached.milestone == Milestone::RecognitionDecided && undecided {
            return Err(DomainError::conflict(
                "recognition-not-decided",
                "the linked recognition procedure has no decision yet",
            ));
        }
        let mut next = AcceleratedProcedure {
            stamp: self.stamp.next(now),
            ..self.clone()
        };
        next.milestones.push(Reached {
            milestone: reached.milestone,
            on,
        });
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::tests::{d, network};

    fn procedure() -> AcceleratedProcedure {
        let net = network();
        AcceleratedProcedure::initiate(
            &net,
            (net.coordinator_organisation_id, OrganisationId::new()),
            TargetTitle::S18a,
            Links::default(),
            Utc::now(),
        )
        .unwrap()
    }

    fn reach(milestone: Milestone, on: NaiveDate) -> Reached {
        Reached { milestone, on }
    }

    #[test]
    fn the_milestones_come_in_order_and_their_intervals_are_counted() {
        let mut p = procedure();
        let dates = [
            d(2026, 1, 5),
            d(2026, 2, 20),
            d(2026, 3, 2),
            d(2026, 3, 9),
            d(2026, 4, 1),
            d(2026, 5, 4),
        ];
        for (milestone, on) in Milestone::ALL.iter().zip(dates) {
            p = p.record(reach(*milestone, on), None, Utc::now()).unwrap();
        }
        assert_eq!(p.stage(), Stage::Entered);
        assert_eq!(
            p.intervals(),
            [None, Some(46), Some(10), Some(7), Some(23), Some(33)]
        );
        assert_eq!(p.total_days(), Some(119));
        assert!(p.next_milestone().is_empty());
    }

    #[test]
    fn a_milestone_out_of_order_names_the_next_one() {
        let err = procedure()
            .record(
                reach(Milestone::VisaIssued, d(2026, 1, 5)),
                None,
                Utc::now(),
            )
            .unwrap_err();
        assert_eq!(
            err,
            DomainError::InvalidTransition {
                action: "visa_issued".into(),
                from: "initiated".into(),
                allowed: vec!["agreement_signed".into()],
            }
        );
    }

    #[test]
    fn a_milestone_is_not_dated_before_the_previous_one() {
        let p = procedure()
            .record(
                reach(Milestone::AgreementSigned, d(2026, 2, 1)),
                None,
                Utc::now(),
            )
            .unwrap();
        let err = p
            .record(
                reach(Milestone::RecognitionDecided, d(2026, 1, 1)),
                None,
                Utc::now(),
            )
            .unwrap_err();
        assert!(matches!(err, DomainError::Validation(_)));
    }
}
