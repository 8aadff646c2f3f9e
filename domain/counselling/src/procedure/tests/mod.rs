//! The procedure's rules, one test per rule or case, citing the paragraph where one applies:
//! the transitions between states, the deadlines, and the decision rules, each in its own file;
//! the fixtures they share are here.

mod after_decision;
mod deadlines;
mod decisions;
mod filing;
mod timing;
mod transitions;

use super::*;
use iqnet_shared::FieldError;
use iqnet_shared::authority::Seat;

/// The actions' wire names allowed on the day of the procedure's latest step.
fn names(p: &Procedure) -> Vec<&'static str> {
    p.allowed_actions(p.last_action_on)
        .iter()
        .map(|a| a.as_str())
        .collect()
}

fn confirm(on: NaiveDate) -> Action {
    Action::ConfirmReceipt {
        on,
        complete_on_receipt: false,
    }
}

/// A § 15 BQFG warning giving the applicant two weeks.
fn warn(on: NaiveDate) -> Action {
    Action::WarnNonCooperation {
        on,
        deadline: Some(on + chrono::Days::new(14)),
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const THIRD_COUNTRY_REGULATED: ProcedureFacts = ProcedureFacts::recognition(true, false, false);
const EU_REGULATED: ProcedureFacts = ProcedureFacts::recognition(true, true, false);
const NON_REGULATED: ProcedureFacts = ProcedureFacts::recognition(false, false, false);
const ACCELERATED: ProcedureFacts = ProcedureFacts::recognition(false, false, true);

fn step(p: &Procedure, action: Action) -> Procedure {
    match p.apply(&action) {
        Ok(next) => next,
        Err(e) => panic!("{} from {} refused: {e:?}", action.name(), p.state),
    }
}

fn run(facts: ProcedureFacts, submitted_on: NaiveDate, actions: Vec<Action>) -> Procedure {
    actions.into_iter().fold(
        Procedure::submit(facts, Seat::unknown(), submitted_on),
        |p, a| step(&p, a),
    )
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

/// The actions a refusal names as allowed; panics unless the action was refused as not allowed.
fn refused(result: Result<Procedure, DomainError>) -> Vec<String> {
    match result {
        Err(DomainError::InvalidTransition { allowed, .. }) => allowed,
        other => panic!("expected a refused transition, got {other:?}"),
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
            confirm(d(2025, 3, 20)),
            Action::CompleteDocuments { on: d(2025, 4, 15) },
        ],
    )
}

fn requested(facts: ProcedureFacts) -> Procedure {
    run(
        facts,
        d(2025, 3, 10),
        vec![
            confirm(d(2025, 3, 20)),
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
    let fresh = Procedure::submit(THIRD_COUNTRY_REGULATED, Seat::unknown(), d(2025, 3, 10));
    let confirmed = step(&fresh, confirm(d(2025, 3, 20)));
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
    let warned = step(&confirmed, warn(d(2025, 4, 1)));
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
        Action::ConfirmReceipt {
            on,
            complete_on_receipt: false,
        },
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
        Action::WarnNonCooperation {
            on,
            deadline: Some(on + chrono::Days::new(14)),
        },
        Action::RejectNonCooperation { on },
        Action::Withdraw { on },
        Action::Appeal { on },
        Action::StartMeasure {
            on,
            measure: measures::MeasureKind::AptitudeTest,
        },
        Action::FinishMeasure {
            on,
            measure: measures::MeasureKind::AptitudeTest,
            result: measures::MeasureResult::Passed,
        },
        Action::GrantTemporaryPermit {
            on,
            permit: measures::PermitKind::LimitedLicence,
            valid_until: None,
        },
        Action::RecordFunding {
            on,
            funding: Funding {
                fee_cents: Some(60_000),
                recognition_grant_cents: None,
                paid_by: Some(measures::Payer::JobCentre),
            },
        },
    ]
}
