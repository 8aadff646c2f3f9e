//! A bridge-training measure: what it teaches, to whom, where and when, its seats, and its
//! lifecycle planned -> open -> running -> completed | cancelled.

use chrono::{DateTime, NaiveDate, Utc};
use iqnet_shared::codes::{KldbCode, LanguageLevel, StateCode};
use iqnet_shared::error::Violations;
use iqnet_shared::ids::{MeasureId, OrganisationId};
use iqnet_shared::records::Stamp;
use iqnet_shared::structure::parse_text;
use iqnet_shared::time::{EARLIEST_DATE, LATEST_DATE};
use iqnet_shared::{DomainError, closed_enum};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::vocabulary::{MeasureFormat, MeasureMode, MeasureState, MeasureType, ModuleKind};

/// A part of a measure and its hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Module {
    pub kind: ModuleKind,
    #[schema(example = 120)]
    pub hours: i32,
}

/// What a provider says about a measure: everything but its id, owner, seats taken and state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MeasureFacts {
    #[schema(
        example = "Anpassungsqualifizierung Pflege",
        min_length = 1,
        max_length = 200
    )]
    pub title: String,
    #[serde(rename = "type")]
    pub kind: MeasureType,
    pub format: MeasureFormat,
    /// The reference occupations (KldB 2010) whose recognition the measure prepares for.
    #[schema(value_type = Vec<String>, example = json!(["81302"]))]
    pub target_occupations: Vec<KldbCode>,
    /// Whether the target occupations are regulated professions.
    pub regulated: bool,
    pub mode: MeasureMode,
    #[schema(example = 600)]
    pub hours: i32,
    #[schema(example = 26)]
    pub weeks: i32,
    /// The German level a participant needs at least; `null` for none.
    pub required_german_level: Option<LanguageLevel>,
    #[schema(example = "Leipzig, Markt 1")]
    pub venue: Option<String>,
    /// The federal state the measure takes place in.
    pub venue_state: StateCode,
    #[schema(example = 20)]
    pub capacity: i32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// AZAV-certified, so a training voucher (Bildungsgutschein) can pay for it.
    pub azav_certified: bool,
    pub modules: Vec<Module>,
}

/// A measure as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    pub id: MeasureId,
    /// The providing organisation; its staff manage the measure.
    pub organisation_id: OrganisationId,
    pub facts: MeasureFacts,
    pub state: MeasureState,
    /// Seats held by admitted, active and completed enrolments; never above `capacity`.
    pub seats_taken: i32,
    pub stamp: Stamp,
}

closed_enum! {
    /// What can be done to a measure (`POST /v1/measures/{id}/actions`).
    pub enum MeasureActionKind { Open = "open", Start = "start", Complete = "complete", Cancel = "cancel" }
}

/// A change of a measure's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
#[schema(example = json!({"action": "open"}))]
pub enum MeasureAction {
    /// Enrolments are taken (planned -> open).
    Open,
    /// The measure has begun (open -> running).
    Start,
    /// The measure has ended (running -> completed).
    Complete,
    /// It will not take place or stops (planned | open | running -> cancelled).
    Cancel,
}

impl MeasureAction {
    pub fn kind(self) -> MeasureActionKind {
        match self {
            MeasureAction::Open => MeasureActionKind::Open,
            MeasureAction::Start => MeasureActionKind::Start,
            MeasureAction::Complete => MeasureActionKind::Complete,
            MeasureAction::Cancel => MeasureActionKind::Cancel,
        }
    }
}

impl MeasureFacts {
    /// The facts with their text trimmed and their lists sorted, or every broken rule at once.
    pub fn parse(self) -> Result<MeasureFacts, DomainError> {
        let mut v = Violations::new();
        let title = v.check("title", parse_text(&self.title, 200));
        let venue = self
            .venue
            .as_deref()
            .and_then(|s| v.check("venue", parse_text(s, 200)));
        if self.target_occupations.is_empty() {
            v.push(
                "target_occupations",
                "required",
                "at least one reference occupation",
            );
        }
        let mut occupations = self.target_occupations.clone();
        occupations.sort();
        occupations.dedup();
        for (field, value, max) in [("hours", self.hours, 10_000), ("weeks", self.weeks, 520)] {
            if !(1..=max).contains(&value) {
                v.push(field, "out_of_range", format!("1 to {max}"));
            }
        }
        if !(1..=1_000).contains(&self.capacity) {
            v.push("capacity", "out_of_range", "1 to 1000 seats");
        }
        for (field, on) in [("starts_on", self.starts_on), ("ends_on", self.ends_on)] {
            if !(EARLIEST_DATE..=LATEST_DATE).contains(&on) {
                v.push(field, "out_of_range", "a date from 1900 to 2200");
            }
        }
        if self.ends_on < self.starts_on {
            v.push(
                "ends_on",
                "before_start",
                "a measure cannot end before it starts",
            );
        }
        for (i, module) in self.modules.iter().enumerate() {
            if module.hours < 1 {
                v.push(
                    format!("modules[{i}].hours"),
                    "out_of_range",
                    "at least 1 hour",
                );
            }
        }
        let module_hours: i64 = self.modules.iter().map(|m| i64::from(m.hours)).sum();
        if module_hours > i64::from(self.hours) {
            v.push(
                "modules",
                "exceeds_hours",
                "the modules hold more hours than the measure",
            );
        }
        v.finish(|| ())?;
        Ok(MeasureFacts {
            title: title.unwrap_or_default(),
            venue,
            target_occupations: occupations,
            ..self
        })
    }
}

impl Measure {
    /// A new measure of `organisation`, `planned`, no seat taken.
    pub fn plan(
        organisation_id: OrganisationId,
        facts: MeasureFacts,
        now: DateTime<Utc>,
    ) -> Result<Measure, DomainError> {
        Ok(Measure {
            id: MeasureId::new(),
            organisation_id,
            facts: facts.parse()?,
            state: MeasureState::Planned,
            seats_taken: 0,
            stamp: Stamp::new(now),
        })
    }

    /// The measure with changed facts. Capacity cannot fall below the seats already taken, and
    /// a measure that has ended is no longer edited.
    pub fn revise(&self, facts: MeasureFacts, now: DateTime<Utc>) -> Result<Measure, DomainError> {
        if matches!(
            self.state,
            MeasureState::Completed | MeasureState::Cancelled
        ) {
            return Err(DomainError::conflict(
                "measure-ended",
                format!("the measure is {}", self.state),
            ));
        }
        let facts = facts.parse()?;
        if facts.capacity < self.seats_taken {
            return Err(DomainError::invalid(
                "capacity",
                "below_seats_taken",
                format!("{} seats are taken", self.seats_taken),
            ));
        }
        Ok(Measure {
            facts,
            stamp: self.stamp.next(now),
            ..self.clone()
        })
    }

    /// The actions the measure's state allows.
    pub fn allowed_actions(&self) -> &'static [MeasureActionKind] {
        use MeasureActionKind as A;
        match self.state {
            MeasureState::Planned => &[A::Open, A::Cancel],
            MeasureState::Open => &[A::Start, A::Cancel],
            MeasureState::Running => &[A::Complete, A::Cancel],
            MeasureState::Completed | MeasureState::Cancelled => &[],
        }
    }

    /// The measure after `action`, or an `InvalidTransition` naming what its state allows.
    pub fn apply(&self, action: MeasureAction, now: DateTime<Utc>) -> Result<Measure, DomainError> {
        DomainError::unless_allowed(action.kind(), self.state, self.allowed_actions())?;
        let state = match action {
            MeasureAction::Open => MeasureState::Open,
            MeasureAction::Start => MeasureState::Running,
            MeasureAction::Complete => MeasureState::Completed,
            MeasureAction::Cancel => MeasureState::Cancelled,
        };
        Ok(Measure {
            state,
            stamp: self.stamp.next(now),
            ..self.clone()
        })
    }

    /// Whether a new enrolment may be recorded: only while the measure is open.
    pub fn ensure_taking_enrolments(&self) -> Result<(), DomainError> {
        match self.state {
            MeasureState::Open => Ok(()),
            MeasureState::Cancelled => Err(DomainError::conflict(
                "measure-cancelled",
                "the measure was cancelled",
            )),
            other => Err(DomainError::conflict(
                "measure-not-open",
                format!("the measure is {other}, enrolments are taken while it is open"),
            )),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn facts() -> MeasureFacts {
        MeasureFacts {
            title: " Anpassungsqualifizierung Pflege ".into(),
            kind: MeasureType::AdaptationQualification,
            format: MeasureFormat::Course,
            target_occupations: vec![KldbCode::parse("81302").unwrap()],
            regulated: true,
            mode: MeasureMode::Blended,
            hours: 600,
            weeks: 26,
            required_german_level: Some(LanguageLevel::B1),
            venue: None,
            venue_state: StateCode::Berlin,
            capacity: 2,
            starts_on: NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
            ends_on: NaiveDate::from_ymd_opt(2027, 7, 2).unwrap(),
            azav_certified: true,
            modules: vec![Module {
                kind: ModuleKind::Technical,
                hours: 400,
            }],
        }
    }

    pub(crate) fn measure(state: MeasureState) -> Measure {
        Measure {
            state,
            ..Measure::plan(OrganisationId::new(), facts(), Utc::now()).unwrap()
        }
    }

    fn fields(e: DomainError) -> Vec<String> {
        match e {
            DomainError::Validation(errors) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn a_new_measure_is_planned_with_its_title_trimmed() {
        let m = Measure::plan(OrganisationId::new(), facts(), Utc::now()).unwrap();
        assert_eq!(m.state, MeasureState::Planned);
        assert_eq!(m.facts.title, "Anpassungsqualifizierung Pflege");
        assert_eq!(m.seats_taken, 0);
    }

    #[test]
    fn every_broken_rule_is_named() {
        let broken = MeasureFacts {
            title: " ".into(),
            target_occupations: vec![],
            hours: 100,
            capacity: 0,
            ends_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            ..facts()
        };
        let named = fields(broken.parse().unwrap_err());
        for field in [
            "title",
            "target_occupations",
            "capacity",
            "ends_on",
            "modules",
        ] {
            assert!(named.iter().any(|f| f == field), "{field} in {named:?}");
        }
    }

    #[test]
    fn the_lifecycle_runs_from_planned_to_completed() {
        let mut m = measure(MeasureState::Planned);
        for action in [
            MeasureAction::Open,
            MeasureAction::Start,
            MeasureAction::Complete,
        ] {
            m = m.apply(action, Utc::now()).unwrap();
        }
        assert_eq!(m.state, MeasureState::Completed);
        assert_eq!(m.stamp.version, 4);
        assert!(m.allowed_actions().is_empty());
    }

    #[test]
    fn an_illegal_action_names_the_allowed_ones() {
        let err = measure(MeasureState::Planned)
            .apply(MeasureAction::Complete, Utc::now())
            .unwrap_err();
        assert_eq!(
            err,
            DomainError::InvalidTransition {
                action: "complete".into(),
                from: "planned".into(),
                allowed: vec!["open".into(), "cancel".into()],
            }
        );
    }

    #[test]
    fn capacity_cannot_fall_below_the_seats_taken() {
        let m = Measure {
            seats_taken: 2,
            ..measure(MeasureState::Open)
        };
        let err = m
            .revise(
                MeasureFacts {
                    capacity: 1,
                    ..facts()
                },
                Utc::now(),
            )
            .unwrap_err();
        assert_eq!(fields(err), ["capacity"]);
    }

    #[test]
    fn only_an_open_measure_takes_enrolments() {
        assert!(
            measure(MeasureState::Open)
                .ensure_taking_enrolments()
                .is_ok()
        );
        for state in [
            MeasureState::Planned,
            MeasureState::Running,
            MeasureState::Cancelled,
        ] {
            assert!(
                measure(state).ensure_taking_enrolments().is_err(),
                "{state}"
            );
        }
    }
}
