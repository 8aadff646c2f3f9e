//! Registrations: the capacity rule under 100 concurrent requests on two instances, places
//! given back, the refusals, idempotent retries, and who sees a registration.

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{act, create_training, open_training, organisation_with_staff, provider};
use crate::support::TestApp;
use crate::support::app::items;
use crate::support::call::{Call, expect_json, expect_problem, id};

trials! {
    backends:
        capacity_holds_under_100_concurrent_registrations,
        a_cancelled_registration_gives_its_places_back,
        only_an_open_training_takes_registrations,
        a_retried_registration_takes_its_places_once,
        a_registration_is_seen_by_its_two_sides_only;
}

fn register(app: &TestApp, token: &str, training: &Value, places: i32) -> Call {
    let path = format!("/v1/trainings/{}/registrations", id(training));
    app.post(
        token,
        &path,
        &json!({"places": places, "function": "client_contact"}),
    )
}

async fn places_taken(app: &TestApp, training: &Value) -> i64 {
    let t = app
        .public(&format!("/v1/trainings/{}", id(training)))
        .ok()
        .await;
    t["places_taken"].as_i64().unwrap()
}

/// 100 requests for one place each at once, half of them to a second server on the same
/// database (as several instances run), for 20 places: exactly 20 confirmed, 80 refused with
/// 409, no 5xx, and 20 places taken.
async fn capacity_holds_under_100_concurrent_registrations(app: TestApp) {
    let other = app.another_instance().await;
    let (_, trainer) = provider(&app, "DE-SN").await;
    let (_, staff) = organisation_with_staff(&app, "jobcenter", "DE-SN").await;
    let training = open_training(&app, &trainer, json!({"capacity": 20})).await;

    let requests = (0..100).map(|i| {
        let instance = if i % 2 == 0 { &app } else { &other };
        register(instance, &staff, &training, 1).send()
    });
    let responses = join_all(requests).await;

    let (mut confirmed, mut full) = (0, 0);
    for response in responses {
        if response.status() == StatusCode::CREATED {
            let body = expect_json(response, StatusCode::CREATED).await;
            assert_eq!(body["state"], "confirmed");
            confirmed += 1;
        } else {
            let problem = expect_problem(response, StatusCode::CONFLICT).await;
            assert_eq!(problem["type"], "urn:iqnet:problem:training-full");
            full += 1;
        }
    }
    assert_eq!((confirmed, full), (20, 80));
    assert_eq!(places_taken(&app, &training).await, 20);
    let list = format!("/v1/trainings/{}/registrations?limit=500", id(&training));
    assert_eq!(items(&app.get(&trainer, &list).ok().await).len(), 20);
}

async fn a_cancelled_registration_gives_its_places_back(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-SN").await;
    let (_, staff) = organisation_with_staff(&app, "municipality", "DE-SN").await;
    let training = open_training(&app, &trainer, json!({"capacity": 5})).await;

    let first = register(&app, &staff, &training, 4).created().await;
    let problem = register(&app, &staff, &training, 2)
        .problem(StatusCode::CONFLICT)
        .await;
    assert_eq!(problem["type"], "urn:iqnet:problem:training-full");
    assert_eq!(first["allowed_actions"], json!(["cancel"]));

    let path = format!("/v1/registrations/{}/actions", id(&first));
    app.post(&staff, &path, &json!({"action": "cancel"}))
        .if_match(9)
        .problem(StatusCode::PRECONDITION_FAILED)
        .await;
    let cancelled = app
        .post(&staff, &path, &json!({"action": "cancel"}))
        .if_match(1)
        .ok()
        .await;
    assert_eq!(cancelled["state"], "cancelled");
    assert_eq!(places_taken(&app, &training).await, 0);
    let again = app
        .post(&staff, &path, &json!({"action": "cancel"}))
        .problem(StatusCode::CONFLICT)
        .await;
    assert_eq!(again["allowed"], json!([]));

    register(&app, &staff, &training, 5).created().await;
    assert_eq!(places_taken(&app, &training).await, 5);
}

async fn only_an_open_training_takes_registrations(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-SN").await;
    let (_, staff) = organisation_with_staff(&app, "chamber_ihk", "DE-SN").await;
    let planned = create_training(&app, &trainer, json!({})).await;

    let problem = register(&app, &staff, &planned, 1)
        .problem(StatusCode::CONFLICT)
        .await;
    assert_eq!(problem["type"], "urn:iqnet:problem:training-not-open");

    let open = open_training(&app, &trainer, json!({"capacity": 3})).await;
    let error = register(&app, &staff, &open, 4).invalid().await;
    assert_eq!(error["field"], "places");
    act(&app, &trainer, &open, "cancel").await;
    register(&app, &staff, &open, 1)
        .problem(StatusCode::CONFLICT)
        .await;
}

async fn a_retried_registration_takes_its_places_once(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-SN").await;
    let (_, staff) = organisation_with_staff(&app, "jobcenter", "DE-SN").await;
    let training = open_training(&app, &trainer, json!({"capacity": 10})).await;

    let first = register(&app, &staff, &training, 3)
        .idempotency_key("register-1")
        .created()
        .await;
    let replay = register(&app, &staff, &training, 3)
        .idempotency_key("register-1")
        .created()
        .await;

    assert_eq!(replay["id"], first["id"]);
    assert_eq!(places_taken(&app, &training).await, 3);
}

async fn a_registration_is_seen_by_its_two_sides_only(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-SN").await;
    let (jobcenter, staff) = organisation_with_staff(&app, "jobcenter", "DE-SN").await;
    let (_, stranger) = organisation_with_staff(&app, "jobcenter", "DE-SN").await;
    let training = open_training(&app, &trainer, json!({})).await;
    let registration = register(&app, &staff, &training, 2).created().await;
    assert_eq!(registration["organisation_id"], jobcenter["id"]);

    let path = format!("/v1/registrations/{}", id(&registration));
    app.get(&staff, &path).ok().await;
    app.get(&trainer, &path).ok().await;
    app.get(&stranger, &path)
        .problem(StatusCode::NOT_FOUND)
        .await;
    let list = format!("/v1/trainings/{}/registrations", id(&training));
    assert_eq!(app.get(&stranger, &list).ok().await["items"], json!([]));
    assert_eq!(items(&app.get(&staff, &list).ok().await).len(), 1);
    let actions = format!("{path}/actions");
    app.post(&stranger, &actions, &json!({"action": "cancel"}))
        .problem(StatusCode::NOT_FOUND)
        .await;
}
