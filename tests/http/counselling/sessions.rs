//! Counselling sessions as the monitoring counts them: one `first` session per advice seeker
//! across all their cases (also when two arrive at once), a follow-up only after it, and each
//! session at a counselling point with a counsellor.

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::app::items;
use crate::support::{TestApp, expect_json, id};

trials! {
    backends:
        a_seeker_has_one_first_session_across_all_cases,
        a_follow_up_needs_a_first_session,
        an_unnamed_kind_follows_from_the_seekers_sessions,
        concurrent_first_sessions_of_one_seeker_record_one,
        a_session_names_its_counselling_point_and_counsellor;
}

/// The sessions of a case, as listed.
async fn sessions_of(app: &TestApp, token: &str, case: &Value) -> Vec<Value> {
    let path = format!("/v1/counselling-cases/{}/sessions", id(case));
    items(&app.get(token, &path).ok().await).clone()
}

async fn a_seeker_has_one_first_session_across_all_cases(app: TestApp) {
    let (_, token) = app.counsellor("DE-NI").await;
    let seeker = app.seeker(&token).create().await;
    let recognition = app
        .case(&token, &seeker)
        .opened_on("2026-01-05")
        .create()
        .await;
    let training = app
        .case(&token, &seeker)
        .kind("qualification")
        .opened_on("2026-02-02")
        .create()
        .await;
    let first = app
        .session(&token, &recognition)
        .held_on("2026-01-05")
        .create()
        .await;
    assert_eq!(first["kind"], "first");
    assert_eq!(first["seeker_id"], seeker["id"]);

    let problem = app
        .session(&token, &training)
        .held_on("2026-02-02")
        .call()
        .problem(StatusCode::CONFLICT)
        .await;

    assert_eq!(problem["type"], "urn:iqnet:problem:first-session-held");
    assert!(sessions_of(&app, &token, &training).await.is_empty());
    assert_eq!(
        app.get_case(&token, &training).ok().await["state"],
        "open",
        "a refused session starts nothing"
    );
    let follow_up = app
        .session(&token, &training)
        .kind("follow_up")
        .held_on("2026-02-02")
        .create()
        .await;
    assert_eq!(follow_up["kind"], "follow_up");
}

async fn a_follow_up_needs_a_first_session(app: TestApp) {
    let (_, token) = app.counsellor("DE-NI").await;
    let seeker = app.seeker(&token).create().await;
    let case = app
        .case(&token, &seeker)
        .opened_on("2026-01-05")
        .create()
        .await;

    let problem = app
        .session(&token, &case)
        .kind("follow_up")
        .call()
        .problem(StatusCode::CONFLICT)
        .await;

    assert_eq!(problem["type"], "urn:iqnet:problem:no-first-session");
    assert!(sessions_of(&app, &token, &case).await.is_empty());
    app.session(&token, &case)
        .held_on("2026-01-10")
        .create()
        .await;
    let early = app
        .session(&token, &case)
        .kind("follow_up")
        .held_on("2026-01-06")
        .call()
        .invalid()
        .await;
    assert_eq!(
        (early["field"].as_str(), early["code"].as_str()),
        (Some("held_on"), Some("before_first_session"))
    );
}

async fn an_unnamed_kind_follows_from_the_seekers_sessions(app: TestApp) {
    let (_, token) = app.counsellor("DE-NI").await;
    let seeker = app.seeker(&token).create().await;
    let case = app.case(&token, &seeker).create().await;

    let first = app.session(&token, &case).unset("kind").create().await;
    let second = app.session(&token, &case).unset("kind").create().await;

    assert_eq!(first["kind"], "first");
    assert_eq!(second["kind"], "follow_up");
}

/// Two requests for a seeker's first session at once, on two cases or on one: one is recorded,
/// the other refused as such, on both backends (PostgreSQL's unique index holds what the check
/// alone cannot).
async fn concurrent_first_sessions_of_one_seeker_record_one(app: TestApp) {
    let (_, token) = app.counsellor("DE-NI").await;
    let mut pairs = Vec::new();
    for n in 0..6 {
        let seeker = app.seeker(&token).create().await;
        let a = app.case(&token, &seeker).create().await;
        // Four seekers with two cases each, two with both requests on one case.
        let b = if n < 4 {
            app.case(&token, &seeker)
                .kind("qualification")
                .create()
                .await
        } else {
            a.clone()
        };
        pairs.push((a, b));
    }

    let requests = pairs
        .iter()
        .flat_map(|(a, b)| [a, b])
        .map(|case| app.session(&token, case).call().send());
    let responses = join_all(requests).await;

    let statuses: Vec<StatusCode> = responses.iter().map(|r| r.status()).collect();
    for (pair, statuses) in statuses.chunks(2).enumerate() {
        let mut sorted = statuses.to_vec();
        sorted.sort();
        assert_eq!(
            sorted,
            [StatusCode::CREATED, StatusCode::CONFLICT],
            "seeker {pair}: one first session, one refusal"
        );
    }
    for response in responses {
        if response.status() == StatusCode::CONFLICT {
            let problem = expect_json(response, StatusCode::CONFLICT).await;
            assert_eq!(problem["type"], "urn:iqnet:problem:first-session-held");
        }
    }
    for (a, b) in &pairs {
        let mut held = sessions_of(&app, &token, a).await.len();
        if a["id"] != b["id"] {
            held += sessions_of(&app, &token, b).await.len();
        }
        assert_eq!(held, 1, "exactly one first session is stored");
    }
}

async fn a_session_names_its_counselling_point_and_counsellor(app: TestApp) {
    let org = app.organisation("IQ Mobil Sachsen", "DE-SN").await;
    let (counsellor, token) = app.user("counsellor", org["id"].as_str()).await;
    let mobile = app
        .centre(&token)
        .kind("mobile")
        .state("DE-SN")
        .postcode("04109")
        .city("Leipzig")
        .create()
        .await;
    let (_, elsewhere) = app.counsellor("DE-SN").await;
    let other_centre = app.centre(&elsewhere).create().await;
    let seeker = app.seeker(&token).create().await;
    let case = app.case(&token, &seeker).create().await;

    let session = app
        .session(&token, &case)
        .set("centre_id", id(&mobile))
        .create()
        .await;

    assert_eq!(session["centre_id"], mobile["id"]);
    assert_eq!(
        session["counsellor_id"], counsellor["id"],
        "the counsellor defaults to the caller"
    );
    let error = app
        .session(&token, &case)
        .kind("follow_up")
        .set("centre_id", id(&other_centre))
        .call()
        .invalid()
        .await;
    assert_eq!(
        (error["field"].as_str(), error["code"].as_str()),
        (Some("centre_id"), Some("other_organisation"))
    );
    let unknown = json!("0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e6f");
    let error = app
        .session(&token, &case)
        .kind("follow_up")
        .set("counsellor_id", unknown)
        .call()
        .invalid()
        .await;
    assert_eq!(error["field"], "counsellor_id");
    assert_eq!(sessions_of(&app, &token, &case).await.len(), 1);
}
