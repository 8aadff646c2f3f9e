//! A network event (round table, expert day, network meeting, information event, training):
//! planned -> held (with the attendance counted by stakeholder kind) | cancelled. Public events
//! appear in the network's event calendar.

use chrono::{DateTime, Utc};
use iqnet_shared::error::Violations;
use iqnet_shared::ids::{NetworkEventId, OrganisationId, SkilledWorkerNetworkId};
use iqnet_shared::records::Stamp;
use iqnet_shared::structure::parse_text;
use iqnet_shared::time::{EARLIEST_DATE, LATEST_DATE};
use iqnet_shared::{DomainError, closed_enum};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::vocabulary::{EventKind, EventState, StakeholderKind, Topic};

/// How many people of one stakeholder kind came (no personal data is needed to count them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Attendance {
    pub stakeholder_kind: StakeholderKind,
    #[schema(example = 12)]
    pub count: i32,
}

/// What the organiser says about an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EventFacts {
    #[serde(rename = "type")]
    pub kind: EventKind,
    #[schema(
        example = "Runder Tisch Pflegekräfte aus Drittstaaten",
        min_length = 1,
        max_length = 200
    )]
    pub title: String,
    #[schema(example = "Wie Betriebe das beschleunigte Fachkräfteverfahren nutzen")]
    pub description: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    #[schema(example = "IHK Berlin, Fasanenstraße 85")]
    pub venue: Option<String>,
    pub topics: Vec<Topic>,
    /// Listed in the public event calendar.
    pub public: bool,
}

/// An event as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkEvent {
    pub id: NetworkEventId,
    pub network_id: SkilledWorkerNetworkId,
    /// The organising organisation: the network's coordinator or a member.
    pub organisation_id: OrganisationId,
    pub facts: EventFacts,
    pub state: EventState,
    /// Counted when it was held, one entry per stakeholder kind.
    pub attendance: Vec<Attendance>,
    pub stamp: Stamp,
}

closed_enum! {
    /// What can be done to an event (`POST /v1/network-events/{id}/actions`).
    pub enum EventActionKind { Hold = "hold", Cancel = "cancel" }
}

/// A change of an event's state.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
#[schema(example = json!({"action": "hold", "attendance": [{"stakeholder_kind": "company", "count": 14}, {"stakeholder_kind": "chamber", "count": 3}]}))]
pub enum EventAction {
    /// It took place (planned -> held), with the attendance by stakeholder kind.
    Hold { attendance: Vec<Attendance> },
    /// It will not take place (planned -> cancelled).
    Cancel,
}

impl EventAction {
    pub fn kind(&self) -> EventActionKind {
        match self {
            EventAction::Hold { .. } => EventActionKind::Hold,
            EventAction::Cancel => EventActionKind::Cancel,
        }
    }
}

impl EventFacts {
    /// The facts with text trimmed and topics sorted, or every broken rule at once.
    pub fn parse(self) -> Result<EventFacts, DomainError> {
        let mut v = Violations::new();
        let title = v.check("title", parse_text(&self.title, 200));
        let description = self
            .description
            .as_deref()
            .and_then(|s| v.check("description", parse_text(s, 4000)));
        let venue = self
            .venue
            .as_deref()
            .and_then(|s| v.check("venue", parse_text(s, 200)));
        for (field, at) in [("starts_at", self.starts_at), ("ends_at", self.ends_at)] {
            if !(EARLIEST_DATE..=LATEST_DATE).contains(&at.date_naive()) {
                v.push(field, "out_of_range", "a date from 1900 to 2200");
            }
        }
        if self.ends_at <= self.starts_at {
            v.push("ends_at", "before_start", "an event ends after it starts");
        }
        let mut topics = self.topics.clone();
        topics.sort();
        topics.dedup();
        v.finish(|| ())?;
        Ok(EventFacts {
            title: title.unwrap_or_default(),
            description,
            venue,
            topics,
            ..self
        })
    }
}

/// Counts are not negative, and each stakeholder kind is counted once.
fn parse_attendance(mut attendance: Vec<Attendance>) -> Result<Vec<Attendance>, DomainError> {
    let mut v = Violations::new();
    for (i, a) in attendance.iter().enumerate() {
        if !(0..=100_000).contains(&a.count) {
            v.push(
                format!("attendance[{i}].count"),
                "out_of_range",
                "0 to 100000",
            );
        }
    }
    attendance.sort_by_key(|a| a.stakeholder_kind);
    if attendance
        .windows(2)
        .any(|w| w[0].stakeholder_kind == w[1].stakeholder_kind)
    {
        v.push(
            "attendance",
            "duplicate",
            "each stakeholder kind is counted once",
        );
    }
    v.finish(|| attendance)
}

impl NetworkEvent {
    /// A new event of `network_id`, organised by `organisation_id`, `planned`.
    pub fn plan(
        (network_id, organisation_id): (SkilledWorkerNetworkId, OrganisationId),
        facts: EventFacts,
        now: DateTime<Utc>,
    ) -> Result<NetworkEvent, DomainError> {
        Ok(NetworkEvent {
            id: NetworkEventId::new(),
            network_id,
            organisation_id,
            facts: facts.parse()?,
            state: EventState::Planned,
            attendance: Vec::new(),
            stamp: Stamp::new(now),
        })
    }

    /// The event with changed facts; only a planned event changes.
    pub fn revise(
        &self,
        facts: EventFacts,
        now: DateTime<Utc>,
    ) -> Result<NetworkEvent, DomainError> {
        if self.state != EventState::Planned {
            return Err(DomainError::conflict(
                "event-not-planned",
                format!("the event is {}", self.state),
            ));
        }
        Ok(NetworkEvent {
            facts: facts.parse()?,
            stamp: self.stamp.next(now),
            ..self.clone()
        })
    }

    pub fn allowed_actions(&self) -> &'static [EventActionKind] {
        match self.state {
            EventState::Planned => &[EventActionKind::Hold, EventActionKind::Cancel],
            EventState::Held | EventState::Cancelled => &[],
        }
    }

    /// People counted over every stakeholder kind.
    pub fn total_attendance(&self) -> i64 {
        self.attendance.iter().map(|a| i64::from(a.count)).sum()
    }

    /// The event after `action`, or an `InvalidTransition` naming what its state allows. An
    /// event is recorded as held once it has begun, not before.
    pub fn apply(
        &self,
        action: EventAction,
        now: DateTime<Utc>,
    ) -> Result<NetworkEvent, DomainError> {
        DomainError::unless_allowed(action.kind(), self.state, self.allowed_actions())?;
        let mut next = NetworkEvent {
            stamp: self.stamp.next(now),
            ..self.clone()
        };
        match action {
            EventAction::Hold { attendance } => {
                if self.facts.starts_at > now {
                    return Err(DomainError::conflict(
                        "event-not-begun",
                        "an event is held once it has begun",
                    ));
                }
                next.attendance = parse_attendance(attendance)?;
                next.state = EventState::Held;
            }
            EventAction::Cancel => next.state = EventState::Cancelled,
        }
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    fn facts(starts_at: DateTime<Utc>) -> EventFacts {
        EventFacts {
            kind: EventKind::RoundTable,
            title: " Runder Tisch ".into(),
            description: None,
            starts_at,
            ends_at: starts_at + Duration::hours(2),
            venue: None,
            topics: vec![
                Topic::Recognition,
                Topic::AcceleratedProcedure,
                Topic::Recognition,
            ],
            public: true,
        }
    }

    fn event(starts_at: DateTime<Utc>) -> NetworkEvent {
        NetworkEvent::plan(
            (SkilledWorkerNetworkId::new(), OrganisationId::new()),
            facts(starts_at),
            Utc::now(),
        )
        .unwrap()
    }

    fn count(kind: StakeholderKind, count: i32) -> Attendance {
        Attendance {
            stakeholder_kind: kind,
            count,
        }
    }

    #[test]
    fn a_held_event_counts_its_attendance_by_stakeholder_kind() {
        let past = event(Utc::now() - Duration::days(1));
        assert_eq!(past.facts.title, "Runder Tisch");
        assert_eq!(
            past.facts.topics,
            [Topic::AcceleratedProcedure, Topic::Recognition]
        );
        let attendance = vec![
            count(StakeholderKind::Company, 12),
            count(StakeholderKind::Chamber, 3),
        ];
        let held = past
            .apply(EventAction::Hold { attendance }, Utc::now())
            .unwrap();
        assert_eq!(held.state, EventState::Held);
        assert_eq!(held.total_attendance(), 15);
        assert!(held.allowed_actions().is_empty());
    }

    #[test]
    fn an_event_is_held_only_once_begun_and_counted_once_per_kind() {
        let future = event(Utc::now() + Duration::days(3));
        let hold = EventAction::Hold { attendance: vec![] };
        assert!(future.apply(hold, Utc::now()).is_err());
        let past = event(Utc::now() - Duration::days(1));
        let twice = vec![
            count(StakeholderKind::Company, 1),
            count(StakeholderKind::Company, 2),
        ];
        assert!(
            past.apply(EventAction::Hold { attendance: twice }, Utc::now())
                .is_err()
        );
    }

    #[test]
    fn a_cancelled_event_allows_nothing_more() {
        let cancelled = event(Utc::now())
            .apply(EventAction::Cancel, Utc::now())
            .unwrap();
        let err = cancelled
            .apply(EventAction::Cancel, Utc::now())
            .unwrap_err();
        assert!(
            matches!(err, DomainError::InvalidTransition { allowed, .. } if allowed.is_empty())
        );
    }

    #[test]
    fn an_event_ends_after_it_starts() {
        let now = Utc::now();
        let backwards = EventFacts {
            ends_at: now,
            ..facts(now)
        };
        assert!(backwards.parse().is_err());
    }
}
