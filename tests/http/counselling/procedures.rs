//! Recognition procedures: the legal transitions, the rules of decisions, the BQFG deadlines and
//! the overdue filter.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::qualified_seeker;
use crate::support::builders::{days_ago, today};
use crate::support::{TestApp, id};

trials! {
    backends:
        a_new_procedure_allows_only_receipt_or_withdrawal,
        every_legal_procedure_transition_and_a_rejected_illegal_one,
        withdrawal_ends_a_procedure_for_good,
        steps_are_dated_in_order_and_never_in_the_future,
        non_cooperation_needs_a_warning,
        decisions_follow_regulation,
        due_dates_follow_the_bqfg_for_normal_accelerated_suspended_and_extended_procedures,
        the_overdue_filter_lists_procedures_whose_authority_is_late,
        actions_honour_if_match_and_change_nothing_when_refused,
        submission_dates_before_1900_are_refused;
}

/// A counsellor's token and a procedure submitted on `submitted_on` for a cook's qualification
/// from India: not regulated, so partial equivalence is possible. (Not an engineering degree:
/// engineers' titles are protected by state law in every discipline, so those are regulated.)
async fn engineering_procedure(app: &TestApp, submitted_on: &str) -> (String, Value) {
    let (_, token) = app.counsellor("DE-NW").await;
    let seeker = app
        .seeker(&token)
        .code("NW-1")
        .consents(["counselling"])
        .create()
        .await;
    let engineer = app
        .qualification(&token, &seeker)
        .from("IN", "29302")
        .create()
        .await;
    let procedure = app
        .procedure(&token, &engineer)
        .submitted_on(submitted_on)
        .create()
        .await;
    (token, procedure)
}

/// A counsellor's token and an Egyptian medical degree: a regulated occupation.
async fn doctor(app: &TestApp) -> (String, Value) {
    let (token, _, doctor) = qualified_seeker(app, "DE-HE", "HE-1", ("EG", "81404")).await;
    (token, doctor)
}

async fn a_new_procedure_allows_only_receipt_or_withdrawal(app: TestApp) {
    let (_, p) = engineering_procedure(&app, "2026-01-05").await;

    assert_eq!(p["state"], "submitted");
    // Besides receipt and withdrawal, an open procedure takes a temporary permit and its funding.
    assert_eq!(
        p["allowed_actions"],
        json!([
            "confirm_receipt",
            "withdraw",
            "grant_temporary_permit",
            "record_funding"
        ])
    );
}

async fn every_legal_procedure_transition_and_a_rejected_illegal_one(app: TestApp) {
    let (token, p) = engineering_procedure(&app, "2026-01-05").await;

    // Illegal: a decision before anything else.
    let problem = app
        .dated_action(&token, &p, "appeal", "2026-01-06")
        .problem(StatusCode::CONFLICT)
        .await;
    assert_eq!(problem["type"], "urn:iqnet:problem:invalid-transition");
    assert_eq!(problem["current_state"], "submitted");
    assert_eq!(
        problem["allowed"],
        json!([
            "confirm_receipt",
            "withdraw",
            "grant_temporary_permit",
            "record_funding"
        ])
    );

    let walk = [
        (
            json!({"action": "confirm_receipt", "date": "2026-01-12"}),
            "receipt_confirmed",
        ),
        (
            json!({"action": "request_documents", "date": "2026-01-12", "documents": ["certified transcript"]}),
            "documents_requested",
        ),
        (
            json!({"action": "complete_documents", "date": "2026-02-02"}),
            "documents_complete",
        ),
        (
            json!({"action": "request_documents", "date": "2026-02-09", "documents": ["employer reference"]}),
            "documents_requested",
        ),
        (
            json!({"action": "complete_documents", "date": "2026-02-19"}),
            "documents_complete",
        ),
        (
            json!({"action": "start_qualification_analysis", "date": "2026-03-02"}),
            "qualification_analysis",
        ),
        (
            json!({"action": "finish_qualification_analysis", "date": "2026-03-12"}),
            "documents_complete",
        ),
        (
            json!({"action": "extend", "date": "2026-04-01", "months": 2, "reason": "expert opinion needed"}),
            "documents_complete",
        ),
        (
            json!({"action": "decide", "date": "2026-05-04", "decision": {"decision": "partial_equivalence", "substantial_differences": ["no thermodynamics module"]}}),
            "decided",
        ),
        (
            json!({"action": "appeal", "date": "2026-05-18"}),
            "appealed",
        ),
        (
            json!({"action": "decide", "date": "2026-07-01", "decision": {"decision": "full_equivalence"}}),
            "decided",
        ),
    ];
    let mut last = p.clone();
    for (action, expected) in walk {
        let name = action["action"].clone();
        last = app.step(&token, &p, action).await;
        assert_eq!(last["state"], expected, "after {name}");
    }
    assert_eq!(
        last["suspended_days"], 22,
        "11 days of documents requested after completion, 11 of analysis, both ends included (§ 209 BGB)"
    );
    assert_eq!(last["extension_months"], 2);
    assert_eq!(last["decision"]["decision"], "full_equivalence");
    assert_eq!(last["history"].as_array().unwrap().len(), 11);
    // Full equivalence leaves nothing to appeal: the state refuses it (409), and does not list it.
    assert!(
        !last["allowed_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("appeal"))
    );
    app.dated_action(&token, &p, "appeal", "2026-07-02")
        .problem(StatusCode::CONFLICT)
        .await;
}

async fn withdrawal_ends_a_procedure_for_good(app: TestApp) {
    let (token, q) = engineering_procedure(&app, "2026-02-01").await;

    let withdrawn = app.advance(&token, &q, "withdraw", "2026-02-03").await;

    assert_eq!(withdrawn["state"], "withdrawn");
    assert_eq!(withdrawn["allowed_actions"], json!([]));
    let problem = app
        .dated_action(&token, &q, "confirm_receipt", "2026-02-04")
        .problem(StatusCode::CONFLICT)
        .await;
    assert_eq!(problem["allowed"], json!([]));
}

async fn steps_are_dated_in_order_and_never_in_the_future(app: TestApp) {
    let (token, r) = engineering_procedure(&app, "2026-03-01").await;

    let before_submission = app
        .dated_action(&token, &r, "confirm_receipt", "2026-02-27")
        .invalid()
        .await;
    assert_eq!(before_submission["field"], "date");

    let future = (Utc::now().date_naive() + Duration::days(3)).to_string();
    app.dated_action(&token, &r, "confirm_receipt", &future)
        .problem(StatusCode::UNPROCESSABLE_ENTITY)
        .await;
}

async fn non_cooperation_needs_a_warning(app: TestApp) {
    let (token, doctor) = doctor(&app).await;
    let p = app
        .procedure(&token, &doctor)
        .submitted_on("2026-01-05")
        .create()
        .await;
    app.advance(&token, &p, "confirm_receipt", "2026-01-10")
        .await;
    app.step(
        &token,
        &p,
        json!({"action": "request_documents", "date": "2026-01-10", "documents": ["diploma supplement"]}),
    )
    .await;

    // § 15 BQFG: without a warning the state refuses the rejection (409) and does not list it.
    let unwarned = app
        .dated_action(&token, &p, "reject_non_cooperation", "2026-03-01")
        .problem(StatusCode::CONFLICT)
        .await;
    assert!(
        !unwarned["allowed"]
            .as_array()
            .unwrap()
            .contains(&json!("reject_non_cooperation"))
    );

    app.step(
        &token,
        &p,
        json!({"action": "warn_non_cooperation", "date": "2026-03-01", "deadline": "2026-03-20"}),
    )
    .await;
    let rejected = app
        .advance(&token, &p, "reject_non_cooperation", "2026-04-01")
        .await;
    assert_eq!(rejected["state"], "rejected_non_cooperation");
}

/// A regulated occupation: no partial equivalence; compensation needs its measure.
async fn decisions_follow_regulation(app: TestApp) {
    let (token, doctor) = doctor(&app).await;
    let q = app
        .procedure(&token, &doctor)
        .submitted_on("2026-02-01")
        .create()
        .await;
    app.advance(&token, &q, "confirm_receipt", "2026-02-05")
        .await;
    app.advance(&token, &q, "complete_documents", "2026-02-10")
        .await;

    let partial = json!({"action": "decide", "date": "2026-03-01", "decision": {"decision": "partial_equivalence", "substantial_differences": ["x"]}});
    assert_eq!(
        app.procedure_action(&token, &q, &partial).invalid().await["field"],
        "decision.decision"
    );
    let no_measure = json!({"action": "decide", "date": "2026-03-01", "decision": {"decision": "compensation_required", "substantial_differences": ["pharmacology"]}});
    let problem = app
        .procedure_action(&token, &q, &no_measure)
        .problem(StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    assert!(
        problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == "decision.compensation"),
        "{problem}"
    );
    let decided = app
        .step(
            &token,
            &q,
            json!({"action": "decide", "date": "2026-03-01", "decision": {"decision": "compensation_required",
                "substantial_differences": ["pharmacology"], "compensation": "knowledge_test", "language_exam_required": true}}),
        )
        .await;
    assert_eq!(decided["decision"]["compensation"], "knowledge_test");
}

async fn due_dates_follow_the_bqfg_for_normal_accelerated_suspended_and_extended_procedures(
    app: TestApp,
) {
    let (token, s, third_country) = qualified_seeker(&app, "DE-BY", "BY-1", ("SY", "81302")).await;
    let french = app
        .qualification(&token, &s)
        .from("FR", "81302")
        .create()
        .await;

    // Normal: receipt within a month (month end clamps), decision three months after completion.
    let p = app
        .procedure(&token, &third_country)
        .submitted_on("2026-01-31")
        .create()
        .await;
    assert_eq!(p["receipt_due_on"], "2026-02-28");
    assert_eq!(p["decision_due_on"], Value::Null);
    app.advance(&token, &p, "confirm_receipt", "2026-02-10")
        .await;
    let complete = app
        .advance(&token, &p, "complete_documents", "2026-03-31")
        .await;
    assert_eq!(complete["decision_due_on"], "2026-06-30");
    // Suspended while documents are requested: the days move the deadline.
    app.step(
        &token,
        &p,
        json!({"action": "request_documents", "date": "2026-04-10", "documents": ["translation"]}),
    )
    .await;
    let suspended = app.get_procedure(&token, &p).ok().await;
    assert_eq!(suspended["clock_suspended"], true);
    let resumed = app
        .advance(&token, &p, "complete_documents", "2026-04-20")
        .await;
    // 10 to 20 April, both ends included (§ 209 BGB by analogy): 11 days.
    assert_eq!(resumed["suspended_days"], 11);
    assert_eq!(resumed["decision_due_on"], "2026-07-11");
    // A third-country qualification may be extended by more than a month.
    let extended = app
        .step(
            &token,
            &p,
            json!({"action": "extend", "date": "2026-05-01", "months": 2, "reason": "complex case"}),
        )
        .await;
    assert_eq!(extended["decision_due_on"], "2026-09-11");
    // Once only: a second extension is refused by the state (409).
    app.procedure_action(
        &token,
        &p,
        &json!({"action": "extend", "date": "2026-05-02", "months": 1, "reason": "again"}),
    )
    .problem(StatusCode::CONFLICT)
    .await;

    // §81a accelerated: two weeks to confirm, two months to decide.
    let fast = app
        .procedure(&token, &third_country)
        .submitted_on("2026-03-02")
        .accelerated(true)
        .create()
        .await;
    assert_eq!(fast["receipt_due_on"], "2026-03-16");
    app.advance(&token, &fast, "confirm_receipt", "2026-03-09")
        .await;
    let fast = app
        .advance(&token, &fast, "complete_documents", "2026-03-31")
        .await;
    assert_eq!(fast["decision_due_on"], "2026-05-31");
    // A Sunday: the period ends on Monday (§ 193 BGB, § 31(3) VwVfG).
    assert_eq!(fast["decision_due_effective_on"], "2026-06-01");

    // EU/EEA/CH: the extension is at most one month.
    let eu = app
        .procedure(&token, &french)
        .submitted_on("2026-01-15")
        .create()
        .await;
    assert_eq!(eu["eu_eea_ch"], true);
    app.advance(&token, &eu, "confirm_receipt", "2026-01-20")
        .await;
    app.advance(&token, &eu, "complete_documents", "2026-01-30")
        .await;
    let too_long = app
        .procedure_action(
            &token,
            &eu,
            &json!({"action": "extend", "date": "2026-02-01", "months": 2, "reason": "x"}),
        )
        .invalid()
        .await;
    assert_eq!(too_long["field"], "months");
    let eu = app
        .step(
            &token,
            &eu,
            json!({"action": "extend", "date": "2026-02-01", "months": 1, "reason": "expert opinion"}),
        )
        .await;
    assert_eq!(
        eu["decision_due_on"], "2026-05-30",
        "2026-01-30 + 3 months + 1 month"
    );
}

async fn the_overdue_filter_lists_procedures_whose_authority_is_late(app: TestApp) {
    let (token, _, q) = qualified_seeker(&app, "DE-NI", "NI-1", ("SY", "81302")).await;
    let submitted = |days: i64| {
        let (app, token, q) = (&app, &token, &q);
        async move {
            app.procedure(token, q)
                .submitted_on(days_ago(days))
                .create()
                .await
        }
    };
    let late_receipt = submitted(40).await;
    let fresh = submitted(3).await;
    let late_decision = submitted(150).await;
    app.advance(&token, &late_decision, "confirm_receipt", &days_ago(140))
        .await;
    app.advance(&token, &late_decision, "complete_documents", &days_ago(120))
        .await;
    let suspended = submitted(150).await;
    app.advance(&token, &suspended, "confirm_receipt", &days_ago(140))
        .await;
    app.advance(&token, &suspended, "complete_documents", &days_ago(120))
        .await;
    app.step(
        &token,
        &suspended,
        json!({"action": "request_documents", "date": days_ago(100), "documents": ["x"]}),
    )
    .await;

    let list = |query: &'static str| {
        let (app, token) = (&app, &token);
        async move {
            let page = app
                .get(token, &format!("/v1/recognition-procedures?{query}"))
                .ok()
                .await;
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| (id(p).to_owned(), p["overdue"].as_bool().unwrap()))
                .collect::<Vec<_>>()
        }
    };
    let id = |p: &Value| id(p).to_owned();
    assert_eq!(
        list("overdue=true").await,
        [(id(&late_receipt), true), (id(&late_decision), true)]
    );
    assert_eq!(
        list("overdue=false").await,
        [(id(&fresh), false), (id(&suspended), false)]
    );
    assert_eq!(list("").await.len(), 4);
    // Confirming receipt ends the receipt delay.
    app.advance(&token, &late_receipt, "confirm_receipt", &today())
        .await;
    assert_eq!(list("overdue=true").await, [(id(&late_decision), true)]);
}

/// Procedure actions honour If-Match too, and change nothing when refused.
async fn actions_honour_if_match_and_change_nothing_when_refused(app: TestApp) {
    let (token, _, q) = qualified_seeker(&app, "DE-SL", "SL-1", ("AF", "81404")).await;
    let p = app
        .procedure(&token, &q)
        .submitted_on("2026-03-02")
        .create()
        .await;

    app.dated_action(&token, &p, "confirm_receipt", "2026-03-05")
        .if_match(5)
        .problem(StatusCode::PRECONDITION_FAILED)
        .await;

    let now = app.get_procedure(&token, &p).ok().await;
    assert_eq!(
        (now["state"].as_str(), now["version"].as_i64()),
        (Some("submitted"), Some(1))
    );
}

/// Dates outside 1900..today are a 422, never a 500; a filter far in the past is fine.
async fn submission_dates_before_1900_are_refused(app: TestApp) {
    let (token, _, q) = qualified_seeker(&app, "DE-MV", "MV-1", ("SY", "81302")).await;

    let error = app
        .procedure(&token, &q)
        .submitted_on("1066-10-14")
        .unset("accelerated")
        .call()
        .invalid()
        .await;
    assert_eq!(error["field"], "submitted_on");

    app.get(
        &token,
        "/v1/recognition-procedures?updated_since=0001-01-01T00:00:00Z",
    )
    .ok()
    .await;
}
