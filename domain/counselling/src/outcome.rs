//! What a case starts from and ends with, as the network's monitoring counts them: the
//! situation at intake (an application already filed, a decision already received, a ZAB
//! evaluation held) and the recommendations at the close (several may be given).
//!
//! The single `outcome` of earlier clients stays valid: each outcome stands for one
//! recommendation, and recommendations alone give the outcome old readers expect.

use iqnet_shared::DomainError;
use iqnet_shared::error::Violations;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::procedure::Decision;
use crate::vocabulary::{CaseOutcome, Recommendation};

/// Where the seeker stood when counselling began.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct IntakeSituation {
    /// A recognition application was already filed.
    pub application_filed: bool,
    /// A decision was already received, and its type.
    pub decision_received: Option<Decision>,
    /// A ZAB certificate evaluation (Zeugnisbewertung) was already held.
    pub zab_evaluation_held: bool,
}

/// The situation at intake as reported; what is left out was not the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntakeSituationReport {
    /// Implied (`true`) when a decision was received.
    pub application_filed: Option<bool>,
    pub decision_received: Option<Decision>,
    #[serde(default)]
    pub zab_evaluation_held: bool,
}

impl IntakeSituationReport {
    /// A received decision implies a filed application; saying it was not filed is an error.
    pub fn parse(self) -> Result<IntakeSituation, DomainError> {
        if self.decision_received.is_some() && self.application_filed == Some(false) {
            return Err(DomainError::invalid(
                "situation_at_intake.application_filed",
                "decision_without_application",
                "a decision was received, so an application was filed",
            ));
        }
        Ok(IntakeSituation {
            application_filed: self.application_filed.unwrap_or(false)
                || self.decision_received.is_some(),
            decision_received: self.decision_received,
            zab_evaluation_held: self.zab_evaluation_held,
        })
    }
}

/// How a case closes: the recommendations, and the outcome earlier clients send and read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closing {
    pub outcome: CaseOutcome,
    pub recommendations: Vec<Recommendation>,
}

impl Closing {
    /// From an `outcome`, `recommendations`, or both (each once, in vocabulary order). One of
    /// them is required; `no_action` stands alone.
    pub fn parse(
        outcome: Option<CaseOutcome>,
        recommendations: &[Recommendation],
    ) -> Result<Closing, DomainError> {
        let mut recommendations = recommendations.to_vec();
        recommendations.sort();
        recommendations.dedup();
        let mut v = Violations::new();
        if recommendations.contains(&Recommendation::NoAction) && recommendations.len() > 1 {
            v.push(
                "recommendations",
                "no_action_with_others",
                "`no_action` cannot be combined with other recommendations",
            );
        }
        let outcome = match (outcome, recommendations.first()) {
            (Some(outcome), _) => Some(outcome),
            (None, Some(first)) => Some(outcome_of(*first)),
            (None, None) => {
                v.push(
                    "outcome",
                    "required",
                    "close with an outcome or with recommendations",
                );
                None
            }
        };
        let outcome = v.finish(|| outcome)?;
        let outcome = outcome.unwrap_or(CaseOutcome::NoAction);
        if recommendations.is_empty() {
            recommendations.push(recommendation_of(outcome));
        }
        Ok(Closing {
            outcome,
            recommendations,
        })
    }
}

/// The recommendation an outcome of earlier clients stands for (also how stored outcomes were
/// carried forward: the migration `2026-11-25-000203_case_monitoring` applies the same map).
pub fn recommendation_of(outcome: CaseOutcome) -> Recommendation {
    match outcome {
        CaseOutcome::ApplicationRecommended
        | CaseOutcome::ApplicationFiled
        | CaseOutcome::ReferredToAuthority => Recommendation::RecognitionApplication,
        CaseOutcome::ZabEvaluation => Recommendation::ZabEvaluation,
        CaseOutcome::QualificationRecommended => Recommendation::BridgeTraining,
        CaseOutcome::AlternativePath => Recommendation::AlternativePath,
        CaseOutcome::NoAction => Recommendation::NoAction,
    }
}

/// The outcome earlier readers see for a case closed with recommendations only: that of the
/// first recommendation. A language course is a qualification; a job placement without
/// recognition an alternative path.
fn outcome_of(recommendation: Recommendation) -> CaseOutcome {
    match recommendation {
        Recommendation::RecognitionApplication => CaseOutcome::ApplicationRecommended,
        Recommendation::BridgeTraining | Recommendation::LanguageCourse => {
            CaseOutcome::QualificationRecommended
        }
        Recommendation::ZabEvaluation => CaseOutcome::ZabEvaluation,
        Recommendation::JobPlacement | Recommendation::AlternativePath => {
            CaseOutcome::AlternativePath
        }
        Recommendation::NoAction => CaseOutcome::NoAction,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Recommendation as R;

    #[test]
    fn an_outcome_alone_stands_for_its_recommendation() {
        let closing = Closing::parse(Some(CaseOutcome::QualificationRecommended), &[]).unwrap();
        assert_eq!(closing.recommendations, [R::BridgeTraining]);
        for outcome in CaseOutcome::ALL {
            let back = outcome_of(recommendation_of(*outcome));
            assert_eq!(recommendation_of(back), recommendation_of(*outcome));
        }
    }

    #[test]
    fn several_recommendations_give_the_outcome_of_the_first() {
        let closing = Closing::parse(
            None,
            &[
                R::LanguageCourse,
                R::RecognitionApplication,
                R::LanguageCourse,
            ],
        )
        .unwrap();
        assert_eq!(
            closing.recommendations,
            [R::RecognitionApplication, R::LanguageCourse]
        );
        assert_eq!(closing.outcome, CaseOutcome::ApplicationRecommended);
    }

    #[test]
    fn a_close_needs_something_and_no_action_stands_alone() {
        let err = Closing::parse(None, &[]).unwrap_err();
        assert!(matches!(err, DomainError::Validation(e) if e[0].field == "outcome"));
        let err = Closing::parse(None, &[R::NoAction, R::JobPlacement]).unwrap_err();
        assert!(matches!(err, DomainError::Validation(e) if e[0].code == "no_action_with_others"));
    }

    #[test]
    fn a_decision_received_implies_an_application_filed() {
        let report = IntakeSituationReport {
            decision_received: Some(Decision::PartialEquivalence),
            ..IntakeSituationReport::default()
        };
        assert!(report.parse().unwrap().application_filed);
        let contradiction = IntakeSituationReport {
            application_filed: Some(false),
            ..report
        };
        assert!(contradiction.parse().is_err());
    }
}
