//! Opening processes: the whole way to the sustainability check with dated milestones and
//! agreed measures, the 409s of illegal steps, and who sees and records what.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{client_token, organisation_with_staff, provider};
use crate::support::TestApp;
use crate::support::app::items;
use crate::support::call::{Call, id};

trials! {
    backends:
        an_opening_process_runs_to_its_sustainability_check,
        an_illegal_step_is_a_conflict_naming_the_allowed_ones,
        the_organisation_sees_its_own_process_and_coordinators_their_networks;
}

async fn start(app: &TestApp, trainer: &str, client: &Value) -> Value {
    let body = json!({"client_organisation_id": id(client), "contacted_on": "2024-01-10",
                      "note": "Anfrage der Geschäftsführung"});
    app.post(trainer, "/v1/opening-processes", &body)
        .created()
        .await
}

fn step(app: &TestApp, token: &str, process: &Value, body: Value) -> Call {
    let path = format!("/v1/opening-processes/{}/actions", id(process));
    app.post(token, &path, &body)
}

async fn an_opening_process_runs_to_its_sustainability_check(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-SN").await;
    let (jobcenter, _) = organisation_with_staff(&app, "jobcenter", "DE-SN").await;
    let process = start(&app, &trainer, &jobcenter).await;
    assert_eq!(process["state"], "contacted");
    assert_eq!(process["milestones"][0]["date"], "2024-01-10");

    let steps = [
        json!({"action": "start_needs_analysis", "date": "2024-02-01"}),
        json!({"action": "sign_agreement", "date": "2024-03-01", "measures": [
            {"kind": "multilingual_information", "description": "Merkblätter in drei Sprachen"},
            {"kind": "complaint_procedure"}]}),
        json!({"action": "begin_implementation", "date": "2024-04-01"}),
        json!({"action": "update_measure", "date": "2024-06-01", "kind": "complaint_procedure", "status": "done"}),
        json!({"action": "begin_evaluation", "date": "2024-09-01"}),
        json!({"action": "complete", "date": "2024-10-01", "note": "Beschwerdeverfahren eingeführt"}),
    ];
    let mut current = process;
    for body in steps {
        current = step(&app, &trainer, &current, body)
            .if_match(current["version"].as_i64().unwrap())
            .ok()
            .await;
    }
    assert_eq!(current["state"], "sustained");
    let states: Vec<&str> = current["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["state"].as_str().unwrap())
        .collect();
    assert_eq!(
        states,
        [
            "contacted",
            "needs_analysis",
            "agreement_signed",
            "implementation",
            "evaluation",
            "sustained"
        ]
    );
    assert_eq!(current["measures"][1]["status"], "done");
    assert_eq!(current["measures"][0]["status"], "agreed");
    assert_eq!(current["ended_on"], "2024-10-01");
    assert_eq!(current["check_due_on"], "2025-10-01");
    assert_eq!(current["allowed_actions"], json!(["check_sustainability"]));

    let early = step(
        &app,
        &trainer,
        &current,
        json!({"action": "check_sustainability", "date": "2025-09-30", "lasted": true}),
    )
    .invalid()
    .await;
    assert_eq!(early["code"], "too_early");
    let checked = step(
        &app,
        &trainer,
        &current,
        json!({"action": "check_sustainability", "date": "2025-10-15", "lasted": true}),
    )
    .ok()
    .await;
    assert_eq!(checked["follow_up"]["lasted"], true);
    assert_eq!(checked["allowed_actions"], json!([]));
}

async fn an_illegal_step_is_a_conflict_naming_the_allowed_ones(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-SN").await;
    let (jobcenter, _) = organisation_with_staff(&app, "jobcenter", "DE-SN").await;
    let process = start(&app, &trainer, &jobcenter).await;

    let problem = step(
        &app,
        &trainer,
        &process,
        json!({"action": "complete", "date": "2024-02-01"}),
    )
    .problem(StatusCode::CONFLICT)
    .await;
    assert_eq!(
        problem["allowed"],
        json!(["start_needs_analysis", "discontinue"])
    );

    let back = step(
        &app,
        &trainer,
        &process,
        json!({"action": "start_needs_analysis", "date": "2024-01-09"}),
    )
    .invalid()
    .await;
    assert_eq!(back["code"], "before_last_milestone");
    let ended = step(
        &app,
        &trainer,
        &process,
        json!({"action": "discontinue", "date": "2024-03-01"}),
    )
    .ok()
    .await;
    assert_eq!(
        (ended["state"].as_str(), ended["ended_on"].as_str()),
        (Some("discontinued"), Some("2024-03-01"))
    );
    let after = step(
        &app,
        &trainer,
        &process,
        json!({"action": "start_needs_analysis", "date": "2024-04-01"}),
    )
    .problem(StatusCode::CONFLICT)
    .await;
    assert_eq!(after["allowed"], json!([]));
}

async fn the_organisation_sees_its_own_process_and_coordinators_their_networks(app: TestApp) {
    let (provider_org, trainer) = provider(&app, "DE-SN").await;
    let (jobcenter, staff) = organisation_with_staff(&app, "jobcenter", "DE-SN").await;
    let (_, stranger) = organisation_with_staff(&app, "jobcenter", "DE-SN").await;
    let (_, other_trainer) = provider(&app, "DE-SN").await;
    let (_, coordinator) = app
        .user("network_coordinator", provider_org["id"].as_str())
        .await;
    let hamburg = app.organisation("IQ Hamburg", "DE-HH").await;
    let (_, far_coordinator) = app
        .user("network_coordinator", hamburg["id"].as_str())
        .await;
    let partner = client_token(&app, "partner", jobcenter["id"].as_str()).await;
    let process = start(&app, &trainer, &jobcenter).await;
    let path = format!("/v1/opening-processes/{}", id(&process));

    for token in [&trainer, &staff, &partner, &coordinator] {
        app.get(token, &path).ok().await;
        let mine = app.get(token, "/v1/opening-processes").ok().await;
        assert_eq!(items(&mine).len(), 1);
    }
    for token in [&stranger, &other_trainer, &far_coordinator] {
        app.get(token, &path).problem(StatusCode::NOT_FOUND).await;
        let none = app.get(token, "/v1/opening-processes").ok().await;
        assert_eq!(none["items"], json!([]));
    }
    let analysis = json!({"action": "start_needs_analysis", "date": "2024-02-01"});
    step(&app, &staff, &process, analysis.clone())
        .problem(StatusCode::FORBIDDEN)
        .await;
    step(&app, &stranger, &process, analysis.clone())
        .problem(StatusCode::NOT_FOUND)
        .await;
    step(&app, &coordinator, &process, analysis).ok().await;
    let filtered = format!(
        "/v1/opening-processes?state=needs_analysis&client_organisation_id={}",
        id(&jobcenter)
    );
    assert_eq!(items(&app.get(&trainer, &filtered).ok().await).len(), 1);
    app.post(
        &staff,
        "/v1/opening-processes",
        &json!({"client_organisation_id": id(&jobcenter), "contacted_on": "2024-01-10"}),
    )
    .problem(StatusCode::FORBIDDEN)
    .await;
}
