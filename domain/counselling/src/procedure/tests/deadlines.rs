//! Due dates (BQFG § 6, § 81a AufenthG, BGB §§ 187-190), suspensions, extensions, overdue.

use super::*;

#[test]
fn normal_procedure_due_dates() {
    let p = Procedure::submit(NON_REGULATED, Seat::unknown(), d(2025, 3, 10));
    assert_eq!(p.receipt_due_on(), Some(d(2025, 4, 10)));
    let p = complete(NON_REGULATED);
    assert_eq!(p.receipt_due_on(), Some(d(2025, 4, 10)));
    assert_eq!(p.decision_due_on(), Some(d(2025, 7, 15)));
}

#[test]
fn accelerated_procedure_due_dates() {
    let p = Procedure::submit(ACCELERATED, Seat::unknown(), d(2025, 3, 10));
    assert_eq!(p.receipt_due_on(), Some(d(2025, 3, 24)));
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
    // The clock keeps its original start; 1 to 21 May are suspended, both ends included
    // (§ 209 BGB by analogy): 21 days are added.
    assert_eq!(resumed.documents_complete_on, Some(d(2025, 4, 15)));
    assert_eq!(resumed.suspended_days, 21);
    assert_eq!(resumed.decision_due_on(), Some(d(2025, 8, 5)));

    // A second suspension adds up.
    let again = run(
        NON_REGULATED,
        d(2025, 3, 10),
        vec![
            confirm(d(2025, 3, 20)),
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
    // 21 days, then 1 to 6 June: 6 more.
    assert_eq!(again.suspended_days, 27);
    assert_eq!(again.decision_due_on(), Some(d(2025, 8, 11)));
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
    // § 6(3) BQFG: once. A second extension is not allowed at all (409), not merely invalid.
    assert!(!refused(extended.apply(&extend(1))).contains(&"extend".to_owned()));
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
    assert!(!refused(extended.apply(&extend(1))).contains(&"extend".to_owned()));
    assert!(!names(&extended).contains(&"extend"));
}

#[test]
fn extension_and_suspension_combine() {
    let p = run(
        THIRD_COUNTRY_REGULATED,
        d(2025, 3, 10),
        vec![
            confirm(d(2025, 3, 20)),
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
    // Events apply in the order they happened (§ 190 BGB): the extension moves the end as it
    // stood, 2025-07-15 + 2 months = 09-15; the analysis, finished after it, moves the extended
    // end by 1 to 15 May, 15 days: 09-30.
    assert_eq!(p.decision_due_on(), Some(d(2025, 9, 30)));
}

#[test]
fn month_end_starts() {
    let p = run(
        NON_REGULATED,
        d(2025, 11, 3),
        vec![
            confirm(d(2025, 11, 10)),
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

    let leap = Procedure::submit(NON_REGULATED, Seat::unknown(), d(2024, 1, 31));
    assert_eq!(leap.receipt_due_on(), Some(d(2024, 2, 29)));
    let common = Procedure::submit(NON_REGULATED, Seat::unknown(), d(2025, 1, 31));
    assert_eq!(common.receipt_due_on(), Some(d(2025, 2, 28)));
    let accelerated = Procedure::submit(ACCELERATED, Seat::unknown(), d(2024, 2, 22));
    assert_eq!(accelerated.receipt_due_on(), Some(d(2024, 3, 7)));
}

#[test]
fn receipt_overdue_only_after_the_due_day_and_before_confirmation() {
    let p = Procedure::submit(NON_REGULATED, Seat::unknown(), d(2025, 3, 10));
    assert!(!p.is_overdue(d(2025, 4, 9)));
    assert!(!p.is_overdue(d(2025, 4, 10)));
    assert!(p.is_overdue(d(2025, 4, 11)));
    let confirmed = step(&p, confirm(d(2025, 4, 20)));
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
    // 1 May to 1 June, both included: 32 days, to Saturday 16 August, so effectively Monday
    // 18 August (§ 193 BGB).
    assert_eq!(back.decision_due_on(), Some(d(2025, 8, 16)));
    assert_eq!(back.decision_due_effective_on(), Some(d(2025, 8, 18)));
    assert!(!back.is_overdue(d(2025, 8, 18)));
    assert!(back.is_overdue(d(2025, 8, 19)));
}

#[test]
fn an_extension_counts_from_the_deadline_as_suspensions_moved_it() {
    // Complete on 31 March: due 30 June; 10 to 20 April suspended, 11 days: 11 July; extended
    // by two months from there (§ 190 BGB): 11 September, not 10 September (30 June + 2 months
    // + 11 days).
    let p = run(
        THIRD_COUNTRY_REGULATED,
        d(2026, 1, 31),
        vec![
            confirm(d(2026, 2, 10)),
            Action::CompleteDocuments { on: d(2026, 3, 31) },
            Action::RequestDocuments {
                on: d(2026, 4, 10),
                documents: vec!["translation".into()],
            },
            Action::CompleteDocuments { on: d(2026, 4, 20) },
        ],
    );
    assert_eq!(p.decision_due_on(), Some(d(2026, 7, 11)));
    let extended = step(
        &p,
        Action::Extend {
            on: d(2026, 5, 1),
            months: 2,
            reason: "complex case".into(),
        },
    );
    assert_eq!(extended.decision_due_on(), Some(d(2026, 9, 11)));
}
