//! A seeker's journey: every step of their counselling, in time order.

use serde_json::{Value, json};

use crate::support::TestApp;

trials! {
    backends: a_seekers_whole_journey_is_recorded_in_time_order;
}

async fn a_seekers_whole_journey_is_recorded_in_time_order(app: TestApp) {
    let (_, token) = app.counsellor("DE-BE").await;
    let provider = app.organisation("Brückenmaßnahmen GmbH", "DE-BE").await;
    let amina = app
        .seeker(&token)
        .code("B-1")
        .consents(["counselling", "sharing_with_referrals"])
        .create()
        .await;
    assert_eq!(amina["consents"].as_array().unwrap().len(), 2);
    let nursing = app
        .qualification(&token, &amina)
        .from("SY", "81302")
        .create()
        .await;
    assert_eq!(
        nursing["regulated"], true,
        "follows from the reference occupation"
    );
    assert_eq!(nursing["competent_authority_kind"], "state_authority");

    let case = app
        .case(&token, &amina)
        .kind("both")
        .access_route("jobcenter")
        .opened_on("2026-01-05")
        .create()
        .await;
    assert_eq!(case["state"], "open");
    app.session(&token, &case)
        .held_on("2026-01-05")
        .language("ar")
        .topics(["procedure", "documents"])
        .create()
        .await;
    let in_progress = app.get_case(&token, &case).ok().await;
    assert_eq!(
        in_progress["state"], "in_progress",
        "the first session starts the case"
    );

    let p = app
        .procedure(&token, &nursing)
        .case(&case)
        .submitted_on("2026-01-20")
        .authority("LAGeSo Berlin")
        .unset("accelerated")
        .create()
        .await;
    app.advance(&token, &p, "confirm_receipt", "2026-02-02")
        .await;
    app.advance(&token, &p, "complete_documents", "2026-02-16")
        .await;
    let decided = app
        .step(
            &token,
            &p,
            json!({"action": "decide", "date": "2026-04-20", "decision": {
                "decision": "compensation_required",
                "substantial_differences": ["practical hours in geriatric care"],
                "compensation": "knowledge_test"}}),
        )
        .await;
    assert_eq!(decided["state"], "decided");
    app.referral(&token, &case, &provider)
        .reason("preparation for the knowledge test")
        .sent_on("2026-04-27")
        .create()
        .await;
    app.session(&token, &case)
        .kind("follow_up")
        .format("video")
        .held_on("2026-04-27")
        .minutes(30)
        .topics(["decision", "qualification"])
        .create()
        .await;
    super::close_with_an_outcome(&app, &token, &case).await;

    let journey = app.journey(&token, &amina).ok().await;

    let events: Vec<(String, String)> = journey["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["date"].as_str().unwrap().to_owned(),
                e["event"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let names: Vec<&str> = events.iter().map(|(_, e)| e.as_str()).collect();
    // The case's steps were dated in the past; registration and the qualification happened today.
    assert_eq!(
        names,
        [
            "case_opened",
            "session_held",
            "procedure_submitted",
            "procedure_confirm_receipt",
            "procedure_complete_documents",
            "procedure_decide",
            "referral_sent",
            "session_held",
            "case_closed",
            "seeker_registered",
            "qualification_recorded"
        ],
        "{events:?}"
    );
    let dated: Vec<&String> = events.iter().map(|(on, _)| on).collect();
    assert!(
        dated.windows(2).all(|w| w[0] <= w[1]),
        "in time order: {events:?}"
    );
    let decision: &Value = journey["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "procedure_decide")
        .unwrap();
    assert_eq!(
        decision["details"]["decision"]["decision"],
        "compensation_required"
    );
}
