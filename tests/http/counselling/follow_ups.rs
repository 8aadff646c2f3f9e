//! What surrounds and follows a decision, over HTTP: appeals that keep each decision, the
//! measures of a compensation decision and a follow-up procedure, fees and temporary permits,
//! the ZAB statement as a procedure of its own, and the competent authorities it all names.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::qualified_seeker;
use crate::support::TestApp;
use crate::support::builders::today;

trials! {
    backends:
        an_appeal_keeps_each_decision_in_history_and_journey,
        a_follow_up_procedure_links_the_one_whose_measure_was_passed,
        fees_funding_and_temporary_permits_are_recorded,
        a_zab_statement_has_no_bqfg_deadlines,
        competent_authorities_are_reference_data;
}

/// A doctor from Egypt (regulated, 81404) of a counsellor in Berlin, filed at the LAGeSo, with
/// the documents complete on 2 February 2026.
async fn doctor(app: &TestApp) -> (String, Value, Value, Value) {
    let (token, seeker, q) = qualified_seeker(app, "DE-BE", "BE-7", ("EG", "81404")).await;
    let p = app
        .procedure(&token, &q)
        .submitted_on("2026-01-05")
        .set("authority_id", "be-lageso")
        .create()
        .await;
    app.advance(&token, &p, "confirm_receipt", "2026-01-10")
        .await;
    app.advance(&token, &p, "complete_documents", "2026-02-02")
        .await;
    (token, seeker, q, p)
}

fn compensation() -> Value {
    json!({"decision": "compensation_required", "substantial_differences": ["pharmacology"],
           "compensation": "knowledge_test", "language_exam_required": true})
}

async fn an_appeal_keeps_each_decision_in_history_and_journey(app: TestApp) {
    let (token, seeker, _, p) = doctor(&app).await;
    app.step(
        &token,
        &p,
        json!({"action": "decide", "date": "2026-03-02", "decision": compensation()}),
    )
    .await;
    app.advance(&token, &p, "appeal", "2026-03-20").await;
    let last = app
        .step(&token, &p, json!({"action": "decide", "date": "2026-05-04", "decision": {"decision": "full_equivalence"}}))
        .await;

    let decisions: Vec<_> = last["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "decide")
        .map(|e| e["decision"]["decision"].clone())
        .collect();
    assert_eq!(
        decisions,
        [json!("compensation_required"), json!("full_equivalence")]
    );
    assert_eq!(last["decision"]["decision"], "full_equivalence");
    // The new decision requires no measure: the first one's are gone with it.
    assert_eq!(last["measures"], json!([]));

    let journey = app.journey(&token, &seeker).ok().await;
    let decided: Vec<_> = journey["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "procedure_decide")
        .map(|e| {
            (
                e["date"].clone(),
                e["details"]["decision"]["decision"].clone(),
            )
        })
        .collect();
    assert_eq!(
        decided,
        [
            (json!("2026-03-02"), json!("compensation_required")),
            (json!("2026-05-04"), json!("full_equivalence"))
        ]
    );
}

async fn a_follow_up_procedure_links_the_one_whose_measure_was_passed(app: TestApp) {
    let (token, _, q, p) = doctor(&app).await;
    // Not decided yet: nothing to follow up.
    let early = app
        .procedure(&token, &q)
        .submitted_on("2026-03-01")
        .set("follows_procedure_id", p["id"].clone())
        .call()
        .invalid()
        .await;
    assert_eq!(
        (early["field"].as_str(), early["code"].as_str()),
        (Some("follows_procedure_id"), Some("not_decided"))
    );

    let decided = app
        .step(
            &token,
            &p,
            json!({"action": "decide", "date": "2026-03-02", "decision": compensation()}),
        )
        .await;
    let measures = |p: &Value| -> Vec<(String, String)> {
        p["measures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["kind"].as_str().unwrap().to_owned(),
                    m["status"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let pair = |k: &str, s: &str| (k.to_owned(), s.to_owned());
    assert_eq!(
        measures(&decided),
        [
            pair("knowledge_test", "pending"),
            pair("medical_language_exam", "pending")
        ]
    );
    let measure = |date: &str, action: &str, measure: &str, result: Option<&str>| {
        let mut step = json!({"action": action, "date": date, "measure": measure});
        if let Some(result) = result {
            step["result"] = json!(result);
        }
        step
    };
    // Before any measure began, finishing one is refused by the state (409), and not listed.
    let not_started = app
        .procedure_action(
            &token,
            &p,
            &measure(
                "2026-04-01",
                "finish_measure",
                "medical_language_exam",
                Some("passed"),
            ),
        )
        .problem(StatusCode::CONFLICT)
        .await;
    assert!(
        !not_started["allowed"]
            .as_array()
            .unwrap()
            .contains(&json!("finish_measure"))
    );
    app.step(
        &token,
        &p,
        measure("2026-04-01", "start_measure", "knowledge_test", None),
    )
    .await;
    let failed = app
        .step(
            &token,
            &p,
            measure(
                "2026-05-04",
                "finish_measure",
                "knowledge_test",
                Some("failed"),
            ),
        )
        .await;
    assert_eq!(measures(&failed)[0], pair("knowledge_test", "failed"));
    app.step(
        &token,
        &p,
        measure("2026-06-01", "start_measure", "knowledge_test", None),
    )
    .await;
    app.step(
        &token,
        &p,
        measure("2026-06-02", "start_measure", "medical_language_exam", None),
    )
    .await;
    app.step(
        &token,
        &p,
        measure(
            "2026-07-01",
            "finish_measure",
            "medical_language_exam",
            Some("passed"),
        ),
    )
    .await;
    let passed = app
        .step(
            &token,
            &p,
            measure(
                "2026-07-06",
                "finish_measure",
                "knowledge_test",
                Some("passed"),
            ),
        )
        .await;
    assert_eq!(
        measures(&passed),
        [
            pair("knowledge_test", "passed"),
            pair("medical_language_exam", "passed")
        ]
    );
    assert_eq!(passed["measures"][0]["attempts"], 2);

    let follow_up = app
        .procedure(&token, &q)
        .submitted_on("2026-07-10")
        .set("authority_id", "be-lageso")
        .set("follows_procedure_id", p["id"].clone())
        .create()
        .await;
    assert_eq!(follow_up["follows_procedure_id"], p["id"]);
    let again = app.get_procedure(&token, &follow_up).ok().await;
    assert_eq!(again["follows_procedure_id"], p["id"]);
}

async fn fees_funding_and_temporary_permits_are_recorded(app: TestApp) {
    let (token, _, _, p) = doctor(&app).await;
    let funded = app
        .step(
            &token,
            &p,
            json!({"action": "record_funding", "date": "2026-02-03",
                   "funding": {"fee_cents": 60000, "recognition_grant_cents": 30000, "paid_by": "job_centre"}}),
        )
        .await;
    assert_eq!(
        funded["funding"],
        json!({"fee_cents": 60000, "recognition_grant_cents": 30000, "paid_by": "job_centre"})
    );
    assert_eq!(funded["state"], "documents_complete");
    let permitted = app
        .step(
            &token,
            &p,
            json!({"action": "grant_temporary_permit", "date": "2026-02-04", "permit": "limited_licence", "valid_until": "2028-02-03"}),
        )
        .await;
    assert_eq!(permitted["permits"][0]["permit"], "limited_licence");
    assert_eq!(permitted["permits"][0]["granted_on"], "2026-02-04");
    let typo = app
        .procedure_action(
            &token,
            &p,
            &json!({"action": "record_funding", "date": "2026-02-05", "funding": {"fee_cents": 600000000, "paid_by": "self"}}),
        )
        .invalid()
        .await;
    assert_eq!(typo["field"], "funding.fee_cents");
}

async fn a_zab_statement_has_no_bqfg_deadlines(app: TestApp) {
    let (token, seeker, nurse) = qualified_seeker(&app, "DE-NW", "NW-7", ("SY", "81302")).await;
    let economics = app
        .qualification(&token, &seeker)
        .unset("reference_occupation")
        .set("title", "Bachelor of Economics")
        .create()
        .await;
    assert_eq!(economics["regulated"], false);
    let zab = app
        .procedure(&token, &economics)
        .submitted_on("2026-01-05")
        .set("kind", "zab_evaluation")
        .set("authority_id", "de-zab")
        .create()
        .await;
    assert_eq!(zab["kind"], "zab_evaluation");
    assert_eq!(zab["receipt_due_on"], Value::Null);
    assert_eq!(zab["overdue"], false);
    app.advance(&token, &zab, "confirm_receipt", "2026-01-20")
        .await;
    let complete = app
        .advance(&token, &zab, "complete_documents", "2026-02-01")
        .await;
    assert_eq!(complete["decision_due_on"], Value::Null);
    assert_eq!(
        complete["allowed_actions"],
        json!(["request_documents", "decide", "withdraw", "record_funding"])
    );
    let list = app
        .get(&token, "/v1/recognition-procedures?overdue=false")
        .ok()
        .await;
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == zab["id"])
    );
    let statements = app
        .get(&token, "/v1/recognition-procedures?kind=zab_evaluation")
        .ok()
        .await;
    let ids: Vec<_> = statements["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].clone())
        .collect();
    assert_eq!(ids, [zab["id"].clone()]);

    // A regulated profession is recognised by its authority, not evaluated by the ZAB.
    let wrong = app
        .procedure(&token, &nurse)
        .set("kind", "zab_evaluation")
        .set("authority_id", "de-zab")
        .call()
        .invalid()
        .await;
    assert_eq!(
        (wrong["field"].as_str(), wrong["code"].as_str()),
        (Some("kind"), Some("not_for_zab"))
    );
    let decided = app
        .step(&token, &zab, json!({"action": "decide", "date": today(), "decision": {"decision": "full_equivalence"}}))
        .await;
    assert_eq!(decided["allowed_actions"], json!([]));
}

async fn competent_authorities_are_reference_data(app: TestApp) {
    let page = app
        .public("/v1/reference/competent-authorities?state=DE-BY&occupation=81302")
        .ok()
        .await;
    let ids: Vec<_> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].clone())
        .collect();
    assert_eq!(ids, [json!("by-lfp")]);
    let lageso = app
        .public("/v1/reference/competent-authorities/be-lageso")
        .ok()
        .await;
    assert_eq!(lageso["kind"], "approbation_authority");
    assert_eq!(lageso["seat"]["state"], "DE-BE");
    assert!(
        lageso["occupations"]
            .as_array()
            .unwrap()
            .contains(&json!("81404"))
    );
    app.public("/v1/reference/competent-authorities/xx-nobody")
        .problem(StatusCode::NOT_FOUND)
        .await;
    // A malformed query value is the request's mistake (400), as for every other filter.
    for malformed in [
        "/v1/reference/competent-authorities?occupation=8130",
        "/v1/reference/occupations?isco_code=",
    ] {
        app.public(malformed).problem(StatusCode::BAD_REQUEST).await;
    }
    let chambers = app
        .public("/v1/reference/competent-authorities?kind=engineering_chamber")
        .ok()
        .await;
    assert_eq!(chambers["items"].as_array().unwrap().len(), 2);
    // Engineers' titles are protected in every discipline: a regulated occupation.
    let engineer = app.public("/v1/reference/occupations/25104").ok().await;
    assert_eq!(
        (
            engineer["regulated"].as_bool(),
            engineer["competent_authority_kind"].as_str()
        ),
        (Some(true), Some("engineering_chamber"))
    );

    // A procedure names an authority that decides on its occupation.
    let (token, _, nurse) = qualified_seeker(&app, "DE-BE", "BE-8", ("SY", "81302")).await;
    let not_competent = app
        .procedure(&token, &nurse)
        .set("authority_id", "be-baukammer")
        .call()
        .invalid()
        .await;
    assert_eq!(not_competent["code"], "not_competent");
    let unknown = app
        .procedure(&token, &nurse)
        .set("authority_id", "xx-nobody")
        .call()
        .invalid()
        .await;
    assert_eq!(unknown["code"], "not_found");
}
