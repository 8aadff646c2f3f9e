//! A regional skilled-worker network: stakeholders of one federal state (companies, chambers,
//! the employment agency, foreigners' authorities, ...) who help recently immigrated skilled
//! workers into work, with a coordinating organisation and members that join and leave.
//!
//! It is an entity of its own rather than the regional network (`regional_networks`): a federal
//! state's IQ network is the programme's structure, while a skilled-worker network is one
//! stakeholder alliance inside it (a state may have several, e.g. per labour-market region),
//! with members that are not IQ organisations at all. It belongs to its state's regional network,
//! whose coordinators manage it.

use chrono::{DateTime, NaiveDate, Utc};
use iqnet_shared::DomainError;
use iqnet_shared::codes::StateCode;
use iqnet_shared::error::Violations;
use iqnet_shared::ids::{OrganisationId, SkilledWorkerNetworkId};
use iqnet_shared::records::Stamp;
use iqnet_shared::structure::parse_text;
use iqnet_shared::time::{EARLIEST_DATE, LATEST_DATE};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::vocabulary::{MemberRole, StakeholderKind};

/// One organisation's membership: its role, the stakeholders it stands for, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub organisation_id: OrganisationId,
    pub role: MemberRole,
    /// The kind of stakeholder the organisation represents in the network.
    pub stakeholder_kind: StakeholderKind,
    pub joined_on: NaiveDate,
    /// `null` while the organisation is a member.
    pub left_on: Option<NaiveDate>,
}

impl Member {
    /// A member on `on`: joined by then and not yet left.
    pub fn active_on(&self, on: NaiveDate) -> bool {
        self.joined_on <= on && self.left_on.is_none_or(|left| left > on)
    }
}

/// A network as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkilledWorkerNetwork {
    pub id: SkilledWorkerNetworkId,
    /// The federal state, and so the regional network, it belongs to.
    pub regional_network: StateCode,
    pub name: String,
    /// The organisation that coordinates it; its staff manage the network's records.
    pub coordinator_organisation_id: OrganisationId,
    /// Every membership, past ones included, in the order they began.
    pub members: Vec<Member>,
    pub stamp: Stamp,
}

fn date_in_range(v: &mut Violations, field: &str, on: NaiveDate) {
    if !(EARLIEST_DATE..=LATEST_DATE).contains(&on) {
        v.push(field, "out_of_range", "a date from 1900 to 2200");
    }
}

impl SkilledWorkerNetwork {
    /// A new network of `regional_network`, without members.
    pub fn found(
        regional_network: StateCode,
        name: &str,
        coordinator_organisation_id: OrganisationId,
        now: DateTime<Utc>,
    ) -> Result<SkilledWorkerNetwork, DomainError> {
        Ok(SkilledWorkerNetwork {
            id: SkilledWorkerNetworkId::new(),
            regional_network,
            name: parse_text(name, 200).map_err(|e| e.at("name"))?,
            coordinator_organisation_id,
            members: Vec::new(),
            stamp: Stamp::new(now),
        })
    }

    /// The network renamed or handed to another coordinator.
    pub fn revise(
        &self,
        name: &str,
        coordinator_organisation_id: OrganisationId,
        now: DateTime<Utc>,
    ) -> Result<SkilledWorkerNetwork, DomainError> {
        Ok(SkilledWorkerNetwork {
            name: parse_text(name, 200).map_err(|e| e.at("name"))?,
            coordinator_organisation_id,
            stamp: self.stamp.next(now),
            ..self.clone()
        })
    }

    /// The current membership of `organisation` on `on`, if any.
    pub fn membership(&self, organisation: OrganisationId, on: NaiveDate) -> Option<&Member> {
        self.members
            .iter()
            .find(|m| m.organisation_id == organisation && m.active_on(on))
    }

    /// Whether `organisation` acts for the network on `on`: its coordinator or a member.
    pub fn is_party(&self, organisation: OrganisationId, on: NaiveDate) -> bool {
        organisation == self.coordinator_organisation_id
            || self.membership(organisation, on).is_some()
    }

    /// The stakeholder kinds the members represent on `on`, each once.
    pub fn stakeholder_kinds(&self, on: NaiveDate) -> Vec<StakeholderKind> {
        let mut kinds: Vec<StakeholderKind> = self
            .members
            .iter()
            .filter(|m| m.active_on(on))
            .map(|m| m.stakeholder_kind)
            .collect();
        kinds.sort();
        kinds.dedup();
        kinds
    }

    /// The network with `member` joined. An organisation is a member once at a time.
    pub fn join(
        &self,
        member: Member,
        now: DateTime<Utc>,
    ) -> Result<SkilledWorkerNetwork, DomainError> {
        let mut v = Violations::new();
        date_in_range(&mut v, "joined_on", member.joined_on);
        if member.left_on.is_some() {
            v.push(
                "left_on",
                "not_allowed",
                "a member leaves with `POST .../departure`",
            );
        }
        v.finish(|| ())?;
        let overlapping = self.members.iter().any(|m| {
            m.organisation_id == member.organisation_id
                && m.left_on.is_none_or(|left| left > member.joined_on)
        });
        if overlapping {
            return Err(DomainError::conflict(
                "already-member",
                "the organisation is already a member of the network",
            ));
        }
        let mut next = self.clone();
        next.members.push(member);
        next.stamp = self.stamp.next(now);
        Ok(next)
    }

    /// The network after `organisation` left on `on` (not before it joined).
    pub fn leave(
        &self,
        organisation: OrganisationId,
        on: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<SkilledWorkerNetwork, DomainError> {
        let mut next = self.clone();
        let Some(member) = next
            .members
            .iter_mut()
            .find(|m| m.organisation_id == organisation && m.left_on.is_none())
        else {
            return Err(DomainError::conflict(
                "not-a-member",
                "the organisation is not a member of the network",
            ));
        };
        if on < member.joined_on {
            return Err(DomainError::invalid(
                "left_on",
                "before_joining",
                "a member cannot leave before it joined",
            ));
        }
        let mut v = Violations::new();
        date_in_range(&mut v, "left_on", on);
        v.finish(|| ())?;
        member.left_on = Some(on);
        next.stamp = self.stamp.next(now);
        Ok(next)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    pub(crate) fn network() -> SkilledWorkerNetwork {
        SkilledWorkerNetwork::found(
            StateCode::Berlin,
            " Fachkräftenetzwerk Berlin ",
            OrganisationId::new(),
            Utc::now(),
        )
        .unwrap()
    }

    fn member(org: OrganisationId, joined_on: NaiveDate) -> Member {
        Member {
            organisation_id: org,
            role: MemberRole::Member,
            stakeholder_kind: StakeholderKind::Chamber,
            joined_on,
            left_on: None,
        }
    }

    #[test]
    fn a_member_acts_for_the_network_while_it_belongs_to_it() {
        let org = OrganisationId::new();
        let joined = network()
            .join(member(org, d(2026, 1, 1)), Utc::now())
            .unwrap();
        assert_eq!(joined.name, "Fachkräftenetzwerk Berlin");
        assert!(joined.is_party(org, d(2026, 6, 1)));
        assert!(!joined.is_party(org, d(2025, 12, 31)));
        assert_eq!(
            joined.stakeholder_kinds(d(2026, 6, 1)),
            [StakeholderKind::Chamber]
        );
        let left = joined.leave(org, d(2026, 6, 30), Utc::now()).unwrap();
        assert!(!left.is_party(org, d(2026, 7, 1)));
        assert_eq!(left.stamp.version, 3);
    }

    #[test]
    fn an_organisation_is_a_member_once_at_a_time() {
        let org = OrganisationId::new();
        let joined = network()
            .join(member(org, d(2026, 1, 1)), Utc::now())
            .unwrap();
        let err = joined
            .join(member(org, d(2026, 2, 1)), Utc::now())
            .unwrap_err();
        assert!(matches!(
            err,
            DomainError::Conflict {
                code: "already-member",
                ..
            }
        ));
        let left = joined.leave(org, d(2026, 3, 1), Utc::now()).unwrap();
        assert!(left.join(member(org, d(2026, 4, 1)), Utc::now()).is_ok());
    }

    #[test]
    fn nobody_leaves_before_joining() {
        let org = OrganisationId::new();
        let joined = network()
            .join(member(org, d(2026, 1, 1)), Utc::now())
            .unwrap();
        assert!(joined.leave(org, d(2025, 1, 1), Utc::now()).is_err());
        assert!(network().leave(org, d(2026, 1, 1), Utc::now()).is_err());
    }
}
