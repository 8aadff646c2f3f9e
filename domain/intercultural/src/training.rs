//! An intercultural training: what it teaches, for whom, its trainers and sessions, its places,
//! and its lifecycle planned -> open -> running -> completed | cancelled.

use chrono::{DateTime, NaiveDate, Utc};
use iqnet_shared::error::Violations;
use iqnet_shared::ids::{OrganisationId, TrainingId, UserId};
use iqnet_shared::records::Stamp;
use iqnet_shared::structure::parse_text;
use iqnet_shared::{DomainError, closed_enum};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::vocabulary::{TargetKind, TrainingFormat, TrainingState, TrainingTopic};

/// One meeting of a training: when, how many teaching hours, and where (a venue, an online link,
/// or both for a hybrid session).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingSession {
    #[schema(example = "2027-03-01T08:00:00Z")]
    pub starts_at: DateTime<Utc>,
    #[schema(example = "2027-03-01T15:00:00Z")]
    pub ends_at: DateTime<Utc>,
    /// Teaching hours.
    #[schema(example = 6)]
    pub hours: i32,
    #[schema(example = "Jobcenter Leipzig, Georg-Schumann-Str. 150, Raum 3")]
    pub venue: Option<String>,
    #[schema(example = "https://meet.example.org/ik-training")]
    pub online_url: Option<String>,
}

/// What a provider says about a training: everything but its id, owner, places taken and state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TrainingFacts {
    #[schema(
        example = "Interkulturelle Kompetenz in der Beratung",
        min_length = 1,
        max_length = 200
    )]
    pub title: String,
    #[schema(example = "Grundlagen für Mitarbeitende mit Kundenkontakt")]
    pub description: Option<String>,
    pub format: TrainingFormat,
    pub topics: Vec<TrainingTopic>,
    /// The kinds of organisation the training is for.
    pub target_kinds: Vec<TargetKind>,
    /// Trainers: staff of the providing organisation.
    pub trainer_ids: Vec<UserId>,
    /// Places for participants, shared out by registrations.
    #[schema(example = 20)]
    pub capacity: i32,
    /// In time order; the first and the last give the training's dates.
    pub sessions: Vec<TrainingSession>,
}

/// A training as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Training {
    pub id: TrainingId,
    /// The providing organisation; its trainers manage the training.
    pub organisation_id: OrganisationId,
    pub facts: TrainingFacts,
    pub state: TrainingState,
    /// Places held by confirmed registrations; never above `capacity`.
    pub places_taken: i32,
    pub stamp: Stamp,
}

closed_enum! {
    /// What can be done to a training (`POST /v1/trainings/{id}/actions`).
    pub enum TrainingActionKind { Open = "open", Start = "start", Complete = "complete", Cancel = "cancel" }
}

/// A change of a training's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
#[schema(example = json!({"action": "open"}))]
pub enum TrainingAction {
    /// Registrations are taken and the training is in the public calendar (planned -> open).
    Open,
    /// The first session has begun (open -> running).
    Start,
    /// The last session is over (running -> completed).
    Complete,
    /// It will not take place or stops (planned | open | running -> cancelled).
    Cancel,
}

impl TrainingAction {
    pub fn kind(self) -> TrainingActionKind {
        match self {
            TrainingAction::Open => TrainingActionKind::Open,
            TrainingAction::Start => TrainingActionKind::Start,
            TrainingAction::Complete => TrainingActionKind::Complete,
            TrainingAction::Cancel => TrainingActionKind::Cancel,
        }
    }
}

fn sorted<T: Ord + Clone>(items: &[T]) -> Vec<T> {
    let mut all = items.to_vec();
    all.sort();
    all.dedup();
    all
}

fn check_session(v: &mut Violations, i: usize, s: &TrainingSession) -> TrainingSession {
    let at = |field: &str| format!("sessions[{i}].{field}");
    if s.ends_at <= s.starts_at {
        v.push(
            at("ends_at"),
            "before_start",
            "a session ends after it starts",
        );
    }
    if !(1..=12).contains(&s.hours) {
        v.push(at("hours"), "out_of_range", "1 to 12 teaching hours");
    }
    let venue = s
        .venue
        .as_deref()
        .and_then(|t| v.check(&at("venue"), parse_text(t, 300)));
    let online_url = s
        .online_url
        .as_deref()
        .and_then(|t| v.check(&at("online_url"), parse_text(t, 500)));
    if let Some(url) = &online_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        v.push(at("online_url"), "invalid", "an http(s) link");
    }
    if s.venue.is_none() && s.online_url.is_none() {
        v.push(at("venue"), "required", "a venue or an online link");
    }
    TrainingSession {
        venue,
        online_url,
        ..s.clone()
    }
}

impl TrainingFacts {
    /// The facts with their text trimmed, their lists sorted and the sessions in time order, or
    /// every broken rule at once.
    pub fn parse(self) -> Result<TrainingFacts, DomainError> {
        let mut v = Violations::new();
        let title = v.check("title", parse_text(&self.title, 200));
        let description = self
            .description
            .as_deref()
            .and_then(|s| v.check("description", parse_text(s, 2_000)));
        for (field, empty) in [
            ("topics", self.topics.is_empty()),
            ("target_kinds", self.target_kinds.is_empty()),
            ("sessions", self.sessions.is_empty()),
        ] {
            if empty {
                v.push(field, "required", "at least one");
            }
        }
        if self.sessions.len() > 100 {
            v.push("sessions", "too_many", "at most 100 sessions");
        }
        if !(1..=500).contains(&self.capacity) {
            v.push("capacity", "out_of_range", "1 to 500 places");
        }
        let mut sessions: Vec<TrainingSession> = self
            .sessions
            .iter()
            .enumerate()
            .map(|(i, s)| check_session(&mut v, i, s))
            .collect();
        v.finish(|| ())?;
        sessions.sort_by_key(|s| s.starts_at);
        Ok(TrainingFacts {
            title: title.unwrap_or_default(),
            description,
            topics: sorted(&self.topics),
            target_kinds: sorted(&self.target_kinds),
            trainer_ids: sorted(&self.trainer_ids),
            sessions,
            ..self
        })
    }

    /// The day of the first session (parsed facts have at least one).
    pub fn starts_on(&self) -> NaiveDate {
        self.sessions
            .first()
            .map_or(NaiveDate::MIN, |s| s.starts_at.date_naive())
    }

    /// The day the last session ends.
    pub fn ends_on(&self) -> NaiveDate {
        self.sessions
            .iter()
            .map(|s| s.ends_at.date_naive())
            .max()
            .unwrap_or(NaiveDate::MIN)
    }

    /// All teaching hours.
    pub fn hours(&self) -> i32 {
        self.sessions.iter().map(|s| s.hours).sum()
    }
}

impl Training {
    /// A new training of `organisation`, `planned`, no place taken.
    pub fn plan(
        organisation_id: OrganisationId,
        facts: TrainingFacts,
        now: DateTime<Utc>,
    ) -> Result<Training, DomainError> {
        Ok(Training {
            id: TrainingId::new(),
            organisation_id,
            facts: facts.parse()?,
            state: TrainingState::Planned,
            places_taken: 0,
            stamp: Stamp::new(now),
        })
    }

    /// The training with changed facts. Capacity cannot fall below the places taken; once it
    /// runs, its sessions keep their number (participation is counted per session number); an
    /// ended training is no longer edited.
    pub fn revise(
        &self,
        facts: TrainingFacts,
        now: DateTime<Utc>,
    ) -> Result<Training, DomainError> {
        if self.has_ended() {
            return Err(DomainError::conflict(
                "training-ended",
                format!("the training is {}", self.state),
            ));
        }
        let facts = facts.parse()?;
        if facts.capacity < self.places_taken {
            return Err(DomainError::invalid(
                "capacity",
                "below_places_taken",
                format!("{} places are taken", self.places_taken),
            ));
        }
        if self.state == TrainingState::Running && facts.sessions.len() != self.facts.sessions.len()
        {
            return Err(DomainError::invalid(
                "sessions",
                "fixed_while_running",
                "a running training keeps its number of sessions",
            ));
        }
        Ok(Training {
            facts,
            stamp: self.stamp.next(now),
            ..self.clone()
        })
    }

    pub fn has_ended(&self) -> bool {
        matches!(
            self.state,
            TrainingState::Completed | TrainingState::Cancelled
        )
    }

    /// The actions the training's state allows.
    pub fn allowed_actions(&self) -> &'static [TrainingActionKind] {
        use TrainingActionKind as A;
        match self.state {
            TrainingState::Planned => &[A::Open, A::Cancel],
            TrainingState::Open => &[A::Start, A::Cancel],
            TrainingState::Running => &[A::Complete, A::Cancel],
            TrainingState::Completed | TrainingState::Cancelled => &[],
        }
    }

    /// The training after `action`, or an `InvalidTransition` naming what its state allows.
    pub fn apply(
        &self,
        action: TrainingAction,
        now: DateTime<Utc>,
    ) -> Result<Training, DomainError> {
        DomainError::unless_allowed(action.kind(), self.state, self.allowed_actions())?;
        let state = match action {
            TrainingAction::Open => TrainingState::Open,
            TrainingAction::Start => TrainingState::Running,
            TrainingAction::Complete => TrainingState::Completed,
            TrainingAction::Cancel => TrainingState::Cancelled,
        };
        Ok(Training {
            state,
            stamp: self.stamp.next(now),
            ..self.clone()
        })
    }

    /// Whether organisations may register: only while the training is open.
    pub fn ensure_taking_registrations(&self) -> Result<(), DomainError> {
        match self.state {
            TrainingState::Open => Ok(()),
            other => Err(DomainError::conflict(
                "training-not-open",
                format!("the training is {other}, registrations are taken while it is open"),
            )),
        }
    }

    /// Whether what happened in it can be recorded (participation, evaluations): once it runs.
    pub fn ensure_taken_place(&self) -> Result<(), DomainError> {
        match self.state {
            TrainingState::Running | TrainingState::Completed => Ok(()),
            other => Err(DomainError::conflict(
                "training-not-held",
                format!("the training is {other}; record this once it runs"),
            )),
        }
    }

    /// The training after something that happened in it was recorded (participation): the
    /// version moves on, so `If-Match` guards such records too.
    pub fn recorded(&self, now: DateTime<Utc>) -> Result<Training, DomainError> {
        self.ensure_taken_place()?;
        Ok(Training {
            stamp: self.stamp.next(now),
            ..self.clone()
        })
    }

    /// The session with this 1-based number.
    pub fn session(&self, number: i32) -> Result<&TrainingSession, DomainError> {
        usize::try_from(number)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| self.facts.sessions.get(i))
            .ok_or_else(|| {
                DomainError::invalid(
                    "session",
                    "not_found",
                    format!("the training has {} sessions", self.facts.sessions.len()),
                )
            })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;

    pub(crate) fn facts() -> TrainingFacts {
        let at = |d, h| Utc.with_ymd_and_hms(2027, 3, d, h, 0, 0).unwrap();
        TrainingFacts {
            title: " Interkulturelle Kompetenz ".into(),
            description: None,
            format: TrainingFormat::MultiModule,
            topics: vec![
                TrainingTopic::AntiDiscrimination,
                TrainingTopic::InterculturalCompetence,
            ],
            target_kinds: vec![TargetKind::Jobcenter],
            trainer_ids: vec![],
            capacity: 10,
            sessions: vec![
                TrainingSession {
                    starts_at: at(8, 8),
                    ends_at: at(8, 15),
                    hours: 6,
                    venue: None,
                    online_url: Some("https://meet.example.org/x".into()),
                },
                TrainingSession {
                    starts_at: at(1, 8),
                    ends_at: at(1, 15),
                    hours: 6,
                    venue: Some("Leipzig".into()),
                    online_url: None,
                },
            ],
        }
    }

    pub(crate) fn training(state: TrainingState) -> Training {
        Training {
            state,
            ..Training::plan(OrganisationId::new(), facts(), Utc::now()).unwrap()
        }
    }

    #[test]
    fn a_new_training_is_planned_with_its_sessions_in_time_order() {
        let t = Training::plan(OrganisationId::new(), facts(), Utc::now()).unwrap();
        assert_eq!(t.state, TrainingState::Planned);
        assert_eq!(t.facts.title, "Interkulturelle Kompetenz");
        assert_eq!(
            t.facts.starts_on(),
            NaiveDate::from_ymd_opt(2027, 3, 1).unwrap()
        );
        assert_eq!(
            t.facts.ends_on(),
            NaiveDate::from_ymd_opt(2027, 3, 8).unwrap()
        );
        assert_eq!(t.facts.hours(), 12);
        assert_eq!(t.facts.topics[0], TrainingTopic::InterculturalCompetence);
    }

    #[test]
    fn a_session_needs_a_venue_or_a_link_and_an_end_after_its_start() {
        let mut f = facts();
        f.sessions[0].online_url = None;
        f.sessions[1].ends_at = f.sessions[1].starts_at;
        let Err(DomainError::Validation(errors)) = f.parse() else {
            panic!("not refused")
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["sessions[0].venue", "sessions[1].ends_at"]);
    }

    #[test]
    fn the_lifecycle_runs_from_planned_to_completed() {
        let mut t = training(TrainingState::Planned);
        for action in [
            TrainingAction::Open,
            TrainingAction::Start,
            TrainingAction::Complete,
        ] {
            t = t.apply(action, Utc::now()).unwrap();
        }
        assert_eq!(t.state, TrainingState::Completed);
        assert_eq!(t.stamp.version, 4);
        assert!(t.allowed_actions().is_empty());
    }

    #[test]
    fn an_illegal_action_names_the_allowed_ones() {
        let err = training(TrainingState::Open)
            .apply(TrainingAction::Complete, Utc::now())
            .unwrap_err();
        assert_eq!(
            err,
            DomainError::InvalidTransition {
                action: "complete".into(),
                from: "open".into(),
                allowed: vec!["start".into(), "cancel".into()],
            }
        );
    }

    #[test]
    fn only_an_open_training_takes_registrations() {
        assert!(
            training(TrainingState::Open)
                .ensure_taking_registrations()
                .is_ok()
        );
        for state in [
            TrainingState::Planned,
            TrainingState::Running,
            TrainingState::Cancelled,
        ] {
            assert!(training(state).ensure_taking_registrations().is_err());
        }
    }

    #[test]
    fn sessions_are_numbered_from_one() {
        let t = training(TrainingState::Running);
        assert!(t.session(1).is_ok() && t.session(2).is_ok());
        assert!(t.session(0).is_err() && t.session(3).is_err());
    }
}
