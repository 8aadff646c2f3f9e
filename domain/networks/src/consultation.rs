//! An employer consultation: a company asks how to hire from abroad. inquiry -> in_progress ->
//! referred | closed; referrals go to network members (the recognition authority, the
//! foreigners' authority, the employment agency's employer service), whose answers are recorded.
//!
//! It may name the skilled worker concerned, an advice seeker of area 1: then it carries that
//! person's data under area 1's rules (owner, scope, consent to sharing, audit).

use chrono::{DateTime, NaiveDate, Utc};
use iqnet_shared::codes::{CountryCode, KldbCode};
use iqnet_shared::error::Violations;
use iqnet_shared::ids::{
    ConsultationId, ConsultationReferralId, OrganisationId, SeekerId, SkilledWorkerNetworkId,
};
use iqnet_shared::records::Stamp;
use iqnet_shared::structure::parse_text;
use iqnet_shared::time::recorded_date;
use iqnet_shared::{DomainError, closed_enum};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::network::SkilledWorkerNetwork;
use crate::vocabulary::{ConsultationState, ReferralService, Topic};

/// What the company asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Inquiry {
    pub topics: Vec<Topic>,
    /// The reference occupations (KldB 2010) the company wants to fill.
    #[schema(value_type = Vec<String>, example = json!(["81302"]))]
    pub target_occupations: Vec<KldbCode>,
    /// The countries it wants to recruit from (ISO 3166-1 alpha-2).
    #[schema(value_type = Vec<String>, example = json!(["PH", "IN"]))]
    pub countries: Vec<CountryCode>,
    /// How many posts it wants to fill.
    #[schema(example = 5)]
    pub posts: i32,
    pub received_on: NaiveDate,
}

/// A referral of the consultation to a network member, and its answer once recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ConsultationReferral {
    pub id: ConsultationReferralId,
    pub to_organisation_id: OrganisationId,
    pub service: ReferralService,
    pub sent_on: NaiveDate,
    #[schema(example = "Vorabzustimmung möglich, Unterlagen vollständig")]
    pub answer: Option<String>,
    pub answered_on: Option<NaiveDate>,
}

/// A consultation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consultation {
    pub id: ConsultationId,
    pub network_id: SkilledWorkerNetworkId,
    /// The consulting organisation (the network's coordinator or a member): the owner.
    pub organisation_id: OrganisationId,
    /// The company asking (an organisation of kind `company_sme` or `company_large`).
    pub company_id: OrganisationId,
    /// The skilled worker concerned, an advice seeker of the consulting organisation.
    pub seeker_id: Option<SeekerId>,
    pub inquiry: Inquiry,
    pub state: ConsultationState,
    pub referrals: Vec<ConsultationReferral>,
    pub closed_on: Option<NaiveDate>,
    pub stamp: Stamp,
}

closed_enum! {
    /// What can be done to a consultation (`POST /v1/employer-consultations/{id}/actions`).
    pub enum ConsultationActionKind {
        Start = "start", Refer = "refer", RecordAnswer = "record_answer", Close = "close",
    }
}

/// A change of a consultation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
#[schema(example = json!({"action": "refer", "to_organisation_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e6f", "service": "foreigners_authority", "date": "2026-11-20"}))]
pub enum ConsultationAction {
    /// Advice has begun (inquiry -> in_progress).
    Start,
    /// Referred to a network member's service (in_progress | referred -> referred).
    Refer {
        to_organisation_id: OrganisationId,
        service: ReferralService,
        #[serde(rename = "date")]
        on: NaiveDate,
    },
    /// The referred member's answer (by that member; once per referral).
    RecordAnswer {
        referral_id: ConsultationReferralId,
        #[schema(min_length = 1, max_length = 4000)]
        answer: String,
        #[serde(rename = "date")]
        on: NaiveDate,
    },
    /// Done (inquiry | in_progress | referred -> closed).
    Close {
        #[serde(rename = "date")]
        on: NaiveDate,
    },
}

impl ConsultationAction {
    pub fn kind(&self) -> ConsultationActionKind {
        match self {
            ConsultationAction::Start => ConsultationActionKind::Start,
            ConsultationAction::Refer { .. } => ConsultationActionKind::Refer,
            ConsultationAction::RecordAnswer { .. } => ConsultationActionKind::RecordAnswer,
            ConsultationAction::Close { .. } => ConsultationActionKind::Close,
        }
    }
}

impl Inquiry {
    /// The inquiry with its lists sorted, or every broken rule at once.
    pub fn parse(self) -> Result<Inquiry, DomainError> {
        let mut v = Violations::new();
        if self.topics.is_empty() {
            v.push("topics", "required", "at least one topic");
        }
        if !(1..=10_000).contains(&self.posts) {
            v.push("posts", "out_of_range", "1 to 10000 posts");
        }
        let received_on = v.check(
            "received_on",
            recorded_date("received_on", self.received_on),
        );
        v.finish(|| ())?;
        let mut next = Inquiry {
            received_on: received_on.unwrap_or(self.received_on),
            ..self
        };
        next.topics.sort();
        next.topics.dedup();
        next.target_occupations.sort();
        next.target_occupations.dedup();
        next.countries.sort();
        next.countries.dedup();
        Ok(next)
    }
}

impl Consultation {
    /// A new inquiry of `company_id`, taken by `organisation_id` for `network`.
    pub fn receive(
        network: &SkilledWorkerNetwork,
        (organisation_id, company_id, seeker_id): (
            OrganisationId,
            OrganisationId,
            Option<SeekerId>,
        ),
        inquiry: Inquiry,
        now: DateTime<Utc>,
    ) -> Result<Consultation, DomainError> {
        let inquiry = inquiry.parse()?;
        if !network.is_party(organisation_id, inquiry.received_on) {
            return Err(DomainError::invalid(
                "organisation_id",
                "not_a_member",
                "the consulting organisation coordinates or belongs to the network",
            ));
        }
        Ok(Consultation {
            id: ConsultationId::new(),
            network_id: network.id,
            organisation_id,
            company_id,
            seeker_id,
            inquiry,
            state: ConsultationState::Inquiry,
            referrals: Vec::new(),
            closed_on: None,
            stamp: Stamp::new(now),
        })
    }

    pub fn allowed_actions(&self) -> &'static [ConsultationActionKind] {
        use ConsultationActionKind as A;
        match self.state {
            ConsultationState::Inquiry => &[A::Start, A::Close],
            ConsultationState::InProgress => &[A::Refer, A::Close],
            ConsultationState::Referred => &[A::Refer, A::RecordAnswer, A::Close],
            // An answer may still arrive after the consulting organisation closed the case.
            ConsultationState::Closed => &[A::RecordAnswer],
        }
    }

    /// The referral `id`, if the consultation has it.
    pub fn referral(&self, id: ConsultationReferralId) -> Option<&ConsultationReferral> {
        self.referrals.iter().find(|r| r.id == id)
    }

    /// Whether `organisation` was referred the consultation.
    pub fn referred_to(&self, organisation: OrganisationId) -> bool {
        self.referrals
            .iter()
            .any(|r| r.to_organisation_id == organisation)
    }

    /// The consultation after `action`; a referral goes to a current member of `network`.
    pub fn apply(
        &self,
        action: ConsultationAction,
        network: &SkilledWorkerNetwork,
        now: DateTime<Utc>,
    ) -> Result<Consultation, DomainError> {
        DomainError::unless_allowed(action.kind(), self.state, self.allowed_actions())?;
        let mut next = Consultation {
            stamp: self.stamp.next(now),
            ..self.clone()
        };
        match action {
            ConsultationAction::Start => next.state = ConsultationState::InProgress,
            ConsultationAction::Refer {
                to_organisation_id,
                service,
                on,
            } => {
                let on = recorded_date("date", on)?;
                if network.membership(to_organisation_id, on).is_none() {
                    return Err(DomainError::invalid(
                        "to_organisation_id",
                        "not_a_member",
                        "a consultation is referred to a member of the network",
                    ));
                }
                next.referrals.push(ConsultationReferral {
                    id: ConsultationReferralId::new(),
                    to_organisation_id,
                    service,
                    sent_on: on,
                    answer: None,
                    answered_on: None,
                });
                next.state = ConsultationState::Referred;
            }
            ConsultationAction::RecordAnswer {
                referral_id,
                answer,
                on,
            } => {
                let on = recorded_date("date", on)?;
                let answer = parse_text(&answer, 4000).map_err(|e| e.at("answer"))?;
                let Some(referral) = next.referrals.iter_mut().find(|r| r.id == referral_id) else {
                    return Err(DomainError::invalid(
                        "referral_id",
                        "not_found",
                        "no such referral",
                    ));
                };
                if referral.answer.is_some() {
                    return Err(DomainError::conflict(
                        "already-answered",
                        "the referral was answered",
                    ));
                }
                if on < referral.sent_on {
                    return Err(DomainError::invalid(
                        "date",
                        "before_referral",
                        "an answer follows its referral",
                    ));
                }
                referral.answer = Some(answer);
                referral.answered_on = Some(on);
            }
            ConsultationAction::Close { on } => {
                let on = recorded_date("date", on)?;
                if on < self.inquiry.received_on {
                    return Err(DomainError::invalid(
                        "date",
                        "before_inquiry",
                        "closed before it was received",
                    ));
                }
                next.closed_on = Some(on);
                next.state = ConsultationState::Closed;
            }
        }
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::Member;
    use crate::network::tests::network;
    use crate::vocabulary::{MemberRole, StakeholderKind};

    fn today() -> NaiveDate {
        iqnet_shared::time::today_in_germany()
    }

    fn inquiry() -> Inquiry {
        Inquiry {
            topics: vec![Topic::Recognition],
            target_occupations: vec![],
            countries: vec![],
            posts: 3,
            received_on: today(),
        }
    }

    fn setting() -> (SkilledWorkerNetwork, OrganisationId, Consultation) {
        let agency = OrganisationId::new();
        let member = Member {
            organisation_id: agency,
            role: MemberRole::Partner,
            stakeholder_kind: StakeholderKind::ForeignersAuthority,
            joined_on: today(),
            left_on: None,
        };
        let net = network().join(member, Utc::now()).unwrap();
        let parties = (net.coordinator_organisation_id, OrganisationId::new(), None);
        let c = Consultation::receive(&net, parties, inquiry(), Utc::now()).unwrap();
        (net, agency, c)
    }

    #[test]
    fn an_inquiry_is_referred_to_a_member_and_answered() {
        let (net, agency, c) = setting();
        let started = c
            .apply(ConsultationAction::Start, &net, Utc::now())
            .unwrap();
        let refer = ConsultationAction::Refer {
            to_organisation_id: agency,
            service: ReferralService::ForeignersAuthority,
            on: today(),
        };
        let referred = started.apply(refer, &net, Utc::now()).unwrap();
        assert_eq!(referred.state, ConsultationState::Referred);
        assert!(referred.referred_to(agency));
        let answer = ConsultationAction::RecordAnswer {
            referral_id: referred.referrals[0].id,
            answer: "Vorabzustimmung möglich".into(),
            on: today(),
        };
        let answered = referred.apply(answer, &net, Utc::now()).unwrap();
        assert_eq!(answered.referrals[0].answered_on, Some(today()));
    }

    #[test]
    fn only_members_are_referred_and_only_in_order() {
        let (net, _, c) = setting();
        let refer = ConsultationAction::Refer {
            to_organisation_id: OrganisationId::new(),
            service: ReferralService::EmployerService,
            on: today(),
        };
        let err = c.apply(refer.clone(), &net, Utc::now()).unwrap_err();
        assert!(
            matches!(err, DomainError::InvalidTransition { ref allowed, .. } if allowed == &["start", "close"])
        );
        let started = c
            .apply(ConsultationAction::Start, &net, Utc::now())
            .unwrap();
        assert!(matches!(
            started.apply(refer, &net, Utc::now()),
            Err(DomainError::Validation(_))
        ));
    }

    #[test]
    fn an_outsider_does_not_consult_for_the_network() {
        let net = network();
        let parties = (OrganisationId::new(), OrganisationId::new(), None);
        assert!(Consultation::receive(&net, parties, inquiry(), Utc::now()).is_err());
    }
}
