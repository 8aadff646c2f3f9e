//! What a decision may say for which profession (BQFG §§ 4, 7, 9, 11).

use super::*;

fn decide(facts: ProcedureFacts, decision: DecisionDetails) -> Vec<(String, String)> {
    errors(complete(facts).apply(&Action::Decide {
        on: d(2025, 6, 1),
        decision,
    }))
}

#[test]
fn full_and_no_equivalence_are_open_to_every_profession() {
    for facts in [NON_REGULATED, THIRD_COUNTRY_REGULATED, EU_REGULATED] {
        assert!(
            complete(facts)
                .apply(&Action::Decide {
                    on: d(2025, 6, 1),
                    decision: full()
                })
                .is_ok()
        );
        assert!(
            complete(facts)
                .apply(&Action::Decide {
                    on: d(2025, 6, 1),
                    decision: details(Decision::NoEquivalence)
                })
                .is_ok()
        );
    }
}

#[test]
fn full_and_no_equivalence_carry_no_compensation() {
    for decision in [Decision::FullEquivalence, Decision::NoEquivalence] {
        let with_compensation = DecisionDetails {
            compensation: Some(CompensationMeasure::AptitudeTest),
            ..details(decision)
        };
        assert_eq!(
            decide(THIRD_COUNTRY_REGULATED, with_compensation),
            [err("decision.compensation", "not_allowed")]
        );
    }
    let full_with_differences = DecisionDetails {
        substantial_differences: vec!["anatomy".to_owned()],
        ..full()
    };
    assert_eq!(
        decide(NON_REGULATED, full_with_differences),
        [err("decision.substantial_differences", "not_allowed")]
    );
}

#[test]
fn partial_equivalence_is_for_non_regulated_professions() {
    let partial = DecisionDetails {
        substantial_differences: vec![" CNC programming ".to_owned()],
        ..details(Decision::PartialEquivalence)
    };
    let p = step(
        &complete(NON_REGULATED),
        Action::Decide {
            on: d(2025, 6, 1),
            decision: partial.clone(),
        },
    );
    // Stored trimmed.
    assert_eq!(
        p.decision.map(|d| d.substantial_differences),
        Some(vec!["CNC programming".to_owned()])
    );
    assert_eq!(
        decide(THIRD_COUNTRY_REGULATED, partial),
        [err("decision.decision", "not_for_regulated")]
    );
}

#[test]
fn partial_equivalence_names_the_differences() {
    assert_eq!(
        decide(NON_REGULATED, details(Decision::PartialEquivalence)),
        [err("decision.substantial_differences", "required")]
    );
    let blank = DecisionDetails {
        substantial_differences: vec!["welding".to_owned(), "  ".to_owned()],
        ..details(Decision::PartialEquivalence)
    };
    assert_eq!(
        decide(NON_REGULATED, blank),
        [err("decision.substantial_differences", "required")]
    );
    let with_compensation = DecisionDetails {
        substantial_differences: vec!["welding".to_owned()],
        compensation: Some(CompensationMeasure::AptitudeTest),
        ..details(Decision::PartialEquivalence)
    };
    assert_eq!(
        decide(NON_REGULATED, with_compensation),
        [err("decision.compensation", "not_allowed")]
    );
}

#[test]
fn compensation_is_for_regulated_professions() {
    for measure in CompensationMeasure::ALL {
        assert!(
            complete(THIRD_COUNTRY_REGULATED)
                .apply(&Action::Decide {
                    on: d(2025, 6, 1),
                    decision: compensation(*measure)
                })
                .is_ok(),
            "{measure}"
        );
    }
    assert_eq!(
        decide(
            NON_REGULATED,
            compensation(CompensationMeasure::AptitudeTest)
        ),
        [err("decision.decision", "only_for_regulated")]
    );
}

#[test]
fn compensation_needs_a_measure_and_differences() {
    let bare = details(Decision::CompensationRequired);
    assert_eq!(
        decide(THIRD_COUNTRY_REGULATED, bare),
        [
            err("decision.substantial_differences", "required"),
            err("decision.compensation", "required"),
        ]
    );
}

#[test]
fn knowledge_test_is_for_third_countries_only() {
    assert_eq!(
        decide(
            EU_REGULATED,
            compensation(CompensationMeasure::KnowledgeTest)
        ),
        [err("decision.compensation", "third_country_only")]
    );
    assert!(
        complete(EU_REGULATED)
            .apply(&Action::Decide {
                on: d(2025, 6, 1),
                decision: compensation(CompensationMeasure::AdaptationPeriod)
            })
            .is_ok()
    );
}

#[test]
fn adaptation_period_lasts_one_to_thirty_six_months() {
    let with_months = |months| DecisionDetails {
        adaptation_period_months: months,
        ..compensation(CompensationMeasure::AdaptationPeriod)
    };
    assert_eq!(
        decide(THIRD_COUNTRY_REGULATED, with_months(None)),
        [err("decision.adaptation_period_months", "required")]
    );
    for bad in [0, 37] {
        assert_eq!(
            decide(THIRD_COUNTRY_REGULATED, with_months(Some(bad))),
            [err("decision.adaptation_period_months", "out_of_range")]
        );
    }
    for good in [1, 36] {
        assert!(
            complete(THIRD_COUNTRY_REGULATED)
                .apply(&Action::Decide {
                    on: d(2025, 6, 1),
                    decision: with_months(Some(good))
                })
                .is_ok()
        );
    }
    let test_with_months = DecisionDetails {
        adaptation_period_months: Some(6),
        ..compensation(CompensationMeasure::AptitudeTest)
    };
    assert_eq!(
        decide(THIRD_COUNTRY_REGULATED, test_with_months),
        [err("decision.adaptation_period_months", "not_allowed")]
    );
}

#[test]
fn doctors_from_third_countries_may_need_the_language_exam() {
    let decision = DecisionDetails {
        language_exam_required: true,
        ..compensation(CompensationMeasure::KnowledgeTest)
    };
    let p = step(
        &complete(THIRD_COUNTRY_REGULATED),
        Action::Decide {
            on: d(2025, 6, 1),
            decision,
        },
    );
    assert!(p.decision.is_some_and(|d| d.language_exam_required));
}
