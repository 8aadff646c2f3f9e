//! Priority area 3 through HTTP, one file per resource: trainings (management and lifecycle),
//! the public calendar (JSON and iCalendar), registrations with capacity, participation and
//! evaluations, and opening processes with their roles.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::call::{Call, id};

mod calendar;
mod figures;
mod opening;
mod registrations;
mod trainings;

pub(crate) fn trials() -> Vec<libtest_mimic::Trial> {
    [
        trainings::trials(),
        calendar::trials(),
        registrations::trials(),
        figures::trials(),
        opening::trials(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A provider in `state` with a trainer; returns `(provider, trainer token)`.
async fn provider(app: &TestApp, state: &str) -> (Value, String) {
    let org = app.organisation("IQ Fachstelle IKÖ", state).await;
    let (_, token) = app.user("trainer", org["id"].as_str()).await;
    (org, token)
}

/// An organisation of `kind` in `state` with a counsellor (its staff); returns `(org, token)`.
async fn organisation_with_staff(app: &TestApp, kind: &str, state: &str) -> (Value, String) {
    let org = app
        .post(
            app.admin(),
            "/v1/organisations",
            &json!({ "name": format!("{kind} {state}"), "kind": kind, "state": state }),
        )
        .created()
        .await;
    let (_, token) = app.user("counsellor", org["id"].as_str()).await;
    (org, token)
}

/// A two-session anti-discrimination workshop for job centres in March 2027, 20 places, with
/// `changes`.
fn training_body(changes: Value) -> Value {
    let mut body = json!({
        "title": "Diskriminierungssensible Beratung", "format": "workshop",
        "description": "Für Teams mit Kundenkontakt",
        "topics": ["anti_discrimination"], "target_kinds": ["jobcenter", "municipality"],
        "capacity": 20,
        "sessions": [
            {"starts_at": "2027-03-01T08:00:00Z", "ends_at": "2027-03-01T15:00:00Z", "hours": 6,
             "venue": "Jobcenter Leipzig, Raum 3"},
            {"starts_at": "2027-03-08T08:00:00Z", "ends_at": "2027-03-08T12:00:00Z", "hours": 4,
             "online_url": "https://meet.example.org/ikoe"}
        ]
    });
    for (k, v) in changes.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

async fn create_training(app: &TestApp, token: &str, changes: Value) -> Value {
    app.post(token, "/v1/trainings", &training_body(changes))
        .created()
        .await
}

fn action(app: &TestApp, token: &str, training: &Value, action: &str) -> Call {
    let path = format!("/v1/trainings/{}/actions", id(training));
    app.post(token, &path, &json!({ "action": action }))
}

async fn act(app: &TestApp, token: &str, training: &Value, name: &str) -> Value {
    action(app, token, training, name).ok().await
}

/// A training created with `changes` and opened for registrations.
async fn open_training(app: &TestApp, token: &str, changes: Value) -> Value {
    let training = create_training(app, token, changes).await;
    act(app, token, &training, "open").await
}

/// A training that has begun (participation and evaluations can be recorded).
async fn running_training(app: &TestApp, token: &str) -> Value {
    let training = open_training(app, token, json!({})).await;
    act(app, token, &training, "start").await
}

fn put(app: &TestApp, token: &str, path: &str, body: &Value) -> Call {
    Call::new(app.req(token, Method::PUT, path)).json(body)
}

/// A machine client (`partner` or `analyst`) of `organisation` and its token.
async fn client_token(app: &TestApp, role: &str, organisation: Option<&str>) -> String {
    let client = app.api_client(role, organisation).await;
    let granted = app
        .anon(Method::POST, "/v1/auth/token")
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", id(&client)),
            ("client_secret", client["client_secret"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    let tokens = crate::support::call::expect_json(granted, reqwest::StatusCode::OK).await;
    tokens["access_token"].as_str().unwrap().to_owned()
}
