//! What the network's monitoring counts of a seeker and a case: the residence in Germany, the
//! situation and status at intake, the recommendations and status at the close, and a consent
//! for monitoring and statistics.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::TestApp;

trials! {
    backends:
        a_seeker_records_where_in_germany_they_live,
        a_case_keeps_the_status_at_intake_and_at_close,
        an_outcome_alone_still_closes_a_case,
        broken_intake_or_close_changes_nothing,
        a_seeker_consents_to_monitoring_and_statistics;
}

async fn a_seeker_records_where_in_germany_they_live(app: TestApp) {
    let (_, token) = app.counsellor("DE-SN").await;
    let seeker = app
        .seeker(&token)
        .set("residence_state", "DE-SN")
        .set("residence_district", "Landkreis Leipzig")
        .set("residence_postcode", "04509")
        .create()
        .await;
    assert_eq!(
        (
            &seeker["residence_state"],
            &seeker["residence_district"],
            &seeker["residence_postcode"]
        ),
        (
            &json!("DE-SN"),
            &json!("Landkreis Leipzig"),
            &json!("04509")
        )
    );

    let path = format!("/v1/advice-seekers/{}", seeker["id"].as_str().unwrap());
    let moved = app
        .patch(
            &token,
            &path,
            &json!({"residence_district": null, "residence_postcode": "04109"}),
        )
        .if_match(1)
        .ok()
        .await;
    assert_eq!(moved["residence_district"], Value::Null);
    assert_eq!(moved["residence_postcode"], "04109");
    assert_eq!(moved["residence_state"], "DE-SN");

    let error = app
        .patch(&token, &path, &json!({"residence_postcode": "4109"}))
        .if_match(2)
        .invalid()
        .await;
    assert_eq!(error["field"], "residence_postcode");
    let abroad = app
        .seeker(&token)
        .set("country_of_residence", "PL")
        .set("residence_state", "DE-SN")
        .call()
        .invalid()
        .await;
    assert_eq!(abroad["code"], "residence_abroad");
    // Registrations without a residence in Germany stay valid.
    let older = app.seeker(&token).minimal().create().await;
    assert_eq!(older["residence_state"], Value::Null);
}

async fn a_case_keeps_the_status_at_intake_and_at_close(app: TestApp) {
    let (_, token) = app.counsellor("DE-SN").await;
    let seeker = app
        .seeker(&token)
        .set("employment_status", "employed_below_qualification")
        .create()
        .await;
    let case = app
        .case(&token, &seeker)
        .opened_on("2026-01-05")
        .set(
            "situation_at_intake",
            json!({"decision_received": "partial_equivalence", "zab_evaluation_held": true}),
        )
        .create()
        .await;
    assert_eq!(
        case["situation_at_intake"],
        json!({"application_filed": true, "decision_received": "partial_equivalence",
               "zab_evaluation_held": true})
    );
    assert_eq!(
        case["status_at_intake"],
        json!({"recorded_on": "2026-01-05", "residence_title": "18a", "german_level": "b2",
               "employment_status": "employed_below_qualification"}),
        "the seeker's status, dated the intake"
    );

    let closed = app
        .case_action(
            &token,
            &case,
            &json!({"action": "close", "date": "2026-06-30",
                    "recommendations": ["language_course", "bridge_training", "language_course"],
                    "status": {"employment_status": "employed_adequate", "german_level": "c1"}}),
        )
        .ok()
        .await;

    assert_eq!(
        closed["recommendations"],
        json!(["bridge_training", "language_course"])
    );
    assert_eq!(closed["outcome"], "qualification_recommended");
    assert_eq!(
        closed["status_at_close"],
        json!({"recorded_on": "2026-06-30", "residence_title": null, "german_level": "c1",
               "employment_status": "employed_adequate"})
    );
    assert_eq!(closed["status_at_intake"], case["status_at_intake"]);
    let read = app.get_case(&token, &case).ok().await;
    assert_eq!(read["status_at_close"], closed["status_at_close"]);
}

/// Earlier clients close with an `outcome` only; it stands for its recommendation.
async fn an_outcome_alone_still_closes_a_case(app: TestApp) {
    let (_, token) = app.counsellor("DE-SN").await;
    let seeker = app.seeker(&token).create().await;
    let case = app
        .case(&token, &seeker)
        .opened_on("2026-01-05")
        .create()
        .await;

    let closed = super::close_with_an_outcome(&app, &token, &case).await;

    assert_eq!(closed["outcome"], "qualification_recommended");
    assert_eq!(closed["recommendations"], json!(["bridge_training"]));
    assert_eq!(closed["status_at_close"]["recorded_on"], "2026-05-04");
}

async fn broken_intake_or_close_changes_nothing(app: TestApp) {
    let (_, token) = app.counsellor("DE-SN").await;
    let seeker = app.seeker(&token).create().await;
    let error = app
        .case(&token, &seeker)
        .set(
            "situation_at_intake",
            json!({"application_filed": false, "decision_received": "no_equivalence"}),
        )
        .call()
        .invalid()
        .await;
    assert_eq!(error["field"], "situation_at_intake.application_filed");
    let cases = app.get(&token, "/v1/counselling-cases").ok().await;
    assert_eq!(cases["items"], json!([]));

    let case = app
        .case(&token, &seeker)
        .opened_on("2026-01-05")
        .create()
        .await;
    let error = app
        .case_action(
            &token,
            &case,
            &json!({"action": "close", "date": "2026-02-01",
                    "recommendations": ["no_action", "job_placement"]}),
        )
        .invalid()
        .await;
    assert_eq!(error["code"], "no_action_with_others");
    let problem = app
        .case_action(
            &token,
            &case,
            &json!({"action": "close", "date": "2026-02-01", "outcome": "no_action",
                    "status": {"recorded_on": "2026-01-01", "german_level": "b1"}}),
        )
        .problem(StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    assert_eq!(problem["errors"][0]["field"], "status.recorded_on");
    let unchanged = app.get_case(&token, &case).ok().await;
    assert_eq!(
        (&unchanged["state"], &unchanged["version"]),
        (&json!("open"), &json!(1))
    );
}

async fn a_seeker_consents_to_monitoring_and_statistics(app: TestApp) {
    let (_, token) = app.counsellor("DE-SN").await;
    let seeker = app
        .seeker(&token)
        .consents(["counselling", "monitoring_and_statistics"])
        .create()
        .await;
    let purposes: Vec<&Value> = seeker["consents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["purpose"])
        .collect();
    assert_eq!(
        purposes,
        [&json!("counselling"), &json!("monitoring_and_statistics")]
    );

    let withdrawn = app
        .withdraw_consent(&token, &seeker, "monitoring_and_statistics")
        .ok()
        .await;

    assert!(withdrawn["consents"][1]["withdrawn_at"].is_string());
}
