//! Trainings: the lifecycle and its 409s, the provider's management (scope, trainers,
//! If-Match), and the rules of sessions.

use reqwest::StatusCode;
use serde_json::json;

use super::{act, action, create_training, provider, training_body};
use crate::support::TestApp;
use crate::support::call::id;

trials! {
    backends:
        a_training_runs_from_planned_to_completed,
        an_illegal_action_is_a_conflict_naming_the_allowed_ones,
        only_the_provider_manages_its_trainings,
        trainers_are_trainers_of_the_provider,
        sessions_need_a_place_and_an_end_after_the_start;
}

async fn a_training_runs_from_planned_to_completed(app: TestApp) {
    let (org, trainer) = provider(&app, "DE-SN").await;
    let training = create_training(&app, &trainer, json!({})).await;
    assert_eq!(training["state"], "planned");
    assert_eq!(training["organisation_id"], org["id"]);
    assert_eq!(
        (training["starts_on"].as_str(), training["ends_on"].as_str()),
        (Some("2027-03-01"), Some("2027-03-08"))
    );
    assert_eq!(training["hours"], 10);
    assert_eq!(training["places_free"], 20);
    assert_eq!(training["allowed_actions"], json!(["open", "cancel"]));

    for (name, state) in [
        ("open", "open"),
        ("start", "running"),
        ("complete", "completed"),
    ] {
        let next = act(&app, &trainer, &training, name).await;
        assert_eq!(next["state"], state);
    }
    let path = format!("/v1/trainings/{}", id(&training));
    let done = app.public(&path).ok().await;
    assert_eq!(
        (done["version"].as_i64(), done["allowed_actions"].clone()),
        (Some(4), json!([]))
    );
    let problem = app
        .patch(&trainer, &path, &json!({"capacity": 30}))
        .problem(StatusCode::CONFLICT)
        .await;
    assert_eq!(problem["type"], "urn:iqnet:problem:training-ended");
}

async fn an_illegal_action_is_a_conflict_naming_the_allowed_ones(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-SN").await;
    let training = create_training(&app, &trainer, json!({})).await;

    let problem = action(&app, &trainer, &training, "complete")
        .problem(StatusCode::CONFLICT)
        .await;

    assert_eq!(problem["allowed"], json!(["open", "cancel"]));
    let cancelled = act(&app, &trainer, &training, "cancel").await;
    assert_eq!(cancelled["state"], "cancelled");
    let again = action(&app, &trainer, &training, "open")
        .problem(StatusCode::CONFLICT)
        .await;
    assert_eq!(again["allowed"], json!([]));
}

async fn only_the_provider_manages_its_trainings(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-SN").await;
    let (_, other_trainer) = provider(&app, "DE-SN").await;
    let (_, counsellor) = app.counsellor("DE-SN").await;
    let training = create_training(&app, &trainer, json!({})).await;
    let path = format!("/v1/trainings/{}", id(&training));

    app.patch(&other_trainer, &path, &json!({"capacity": 5}))
        .problem(StatusCode::FORBIDDEN)
        .await;
    app.patch(&counsellor, &path, &json!({"capacity": 5}))
        .problem(StatusCode::FORBIDDEN)
        .await;
    app.post(&counsellor, "/v1/trainings", &training_body(json!({})))
        .problem(StatusCode::FORBIDDEN)
        .await;
    app.patch(&trainer, &path, &json!({"capacity": 5}))
        .if_match(7)
        .problem(StatusCode::PRECONDITION_FAILED)
        .await;

    let changed = app
        .patch(
            &trainer,
            &path,
            &json!({"capacity": 5, "description": null}),
        )
        .if_match(1)
        .ok()
        .await;
    assert_eq!(
        (changed["capacity"].as_i64(), changed["version"].as_i64()),
        (Some(5), Some(2))
    );
    assert_eq!(changed["description"], json!(null));
}

async fn trainers_are_trainers_of_the_provider(app: TestApp) {
    let (org, trainer) = provider(&app, "DE-SN").await;
    let (colleague, _) = app.user("trainer", org["id"].as_str()).await;
    let (counsellor, _) = app.user("counsellor", org["id"].as_str()).await;
    let (other_org, _) = provider(&app, "DE-SN").await;
    let (stranger, _) = app.user("trainer", other_org["id"].as_str()).await;

    let with = |ids: Vec<&str>| json!({ "trainer_ids": ids });
    let error = app
        .post(
            &trainer,
            "/v1/trainings",
            &training_body(with(vec![id(&stranger)])),
        )
        .invalid()
        .await;
    assert_eq!(
        (error["field"].as_str(), error["code"].as_str()),
        (Some("trainer_ids[0]"), Some("not_a_trainer"))
    );
    app.post(
        &trainer,
        "/v1/trainings",
        &training_body(with(vec![id(&counsellor)])),
    )
    .invalid()
    .await;

    let training = create_training(&app, &trainer, with(vec![id(&colleague)])).await;
    assert_eq!(training["trainer_ids"], json!([id(&colleague)]));
}

async fn sessions_need_a_place_and_an_end_after_the_start(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-SN").await;
    let body = training_body(json!({"sessions": [
        {"starts_at": "2027-03-01T08:00:00Z", "ends_at": "2027-03-01T07:00:00Z", "hours": 6, "venue": "Leipzig"},
        {"starts_at": "2027-03-02T08:00:00Z", "ends_at": "2027-03-02T12:00:00Z", "hours": 4}
    ], "topics": []}));

    let problem = app
        .post(&trainer, "/v1/trainings", &body)
        .problem(StatusCode::UNPROCESSABLE_ENTITY)
        .await;

    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["topics", "sessions[0].ends_at", "sessions[1].venue"]
    );
}
