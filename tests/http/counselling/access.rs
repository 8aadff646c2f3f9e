//! Who reaches a seeker's data: their own organisation and its network's coordinator; anyone
//! else gets 404 (analysts 403), and every access is in the audit log, with who and why.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::builders::today;
use crate::support::{TestApp, id};

trials! {
    backends:
        another_organisations_counsellor_gets_404,
        the_networks_coordinator_sees_the_seeker_and_an_analyst_never_does,
        every_access_to_a_seekers_data_is_audited;
}

/// A seeker with a qualification, a case and a procedure at one Rhineland-Palatinate centre, and
/// a counsellor of another centre nearby.
struct Arranged {
    org: Value,
    token: String,
    stranger: String,
    seeker: Value,
    case: Value,
    procedure: Value,
}

async fn arrange(app: &TestApp) -> Arranged {
    let (org, token) = app.counsellor("DE-RP").await;
    let (_, stranger) = app.counsellor("DE-RP").await;
    let seeker = app
        .seeker(&token)
        .code("RP-1")
        .consents(["counselling"])
        .create()
        .await;
    let qualification = app
        .qualification(&token, &seeker)
        .from("TR", "26212")
        .create()
        .await;
    let case = app
        .case(&token, &seeker)
        .access_route("media")
        .create()
        .await;
    let procedure = app
        .procedure(&token, &qualification)
        .submitted_on("2026-02-02")
        .create()
        .await;
    Arranged {
        org,
        token,
        stranger,
        seeker,
        case,
        procedure,
    }
}

/// The stranger reads and changes nothing: 404 for each record, empty lists.
async fn the_stranger_finds_nothing(app: &TestApp, a: &Arranged) {
    let s = id(&a.seeker);
    for path in [
        format!("/v1/advice-seekers/{s}"),
        format!("/v1/advice-seekers/{s}/journey"),
        format!("/v1/advice-seekers/{s}/qualifications"),
        format!("/v1/counselling-cases/{}", id(&a.case)),
        format!("/v1/recognition-procedures/{}", id(&a.procedure)),
    ] {
        app.get(&a.stranger, &path)
            .problem(StatusCode::NOT_FOUND)
            .await;
    }
    for path in [
        "/v1/advice-seekers",
        "/v1/counselling-cases",
        "/v1/recognition-procedures",
    ] {
        let page = app.get(&a.stranger, path).ok().await;
        assert_eq!(page["items"], json!([]), "{path}");
    }
    app.procedure_action(
        &a.stranger,
        &a.procedure,
        &json!({"action": "withdraw", "date": today()}),
    )
    .problem(StatusCode::NOT_FOUND)
    .await;
}

async fn another_organisations_counsellor_gets_404(app: TestApp) {
    let arranged = arrange(&app).await;

    the_stranger_finds_nothing(&app, &arranged).await;
}

async fn the_networks_coordinator_sees_the_seeker_and_an_analyst_never_does(app: TestApp) {
    let a = arrange(&app).await;
    let (_, coordinator) = app.user("network_coordinator", a.org["id"].as_str()).await;
    let (_, analyst) = app.user("analyst", None).await;

    app.get_seeker(&coordinator, &a.seeker).ok().await;
    app.get(&analyst, "/v1/advice-seekers")
        .problem(StatusCode::FORBIDDEN)
        .await;
}

async fn every_access_to_a_seekers_data_is_audited(app: TestApp) {
    let a = arrange(&app).await;
    the_stranger_finds_nothing(&app, &a).await;

    // A list page is audited too: one entry per seeker on it.
    let page = app.get(&a.token, "/v1/advice-seekers").ok().await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    app.get_seeker(&a.token, &a.seeker)
        .header("x-access-reason", "preparing the session")
        .ok()
        .await;

    let audit_log = format!("/v1/advice-seekers/{}/audit-log", id(&a.seeker));
    let log = app
        .get(app.admin(), &format!("{audit_log}?limit=500"))
        .ok()
        .await;
    let entries = log["items"].as_array().unwrap();
    let actions: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["resource"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        actions.contains(&("create", "advice_seeker"))
            && actions.contains(&("create", "recognition_procedure")),
        "{actions:?}"
    );
    let last = entries.last().unwrap();
    assert_eq!(last["reason"], "getAdviceSeeker: preparing the session");
    assert!(
        entries
            .iter()
            .any(|e| e["action"] == "read" && e["reason"] == "listAdviceSeekers"),
        "{entries:?}"
    );
    assert_eq!(last["actor_role"], "counsellor");
    assert!(last["actor"].as_str().unwrap().starts_with("user:"));
    assert!(
        entries
            .iter()
            .all(|e| e["actor_role"] != "counsellor" || e["actor"] == last["actor"]),
        "the stranger's 404s read nothing"
    );
    // Only the admin reads the audit log.
    app.get(&a.token, &audit_log)
        .problem(StatusCode::FORBIDDEN)
        .await;
}
