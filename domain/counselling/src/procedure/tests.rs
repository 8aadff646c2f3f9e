//! The procedure's rules, one test per rule or case, citing the paragraph where one applies.
/// The allowed actions' wire names.
fn names(p: &Procedure) -> Vec<&'static str> {
    p.allowed_actions().iter().map(|a| a.as_str()).collect()
}

use super::*;
use iqnet_shared::FieldError;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const THIRD_COUNTRY_REGULATED: ProcedureFacts = ProcedureFacts {
    regulated: true,
    eu_eea_ch: false,
    accelerated: false,
};
const EU_REGULATED: ProcedureFacts = ProcedureFacts {
    regulated: true,
    eu_eea_ch: true,
    accelerated: false,
};
const NON_REGULATED: ProcedureFacts = ProcedureFacts {
    regulated: false,
    eu_eea_ch: false,
    accelerated: false,
};
const ACCELERATED: ProcedureFacts = ProcedureFacts {
    regulated: false,
    eu_eea_ch: false,
    accelerated: true,
};

fn step(p: &Procedure, action: Action) -> Procedure {
    match p.apply(&action) {
        Ok(next) => next,
        Err(e) => panic!("{} from {} refused: {e:?}", action.name(), p.state),
    }
}

fn run(facts: ProcedureFacts, submitted_on: NaiveDate, actions: Vec<Action>) -> Procedure {
    actions
        .into_iter()
        .fold(Procedure::submit(facts, submitted_on), |p, a| step(&p, a))
}

fn errors(result: Result<Procedure, DomainError>) -> Vec<(String, String)> {
    match result {
        Err(DomainError::Validation(errs)) => errs
            .into_iter()
            .map(|FieldError { field, code, .. }| (field, code))
            .collect(),
        other => panic!("expected validation errors, got {other:?}"),
    }
}

fn err(field: &str, code: &str) -> (String, String) {
    (field.to_owned(), code.to_owned())
}

fn details(decision: Decision) -> DecisionDetails {
    DecisionDetails {
        decision,
        substantial_differences: vec![],
        compensation: None,
        adaptation_period_months: None,
        language_exam_required: false,
    }
}

fn full() -> DecisionDetails {
    details(Decision::FullEquivalence)
}

fn compensation(measure: CompensationMeasure) -> DecisionDetails {
    DecisionDetails {
        substantial_differences: vec!["pharmacology".to_owned()],
        compensation: Some(measure),
        adaptation_period_months: (measure == CompensationMeasure::AdaptationPeriod).then_some(12),
        ..details(Decision::CompensationRequired)
    }
}

/// Submitted 2025-03-10, receipt confirmed 03-20, documents complete 04-15.
fn complete(facts: ProcedureFacts) -> Procedure {
    run(
        facts,
        d(2025, 3, 10),
        vec![
            Action::ConfirmReceipt { on: d(2025, 3, 20) },
            Action::CompleteDocuments { on: d(2025, 4, 15) },
        ],
    )
}

fn requested(facts: ProcedureFacts) -> Procedure {
    run(
        facts,
        d(2025, 3, 10),
        vec![
            Action::ConfirmReceipt { on: d(2025, 3, 20) },
            Action::RequestDocuments {
                on: d(2025, 3, 20),
                documents: vec!["certified transcript".to_owned()],
            },
        ],
    )
}

fn decided(facts: ProcedureFacts, decision: DecisionDetails) -> Procedure {
    step(
        &complete(facts),
        Action::Decide {
            on: d(2025, 6, 1),
            decision,
        },
    )
}

/// One procedure in every state, to probe what each allows.
fn one_in_each_state() -> Vec<Procedure> {
    let fresh = Procedure::submit(THIRD_COUNTRY_REGULATED, d(2025, 3, 10));
    let confirmed = step(&fresh, Action::ConfirmReceipt { on: d(2025, 3, 20) });
    let complete = complete(THIRD_COUNTRY_REGULATED);
    let analysis = step(
        &complete,
        Action::StartQualificationAnalysis { on: d(2025, 5, 1) },
    );
    let decided = decided(
        THIRD_COUNTRY_REGULATED,
        compensation(CompensationMeasure::AptitudeTest),
    );
    let appealed = step(&decided, Action::Appeal { on: d(2025, 6, 10) });
    let withdrawn = step(&fresh, Action::Withdraw { on: d(2025, 3, 11) });
    let warned = step(&confirmed, Action::WarnNonCooperation { on: d(2025, 4, 1) });
    let rejected = step(&warned, Action::RejectNonCooperation { on: d(2025, 5, 1) });
    let all = vec![
        fresh,
        confirmed,
        requested(THIRD_COUNTRY_REGULATED),
        complete,
        analysis,
        decided,
        appealed,
        withdrawn,
        rejected,
    ];
    let states: Vec<_> = all.iter().map(|p| p.state).collect();
    assert_eq!(states, ProcedureState::ALL);
    all
}

fn one_of_each_action(on: NaiveDate) -> Vec<Action> {
    vec![
        Action::ConfirmReceipt { on },
        Action::RequestDocuments {
            on,
            documents: vec!["diploma".to_owned()],
        },
        Action::CompleteDocuments { on },
        Action::StartQualificationAnalysis { on },
        Action::FinishQualificationAnalysis { on },
        Action::Extend {
            on,
            months: 1,
            reason: "expert opinion".to_owned(),
        },
        Action::Decide {
            on,
            decision: compensation(CompensationMeasure::AptitudeTest),
        },
        Action::WarnNonCooperation { on },
        Action::RejectNonCooperation { on },
        Action::Withdraw { on },
        Action::Appeal { on },
    ]
}

// --- actions ---------------------------------------------------------------------------

#[test]
fn actions_have_their_wire_names_and_dates() {
    let on = d(2025, 1, 2);
    let names: Vec<_> = one_of_each_action(on).iter().map(Action::name).collect();
    assert_eq!(
        names,
        [
            "confirm_receipt",
            "request_documents",
            "complete_documents",
            "start_qualification_analysis",
            "finish_qualification_analysis",
            "extend",
            "decide",
            "warn_non_cooperation",
            "reject_non_cooperation",
            "withdraw",
            "appeal",
        ]
    );
    assert!(one_of_each_action(on).iter().all(|a| a.on() == on));
}

// --- legal transitions -----------------------------------------------------------------

#[test]
fn submit_starts_the_receipt_clock() {
    let p = Procedure::submit(NON_REGULATED, d(2025, 3, 10));
    assert_eq!(p.state, ProcedureState::Submitted);
    assert_eq!(p.last_action_on, d(2025, 3, 10));
    assert_eq!(p.decision_due_on(), None);
    assert!(!p.clock_suspended());
    assert_eq!(names(&p), ["confirm_receipt", "withdraw"]);
}

#[test]
fn submitted_confirm_receipt() {
    let p = Procedure::submit(NON_REGULATED, d(2025, 3, 10));
    let next = step(&p, Action::ConfirmReceipt { on: d(2025, 3, 20) });
    assert_eq!(next.state, ProcedureState::ReceiptConfirmed);
    assert_eq!(next.receipt_confirmed_on, Some(d(2025, 3, 20)));
    assert_eq!(next.last_action_on, d(2025, 3, 20));
}

#[test]
fn submitted_withdraw() {
    let p = Procedure::submit(NON_REGULATED, d(2025, 3, 10));
    let next = step(&p, Action::Withdraw { on: d(2025, 3, 12) });
    assert_eq!(next.state, ProcedureState::Withdrawn);
    assert_eq!(next.closed_on, Some(d(2025, 3, 12)));
    assert!(next.allowed_actions().is_empty());
}

#[test]
fn receipt_confirmed_request_documents_before_the_clock_started() {
    let p = requested(NON_REGULATED);
    assert_eq!(p.state, ProcedureState::DocumentsRequested);
    // Nothing to suspend: the decision clock has not started yet.
    assert_eq!(p.suspended_since, None);
    assert!(!p.clock_suspended());
    assert_eq!(p.decision_due_on(), None);
}

#[test]
fn receipt_confirmed_complete_documents_starts_the_clock() {
    let p = complete(NON_REGULATED);
    assert_eq!(p.state, ProcedureState::DocumentsComplete);
    assert_eq!(p.documents_complete_on, Some(d(2025, 4, 15)));
    assert_eq!(p.suspended_days, 0);
}

#[test]
fn receipt_confirmed_warn_stays_and_reject_closes() {
    let p = run(
        NON_REGULATED,
        d(2025, 3, 10),
        vec![Action::ConfirmReceipt { on: d(2025, 3, 20) }],
    );
    let warned = step(&p, Action::WarnNonCooperation { on: d(2025, 4, 1) });
    assert_eq!(warned.state, ProcedureState::ReceiptConfirmed);
    assert_eq!(warned.warned_on, Some(d(2025, 4, 1)));
    let rejected = step(&warned, Action::RejectNonCooperation { on: d(2025, 5, 2) });
    assert_eq!(rejected.state, ProcedureState::RejectedNonCooperation);
    assert_eq!(rejected.closed_on, Some(d(2025, 5, 2)));
    assert!(rejected.allowed_actions().is_empty());
}

#[test]
fn receipt_confirmed_withdraw() {
    let p = run(
        NON_REGULATED,
        d(2025, 3, 10),
        vec![
            Action::ConfirmReceipt { on: d(2025, 3, 20) },
            Action::Withdraw { on: d(2025, 3, 25) },
        ],
    );
    assert_eq!(p.state, ProcedureState::Withdrawn);
    assert_eq!(p.closed_on, Some(d(2025, 3, 25)));
}

#[test]
fn documents_requested_complete_sets_the_clock_the_first_time() {
    let p = step(
        &requested(NON_REGULATED),
        Action::CompleteDocuments { on: d(2025, 4, 30) },
    );
    assert_eq!(p.state, ProcedureState::DocumentsComplete);
    assert_eq!(p.documents_complete_on, Some(d(2025, 4, 30)));
    // Waiting before the clock started is not a suspension.
    assert_eq!(p.suspended_days, 0);
    assert_eq!(p.decision_due_on(), Some(d(2025, 7, 30)));
}

#[test]
fn documents_requested_warn_then_reject() {
    let warned = step(
        &requested(NON_REGULATED),
        Action::WarnNonCooperation { on: d(2025, 4, 20) },
    );
    assert_eq!(warned.state, ProcedureState::DocumentsRequested);
    assert_eq!(warned.warned_on, Some(d(2025, 4, 20)));
    let rejected = step(&warned, Action::RejectNonCooperation { on: d(2025, 5, 20) });
    assert_eq!(rejected.state, ProcedureState::RejectedNonCooperation);
    assert_eq!(rejected.closed_on, Some(d(2025, 5, 20)));
}

#[test]
fn documents_requested_withdraw() {
    let p = step(
        &requested(NON_REGULATED),
        Action::Withdraw { on: d(2025, 4, 1) },
    );
    assert_eq!(p.state, ProcedureState::Withdrawn);
}

#[test]
fn documents_complete_request_documents_suspends_the_clock() {
    let p = step(
        &complete(NON_REGULATED),
        Action::RequestDocuments {
            on: d(2025, 5, 1),
            documents: vec!["internship certificate".to_owned()],
        },
    );
    assert_eq!(p.state, ProcedureState::DocumentsRequested);
    assert_eq!(p.suspended_since, Some(d(2025, 5, 1)));
    assert!(p.clock_suspended());
}

#[test]
fn documents_complete_start_analysis_suspends_the_clock() {
    let p = step(
        &complete(NON_REGULATED),
        Action::StartQualificationAnalysis { on: d(2025, 5, 1) },
    );
    assert_eq!(p.state, ProcedureState::QualificationAnalysis);
    assert_eq!(p.suspended_since, Some(d(2025, 5, 1)));
    assert!(p.clock_suspended());
}

#[test]
fn documents_complete_extend_stays() {
    let p = step(
        &complete(NON_REGULATED),
        Action::Extend {
            on: d(2025, 6, 1),
            months: 2,
            reason: "the curriculum must be obtained from the university".to_owned(),
        },
    );
    assert_eq!(p.state, ProcedureState::DocumentsComplete);
    assert_eq!(p.extension_months, 2);
}

#[test]
fn documents_complete_decide() {
    let p = decided(NON_REGULATED, full());
    assert_eq!(p.state, ProcedureState::Decided);
    assert_eq!(p.decision, Some(full()));
    assert_eq!(p.decided_on, Some(d(2025, 6, 1)));
    assert!(!p.is_overdue(d(2030, 1, 1)));
}

#[test]
fn documents_complete_withdraw() {
    let p = step(
        &complete(NON_REGULATED),
        Action::Withdraw { on: d(2025, 5, 1) },
    );
    assert_eq!(p.state, ProcedureState::Withdrawn);
    assert_eq!(p.closed_on, Some(d(2025, 5, 1)));
}

#[test]
fn analysis_finish_adds_the_suspended_days() {
    let p = run(
        NON_REGULATED,
        d(2025, 3, 10),
        vec![
            Action::ConfirmReceipt { on: d(2025, 3, 20) },
            Action::CompleteDocuments { on: d(2025, 4, 15) },
            Action::StartQualificationAnalysis { on: d(2025, 5, 1) },
            Action::FinishQualificationAnalysis { on: d(2025, 5, 11) },
        ],
    );
    assert_eq!(p.state, ProcedureState::DocumentsComplete);
    assert_eq!(p.suspended_since, None);
    assert_eq!(p.suspended_days, 10);
    assert_eq!(p.decision_due_on(), Some(d(2025, 7, 25)));
}

#[test]
fn analysis_extend_stays_suspended() {
    let analysis = step(
        &complete(THIRD_COUNTRY_REGULATED),
        Action::StartQualificationAnalysis { on: d(2025, 5, 1) },
    );
    let p = step(
        &analysis,
        Action::Extend {
            on: d(2025, 5, 5),
            months: 3,
            reason: "expert opinion from the ZAB".to_owned(),
        },
    );
    assert_eq!(p.state, ProcedureState::QualificationAnalysis);
    assert_eq!(p.extension_months, 3);
    assert_eq!(p.suspended_since, Some(d(2025, 5, 1)));
}

#[test]
fn analysis_decide_ends_the_suspension() {
    let analysis = step(
        &complete(NON_REGULATED),
        Action::StartQualificationAnalysis { on: d(2025, 5, 1) },
    );
    let p = step(
        &analysis,
        Action::Decide {
            on: d(2025, 5, 31),
            decision: full(),
        },
    );
    assert_eq!(p.state, ProcedureState::Decided);
    assert_eq!(p.suspended_since, None);
    assert_eq!(p.suspended_days, 30);
}

#[test]
fn analysis_withdraw() {
    let analysis = step(
        &complete(NON_REGULATED),
        Action::StartQualificationAnalysis { on: d(2025, 5, 1) },
    );
    let p = step(&analysis, Action::Withdraw { on: d(2025, 5, 3) });
    assert_eq!(p.state, ProcedureState::Withdrawn);
    assert!(!p.clock_suspended());
}

#[test]
fn decided_appeal_then_a_new_decision_replaces_the_old() {
    let first = DecisionDetails {
        substantial_differences: vec!["clinical practice".to_owned()],
        ..details(Decision::NoEquivalence)
    };
    let appealed = step(
        &decided(THIRD_COUNTRY_REGULATED, first),
        Action::Appeal { on: d(2025, 6, 20) },
    );
    assert_eq!(appealed.state, ProcedureState::Appealed);
    assert_eq!(appealed.appealed_on, Some(d(2025, 6, 20)));
    assert_eq!(names(&appealed), ["decide", "withdraw"]);

    let second = compensation(CompensationMeasure::KnowledgeTest);
    let p = step(
        &appealed,
        Action::Decide {
            on: d(2025, 8, 1),
            decision: second.clone(),
        },
    );
    assert_eq!(p.state, ProcedureState::Decided);
    assert_eq!(p.decision, Some(second));
    assert_eq!(p.decided_on, Some(d(2025, 8, 1)));
}

#[test]
fn appealed_withdraw() {
    let appealed = step(
        &decided(NON_REGULATED, details(Decision::NoEquivalence)),
        Action::Appeal { on: d(2025, 6, 20) },
    );
    let p = step(&appealed, Action::Withdraw { on: d(2025, 7, 1) });
    assert_eq!(p.state, ProcedureState::Withdrawn);
    assert_eq!(p.closed_on, Some(d(2025, 7, 1)));
}

// --- refused transitions ---------------------------------------------------------------

#[test]
fn warning_before_receipt_is_refused_with_the_allowed_actions() {
    let p = Procedure::submit(NON_REGULATED, d(2025, 3, 10));
    let result = p.apply(&Action::WarnNonCooperation { on: d(2025, 3, 20) });
    assert_eq!(
        result,
        Err(DomainError::InvalidTransition {
            action: "warn_non_cooperation".to_owned(),
            from: "submitted".to_owned(),
            allowed: vec!["confirm_receipt".to_owned(), "withdraw".to_owned()],
        })
    );
}

#[test]
fn decided_procedures_can_only_be_appealed() {
    let p = decided(NON_REGULATED, details(Decision::NoEquivalence));
    let Err(DomainError::InvalidTransition { from, allowed, .. }) =
        p.apply(&Action::Withdraw { on: d(2025, 7, 1) })
    else {
        panic!("expected a refusal")
    };
    assert_eq!(from, "decided");
    assert_eq!(allowed, ["appeal"]);
}

#[test]
fn apply_refuses_exactly_the_actions_not_listed_as_allowed() {
    for p in one_in_each_state() {
        let allowed = p.allowed_actions();
        for action in one_of_each_action(d(2025, 12, 1)) {
            let refused = matches!(p.apply(&action), Err(DomainError::InvalidTransition { .. }));
            assert_eq!(
                refused,
                !allowed.contains(&action.kind()),
                "{} from {}",
                action.name(),
                p.state
            );
        }
    }
}

#[test]
fn terminal_states_allow_nothing() {
    for p in one_in_each_state() {
        let terminal = matches!(
            p.state,
            ProcedureState::Withdrawn | ProcedureState::RejectedNonCooperation
        );
        assert_eq!(p.allowed_actions().is_empty(), terminal, "{}", p.state);
    }
}

#[test]
fn rejection_needs_a_warning() {
    let p = requested(NON_REGULATED);
    assert_eq!(
        errors(p.apply(&Action::RejectNonCooperation { on: d(2025, 5, 1) })),
        [err("warned_on", "warning_required")]
    );
}

#[test]
fn full_equivalence_cannot_be_appealed() {
    let p = decided(NON_REGULATED, full());
    assert_eq!(
        errors(p.apply(&Action::Appeal { on: d(2025, 6, 10) })),
        [err("action", "nothing_to_appeal")]
    );
}

#[test]
fn actions_cannot_be_back_dated() {
    let p = complete(NON_REGULATED);
    assert_eq!(
        errors(p.apply(&Action::Withdraw { on: d(2025, 4, 14) })),
        [err("date", "before_previous_step")]
    );
    // The same day as the previous step is fine.
    assert!(p.apply(&Action::Withdraw { on: d(2025, 4, 15) }).is_ok());

    let fresh = Procedure::submit(NON_REGULATED, d(2025, 3, 10));
    assert_eq!(
        errors(fresh.apply(&Action::ConfirmReceipt { on: d(2025, 3, 9) })),
        [err("date", "before_previous_step")]
    );
}

#[test]
fn every_broken_rule_is_reported_at_once() {
    let p = complete(EU_REGULATED);
    let result = p.apply(&Action::Extend {
        on: d(2025, 1, 1),
        months: 2,
        reason: "  ".to_owned(),
    });
    assert_eq!(
        errors(result),
        [
            err("date", "before_previous_step"),
            err("months", "out_of_range"),
            err("reason", "required"),
        ]
    );
}

#[test]
fn document_requests_name_the_documents() {
    let p = complete(NON_REGULATED);
    for documents in [vec![], vec!["diploma".to_owned(), " ".to_owned()]] {
        assert_eq!(
            errors(p.apply(&Action::RequestDocuments {
                on: d(2025, 5, 1),
                documents
            })),
            [err("documents", "required")]
        );
    }
}

// --- deadlines -------------------------------------------------------------------------

#[test]
fn normal_procedure_due_dates() {
    let p = Procedure::submit(NON_REGULATED, d(2025, 3, 10));
    assert_eq!(p.receipt_due_on(), d(2025, 4, 10));
    let p = complete(NON_REGULATED);
    assert_eq!(p.receipt_due_on(), d(2025, 4, 10));
    assert_eq!(p.decision_due_on(), Some(d(2025, 7, 15)));
}

#[test]
fn accelerated_procedure_due_dates() {
    let p = Procedure::submit(ACCELERATED, d(2025, 3, 10));
    assert_eq!(p.receipt_due_on(), d(2025, 3, 24));
    let p = complete(ACCELERATED);
    assert_eq!(p.decision_due_on(), Some(d(2025, 6, 15)));
}

#[test]
fn documents_requested_after_completion_suspend_the_deadline() {
    let p = complete(NON_REGULATED);
    let waiting = step(
        &p,
        Action::RequestDocuments {
            on: d(2025, 5, 1),
            documents: vec!["proof of work experience".to_owned()],
        },
    );
    // The running suspension is not counted yet.
    assert_eq!(waiting.decision_due_on(), Some(d(2025, 7, 15)));
    let resumed = step(&waiting, Action::CompleteDocuments { on: d(2025, 5, 21) });
    // The clock keeps its original start; 20 days are added.
    assert_eq!(resumed.documents_complete_on, Some(d(2025, 4, 15)));
    assert_eq!(resumed.suspended_days, 20);
    assert_eq!(resumed.decision_due_on(), Some(d(2025, 8, 4)));

    // A second suspension adds up.
    let again = run(
        NON_REGULATED,
        d(2025, 3, 10),
        vec![
            Action::ConfirmReceipt { on: d(2025, 3, 20) },
            Action::CompleteDocuments { on: d(2025, 4, 15) },
            Action::RequestDocuments {
                on: d(2025, 5, 1),
                documents: vec!["proof of work experience".to_owned()],
            },
            Action::CompleteDocuments { on: d(2025, 5, 21) },
            Action::StartQualificationAnalysis { on: d(2025, 6, 1) },
            Action::FinishQualificationAnalysis { on: d(2025, 6, 6) },
        ],
    );
    assert_eq!(again.suspended_days, 25);
    assert_eq!(again.decision_due_on(), Some(d(2025, 8, 9)));
}

#[test]
fn eu_extension_is_one_month() {
    let p = complete(EU_REGULATED);
    let extend = |months| Action::Extend {
        on: d(2025, 6, 1),
        months,
        reason: "complex comparison of training content".to_owned(),
    };
    assert_eq!(errors(p.apply(&extend(2))), [err("months", "out_of_range")]);
    assert_eq!(errors(p.apply(&extend(0))), [err("months", "out_of_range")]);
    let extended = step(&p, extend(1));
    assert_eq!(extended.decision_due_on(), Some(d(2025, 8, 15)));
    assert_eq!(
        errors(extended.apply(&extend(1))),
        [err("months", "already_extended")]
    );
}

#[test]
fn third_country_extension_is_up_to_six_months_once() {
    let p = complete(THIRD_COUNTRY_REGULATED);
    let extend = |months| Action::Extend {
        on: d(2025, 6, 1),
        months,
        reason: "expert opinion requested".to_owned(),
    };
    assert_eq!(errors(p.apply(&extend(7))), [err("months", "out_of_range")]);
    let extended = step(&p, extend(6));
    assert_eq!(extended.extension_months, 6);
    assert_eq!(extended.decision_due_on(), Some(d(2026, 1, 15)));
    assert_eq!(
        errors(extended.apply(&extend(1))),
        [err("months", "already_extended")]
    );
}

#[test]
fn extension_and_suspension_combine() {
    let p = run(
        THIRD_COUNTRY_REGULATED,
        d(2025, 3, 10),
        vec![
            Action::ConfirmReceipt { on: d(2025, 3, 20) },
            Action::CompleteDocuments { on: d(2025, 4, 15) },
            Action::StartQualificationAnalysis { on: d(2025, 5, 1) },
            Action::Extend {
                on: d(2025, 5, 2),
                months: 2,
                reason: "expert opinion".to_owned(),
            },
            Action::FinishQualificationAnalysis { on: d(2025, 5, 15) },
        ],
    );
    // 2025-07-15 + 2 months = 09-15, + 14 days = 09-29.
    assert_eq!(p.decision_due_on(), Some(d(2025, 9, 29)));
}

#[test]
fn month_end_starts() {
    let p = run(
        NON_REGULATED,
        d(2025, 11, 3),
        vec![
            Action::ConfirmReceipt {
                on: d(2025, 11, 10),
            },
            Action::CompleteDocuments {
                on: d(2025, 11, 30),
            },
        ],
    );
    assert_eq!(p.decision_due_on(), Some(d(2026, 2, 28)));
    // The extension counts from the statutory end, not from the start.
    let extended = step(
        &p,
        Action::Extend {
            on: d(2026, 1, 5),
            months: 1,
            reason: "expert opinion".to_owned(),
        },
    );
    assert_eq!(extended.decision_due_on(), Some(d(2026, 3, 28)));

    let leap = Procedure::submit(NON_REGULATED, d(2024, 1, 31));
    assert_eq!(leap.receipt_due_on(), d(2024, 2, 29));
    let common = Procedure::submit(NON_REGULATED, d(2025, 1, 31));
    assert_eq!(common.receipt_due_on(), d(2025, 2, 28));
    let accelerated = Procedure::submit(ACCELERATED, d(2024, 2, 22));
    assert_eq!(accelerated.receipt_due_on(), d(2024, 3, 7));
}

#[test]
fn receipt_overdue_only_after_the_due_day_and_before_confirmation() {
    let p = Procedure::submit(NON_REGULATED, d(2025, 3, 10));
    assert!(!p.is_overdue(d(2025, 4, 9)));
    assert!(!p.is_overdue(d(2025, 4, 10)));
    assert!(p.is_overdue(d(2025, 4, 11)));
    let confirmed = step(&p, Action::ConfirmReceipt { on: d(2025, 4, 20) });
    assert!(!confirmed.is_overdue(d(2025, 4, 21)));
}

#[test]
fn decision_overdue_only_after_the_due_day() {
    let p = complete(NON_REGULATED);
    assert!(!p.is_overdue(d(2025, 7, 15)));
    assert!(p.is_overdue(d(2025, 7, 16)));
}

#[test]
fn never_overdue_while_the_clock_is_suspended() {
    let p = complete(NON_REGULATED);
    let waiting = step(
        &p,
        Action::RequestDocuments {
            on: d(2025, 5, 1),
            documents: vec!["diploma supplement".to_owned()],
        },
    );
    assert!(waiting.clock_suspended());
    assert!(!waiting.is_overdue(d(2025, 12, 31)));
    let analysis = step(&p, Action::StartQualificationAnalysis { on: d(2025, 5, 1) });
    assert!(analysis.clock_suspended());
    assert!(!analysis.is_overdue(d(2025, 12, 31)));
    // After the analysis the deadline moved by the suspended days.
    let back = step(
        &analysis,
        Action::FinishQualificationAnalysis { on: d(2025, 6, 1) },
    );
    assert_eq!(back.decision_due_on(), Some(d(2025, 8, 15)));
    assert!(!back.is_overdue(d(2025, 8, 15)));
    assert!(back.is_overdue(d(2025, 8, 16)));
}

// --- decision rules --------------------------------------------------------------------

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

#[test]
fn an_extension_counts_from_the_deadline_as_suspensions_moved_it() {
    // Complete on 31 March: due 30 June; 10 days suspended: 10 July; extended by two months
    // from there (§ 190 BGB): 10 September, not 9 September (30 June + 2 months + 10 days).
    let p = run(
        THIRD_COUNTRY_REGULATED,
        d(2026, 1, 31),
        vec![
            Action::ConfirmReceipt { on: d(2026, 2, 10) },
            Action::CompleteDocuments { on: d(2026, 3, 31) },
            Action::RequestDocuments {
                on: d(2026, 4, 10),
                documents: vec!["translation".into()],
            },
            Action::CompleteDocuments { on: d(2026, 4, 20) },
        ],
    );
    assert_eq!(p.decision_due_on(), Some(d(2026, 7, 10)));
    let extended = step(
        &p,
        Action::Extend {
            on: d(2026, 5, 1),
            months: 2,
            reason: "complex case".into(),
        },
    );
    assert_eq!(extended.decision_due_on(), Some(d(2026, 9, 10)));
}

#[test]
fn a_warning_lapses_once_the_applicant_cooperates() {
    let p = run(
        THIRD_COUNTRY_REGULATED,
        d(2026, 1, 5),
        vec![
            Action::ConfirmReceipt { on: d(2026, 1, 10) },
            Action::RequestDocuments {
                on: d(2026, 1, 10),
                documents: vec!["diploma".into()],
            },
            Action::WarnNonCooperation { on: d(2026, 2, 1) },
            Action::CompleteDocuments { on: d(2026, 2, 10) },
            Action::RequestDocuments {
                on: d(2026, 3, 1),
                documents: vec!["translation".into()],
            },
        ],
    );
    assert_eq!(p.warned_on, None);
    let refused = p.apply(&Action::RejectNonCooperation { on: d(2026, 4, 1) });
    assert_eq!(errors(refused), [err("warned_on", "warning_required")]);
}
