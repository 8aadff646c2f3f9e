//! What follows or surrounds a decision: the measures of § 11 BQFG with status and result,
//! temporary permits, fees, and the ZAB statement of comparability as a procedure of its own.

use super::*;
use measures::{MeasureKind, MeasureResult, MeasureStatus, PermitKind};

fn doctor_decided() -> Procedure {
    decided(
        THIRD_COUNTRY_REGULATED,
        DecisionDetails {
            language_exam_required: true,
            ..compensation(CompensationMeasure::KnowledgeTest)
        },
    )
}

// § 11 BQFG, § 3(3) BÄO: a compensation decision requires its measure, for doctors also the
// medical language exam; each has a status, and a failed test may be taken again.
#[test]
fn a_compensation_decision_requires_its_measures() {
    let p = doctor_decided();
    let kinds: Vec<_> = p.measures.iter().map(|m| (m.kind, m.status)).collect();
    assert_eq!(
        kinds,
        [
            (MeasureKind::KnowledgeTest, MeasureStatus::Pending),
            (MeasureKind::MedicalLanguageExam, MeasureStatus::Pending)
        ]
    );
    assert!(names(&p).contains(&"start_measure"));
    assert!(!names(&p).contains(&"finish_measure"));

    let start = |on| Action::StartMeasure {
        on,
        measure: MeasureKind::KnowledgeTest,
    };
    let finish = |on, result| Action::FinishMeasure {
        on,
        measure: MeasureKind::KnowledgeTest,
        result,
    };
    let taking = step(&p, start(d(2025, 9, 1)));
    assert_eq!(taking.measures[0].status, MeasureStatus::InProgress);
    assert_eq!(
        errors(taking.apply(&start(d(2025, 9, 2)))),
        [err("measure", "not_due")]
    );
    let failed = step(&taking, finish(d(2025, 10, 1), MeasureResult::Failed));
    assert_eq!(failed.measures[0].status, MeasureStatus::Failed);
    let again = step(&failed, start(d(2026, 1, 10)));
    let passed = step(&again, finish(d(2026, 2, 1), MeasureResult::Passed));
    assert_eq!(passed.measures[0].status, MeasureStatus::Passed);
    assert_eq!(passed.measures[0].attempts, 2);
    assert_eq!(passed.measures[1].status, MeasureStatus::Pending);
}

#[test]
fn other_decisions_require_no_measure() {
    let p = decided(NON_REGULATED, full());
    assert!(p.measures.is_empty());
    assert!(!names(&p).contains(&"start_measure"));
}

#[test]
fn permits_and_funding_are_recorded_while_the_procedure_is_open() {
    let p = requested(THIRD_COUNTRY_REGULATED);
    let permit = step(
        &p,
        Action::GrantTemporaryPermit {
            on: d(2025, 4, 1),
            permit: PermitKind::LimitedLicence,
            valid_until: Some(d(2027, 3, 31)),
        },
    );
    assert_eq!(permit.permits.len(), 1);
    assert_eq!(permit.state, p.state);
    let backwards = Action::GrantTemporaryPermit {
        on: d(2025, 4, 1),
        permit: PermitKind::Residence16d,
        valid_until: Some(d(2025, 3, 31)),
    };
    assert_eq!(
        errors(p.apply(&backwards)),
        [err("valid_until", "before_grant")]
    );
    let funding = Funding {
        fee_cents: Some(60_000),
        recognition_grant_cents: Some(30_000),
        paid_by: Some(measures::Payer::JobCentre),
    };
    let funded = step(
        &permit,
        Action::RecordFunding {
            on: d(2025, 4, 2),
            funding: funding.clone(),
        },
    );
    assert_eq!(funded.funding, Some(funding));
}

const ZAB: ProcedureFacts = ProcedureFacts {
    kind: ProcedureKind::ZabEvaluation,
    ..NON_REGULATED
};

// A ZAB statement of comparability is no BQFG procedure: no deadlines, no extension, no § 15
// rejection, no appeal, and no compensation.
#[test]
fn a_zab_evaluation_has_no_bqfg_deadlines() {
    let p = run(
        ZAB,
        d(2025, 3, 10),
        vec![
            confirm(d(2025, 3, 20)),
            Action::CompleteDocuments { on: d(2025, 4, 15) },
        ],
    );
    assert_eq!(p.receipt_due_on(), None);
    assert_eq!(p.decision_due_on(), None);
    assert!(!p.is_overdue(d(2030, 1, 1)));
    assert_eq!(
        names(&p),
        ["request_documents", "decide", "withdraw", "record_funding"]
    );
    let compensation = Action::Decide {
        on: d(2025, 6, 1),
        decision: compensation(CompensationMeasure::AptitudeTest),
    };
    assert!(errors(p.apply(&compensation)).contains(&err("decision.decision", "not_for_zab")));
    let done = step(
        &p,
        Action::Decide {
            on: d(2025, 6, 1),
            decision: full(),
        },
    );
    assert!(names(&done).is_empty());
    let fresh = Procedure::submit(ZAB, Seat::unknown(), d(2025, 3, 10));
    assert!(!fresh.is_overdue(d(2030, 1, 1)));
}
