//! Skilled-worker networks: founded by the regional network's coordinators, public to read,
//! with members that join once at a time and leave.

use reqwest::StatusCode;
use serde_json::json;

use super::{join, organisation, region};
use crate::support::TestApp;
use crate::support::app::items;
use crate::support::call::id;

trials! {
    backends:
        members_join_and_leave_and_show_the_stakeholder_kinds,
        a_network_belongs_to_its_federal_state,
        the_directory_is_public_and_refuses_unknown_parameters;
}

async fn members_join_and_leave_and_show_the_stakeholder_kinds(app: TestApp) {
    let r = region(&app, "DE-BE").await;
    assert_eq!(r.network["regional_network"], "DE-BE");
    assert_eq!(
        r.network["coordinator_organisation_id"],
        r.coordinator["id"]
    );
    assert_eq!(
        r.network["stakeholder_kinds"],
        json!(["foreigners_authority"])
    );
    assert_eq!(r.network["version"], 2);

    // The coordinating organisation's staff manage the membership too.
    let chamber = organisation(&app, "IHK Berlin", "chamber_ihk", "DE-BE").await;
    let joined = join(&app, &r.counsellor, &r.network, &chamber, "chamber").await;
    assert_eq!(
        joined["stakeholder_kinds"],
        json!(["chamber", "foreigners_authority"])
    );
    let again = app
        .post(
            &r.regional,
            &format!("/v1/skilled-worker-networks/{}/members", id(&r.network)),
            &json!({"organisation_id": id(&chamber), "role": "partner",
                    "stakeholder_kind": "chamber", "joined_on": "2026-02-01"}),
        )
        .problem(StatusCode::CONFLICT)
        .await;
    assert_eq!(again["type"], "urn:iqnet:problem:already-member");

    let path = format!(
        "/v1/skilled-worker-networks/{}/members/{}/departure",
        id(&r.network),
        id(&chamber)
    );
    app.post(&r.regional, &path, &json!({"date": "2026-03-01"}))
        .if_match(1)
        .problem(StatusCode::PRECONDITION_FAILED)
        .await;
    let left = app
        .post(&r.regional, &path, &json!({"date": "2026-03-01"}))
        .if_match(3)
        .ok()
        .await;
    assert_eq!(left["members"][1]["left_on"], "2026-03-01");
    assert_eq!(left["stakeholder_kinds"], json!(["foreigners_authority"]));
    assert_eq!(left["version"], 4);
}

async fn a_network_belongs_to_its_federal_state(app: TestApp) {
    let r = region(&app, "DE-BE").await;
    let hamburg = organisation(&app, "Welcome Center Hamburg", "welcome_center", "DE-HH").await;
    let body = json!({"regional_network": "DE-BE", "name": "Netzwerk",
                      "coordinator_organisation_id": id(&hamburg)});
    let error = app
        .post(&r.regional, "/v1/skilled-worker-networks", &body)
        .invalid()
        .await;
    assert_eq!(error["field"], "coordinator_organisation_id");
    assert_eq!(error["code"], "other_state");

    let path = format!("/v1/skilled-worker-networks/{}", id(&r.network));
    let renamed = app
        .patch(
            &r.regional,
            &path,
            &json!({"name": "Fachkräfte Berlin Süd"}),
        )
        .if_match(2)
        .ok()
        .await;
    assert_eq!(renamed["name"], "Fachkräfte Berlin Süd");
    app.patch(&r.regional, &path, &json!({"name": null}))
        .if_match(3)
        .invalid()
        .await;
    // A member's staff do not manage the network itself.
    app.patch(&r.authority_staff, &path, &json!({"name": "X"}))
        .if_match(3)
        .problem(StatusCode::FORBIDDEN)
        .await;
}

async fn the_directory_is_public_and_refuses_unknown_parameters(app: TestApp) {
    let berlin = region(&app, "DE-BE").await;
    region(&app, "DE-HH").await;

    let page = app
        .public("/v1/skilled-worker-networks?regional_network=DE-BE")
        .ok()
        .await;
    assert_eq!(items(&page).len(), 1);
    assert_eq!(items(&page)[0]["id"], berlin.network["id"]);
    let two = app.public("/v1/skilled-worker-networks?limit=1").ok().await;
    assert_eq!(items(&two).len(), 1);
    assert!(two["next_cursor"].is_string());
    let unknown = app
        .public("/v1/skilled-worker-networks?region=DE-BE")
        .problem(StatusCode::BAD_REQUEST)
        .await;
    assert_eq!(unknown["errors"][0]["field"], "region");
}
