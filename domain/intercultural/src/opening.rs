//! An organisation's intercultural opening: a provider accompanies a job centre, agency, local
//! government, chamber or company through contacted -> needs_analysis -> agreement_signed ->
//! implementation -> evaluation -> sustained | discontinued, with a dated milestone for every
//! step, the measures agreed and their status, and a check twelve months after the end whether
//! the change has lasted.

use chrono::{DateTime, Months, NaiveDate, Utc};
use iqnet_shared::ids::{OpeningProcessId, OrganisationId};
use iqnet_shared::records::Stamp;
use iqnet_shared::structure::parse_text;
use iqnet_shared::time::recorded_date;
use iqnet_shared::{DomainError, closed_enum};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::vocabulary::{OpeningMeasureKind, OpeningMeasureStatus, OpeningState};

/// A step of the process and the day it was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OpeningMilestone {
    pub state: OpeningState,
    #[schema(example = "2026-02-01")]
    pub date: NaiveDate,
    pub note: Option<String>,
}

/// A change the organisation agreed to make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OpeningMeasure {
    pub kind: OpeningMeasureKind,
    #[schema(example = "Merkblätter in Arabisch, Ukrainisch und Englisch")]
    pub description: Option<String>,
    pub status: OpeningMeasureStatus,
    /// When the status last changed.
    pub status_date: NaiveDate,
}

/// A measure named in the agreement.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOpeningMeasure {
    pub kind: OpeningMeasureKind,
    pub description: Option<String>,
}

/// The check twelve months after the end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SustainabilityCheck {
    pub date: NaiveDate,
    /// Whether the change has lasted.
    pub lasted: bool,
    pub note: Option<String>,
}

/// An opening process as stored: owned by the accompanying provider; the organisation that
/// opens itself sees it too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpeningProcess {
    pub id: OpeningProcessId,
    pub organisation_id: OrganisationId,
    pub client_organisation_id: OrganisationId,
    pub state: OpeningState,
    /// In time order, the first the contact.
    pub milestones: Vec<OpeningMilestone>,
    pub measures: Vec<OpeningMeasure>,
    pub follow_up: Option<SustainabilityCheck>,
    pub stamp: Stamp,
}

closed_enum! {
    /// What can be done to an opening process (`POST /v1/opening-processes/{id}/actions`).
    pub enum OpeningActionKind {
        StartNeedsAnalysis = "start_needs_analysis", SignAgreement = "sign_agreement",
        BeginImplementation = "begin_implementation", UpdateMeasure = "update_measure",
        BeginEvaluation = "begin_evaluation", Complete = "complete", Discontinue = "discontinue",
        CheckSustainability = "check_sustainability",
    }
}

/// A step of an opening process; every one is dated (not in the future, not before the last).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
#[schema(example = json!({"action": "sign_agreement", "date": "2026-03-15",
    "measures": [{"kind": "multilingual_information", "description": "Merkblätter in drei Sprachen"},
                 {"kind": "complaint_procedure"}]}))]
pub enum OpeningAction {
    /// contacted -> needs_analysis.
    StartNeedsAnalysis {
        date: NaiveDate,
        note: Option<String>,
    },
    /// needs_analysis -> agreement_signed, with the measures agreed (at least one).
    SignAgreement {
        date: NaiveDate,
        measures: Vec<NewOpeningMeasure>,
    },
    /// agreement_signed -> implementation.
    BeginImplementation {
        date: NaiveDate,
        note: Option<String>,
    },
    /// The status of an agreed measure, while the agreement is being carried out.
    UpdateMeasure {
        date: NaiveDate,
        kind: OpeningMeasureKind,
        status: OpeningMeasureStatus,
    },
    /// implementation -> evaluation.
    BeginEvaluation {
        date: NaiveDate,
        note: Option<String>,
    },
    /// evaluation -> sustained: the process ends with the change in place.
    Complete {
        date: NaiveDate,
        note: Option<String>,
    },
    /// Any open step -> discontinued.
    Discontinue {
        date: NaiveDate,
        note: Option<String>,
    },
    /// Once, twelve months after a sustained end at the earliest: has the change lasted?
    CheckSustainability {
        date: NaiveDate,
        lasted: bool,
        note: Option<String>,
    },
}

impl OpeningAction {
    pub fn kind(&self) -> OpeningActionKind {
        use OpeningAction as A;
        use OpeningActionKind as K;
        match self {
            A::StartNeedsAnalysis { .. } => K::StartNeedsAnalysis,
            A::SignAgreement { .. } => K::SignAgreement,
            A::BeginImplementation { .. } => K::BeginImplementation,
            A::UpdateMeasure { .. } => K::UpdateMeasure,
            A::BeginEvaluation { .. } => K::BeginEvaluation,
            A::Complete { .. } => K::Complete,
            A::Discontinue { .. } => K::Discontinue,
            A::CheckSustainability { .. } => K::CheckSustainability,
        }
    }

    fn date(&self) -> NaiveDate {
        use OpeningAction as A;
        match self {
            A::StartNeedsAnalysis { date, .. }
            | A::SignAgreement { date, .. }
            | A::BeginImplementation { date, .. }
            | A::UpdateMeasure { date, .. }
            | A::BeginEvaluation { date, .. }
            | A::Complete { date, .. }
            | A::Discontinue { date, .. }
            | A::CheckSustainability { date, .. } => *date,
        }
    }
}

fn note(text: Option<&String>) -> Result<Option<String>, DomainError> {
    text.map(|t| parse_text(t, 1_000).map_err(|e| e.at("note")))
        .transpose()
}

impl OpeningProcess {
    /// A process of `organisation_id` (the provider) with `client` that begins with the contact
    /// on `date`.
    pub fn contact(
        (organisation_id, client_organisation_id): (OrganisationId, OrganisationId),
        date: NaiveDate,
        text: Option<&String>,
        now: DateTime<Utc>,
    ) -> Result<OpeningProcess, DomainError> {
        if organisation_id == client_organisation_id {
            return Err(DomainError::invalid(
                "client_organisation_id",
                "same_as_provider",
                "a provider accompanies another organisation",
            ));
        }
        Ok(OpeningProcess {
            id: OpeningProcessId::new(),
            organisation_id,
            client_organisation_id,
            state: OpeningState::Contacted,
            milestones: vec![OpeningMilestone {
                state: OpeningState::Contacted,
                date: recorded_date("contacted_on", date)?,
                note: note(text)?,
            }],
            measures: Vec::new(),
            follow_up: None,
            stamp: Stamp::new(now),
        })
    }

    /// The day the process ended (sustained or discontinued).
    pub fn ended_on(&self) -> Option<NaiveDate> {
        matches!(
            self.state,
            OpeningState::Sustained | OpeningState::Discontinued
        )
        .then(|| self.milestones.last().map(|m| m.date))
        .flatten()
    }

    /// The actions the process's state allows.
    pub fn allowed_actions(&self) -> Vec<OpeningActionKind> {
        use OpeningActionKind as A;
        use OpeningState as S;
        let mut allowed = match self.state {
            S::Contacted => vec![A::StartNeedsAnalysis],
            S::NeedsAnalysis => vec![A::SignAgreement],
            S::AgreementSigned => vec![A::BeginImplementation, A::UpdateMeasure],
            S::Implementation => vec![A::UpdateMeasure, A::BeginEvaluation],
            S::Evaluation => vec![A::UpdateMeasure, A::Complete],
            S::Sustained if self.follow_up.is_none() => vec![A::CheckSustainability],
            S::Sustained | S::Discontinued => vec![],
        };
        if !matches!(self.state, S::Sustained | S::Discontinued) {
            allowed.push(A::Discontinue);
        }
        allowed
    }

    /// The process after `action`, or an `InvalidTransition` naming what its state allows.
    pub fn apply(
        &self,
        action: &OpeningAction,
        now: DateTime<Utc>,
    ) -> Result<OpeningProcess, DomainError> {
        DomainError::unless_allowed(action.kind(), self.state, &self.allowed_actions())?;
        let date = recorded_date("date", action.date())?;
        if self.milestones.last().is_some_and(|last| date < last.date) {
            return Err(DomainError::invalid(
                "date",
                "before_last_milestone",
                "steps are recorded in the order they happened",
            ));
        }
        let mut next = OpeningProcess {
            stamp: self.stamp.next(now),
            ..self.clone()
        };
        use OpeningAction as A;
        let step =
            |state: OpeningState, text: Option<&String>| -> Result<OpeningMilestone, DomainError> {
                Ok(OpeningMilestone {
                    state,
                    date,
                    note: note(text)?,
                })
            };
        let milestone = match action {
            A::StartNeedsAnalysis { note, .. } => {
                Some(step(OpeningState::NeedsAnalysis, note.as_ref())?)
            }
            A::SignAgreement { measures, .. } => {
                next.measures = agree(measures, date)?;
                Some(step(OpeningState::AgreementSigned, None)?)
            }
            A::BeginImplementation { note, .. } => {
                Some(step(OpeningState::Implementation, note.as_ref())?)
            }
            A::UpdateMeasure { kind, status, .. } => {
                let measure = next
                    .measures
                    .iter_mut()
                    .find(|m| m.kind == *kind)
                    .ok_or_else(|| {
                        DomainError::invalid("kind", "not_agreed", "no such measure was agreed")
                    })?;
                measure.status = *status;
                measure.status_date = date;
                None
            }
            A::BeginEvaluation { note, .. } => Some(step(OpeningState::Evaluation, note.as_ref())?),
            A::Complete { note, .. } => Some(step(OpeningState::Sustained, note.as_ref())?),
            A::Discontinue { note, .. } => Some(step(OpeningState::Discontinued, note.as_ref())?),
            A::CheckSustainability {
                lasted, note: text, ..
            } => {
                let end = self.ended_on().unwrap_or(date);
                if date < end + Months::new(12) {
                    return Err(DomainError::invalid(
                        "date",
                        "too_early",
                        "the check is made twelve months after the end at the earliest",
                    ));
                }
                next.follow_up = Some(SustainabilityCheck {
                    date,
                    lasted: *lasted,
                    note: note(text.as_ref())?,
                });
                None
            }
        };
        if let Some(m) = milestone {
            next.state = m.state;
            next.milestones.push(m);
        }
        Ok(next)
    }
}

/// The agreement's measures: at least one, each kind once.
fn agree(
    measures: &[NewOpeningMeasure],
    date: NaiveDate,
) -> Result<Vec<OpeningMeasure>, DomainError> {
    if measures.is_empty() {
        return Err(DomainError::invalid(
            "measures",
            "required",
            "at least one measure",
        ));
    }
    let mut agreed: Vec<OpeningMeasure> = Vec::new();
    for (i, m) in measures.iter().enumerate() {
        if agreed.iter().any(|a| a.kind == m.kind) {
            return Err(DomainError::invalid(
                format!("measures[{i}].kind"),
                "duplicate",
                "each kind of measure once",
            ));
        }
        let description = m
            .description
            .as_deref()
            .map(|d| parse_text(d, 500).map_err(|e| e.at(&format!("measures[{i}].description"))))
            .transpose()?;
        agreed.push(OpeningMeasure {
            kind: m.kind,
            description,
            status: OpeningMeasureStatus::Agreed,
            status_date: date,
        });
    }
    Ok(agreed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn process() -> OpeningProcess {
        OpeningProcess::contact(
            (OrganisationId::new(), OrganisationId::new()),
            day(2024, 1, 10),
            None,
            Utc::now(),
        )
        .unwrap()
    }

    fn run(p: OpeningProcess, actions: Vec<OpeningAction>) -> Result<OpeningProcess, DomainError> {
        actions.iter().try_fold(p, |p, a| p.apply(a, Utc::now()))
    }

    fn to_the_end() -> Vec<OpeningAction> {
        use OpeningAction as A;
        vec![
            A::StartNeedsAnalysis {
                date: day(2024, 2, 1),
                note: None,
            },
            A::SignAgreement {
                date: day(2024, 3, 1),
                measures: vec![NewOpeningMeasure {
                    kind: OpeningMeasureKind::ComplaintProcedure,
                    description: None,
                }],
            },
            A::BeginImplementation {
                date: day(2024, 4, 1),
                note: None,
            },
            A::UpdateMeasure {
                date: day(2024, 6, 1),
                kind: OpeningMeasureKind::ComplaintProcedure,
                status: OpeningMeasureStatus::Done,
            },
            A::BeginEvaluation {
                date: day(2024, 9, 1),
                note: None,
            },
            A::Complete {
                date: day(2024, 10, 1),
                note: None,
            },
        ]
    }

    #[test]
    fn the_process_runs_to_sustained_with_a_milestone_per_step() {
        let p = run(process(), to_the_end()).unwrap();
        assert_eq!(p.state, OpeningState::Sustained);
        assert_eq!(p.milestones.len(), 6);
        assert_eq!(p.measures[0].status, OpeningMeasureStatus::Done);
        assert_eq!(p.ended_on(), Some(day(2024, 10, 1)));
        assert_eq!(
            p.allowed_actions(),
            [OpeningActionKind::CheckSustainability]
        );
    }

    #[test]
    fn the_sustainability_check_waits_twelve_months_and_happens_once() {
        let p = run(process(), to_the_end()).unwrap();
        let check = |date| OpeningAction::CheckSustainability {
            date,
            lasted: true,
            note: None,
        };
        assert!(p.apply(&check(day(2025, 9, 30)), Utc::now()).is_err());
        let checked = p.apply(&check(day(2025, 10, 1)), Utc::now()).unwrap();
        assert!(checked.follow_up.as_ref().unwrap().lasted);
        assert!(checked.allowed_actions().is_empty());
    }

    #[test]
    fn an_illegal_step_names_the_allowed_ones() {
        let err = process()
            .apply(
                &OpeningAction::Complete {
                    date: day(2024, 2, 1),
                    note: None,
                },
                Utc::now(),
            )
            .unwrap_err();
        assert_eq!(
            err,
            DomainError::InvalidTransition {
                action: "complete".into(),
                from: "contacted".into(),
                allowed: vec!["start_needs_analysis".into(), "discontinue".into()],
            }
        );
    }

    #[test]
    fn steps_are_dated_in_order() {
        let back = OpeningAction::StartNeedsAnalysis {
            date: day(2024, 1, 9),
            note: None,
        };
        assert!(process().apply(&back, Utc::now()).is_err());
    }
}
