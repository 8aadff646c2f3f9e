//! Priority area 2 through HTTP, one file per resource: measures (management and lifecycle),
//! the public search, and enrolments with capacity and the waiting list.

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::call::id;

mod enrolments;
mod journey;
mod measures;
mod providers;
mod search;

pub(crate) fn trials() -> Vec<libtest_mimic::Trial> {
    [
        measures::trials(),
        search::trials(),
        enrolments::trials(),
        providers::trials(),
        journey::trials(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A provider in `state` with a trainer; returns `(provider, trainer token)`.
async fn provider(app: &TestApp, state: &str) -> (Value, String) {
    let org = app.organisation("Bildungsträger", state).await;
    let (_, token) = app.user("trainer", org["id"].as_str()).await;
    (org, token)
}

/// A nursing adaptation course in Berlin, in person, 20 seats, B1 German, with `changes`.
fn measure_body(changes: Value) -> Value {
    let mut body = json!({
        "title": "Anpassungsqualifizierung Pflege", "type": "adaptation_qualification",
        "format": "course", "target_occupations": ["81302"], "regulated": true,
        "mode": "in_person", "hours": 600, "weeks": 26, "required_german_level": "b1",
        "venue": "Berlin, Alexanderplatz 1", "venue_state": "DE-BE", "capacity": 20,
        "starts_on": "2027-03-01", "ends_on": "2027-08-31", "azav_certified": true,
        "modules": [{"kind": "technical", "hours": 400}, {"kind": "vocational_language", "hours": 200}]
    });
    for (k, v) in changes.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

async fn create_measure(app: &TestApp, token: &str, changes: Value) -> Value {
    app.post(token, "/v1/measures", &measure_body(changes))
        .created()
        .await
}

async fn act(app: &TestApp, token: &str, measure: &Value, action: &str) -> Value {
    let path = format!("/v1/measures/{}/actions", id(measure));
    app.post(token, &path, &json!({ "action": action }))
        .ok()
        .await
}

/// A measure created with `changes` and opened for enrolments.
async fn open_measure(app: &TestApp, token: &str, changes: Value) -> Value {
    let measure = create_measure(app, token, changes).await;
    act(app, token, &measure, "open").await
}
