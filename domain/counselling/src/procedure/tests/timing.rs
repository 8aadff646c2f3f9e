//! When periods end: at the authority's seat (§ 31(3) VwVfG, § 193 BGB), in the order the
//! events happened (§ 190 BGB), from receipt when the file was complete on arrival (§ 6(3)
//! BQFG), and with the extension announced before the end (§ 6(3) BQFG, "rechtzeitig").

use super::*;
use iqnet_shared::codes::StateCode;
use iqnet_shared::holidays::Holiday;

/// Complete on 4 March 2026: the decision period ends on Corpus Christi, 4 June 2026.
fn complete_at(seat: Seat) -> Procedure {
    [
        confirm(d(2026, 2, 10)),
        Action::CompleteDocuments { on: d(2026, 3, 4) },
    ]
    .iter()
    .fold(
        Procedure::submit(NON_REGULATED, seat, d(2026, 2, 2)),
        |p, a| step(&p, a.clone()),
    )
}

// § 31(3) sentence 1 VwVfG, § 193 BGB: a period ending on a public holiday at the seat ends on
// the next working day; the statutory date stays as it was.
#[test]
fn corpus_christi_moves_the_end_in_bavaria_not_in_berlin() {
    let bavaria = complete_at(Seat::in_state(StateCode::Bayern));
    let berlin = complete_at(Seat::in_state(StateCode::Berlin));
    for p in [&bavaria, &berlin] {
        assert_eq!(p.decision_due_on(), Some(d(2026, 6, 4)));
    }
    assert_eq!(bavaria.decision_due_effective_on(), Some(d(2026, 6, 5)));
    assert_eq!(berlin.decision_due_effective_on(), Some(d(2026, 6, 4)));
    // `overdue` follows the effective end.
    assert!(!bavaria.is_overdue(d(2026, 6, 5)));
    assert!(berlin.is_overdue(d(2026, 6, 5)));
}

#[test]
fn an_unknown_seat_moves_the_end_only_for_weekends_and_nationwide_holidays() {
    let unknown = complete_at(Seat::unknown());
    assert_eq!(unknown.decision_due_effective_on(), Some(d(2026, 6, 4)));
    // Submitted on 31 January 2026: receipt due 28 February, a Saturday: Monday 2 March.
    let p = Procedure::submit(NON_REGULATED, Seat::unknown(), d(2026, 1, 31));
    assert_eq!(p.receipt_due_on(), Some(d(2026, 2, 28)));
    assert_eq!(p.receipt_due_effective_on(), Some(d(2026, 3, 2)));
    assert!(!p.is_overdue(d(2026, 3, 2)));
    assert!(p.is_overdue(d(2026, 3, 3)));
}

#[test]
fn assumption_moves_the_end_at_a_munich_seat_only() {
    // § 14a BQFG accelerated: two weeks from Friday 1 August 2025 is Friday 15 August.
    let submit = |seat| Procedure::submit(ACCELERATED, seat, d(2025, 8, 1));
    let munich = submit(Seat::with_local(StateCode::Bayern, vec![Holiday::Assumption]).unwrap());
    let nuremberg = submit(Seat::in_state(StateCode::Bayern));
    assert_eq!(munich.receipt_due_effective_on(), Some(d(2025, 8, 18)));
    assert_eq!(nuremberg.receipt_due_effective_on(), Some(d(2025, 8, 15)));
}

// § 190 BGB: an extension runs from the end of the period as it stood; a suspension after the
// extension moves the extended end. The order matters at the end of a month.
#[test]
fn events_apply_in_the_order_they_happened() {
    let base = |steps: Vec<Action>| {
        run(
            THIRD_COUNTRY_REGULATED,
            d(2025, 10, 1),
            [
                vec![
                    confirm(d(2025, 10, 10)),
                    Action::CompleteDocuments {
                        on: d(2025, 11, 30),
                    },
                ],
                steps,
            ]
            .concat(),
        )
    };
    let extend = |on| Action::Extend {
        on,
        months: 1,
        reason: "expert opinion".into(),
    };
    let request = Action::RequestDocuments {
        on: d(2026, 1, 12),
        documents: vec!["translation".into()],
    };
    let arrive = Action::CompleteDocuments { on: d(2026, 1, 14) };
    // Due 28 February 2026 (30 November + 3 months, § 188(3) BGB). Extended first: 28 March;
    // then 12 to 14 January suspended, 3 days: 31 March.
    let extended_first = base(vec![extend(d(2026, 1, 5)), request.clone(), arrive.clone()]);
    assert_eq!(extended_first.decision_due_on(), Some(d(2026, 3, 31)));
    // Suspended first: 3 March; then extended by a month from there: 3 April.
    let suspended_first = base(vec![request, arrive, extend(d(2026, 1, 20))]);
    assert_eq!(suspended_first.decision_due_on(), Some(d(2026, 4, 3)));
}

// § 6(3) BQFG: the period starts with the receipt of the complete documents; when they were
// complete on arrival, that is the day the application came in.
#[test]
fn documents_complete_on_receipt_start_the_clock_on_receipt() {
    let p = step(
        &Procedure::submit(NON_REGULATED, Seat::unknown(), d(2026, 3, 2)),
        Action::ConfirmReceipt {
            on: d(2026, 3, 20),
            complete_on_receipt: true,
        },
    );
    assert_eq!(p.state, ProcedureState::DocumentsComplete);
    assert_eq!(p.receipt_confirmed_on, Some(d(2026, 3, 20)));
    assert_eq!(p.documents_complete_on, Some(d(2026, 3, 2)));
    assert_eq!(p.decision_due_on(), Some(d(2026, 6, 2)));
}

// § 6(3) BQFG: the extension is announced "rechtzeitig", before the period ends. A late one
// is refused and the procedure stays overdue.
#[test]
fn a_late_extension_is_refused_and_the_procedure_stays_overdue() {
    let p = complete_at(Seat::in_state(StateCode::Bayern));
    let extend = |on| Action::Extend {
        on,
        months: 1,
        reason: "expert opinion".into(),
    };
    // Bavaria: the period ends on Friday 5 June (Corpus Christi moved it): still in time.
    assert!(
        p.allowed_on(d(2026, 6, 5))
            .contains(&ProcedureActionKind::Extend)
    );
    step(&p, extend(d(2026, 6, 5)));
    // On 8 June it is over.
    assert!(
        !p.allowed_on(d(2026, 6, 8))
            .contains(&ProcedureActionKind::Extend)
    );
    let allowed = refused(p.apply(&extend(d(2026, 6, 8))));
    assert!(!allowed.contains(&"extend".to_owned()));
    assert!(p.is_overdue(d(2026, 6, 8)));
}

#[test]
fn a_suspended_period_has_not_run_out() {
    let analysis = step(
        &complete_at(Seat::unknown()),
        Action::StartQualificationAnalysis { on: d(2026, 5, 1) },
    );
    assert!(
        analysis
            .allowed_on(d(2026, 9, 1))
            .contains(&ProcedureActionKind::Extend)
    );
    // An analysis begun after the period ran out does not revive it.
    let late = step(
        &complete_at(Seat::unknown()),
        Action::StartQualificationAnalysis { on: d(2026, 6, 5) },
    );
    assert!(
        !late
            .allowed_on(d(2026, 6, 6))
            .contains(&ProcedureActionKind::Extend)
    );
}

// Directive 2005/36/EC Art. 3(3), as the BQFG applies it: a third-country qualification already
// recognised in an EU/EEA/CH state has the EU extension cap of one month.
#[test]
fn the_eu_cap_applies_to_a_qualification_recognised_in_the_eu() {
    let facts = ProcedureFacts {
        recognised_in_eu_eea_ch: true,
        ..THIRD_COUNTRY_REGULATED
    };
    let p = complete(facts);
    let extend = |months| Action::Extend {
        on: d(2025, 6, 1),
        months,
        reason: "expert opinion".into(),
    };
    assert_eq!(errors(p.apply(&extend(2))), [err("months", "out_of_range")]);
    step(&p, extend(1));
}

// Carrying stored procedures forward: replaying the history gives what applying it gave, and
// tolerates steps recorded before a rule existed (a warning without deadline).
#[test]
fn a_replayed_history_gives_the_same_procedure() {
    let history = vec![
        confirm(d(2026, 1, 10)),
        Action::CompleteDocuments { on: d(2026, 2, 2) },
        Action::RequestDocuments {
            on: d(2026, 2, 9),
            documents: vec!["reference".into()],
        },
        Action::CompleteDocuments { on: d(2026, 2, 19) },
        Action::Extend {
            on: d(2026, 3, 1),
            months: 2,
            reason: "expert".into(),
        },
    ];
    let applied = run(THIRD_COUNTRY_REGULATED, d(2026, 1, 5), history.clone());
    let replayed = Procedure::replay(
        THIRD_COUNTRY_REGULATED,
        Seat::unknown(),
        d(2026, 1, 5),
        &history,
    );
    assert_eq!(replayed, applied);

    let legacy = Procedure::replay(
        THIRD_COUNTRY_REGULATED,
        Seat::unknown(),
        d(2026, 1, 5),
        &[
            confirm(d(2026, 1, 10)),
            Action::WarnNonCooperation {
                on: d(2026, 2, 1),
                deadline: None,
            },
        ],
    );
    assert_eq!(legacy.warned_on, Some(d(2026, 2, 1)));
    assert!(
        legacy
            .allowed_on(d(2026, 2, 2))
            .contains(&ProcedureActionKind::RejectNonCooperation)
    );
}
