//! Enrolments: capacity under concurrent requests, the waiting list and its promotion, a
//! cancelled measure's refusal, and area 1's rules (scope and audit) for the seeker's data.

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{act, open_measure, provider};
use crate::support::TestApp;
use crate::support::app::items;
use crate::support::call::{expect_json, id};

trials! {
    backends:
        capacity_holds_under_concurrent_enrolments,
        a_withdrawal_admits_the_first_on_the_waiting_list,
        a_cancelled_measure_refuses_enrolments,
        an_enrolment_is_personal_data_of_the_seekers_organisation,
        raising_the_capacity_admits_the_waiting_list,
        a_seeker_holds_one_current_enrolment_per_measure,
        a_retried_application_takes_one_seat;
    postgres:
        capacity_holds_across_two_server_processes;
}

fn enrol(
    app: &TestApp,
    token: &str,
    measure: &Value,
    seeker: &Value,
) -> crate::support::call::Call {
    let path = format!("/v1/measures/{}/enrolments", id(measure));
    app.post(
        token,
        &path,
        &json!({"seeker_id": id(seeker), "funding": "training_voucher"}),
    )
}

async fn seekers(app: &TestApp, token: &str, n: usize) -> Vec<Value> {
    let mut all = Vec::new();
    for _ in 0..n {
        all.push(app.seeker(token).create().await);
    }
    all
}

/// 200 applications at once for 20 seats, half of them to a second server on the same
/// database (as several instances run): exactly 20 admitted, 180 waitlisted, no 5xx.
async fn capacity_holds_under_concurrent_enrolments(app: TestApp) {
    let other = app.another_instance().await;
    capacity_holds(&app, &other).await;
}

/// The same with the second server in a process of its own, as on another machine: only the
/// database can keep the count.
async fn capacity_holds_across_two_server_processes() {
    let app = TestApp::postgres().await;
    let other = app.another_process().await;
    capacity_holds(&app, &other).await;
}

async fn capacity_holds(app: &TestApp, other: &TestApp) {
    let (_, trainer) = provider(app, "DE-BE").await;
    let (_, counsellor) = app.counsellor("DE-BE").await;
    let measure = open_measure(app, &trainer, json!({"capacity": 20})).await;
    let people = seekers(app, &counsellor, 200).await;

    let requests = people.iter().enumerate().map(|(i, s)| {
        let instance = if i % 2 == 0 { app } else { other };
        enrol(instance, &counsellor, &measure, s).send()
    });
    let responses = join_all(requests).await;

    let mut states = Vec::new();
    for response in responses {
        let body = expect_json(response, StatusCode::CREATED).await;
        states.push(body["state"].as_str().unwrap().to_owned());
    }
    let admitted = states.iter().filter(|s| *s == "admitted").count();
    let waitlisted = states.iter().filter(|s| *s == "waitlisted").count();
    assert_eq!((admitted, waitlisted), (20, 180));
    let now = app
        .public(&format!("/v1/measures/{}", id(&measure)))
        .ok()
        .await;
    assert_eq!(now["seats_taken"], 20);
    let list = format!(
        "/v1/measures/{}/enrolments?state=waitlisted&limit=500",
        id(&measure)
    );
    let waiting = app.get(&counsellor, &list).ok().await;
    let positions: Vec<i64> = items(&waiting)
        .iter()
        .map(|e| e["waitlist_position"].as_i64().unwrap())
        .collect();
    assert_eq!(positions, (1..=180).collect::<Vec<i64>>());
}

async fn a_withdrawal_admits_the_first_on_the_waiting_list(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-BE").await;
    let (_, counsellor) = app.counsellor("DE-BE").await;
    let measure = open_measure(&app, &trainer, json!({"capacity": 1})).await;
    let people = seekers(&app, &counsellor, 3).await;
    let mut enrolments = Vec::new();
    for person in &people {
        enrolments.push(enrol(&app, &counsellor, &measure, person).created().await);
    }
    assert_eq!(enrolments[0]["state"], "admitted");
    assert_eq!(enrolments[1]["waitlist_position"], 1);
    assert_eq!(enrolments[2]["waitlist_position"], 2);

    let path = format!("/v1/enrolments/{}/actions", id(&enrolments[0]));
    let left = app
        .post(
            &counsellor,
            &path,
            &json!({"action": "drop_out", "date": "2026-11-20"}),
        )
        .if_match(1)
        .ok()
        .await;
    assert_eq!(left["state"], "dropped_out");

    let get = |e: &Value| app.get(&counsellor, &format!("/v1/enrolments/{}", id(e)));
    let second = get(&enrolments[1]).ok().await;
    assert_eq!(
        second["state"], "admitted",
        "the first waiting takes the seat"
    );
    assert_eq!(second["waitlist_position"], json!(null));
    let third = get(&enrolments[2]).ok().await;
    assert_eq!(
        (third["state"].clone(), third["waitlist_position"].clone()),
        (json!("waitlisted"), json!(1))
    );
    let now = app
        .public(&format!("/v1/measures/{}", id(&measure)))
        .ok()
        .await;
    assert_eq!(now["seats_taken"], 1);

    let again = app
        .post(&counsellor, &path, &json!({"action": "start"}))
        .problem(StatusCode::CONFLICT)
        .await;
    assert_eq!(again["allowed"], json!([]));
}

async fn a_cancelled_measure_refuses_enrolments(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-BE").await;
    let (_, counsellor) = app.counsellor("DE-BE").await;
    let measure = open_measure(&app, &trainer, json!({})).await;
    let seeker = app.seeker(&counsellor).create().await;
    act(&app, &trainer, &measure, "cancel").await;

    let problem = enrol(&app, &counsellor, &measure, &seeker)
        .problem(StatusCode::CONFLICT)
        .await;

    assert_eq!(problem["type"], "urn:iqnet:problem:measure-cancelled");
    let list = format!("/v1/measures/{}/enrolments", id(&measure));
    assert_eq!(app.get(&counsellor, &list).ok().await["items"], json!([]));
}

async fn an_enrolment_is_personal_data_of_the_seekers_organisation(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-BE").await;
    let (_, counsellor) = app.counsellor("DE-BE").await;
    let (_, stranger) = app.counsellor("DE-BE").await;
    let measure = open_measure(&app, &trainer, json!({})).await;
    let seeker = app.seeker(&counsellor).create().await;

    enrol(&app, &stranger, &measure, &seeker).invalid().await;
    let enrolment = enrol(&app, &counsellor, &measure, &seeker).created().await;
    let path = format!("/v1/enrolments/{}", id(&enrolment));
    app.get(&stranger, &path)
        .problem(StatusCode::NOT_FOUND)
        .await;
    let list = format!("/v1/measures/{}/enrolments", id(&measure));
    assert_eq!(app.get(&stranger, &list).ok().await["items"], json!([]));
    app.get(&counsellor, &path).ok().await;

    let log = format!("/v1/advice-seekers/{}/audit-log?limit=500", id(&seeker));
    let entries = app.get(app.admin(), &log).ok().await;
    let enrolment_entries: Vec<&str> = items(&entries)
        .iter()
        .filter(|e| e["resource"] == "enrolment")
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        enrolment_entries,
        ["create", "read"],
        "the stranger's 404 read nothing"
    );
}

async fn raising_the_capacity_admits_the_waiting_list(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-BE").await;
    let (_, counsellor) = app.counsellor("DE-BE").await;
    let measure = open_measure(&app, &trainer, json!({"capacity": 1})).await;
    let mut enrolments = Vec::new();
    for person in seekers(&app, &counsellor, 4).await {
        enrolments.push(enrol(&app, &counsellor, &measure, &person).created().await);
    }
    let path = format!("/v1/measures/{}", id(&measure));
    let version = app.public(&path).ok().await["version"].as_i64().unwrap();

    let raised = app
        .patch(&trainer, &path, &json!({"capacity": 3}))
        .if_match(version)
        .ok()
        .await;

    assert_eq!(raised["seats_taken"], 3);
    let list = format!("/v1/measures/{}/enrolments", id(&measure));
    let states: Vec<Value> = items(&app.get(&counsellor, &list).ok().await)
        .iter()
        .map(|e| e["state"].clone())
        .collect();
    assert_eq!(states, ["admitted", "admitted", "admitted", "waitlisted"]);
    let current = app.public(&path).ok().await;
    assert_eq!(
        current["version"], raised["version"],
        "the answer shows the stored version"
    );
}

async fn a_seeker_holds_one_current_enrolment_per_measure(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-BE").await;
    let (_, counsellor) = app.counsellor("DE-BE").await;
    let measure = open_measure(&app, &trainer, json!({"capacity": 5})).await;
    let seeker = app.seeker(&counsellor).create().await;
    let first = enrol(&app, &counsellor, &measure, &seeker).created().await;

    enrol(&app, &counsellor, &measure, &seeker)
        .problem(StatusCode::CONFLICT)
        .await;
    let now = app
        .public(&format!("/v1/measures/{}", id(&measure)))
        .ok()
        .await;
    assert_eq!(
        now["seats_taken"], 1,
        "the refused application took no seat"
    );

    let path = format!("/v1/enrolments/{}/actions", id(&first));
    app.post(
        &counsellor,
        &path,
        &json!({"action": "drop_out", "date": "2026-11-20"}),
    )
    .if_match(1)
    .ok()
    .await;
    let again = enrol(&app, &counsellor, &measure, &seeker).created().await;
    assert_eq!(
        again["state"], "admitted",
        "after leaving, the seeker may apply again"
    );
}

async fn a_retried_application_takes_one_seat(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-BE").await;
    let (_, counsellor) = app.counsellor("DE-BE").await;
    let measure = open_measure(&app, &trainer, json!({"capacity": 5})).await;
    let seeker = app.seeker(&counsellor).create().await;

    let first = enrol(&app, &counsellor, &measure, &seeker)
        .idempotency_key("enrol-1")
        .created()
        .await;
    let replay = enrol(&app, &counsellor, &measure, &seeker)
        .idempotency_key("enrol-1")
        .created()
        .await;

    assert_eq!(replay["id"], first["id"]);
    let now = app
        .public(&format!("/v1/measures/{}", id(&measure)))
        .ok()
        .await;
    assert_eq!(now["seats_taken"], 1);
}
