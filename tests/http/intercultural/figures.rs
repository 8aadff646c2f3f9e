//! What a training leaves behind: participation counted per session (no names), and anonymous
//! evaluations whose figures the database aggregates, suppressed below 5 answers.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{client_token, open_training, provider, put, running_training};
use crate::support::TestApp;
use crate::support::call::id;

trials! {
    backends:
        participation_is_counted_per_session,
        evaluation_figures_are_aggregated_and_small_groups_suppressed,
        figures_are_read_by_the_provider_coordinators_and_analysts;
}

fn count(kind: &str, gender: &str, function: &str, participants: i32) -> Value {
    json!({"organisation_kind": kind, "gender": gender, "function": function, "participants": participants})
}

async fn participation_is_counted_per_session(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-SN").await;
    let open = open_training(&app, &trainer, json!({})).await;
    let early = format!("/v1/trainings/{}/sessions/1/participation", id(&open));
    let problem = put(&app, &trainer, &early, &json!({"counts": []}))
        .problem(StatusCode::CONFLICT)
        .await;
    assert_eq!(problem["type"], "urn:iqnet:problem:training-not-held");

    let training = running_training(&app, &trainer).await;
    let session = |n: i32| format!("/v1/trainings/{}/sessions/{n}/participation", id(&training));
    let first = json!({"counts": [
        count("jobcenter", "female", "client_contact", 9),
        count("jobcenter", "male", "management", 2),
        count("municipality", "diverse", "other", 1)
    ]});
    let version = training["version"].as_i64().unwrap();
    let recorded = put(&app, &trainer, &session(1), &first)
        .if_match(version)
        .ok()
        .await;
    assert_eq!(recorded["sessions"][0]["participants"], 12);
    put(
        &app,
        &trainer,
        &session(2),
        &json!({"counts": [count("jobcenter", "female", "client_contact", 8)]}),
    )
    .if_match(version)
    .problem(StatusCode::PRECONDITION_FAILED)
    .await;
    // Corrected as a whole: the session's counts are replaced.
    put(
        &app,
        &trainer,
        &session(2),
        &json!({"counts": [count("jobcenter", "female", "client_contact", 8)]}),
    )
    .ok()
    .await;
    put(
        &app,
        &trainer,
        &session(2),
        &json!({"counts": [count("jobcenter", "female", "client_contact", 10)]}),
    )
    .ok()
    .await;

    let error = put(&app, &trainer, &session(3), &first).invalid().await;
    assert_eq!(error["field"], "session");
    let twice =
        json!({"counts": [count("sme", "male", "other", 1), count("sme", "male", "other", 2)]});
    assert_eq!(
        put(&app, &trainer, &session(1), &twice).invalid().await["field"],
        "counts[1]"
    );

    let shown = app
        .get(
            &trainer,
            &format!("/v1/trainings/{}/participation", id(&training)),
        )
        .ok()
        .await;
    let per_session: Vec<i64> = shown["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["participants"].as_i64().unwrap())
        .collect();
    assert_eq!(per_session, [12, 10]);
    assert_eq!(shown["participant_sessions"], 22);
    assert_eq!(
        shown["sessions"][0]["counts"][0],
        count("jobcenter", "female", "client_contact", 9)
    );
    assert!(
        !shown.to_string().contains("name"),
        "counts only, never names"
    );
}

async fn questionnaire(app: &TestApp, token: &str, training: &Value, answers: Value) -> Value {
    let path = format!("/v1/trainings/{}/evaluations", id(training));
    app.post(token, &path, &json!({ "answers": answers }))
        .created()
        .await
}

fn item<'a>(summary: &'a Value, name: &str) -> &'a Value {
    summary["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item"] == name)
        .unwrap()
}

async fn evaluation_figures_are_aggregated_and_small_groups_suppressed(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-SN").await;
    let open = open_training(&app, &trainer, json!({})).await;
    let early = format!("/v1/trainings/{}/evaluations", id(&open));
    let answers = json!({"answers": [{"item": "recognition_knowledge", "before": 2, "after": 3}]});
    let problem = app
        .post(&trainer, &early, &answers)
        .problem(StatusCode::CONFLICT)
        .await;
    assert_eq!(problem["type"], "urn:iqnet:problem:training-not-held");
    let training = running_training(&app, &trainer).await;
    let summary_path = format!("/v1/trainings/{}/evaluation", id(&training));
    // Changes of +2, +1, +3, 0 and +1 on one item (mean +1.4); a second item answered twice.
    let scores = [(2, 4), (3, 4), (1, 4), (3, 3), (2, 3)];
    for (i, (before, after)) in scores.iter().take(4).enumerate() {
        let mut answers =
            vec![json!({"item": "knowledge_of_migration", "before": before, "after": after})];
        if i < 2 {
            answers.push(json!({"item": "awareness_of_discrimination", "before": 1, "after": 5}));
        }
        questionnaire(&app, &trainer, &training, json!(answers)).await;
    }

    let four = app.get(&trainer, &summary_path).ok().await;
    assert_eq!(four["questionnaires"], json!(null));
    let knowledge = item(&four, "knowledge_of_migration");
    assert_eq!(knowledge["suppressed"], true, "4 answers are too few");
    assert_eq!(
        (
            knowledge["answers"].clone(),
            knowledge["mean_change"].clone()
        ),
        (json!(null), json!(null))
    );

    let (before, after) = scores[4];
    let created = questionnaire(
        &app,
        &trainer,
        &training,
        json!([{"item": "knowledge_of_migration", "before": before, "after": after}]),
    )
    .await;
    assert!(created["id"].is_string());

    let five = app.get(&trainer, &summary_path).ok().await;
    assert_eq!(five["questionnaires"], 5);
    let knowledge = item(&five, "knowledge_of_migration");
    assert_eq!(knowledge["suppressed"], false);
    assert_eq!(knowledge["answers"], 5);
    assert_eq!(knowledge["mean_before"], 2.2);
    assert_eq!(knowledge["mean_after"], 3.6);
    assert_eq!(knowledge["mean_change"], 1.4);
    let awareness = item(&five, "awareness_of_discrimination");
    assert_eq!(
        (
            awareness["suppressed"].clone(),
            awareness["answers"].clone()
        ),
        (json!(true), json!(null))
    );
    assert_eq!(
        item(&five, "recognition_knowledge")["suppressed"],
        true,
        "never answered"
    );
    assert_eq!(five["items"].as_array().unwrap().len(), 4);

    let path = format!("/v1/trainings/{}/evaluations", id(&training));
    let error = app
        .post(
            &trainer,
            &path,
            &json!({"answers": [{"item": "recognition_knowledge", "before": 0, "after": 6}]}),
        )
        .invalid()
        .await;
    assert_eq!(error["field"], "answers[0].before");
}

async fn figures_are_read_by_the_provider_coordinators_and_analysts(app: TestApp) {
    let (provider_org, trainer) = provider(&app, "DE-SN").await;
    let (_, other_trainer) = provider(&app, "DE-SN").await;
    let (_, coordinator) = app
        .user("network_coordinator", provider_org["id"].as_str())
        .await;
    let hamburg = app.organisation("IQ Hamburg", "DE-HH").await;
    let (_, far_coordinator) = app
        .user("network_coordinator", hamburg["id"].as_str())
        .await;
    let (_, counsellor) = app.counsellor("DE-SN").await;
    let training = running_training(&app, &trainer).await;
    let path = format!("/v1/trainings/{}/evaluation", id(&training));
    let participation = format!("/v1/trainings/{}/participation", id(&training));

    let analyst = client_token(&app, "analyst", None).await;
    for token in [&trainer, &coordinator, app.admin(), &analyst] {
        app.get(token, &path).ok().await;
        app.get(token, &participation).ok().await;
    }
    for token in [&other_trainer, &far_coordinator] {
        app.get(token, &path).problem(StatusCode::FORBIDDEN).await;
    }
    app.get(&counsellor, &path)
        .problem(StatusCode::FORBIDDEN)
        .await;
    let evaluations = format!("/v1/trainings/{}/evaluations", id(&training));
    let answers = json!({"answers": [{"item": "recognition_knowledge", "before": 2, "after": 3}]});
    app.post(&other_trainer, &evaluations, &answers)
        .problem(StatusCode::FORBIDDEN)
        .await;
    app.public(&path).problem(StatusCode::UNAUTHORIZED).await;
}
