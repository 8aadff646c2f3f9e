//! Short and anonymous contacts: recorded at a counselling point without a seeker, listed and
//! corrected within the organisation's scope, refused when broken.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::app::items;
use crate::support::builders::today;
use crate::support::{TestApp, id};

trials! {
    backends:
        a_hotline_call_is_counted_without_a_seeker,
        short_contacts_stay_within_the_organisations_scope,
        broken_short_contacts_are_refused_and_change_nothing,
        a_short_contact_is_corrected_with_if_match;
}

/// A counsellor of a new Saxon organisation with a fixed advice centre; `(token, centre)`.
async fn hotline(app: &TestApp) -> (String, Value) {
    let (_, token) = app.counsellor("DE-SN").await;
    let centre = app
        .centre(&token)
        .name("IQ Hotline Anerkennung")
        .state("DE-SN")
        .postcode("01067")
        .city("Dresden")
        .create()
        .await;
    (token, centre)
}

fn call_about_nursing(centre: &Value) -> Value {
    json!({"centre_id": id(centre), "format": "hotline", "held_on": "2026-03-02",
           "topics": ["procedure", "costs_and_funding"], "country": "UA",
           "reference_occupation": "81302"})
}

async fn a_hotline_call_is_counted_without_a_seeker(app: TestApp) {
    let (token, centre) = hotline(&app).await;

    let contact = app
        .post(&token, "/v1/short-contacts", &call_about_nursing(&centre))
        .created()
        .await;

    assert_eq!(contact["organisation_id"], centre["organisation_id"]);
    assert_eq!(contact["topics"], json!(["procedure", "costs_and_funding"]));
    assert_eq!(contact["country"], "UA");
    let at_event = json!({"centre_id": id(&centre), "format": "info_event",
                          "topics": ["alternatives"]});
    let anonymous = app
        .post(&token, "/v1/short-contacts", &at_event)
        .created()
        .await;
    assert_eq!(anonymous["held_on"], today(), "the date defaults to today");
    assert_eq!(anonymous["country"], Value::Null);
    let path = format!("/v1/short-contacts/{}", id(&contact));
    assert_eq!(app.get(&token, &path).ok().await, contact);
    let events = app
        .get(&token, "/v1/short-contacts?format=info_event")
        .ok()
        .await;
    assert_eq!(items(&events).len(), 1);
    assert_eq!(items(&events)[0]["id"], anonymous["id"]);
    let march = app
        .get(
            &token,
            "/v1/short-contacts?held_from=2026-03-01&held_to=2026-03-31",
        )
        .ok()
        .await;
    assert_eq!(items(&march).len(), 1);
    assert_eq!(items(&march)[0]["id"], contact["id"]);
}

async fn short_contacts_stay_within_the_organisations_scope(app: TestApp) {
    let (token, centre) = hotline(&app).await;
    let contact = app
        .post(&token, "/v1/short-contacts", &call_about_nursing(&centre))
        .created()
        .await;
    let (_, stranger) = app.counsellor("DE-SN").await;
    let (_, analyst) = app.user("analyst", None).await;

    let path = format!("/v1/short-contacts/{}", id(&contact));
    app.get(&stranger, &path)
        .problem(StatusCode::NOT_FOUND)
        .await;
    let theirs = app.get(&stranger, "/v1/short-contacts").ok().await;
    assert!(items(&theirs).is_empty());
    app.get(&analyst, "/v1/short-contacts")
        .problem(StatusCode::FORBIDDEN)
        .await;
    // Another organisation's counselling point is not the stranger's to count at.
    app.post(
        &stranger,
        "/v1/short-contacts",
        &call_about_nursing(&centre),
    )
    .problem(StatusCode::FORBIDDEN)
    .await;
    let (_, coordinator) = app
        .user("network_coordinator", centre["organisation_id"].as_str())
        .await;
    assert_eq!(
        items(&app.get(&coordinator, "/v1/short-contacts").ok().await).len(),
        1
    );
}

async fn broken_short_contacts_are_refused_and_change_nothing(app: TestApp) {
    let (token, centre) = hotline(&app).await;
    let mut broken = call_about_nursing(&centre);
    broken["topics"] = json!([]);
    broken["country"] = json!("XX");
    broken["held_on"] = json!("2999-01-01");

    let problem = app
        .post(&token, "/v1/short-contacts", &broken)
        .problem(StatusCode::UNPROCESSABLE_ENTITY)
        .await;

    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["held_on", "topics"]);
    let mut unknown = call_about_nursing(&centre);
    unknown["country"] = json!("XX");
    let error = app
        .post(&token, "/v1/short-contacts", &unknown)
        .invalid()
        .await;
    assert_eq!(error["code"], "unknown_country");
    let mut chatty = call_about_nursing(&centre);
    chatty["note"] = json!("Olena from Kyiv, phone 0176...");
    let error = app
        .post(&token, "/v1/short-contacts", &chatty)
        .invalid()
        .await;
    assert_eq!(error["field"], "note", "no free text");
    let mut bad_format = call_about_nursing(&centre);
    bad_format["format"] = json!("carrier_pigeon");
    app.post(&token, "/v1/short-contacts", &bad_format)
        .problem(StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    let all = app.get(&token, "/v1/short-contacts").ok().await;
    assert!(items(&all).is_empty(), "nothing was recorded");
}

async fn a_short_contact_is_corrected_with_if_match(app: TestApp) {
    let (token, centre) = hotline(&app).await;
    let contact = app
        .post(&token, "/v1/short-contacts", &call_about_nursing(&centre))
        .created()
        .await;
    let path = format!("/v1/short-contacts/{}", id(&contact));

    let corrected = app
        .patch(&token, &path, &json!({"format": "chat", "country": null}))
        .if_match(1)
        .ok()
        .await;

    assert_eq!(corrected["format"], "chat");
    assert_eq!(corrected["country"], Value::Null);
    assert_eq!(corrected["reference_occupation"], "81302");
    assert_eq!(corrected["version"], 2);
    app.patch(&token, &path, &json!({"format": "email"}))
        .if_match(1)
        .problem(StatusCode::PRECONDITION_FAILED)
        .await;
    app.patch(&token, &path, &json!({"topics": []}))
        .invalid()
        .await;
    assert_eq!(app.get(&token, &path).ok().await, corrected);
}
