//! Measures: planned by a provider's trainer, changed by merge patch with `If-Match`, and moved
//! through planned -> open -> running -> completed | cancelled.

use reqwest::StatusCode;
use serde_json::json;

use super::{act, create_measure, measure_body, provider};
use crate::support::TestApp;
use crate::support::call::{Call, id};

trials! {
    backends:
        a_measure_runs_from_planned_to_completed,
        an_illegal_action_is_a_conflict_naming_the_allowed_ones,
        a_patch_needs_the_current_version,
        bad_input_names_the_field_and_creates_nothing,
        only_the_providers_staff_manage_a_measure;
}

async fn a_measure_runs_from_planned_to_completed(app: TestApp) {
    let (org, trainer) = provider(&app, "DE-BE").await;
    let measure = create_measure(&app, &trainer, json!({})).await;
    assert_eq!(measure["state"], "planned");
    assert_eq!(measure["organisation_id"], org["id"]);
    assert_eq!(measure["type"], "adaptation_qualification");
    assert_eq!(measure["modules"][1]["kind"], "vocational_language");
    assert_eq!(measure["allowed_actions"], json!(["open", "cancel"]));

    for (action, state) in [
        ("open", "open"),
        ("start", "running"),
        ("complete", "completed"),
    ] {
        let next = act(&app, &trainer, &measure, action).await;
        assert_eq!(next["state"], state);
    }
    let done = app
        .public(&format!("/v1/measures/{}", id(&measure)))
        .ok()
        .await;
    assert_eq!(done["state"], "completed");
    assert_eq!(done["version"], 4);
    assert_eq!(done["allowed_actions"], json!([]));
}

async fn an_illegal_action_is_a_conflict_naming_the_allowed_ones(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-BE").await;
    let measure = create_measure(&app, &trainer, json!({})).await;
    let path = format!("/v1/measures/{}/actions", id(&measure));

    let problem = app
        .post(&trainer, &path, &json!({"action": "complete"}))
        .problem(StatusCode::CONFLICT)
        .await;

    assert_eq!(problem["allowed"], json!(["open", "cancel"]));
    let unchanged = app
        .public(&format!("/v1/measures/{}", id(&measure)))
        .ok()
        .await;
    assert_eq!(unchanged["state"], "planned");
    assert_eq!(unchanged["version"], 1);
}

async fn a_patch_needs_the_current_version(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-BE").await;
    let measure = create_measure(&app, &trainer, json!({})).await;
    let path = format!("/v1/measures/{}", id(&measure));

    let changed = app
        .patch(&trainer, &path, &json!({"capacity": 12, "venue": null}))
        .if_match(1)
        .ok()
        .await;
    assert_eq!(changed["capacity"], 12);
    assert_eq!(changed["venue"], json!(null));
    assert_eq!(changed["version"], 2);

    app.patch(&trainer, &path, &json!({"capacity": 30}))
        .if_match(1)
        .problem(StatusCode::PRECONDITION_FAILED)
        .await;
    let error = app
        .patch(&trainer, &path, &json!({"capacity": 0}))
        .if_match(2)
        .invalid()
        .await;
    assert_eq!(error["field"], "capacity");
    let now = app.public(&path).ok().await;
    assert_eq!(
        (now["capacity"].clone(), now["version"].clone()),
        (json!(12), json!(2))
    );
}

async fn bad_input_names_the_field_and_creates_nothing(app: TestApp) {
    let (org, trainer) = provider(&app, "DE-BE").await;

    let unknown = app
        .post(
            &trainer,
            "/v1/measures",
            &measure_body(json!({"target_occupations": ["99994"]})),
        )
        .invalid()
        .await;
    assert_eq!(unknown["field"], "target_occupations[0]");
    let backwards = app
        .post(
            &trainer,
            "/v1/measures",
            &measure_body(json!({"ends_on": "2027-01-01"})),
        )
        .invalid()
        .await;
    assert_eq!(backwards["field"], "ends_on");
    let vocabulary = app
        .post(
            &trainer,
            "/v1/measures",
            &measure_body(json!({"mode": "by_pigeon"})),
        )
        .invalid()
        .await;
    assert_eq!(vocabulary["field"], "mode");

    let query = format!(
        "/v1/measures?state=planned&organisation_id={}",
        org["id"].as_str().unwrap()
    );
    let page = app.public(&query).ok().await;
    assert_eq!(page["items"], json!([]), "nothing was created");
}

async fn only_the_providers_staff_manage_a_measure(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-BE").await;
    let (_, other_trainer) = provider(&app, "DE-BE").await;
    let (_, counsellor) = app.counsellor("DE-BE").await;
    let measure = create_measure(&app, &trainer, json!({})).await;
    let path = format!("/v1/measures/{}/actions", id(&measure));

    app.post(&other_trainer, &path, &json!({"action": "open"}))
        .problem(StatusCode::FORBIDDEN)
        .await;
    app.post(&counsellor, "/v1/measures", &measure_body(json!({})))
        .problem(StatusCode::FORBIDDEN)
        .await;
    Call::new(app.anon(reqwest::Method::POST, "/v1/measures"))
        .json(&measure_body(json!({})))
        .problem(StatusCode::UNAUTHORIZED)
        .await;
    let unchanged = app
        .public(&format!("/v1/measures/{}", id(&measure)))
        .ok()
        .await;
    assert_eq!(unchanged["state"], "planned");
}
