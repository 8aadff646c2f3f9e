//! Roles across two regional networks: each coordinator manages its own state's networks, the
//! staff of a network's organisations act for it, and nobody else, a member that left included.

use reqwest::StatusCode;
use serde_json::json;

use super::{region, under};
use crate::support::TestApp;
use crate::support::builders::today;
use crate::support::call::id;

trials! {
    backends:
        a_coordinator_of_one_regional_network_cannot_change_another,
        only_current_members_act_for_a_network;
}

async fn a_coordinator_of_one_regional_network_cannot_change_another(app: TestApp) {
    let berlin = region(&app, "DE-BE").await;
    let hamburg = region(&app, "DE-HH").await;
    let network = format!("/v1/skilled-worker-networks/{}", id(&berlin.network));

    // Founding, renaming, membership: Berlin's coordinator only.
    let body = json!({"regional_network": "DE-BE", "name": "Zweites Netz",
                      "coordinator_organisation_id": id(&berlin.coordinator)});
    app.post(&hamburg.regional, "/v1/skilled-worker-networks", &body)
        .problem(StatusCode::FORBIDDEN)
        .await;
    app.patch(&hamburg.regional, &network, &json!({"name": "Übernommen"}))
        .problem(StatusCode::FORBIDDEN)
        .await;
    let member = json!({"organisation_id": id(&hamburg.authority), "role": "partner",
                        "stakeholder_kind": "foreigners_authority", "joined_on": "2026-01-01"});
    app.post(&hamburg.regional, &format!("{network}/members"), &member)
        .problem(StatusCode::FORBIDDEN)
        .await;
    app.post(&berlin.regional, "/v1/skilled-worker-networks", &body)
        .created()
        .await;

    // Berlin's records: Hamburg's coordinator neither changes nor sees them.
    let event = json!({"type": "network_meeting", "title": "Netzwerktreffen",
                       "starts_at": "2027-01-20T09:00:00Z", "ends_at": "2027-01-20T12:00:00Z",
                       "topics": [], "public": true, "organisation_id": id(&berlin.authority)});
    app.post(&hamburg.regional, &under(&berlin.network, "events"), &event)
        .problem(StatusCode::FORBIDDEN)
        .await;
    let planned = app
        .post(&berlin.regional, &under(&berlin.network, "events"), &event)
        .created()
        .await;
    assert_eq!(planned["organisation_id"], berlin.authority["id"]);
    let cancel = format!("/v1/network-events/{}/actions", id(&planned));
    app.post(&hamburg.regional, &cancel, &json!({"action": "cancel"}))
        .problem(StatusCode::FORBIDDEN)
        .await;
    app.get(&hamburg.regional, &under(&berlin.network, "events"))
        .problem(StatusCode::FORBIDDEN)
        .await;

    let consultation = app
        .post(
            &berlin.counsellor,
            &under(&berlin.network, "consultations"),
            &json!({"company_id": id(&berlin.company), "topics": ["onboarding"],
                    "target_occupations": [], "countries": [], "posts": 1,
                    "received_on": today()}),
        )
        .created()
        .await;
    let procedure = app
        .post(
            &berlin.counsellor,
            &under(&berlin.network, "accelerated-procedures"),
            &json!({"company_id": id(&berlin.company), "target_title": "18b",
                    "consultation_id": id(&consultation)}),
        )
        .created()
        .await;
    for path in [
        format!("/v1/employer-consultations/{}", id(&consultation)),
        format!("/v1/accelerated-procedures/{}", id(&procedure)),
    ] {
        app.get(&hamburg.regional, &path)
            .problem(StatusCode::NOT_FOUND)
            .await;
        app.get(&berlin.regional, &path).ok().await;
    }
    let listed = app
        .get(&hamburg.regional, &under(&berlin.network, "consultations"))
        .ok()
        .await;
    assert_eq!(listed["items"], json!([]));
    // A consultation of another company is no consultation of this procedure.
    let error = app
        .post(
            &berlin.counsellor,
            &under(&berlin.network, "accelerated-procedures"),
            &json!({"company_id": id(&hamburg.company), "target_title": "18b",
                    "consultation_id": id(&consultation)}),
        )
        .invalid()
        .await;
    assert_eq!(error["field"], "consultation_id");
}

async fn only_current_members_act_for_a_network(app: TestApp) {
    let berlin = region(&app, "DE-BE").await;
    let hamburg = region(&app, "DE-HH").await;
    let event = json!({"type": "info_event", "title": "Infoabend",
                       "starts_at": "2027-02-01T17:00:00Z", "ends_at": "2027-02-01T19:00:00Z",
                       "topics": ["visa_and_residence"], "public": true});
    // Hamburg's foreigners' authority is no member of Berlin's network.
    app.post(
        &hamburg.authority_staff,
        &under(&berlin.network, "events"),
        &event,
    )
    .problem(StatusCode::FORBIDDEN)
    .await;
    app.post(
        &berlin.authority_staff,
        &under(&berlin.network, "events"),
        &event,
    )
    .created()
    .await;
    // Nor does a member act for another organisation.
    let mut theirs = event.clone();
    theirs["organisation_id"] = berlin.coordinator["id"].clone();
    app.post(
        &berlin.authority_staff,
        &under(&berlin.network, "events"),
        &theirs,
    )
    .problem(StatusCode::FORBIDDEN)
    .await;

    let departure = format!(
        "/v1/skilled-worker-networks/{}/members/{}/departure",
        id(&berlin.network),
        id(&berlin.authority)
    );
    app.post(&berlin.regional, &departure, &json!({"date": "2026-06-30"}))
        .ok()
        .await;
    app.post(
        &berlin.authority_staff,
        &under(&berlin.network, "events"),
        &event,
    )
    .problem(StatusCode::FORBIDDEN)
    .await;
}
