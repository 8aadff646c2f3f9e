//! Bridge training in the seeker's journey: the enrolment, its exit, and a cancelled measure,
//! which is how the seeker's counsellor learns of the cancellation.

use serde_json::{Value, json};

use super::{act, open_measure, provider};
use crate::support::TestApp;
use crate::support::call::id;

/// A seeker with a nursing degree whose procedure decided `decision`, and a case; returns
/// `(seeker, case, procedure)`.
async fn decided(app: &TestApp, token: &str, decision: &str) -> (Value, Value, Value) {
    let seeker = app
        .seeker(token)
        .consents(["sharing_with_referrals"])
        .create()
        .await;
    let nursing = app.qualification(token, &seeker).create().await;
    let case = app
        .case(token, &seeker)
        .opened_on("2026-01-05")
        .create()
        .await;
    let p = app
        .procedure(token, &nursing)
        .case(&case)
        .submitted_on("2026-01-20")
        .create()
        .await;
    app.advance(token, &p, "confirm_receipt", "2026-02-02")
        .await;
    app.advance(token, &p, "complete_documents", "2026-02-16")
        .await;
    let mut details = json!({"decision": decision});
    if decision == "compensation_required" {
        details["substantial_differences"] = json!(["practical hours"]);
        details["compensation"] = json!("knowledge_test");
    }
    let action = json!({"action": "decide", "date": "2026-04-20", "decision": details});
    let p = app.step(token, &p, action).await;
    (seeker, case, p)
}

trials! {
    backends:
        the_journey_shows_enrolments_their_exit_and_a_cancellation,
        an_enrolment_links_its_referral_and_the_decision_it_answers,
        the_journey_runs_from_referral_to_full_recognition;
}

async fn the_journey_shows_enrolments_their_exit_and_a_cancellation(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-BE").await;
    let (_, counsellor) = app.counsellor("DE-BE").await;
    let seeker = app.seeker(&counsellor).create().await;
    let cancelled = open_measure(&app, &trainer, json!({"title": "cancelled course"})).await;
    let completed = open_measure(&app, &trainer, json!({"title": "completed course"})).await;
    let enrol = |measure: &Value| {
        let path = format!("/v1/measures/{}/enrolments", id(measure));
        app.post(&counsellor, &path, &json!({"seeker_id": id(&seeker)}))
    };
    enrol(&cancelled).created().await;
    let enrolment = enrol(&completed).created().await;
    act(&app, &trainer, &cancelled, "cancel").await;
    act(&app, &trainer, &completed, "start").await;
    let path = format!("/v1/enrolments/{}/actions", id(&enrolment));
    app.post(&trainer, &path, &json!({"action": "start"}))
        .ok()
        .await;
    let exit = json!({"action": "complete", "result": "exam_passed", "date": chrono::Utc::now().date_naive()});
    app.post(&trainer, &path, &exit).ok().await;

    let journey = app.journey(&counsellor, &seeker).ok().await;

    let steps: Vec<(&str, &str)> = journey["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["resource"] == "enrolment")
        .map(|e| {
            (
                e["event"].as_str().unwrap(),
                e["details"]["title"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("enrolment_applied", "cancelled course"),
            ("enrolment_applied", "completed course"),
            ("measure_cancelled", "cancelled course"),
            ("enrolment_completed_success", ""),
        ]
    );
}

async fn an_enrolment_links_its_referral_and_the_decision_it_answers(app: TestApp) {
    let (provider_org, trainer) = provider(&app, "DE-BE").await;
    let (_, counsellor) = app.counsellor("DE-BE").await;
    let measure = open_measure(&app, &trainer, json!({})).await;
    let (seeker, case, procedure) = decided(&app, &counsellor, "compensation_required").await;
    let referral = app
        .referral(&counsellor, &case, &provider_org)
        .sent_on("2026-04-27")
        .create()
        .await;
    let (other, _, full) = decided(&app, &counsellor, "full_equivalence").await;
    let path = format!("/v1/measures/{}/enrolments", id(&measure));

    let error = app
        .post(
            &counsellor,
            &path,
            &json!({"seeker_id": id(&other), "procedure_id": id(&full)}),
        )
        .invalid()
        .await;
    assert_eq!(
        (error["field"].clone(), error["code"].clone()),
        (json!("procedure_id"), json!("no_gaps_decided"))
    );
    let error = app
        .post(
            &counsellor,
            &path,
            &json!({"seeker_id": id(&other), "referral_id": id(&referral)}),
        )
        .invalid()
        .await;
    assert_eq!(error["code"], "other_seeker");

    let body = json!({"seeker_id": id(&seeker), "referral_id": id(&referral),
        "procedure_id": id(&procedure), "funding": "training_voucher"});
    let enrolment = app.post(&counsellor, &path, &body).created().await;

    assert_eq!(enrolment["referral_id"], referral["id"]);
    assert_eq!(enrolment["procedure_id"], procedure["id"]);
    let journey = app.journey(&counsellor, &seeker).ok().await;
    let events: Vec<&str> = journey["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .filter(|e| ["procedure_decide", "referral_sent", "enrolment_applied"].contains(e))
        .collect();
    assert_eq!(
        events,
        ["procedure_decide", "referral_sent", "enrolment_applied"]
    );
    let measures_page = app.get(&counsellor, &path).ok().await;
    assert_eq!(
        measures_page["items"].as_array().unwrap().len(),
        1,
        "the refused ones left nothing"
    );
}

/// The way back: a compensation decision, the referral to a provider, the enrolment, a
/// successful exit, and the follow-up procedure that decides full equivalence, recorded on the
/// enrolment; the journey shows them in this order.
async fn the_journey_runs_from_referral_to_full_recognition(app: TestApp) {
    let (provider_org, trainer) = provider(&app, "DE-BE").await;
    let (_, counsellor) = app.counsellor("DE-BE").await;
    let measure = open_measure(&app, &trainer, json!({})).await;
    let (seeker, case, first) = decided(&app, &counsellor, "compensation_required").await;
    let referral = app
        .referral(&counsellor, &case, &provider_org)
        .sent_on("2026-04-27")
        .create()
        .await;
    let body = json!({"seeker_id": id(&seeker), "referral_id": id(&referral),
        "procedure_id": id(&first)});
    let path = format!("/v1/measures/{}/enrolments", id(&measure));
    let enrolment = app.post(&counsellor, &path, &body).created().await;
    act(&app, &trainer, &measure, "start").await;
    let actions = format!("/v1/enrolments/{}/actions", id(&enrolment));
    let today = chrono::Utc::now().date_naive().to_string();
    app.post(&trainer, &actions, &json!({"action": "start"}))
        .ok()
        .await;
    let exit = json!({"action": "complete", "result": "full_recognition", "date": today});
    let exited = app.post(&trainer, &actions, &exit).ok().await;
    assert_eq!(
        exited["allowed_actions"],
        json!(["record_employment"]),
        "the provider sees neither the procedure nor its follow-up"
    );
    let exited = app
        .get(&counsellor, &format!("/v1/enrolments/{}", id(&enrolment)))
        .ok()
        .await;
    assert_eq!(
        exited["allowed_actions"],
        json!(["record_employment", "record_follow_up"])
    );

    let qualification = json!({"id": first["qualification_id"]});
    let licence = app
        .procedure(&counsellor, &qualification)
        .set("follows_procedure_id", id(&first))
        .submitted_on(today.as_str())
        .create()
        .await;
    let follow_up = json!({"action": "record_follow_up", "procedure_id": id(&licence)});
    let error = app.post(&counsellor, &actions, &follow_up).invalid().await;
    assert_eq!(error["code"], "not_decided");
    for step in ["confirm_receipt", "complete_documents"] {
        app.advance(&counsellor, &licence, step, &today).await;
    }
    let decide = json!({"action": "decide", "date": today,
        "decision": {"decision": "full_equivalence"}});
    app.step(&counsellor, &licence, decide).await;
    let error = app.post(&trainer, &actions, &follow_up).invalid().await;
    assert_eq!(
        (error["field"].clone(), error["code"].clone()),
        (json!("procedure_id"), json!("not_found")),
        "the provider cannot name the seeker's procedures"
    );

    let recorded = app.post(&counsellor, &actions, &follow_up).ok().await;

    assert_eq!(recorded["follow_up_procedure_id"], licence["id"]);
    assert_eq!(recorded["allowed_actions"], json!(["record_employment"]));
    let again = app
        .post(&counsellor, &actions, &follow_up)
        .problem(reqwest::StatusCode::CONFLICT)
        .await;
    assert_eq!(again["allowed"], json!(["record_employment"]));
    let journey = app.journey(&counsellor, &seeker).ok().await;
    let steps: Vec<(String, Value)> = journey["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            let event = e["event"].as_str().unwrap();
            ["procedure_decide", "referral_sent"].contains(&event)
                || event.starts_with("enrolment_")
        })
        .map(|e| {
            (
                e["event"].as_str().unwrap().to_owned(),
                e["details"]["decision"]["decision"].clone(),
            )
        })
        .collect();
    let expected = [
        ("procedure_decide", json!("compensation_required")),
        ("referral_sent", Value::Null),
        ("enrolment_applied", Value::Null),
        ("enrolment_completed_success", Value::Null),
        ("procedure_decide", json!("full_equivalence")),
    ];
    let expected: Vec<(String, Value)> = expected
        .into_iter()
        .map(|(e, d)| (e.to_owned(), d))
        .collect();
    assert_eq!(steps, expected);
}
