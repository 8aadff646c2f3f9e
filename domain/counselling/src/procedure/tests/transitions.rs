//! Which action each state allows, what it leads to, and how refusals are reported.

use super::*;

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
            "start_measure",
            "finish_measure",
            "grant_temporary_permit",
            "record_funding",
        ]
    );
    assert!(one_of_each_action(on).iter().all(|a| a.on() == on));
}

// --- legal transitions -----------------------------------------------------------------

#[test]
fn submit_starts_the_receipt_clock() {
    let p = Procedure::submit(NON_REGULATED, Seat::unknown(), d(2025, 3, 10));
    assert_eq!(p.state, ProcedureState::Submitted);
    assert_eq!(p.last_action_on, d(2025, 3, 10));
    assert_eq!(p.decision_due_on(), None);
    assert!(!p.clock_suspended());
    // Besides its transitions, any open procedure takes a permit and its funding.
    assert_eq!(
        names(&p),
        [
            "confirm_receipt",
            "withdraw",
            "grant_temporary_permit",
            "record_funding"
        ]
    );
}

#[test]
fn submitted_confirm_receipt() {
    let p = Procedure::submit(NON_REGULATED, Seat::unknown(), d(2025, 3, 10));
    let next = step(&p, confirm(d(2025, 3, 20)));
    assert_eq!(next.state, ProcedureState::ReceiptConfirmed);
    assert_eq!(next.receipt_confirmed_on, Some(d(2025, 3, 20)));
    assert_eq!(next.last_action_on, d(2025, 3, 20));
}

#[test]
fn submitted_withdraw() {
    let p = Procedure::submit(NON_REGULATED, Seat::unknown(), d(2025, 3, 10));
    let next = step(&p, Action::Withdraw { on: d(2025, 3, 12) });
    assert_eq!(next.state, ProcedureState::Withdrawn);
    assert_eq!(next.closed_on, Some(d(2025, 3, 12)));
    assert!(next.allowed_actions(next.last_action_on).is_empty());
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
    let p = run(NON_REGULATED, d(2025, 3, 10), vec![confirm(d(2025, 3, 20))]);
    let warned = step(&p, warn(d(2025, 4, 1)));
    assert_eq!(warned.state, ProcedureState::ReceiptConfirmed);
    assert_eq!(warned.warned_on, Some(d(2025, 4, 1)));
    let rejected = step(&warned, Action::RejectNonCooperation { on: d(2025, 5, 2) });
    assert_eq!(rejected.state, ProcedureState::RejectedNonCooperation);
    assert_eq!(rejected.closed_on, Some(d(2025, 5, 2)));
    assert!(rejected.allowed_actions(rejected.last_action_on).is_empty());
}

#[test]
fn receipt_confirmed_withdraw() {
    let p = run(
        NON_REGULATED,
        d(2025, 3, 10),
        vec![
            confirm(d(2025, 3, 20)),
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
    let warned = step(&requested(NON_REGULATED), warn(d(2025, 4, 20)));
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
            confirm(d(2025, 3, 20)),
            Action::CompleteDocuments { on: d(2025, 4, 15) },
            Action::StartQualificationAnalysis { on: d(2025, 5, 1) },
            Action::FinishQualificationAnalysis { on: d(2025, 5, 11) },
        ],
    );
    assert_eq!(p.state, ProcedureState::DocumentsComplete);
    assert_eq!(p.suspended_since, None);
    // 1 to 11 May, both included (§ 209 BGB by analogy).
    assert_eq!(p.suspended_days, 11);
    assert_eq!(p.decision_due_on(), Some(d(2025, 7, 26)));
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
    // 1 to 31 May, both included.
    assert_eq!(p.suspended_days, 31);
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
    assert_eq!(
        names(&appealed),
        [
            "decide",
            "withdraw",
            "grant_temporary_permit",
            "record_funding"
        ]
    );

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
    let p = Procedure::submit(NON_REGULATED, Seat::unknown(), d(2025, 3, 10));
    let result = p.apply(&warn(d(2025, 3, 20)));
    assert_eq!(
        result,
        Err(DomainError::InvalidTransition {
            action: "warn_non_cooperation".to_owned(),
            from: "submitted".to_owned(),
            allowed: [
                "confirm_receipt",
                "withdraw",
                "grant_temporary_permit",
                "record_funding"
            ]
            .map(str::to_owned)
            .to_vec(),
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
    assert_eq!(
        allowed,
        ["appeal", "grant_temporary_permit", "record_funding"]
    );
}

#[test]
fn apply_refuses_exactly_the_actions_not_listed_as_allowed() {
    for p in one_in_each_state() {
        for action in one_of_each_action(d(2025, 12, 1)) {
            let allowed = p.allowed_actions(action.on());
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
        assert_eq!(
            p.allowed_actions(p.last_action_on).is_empty(),
            terminal,
            "{}",
            p.state
        );
    }
}

// § 15 BQFG: rejection for non-cooperation only after a written warning whose deadline passed;
// the present state refuses it otherwise, so it is not listed and is a refused transition.
#[test]
fn rejection_needs_a_warning() {
    let p = requested(NON_REGULATED);
    assert!(!names(&p).contains(&"reject_non_cooperation"));
    refused(p.apply(&Action::RejectNonCooperation { on: d(2025, 5, 1) }));
}

#[test]
fn rejection_waits_until_the_warnings_deadline_has_passed() {
    let warned = step(
        &requested(NON_REGULATED),
        Action::WarnNonCooperation {
            on: d(2025, 4, 1),
            deadline: Some(d(2025, 5, 1)),
        },
    );
    // The applicant has all of the deadline day, and 1 May is a holiday everywhere: the
    // deadline ends on Friday 2 May (§ 31(3) VwVfG).
    assert!(
        !warned
            .allowed_on(d(2025, 5, 2))
            .contains(&ProcedureActionKind::RejectNonCooperation)
    );
    refused(warned.apply(&Action::RejectNonCooperation { on: d(2025, 5, 1) }));
    refused(warned.apply(&Action::RejectNonCooperation { on: d(2025, 5, 2) }));
    let rejected = step(&warned, Action::RejectNonCooperation { on: d(2025, 5, 5) });
    assert_eq!(rejected.state, ProcedureState::RejectedNonCooperation);
}

#[test]
fn a_warning_sets_a_deadline_after_it() {
    let p = requested(NON_REGULATED);
    let warn_with = |deadline| Action::WarnNonCooperation {
        on: d(2025, 4, 1),
        deadline,
    };
    assert_eq!(
        errors(p.apply(&warn_with(None))),
        [err("deadline", "required")]
    );
    assert_eq!(
        errors(p.apply(&warn_with(Some(d(2025, 4, 1))))),
        [err("deadline", "not_after_warning")]
    );
}

#[test]
fn full_equivalence_cannot_be_appealed() {
    let p = decided(NON_REGULATED, full());
    assert!(!names(&p).contains(&"appeal"));
    refused(p.apply(&Action::Appeal { on: d(2025, 6, 10) }));
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

    let fresh = Procedure::submit(NON_REGULATED, Seat::unknown(), d(2025, 3, 10));
    assert_eq!(
        errors(fresh.apply(&confirm(d(2025, 3, 9)))),
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

#[test]
fn a_warning_lapses_once_the_applicant_cooperates() {
    let p = run(
        THIRD_COUNTRY_REGULATED,
        d(2026, 1, 5),
        vec![
            confirm(d(2026, 1, 10)),
            Action::RequestDocuments {
                on: d(2026, 1, 10),
                documents: vec!["diploma".into()],
            },
            warn(d(2026, 2, 1)),
            Action::CompleteDocuments { on: d(2026, 2, 10) },
            Action::RequestDocuments {
                on: d(2026, 3, 1),
                documents: vec!["translation".into()],
            },
        ],
    );
    assert_eq!(p.warned_on, None);
    refused(p.apply(&Action::RejectNonCooperation { on: d(2026, 4, 1) }));
}
