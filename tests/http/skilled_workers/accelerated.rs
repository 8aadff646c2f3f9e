//! Accelerated skilled-worker procedures (§ 81a AufenthG): milestones only in order, the days
//! between them, and the link to the worker's accelerated recognition procedure (area 1) with
//! its two-week and two-month deadlines.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{Region, region, under};
use crate::support::TestApp;
use crate::support::call::id;

trials! {
    backends:
        milestones_come_in_order_with_the_days_between_them,
        the_link_shows_the_accelerated_recognition_deadlines,
        only_an_accelerated_recognition_procedure_is_linked;
}

async fn start(app: &TestApp, r: &Region, extra: Value) -> Value {
    let mut body = json!({"company_id": id(&r.company), "target_title": "18a"});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    app.post(
        &r.counsellor,
        &under(&r.network, "accelerated-procedures"),
        &body,
    )
    .created()
    .await
}

fn milestone_path(p: &Value) -> String {
    format!("/v1/accelerated-procedures/{}/milestones", id(p))
}

async fn reach(app: &TestApp, r: &Region, p: &Value, milestone: &str, date: &str) -> Value {
    app.post(
        &r.counsellor,
        &milestone_path(p),
        &json!({"milestone": milestone, "date": date}),
    )
    .ok()
    .await
}

async fn milestones_come_in_order_with_the_days_between_them(app: TestApp) {
    let r = region(&app, "DE-BE").await;
    let p = start(&app, &r, json!({})).await;
    assert_eq!(p["stage"], "initiated");
    assert_eq!(p["next_milestone"], "agreement_signed");

    let skipped = app
        .post(
            &r.counsellor,
            &milestone_path(&p),
            &json!({"milestone": "visa_issued", "date": "2026-01-05"}),
        )
        .problem(StatusCode::CONFLICT)
        .await;
    assert_eq!(skipped["allowed"], json!(["agreement_signed"]));

    let dates = [
        ("agreement_signed", "2026-01-05"),
        ("recognition_decided", "2026-02-20"),
        ("ba_approval", "2026-03-02"),
    ];
    for (milestone, date) in dates {
        reach(&app, &r, &p, milestone, date).await;
    }
    let backwards = app
        .post(
            &r.counsellor,
            &milestone_path(&p),
            &json!({"milestone": "pre_approval", "date": "2026-03-01"}),
        )
        .invalid()
        .await;
    assert_eq!(backwards["code"], "before_previous");
    let again = app
        .post(
            &r.counsellor,
            &milestone_path(&p),
            &json!({"milestone": "ba_approval", "date": "2026-03-05"}),
        )
        .problem(StatusCode::CONFLICT)
        .await;
    assert_eq!(again["allowed"], json!(["pre_approval"]));
    for (milestone, date) in [
        ("pre_approval", "2026-03-09"),
        ("visa_issued", "2026-04-01"),
    ] {
        reach(&app, &r, &p, milestone, date).await;
    }
    let done = app
        .post(
            &r.counsellor,
            &milestone_path(&p),
            &json!({"milestone": "entered", "date": "2026-05-04"}),
        )
        .if_match(6)
        .ok()
        .await;
    assert_eq!(done["stage"], "entered");
    assert_eq!(done["next_milestone"], json!(null));
    let days: Vec<Value> = done["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["days_since_previous"].clone())
        .collect();
    assert_eq!(
        days,
        [
            json!(null),
            json!(46),
            json!(10),
            json!(7),
            json!(23),
            json!(33)
        ]
    );
    assert_eq!(done["total_days"], 119);
    let finished = app
        .get(
            &r.counsellor,
            &format!(
                "{}?stage=entered",
                under(&r.network, "accelerated-procedures")
            ),
        )
        .ok()
        .await;
    assert_eq!(finished["items"][0]["id"], done["id"]);
    app.get(
        &r.counsellor,
        &format!(
            "{}?stage=arrived",
            under(&r.network, "accelerated-procedures")
        ),
    )
    .problem(StatusCode::BAD_REQUEST)
    .await;
}

/// An accelerated recognition procedure of a seeker of the coordinating organisation,
/// submitted on 2026-03-02, receipt confirmed, documents complete on 2026-03-31.
async fn accelerated_recognition(app: &TestApp, r: &Region) -> Value {
    let seeker = app.seeker(&r.counsellor).create().await;
    let nursing = app.qualification(&r.counsellor, &seeker).create().await;
    let p = app
        .procedure(&r.counsellor, &nursing)
        .submitted_on("2026-03-02")
        .accelerated(true)
        .create()
        .await;
    app.advance(&r.counsellor, &p, "confirm_receipt", "2026-03-09")
        .await;
    app.advance(&r.counsellor, &p, "complete_documents", "2026-03-31")
        .await
}

async fn the_link_shows_the_accelerated_recognition_deadlines(app: TestApp) {
    let r = region(&app, "DE-BE").await;
    let recognition = accelerated_recognition(&app, &r).await;
    let p = start(&app, &r, json!({"procedure_id": id(&recognition)})).await;
    assert_eq!(p["seeker_id"], recognition["seeker_id"]);
    let link = &p["recognition_procedure"];
    assert_eq!(link["accelerated"], true);
    // § 14a BQFG: two weeks to confirm receipt, two months to decide.
    assert_eq!(link["receipt_due_on"], "2026-03-16");
    assert_eq!(link["decision_due_on"], "2026-05-31");
    assert_eq!(link["decision_due_effective_on"], "2026-06-01");

    reach(&app, &r, &p, "agreement_signed", "2026-03-01").await;
    let early = app
        .post(
            &r.counsellor,
            &milestone_path(&p),
            &json!({"milestone": "recognition_decided", "date": "2026-05-20"}),
        )
        .problem(StatusCode::CONFLICT)
        .await;
    assert_eq!(early["type"], "urn:iqnet:problem:recognition-not-decided");
    let decide = json!({"action": "decide", "date": "2026-05-20",
                        "decision": {"decision": "full_equivalence"}});
    app.step(&r.counsellor, &recognition, decide).await;
    let decided = reach(&app, &r, &p, "recognition_decided", "2026-05-20").await;
    assert_eq!(decided["recognition_procedure"]["decided_on"], "2026-05-20");
    assert_eq!(decided["milestones"][1]["days_since_previous"], 80);

    let seeker = json!({"id": recognition["seeker_id"]});
    let journey = app.journey(&r.counsellor, &seeker).ok().await;
    let events: Vec<&str> = journey["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    for step in [
        "accelerated_procedure_started",
        "accelerated_agreement_signed",
        "accelerated_recognition_decided",
    ] {
        assert!(events.contains(&step), "{step} in {events:?}");
    }
}

async fn only_an_accelerated_recognition_procedure_is_linked(app: TestApp) {
    let r = region(&app, "DE-BE").await;
    let seeker = app.seeker(&r.counsellor).create().await;
    let nursing = app.qualification(&r.counsellor, &seeker).create().await;
    let normal = app.procedure(&r.counsellor, &nursing).create().await;
    let body = json!({"company_id": id(&r.company), "target_title": "18a",
                      "procedure_id": id(&normal)});
    let error = app
        .post(
            &r.counsellor,
            &under(&r.network, "accelerated-procedures"),
            &body,
        )
        .invalid()
        .await;
    assert_eq!(
        (error["field"].clone(), error["code"].clone()),
        (json!("procedure_id"), json!("not_accelerated"))
    );
    let unknown_title = json!({"company_id": id(&r.company), "target_title": "20"});
    app.post(
        &r.counsellor,
        &under(&r.network, "accelerated-procedures"),
        &unknown_title,
    )
    .invalid()
    .await;
}
