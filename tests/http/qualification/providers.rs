//! The measure's provider and an enrolment: it runs the participation (start, complete), sees
//! who the person is only while the seeker consents to sharing, and another provider's trainer
//! finds nothing.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{act, open_measure, provider};
use crate::support::TestApp;
use crate::support::app::items;
use crate::support::call::id;

trials! {
    backends:
        the_provider_runs_a_participation_to_a_successful_exit,
        the_provider_learns_who_enrolled_only_with_consent,
        a_trainer_of_another_provider_gets_404,
        employment_is_recorded_six_months_after_the_exit;
}

async fn enrolled(app: &TestApp, token: &str, measure: &Value, seeker: &Value) -> Value {
    let path = format!("/v1/measures/{}/enrolments", id(measure));
    app.post(
        token,
        &path,
        &json!({"seeker_id": id(seeker), "funding": "job_centre"}),
    )
    .created()
    .await
}

async fn the_provider_runs_a_participation_to_a_successful_exit(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-BE").await;
    let (_, counsellor) = app.counsellor("DE-BE").await;
    let measure = open_measure(&app, &trainer, json!({})).await;
    let seeker = app.seeker(&counsellor).create().await;
    let enrolment = enrolled(&app, &counsellor, &measure, &seeker).await;
    let path = format!("/v1/enrolments/{}/actions", id(&enrolment));

    let early = app
        .post(&trainer, &path, &json!({"action": "start"}))
        .problem(StatusCode::CONFLICT)
        .await;
    assert_eq!(early["type"], "urn:iqnet:problem:measure-not-running");
    act(&app, &trainer, &measure, "start").await;
    let active = app
        .post(&trainer, &path, &json!({"action": "start"}))
        .ok()
        .await;
    assert_eq!(active["state"], "active");
    let done = app
        .post(
            &trainer,
            &path,
            &json!({"action": "complete", "result": "full_recognition", "date": "2026-11-20"}),
        )
        .ok()
        .await;

    assert_eq!(done["state"], "completed_success");
    assert_eq!(done["result"], "full_recognition");
    let seen = app
        .get(&counsellor, &format!("/v1/enrolments/{}", id(&enrolment)))
        .ok()
        .await;
    assert_eq!(
        seen["state"], "completed_success",
        "the counsellor sees the exit"
    );
    assert_eq!(seen["seeker_id"], seeker["id"]);
}

async fn the_provider_learns_who_enrolled_only_with_consent(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-BE").await;
    let (_, counsellor) = app.counsellor("DE-BE").await;
    let measure = open_measure(&app, &trainer, json!({})).await;
    let sharing = app
        .seeker(&counsellor)
        .consents(["sharing_with_referrals"])
        .create()
        .await;
    let private = app.seeker(&counsellor).create().await;
    enrolled(&app, &counsellor, &measure, &sharing).await;
    enrolled(&app, &counsellor, &measure, &private).await;

    let list = format!("/v1/measures/{}/enrolments", id(&measure));
    let page = app.get(&trainer, &list).ok().await;

    let shown: Vec<Value> = items(&page)
        .iter()
        .map(|e| e["seeker_id"].clone())
        .collect();
    assert_eq!(shown, [sharing["id"].clone(), json!(null)]);
    let log = format!("/v1/advice-seekers/{}/audit-log?limit=500", id(&private));
    let entries = app.get(app.admin(), &log).ok().await;
    assert!(
        !items(&entries)
            .iter()
            .any(|e| e["resource"] == "enrolment" && e["action"] == "read"),
        "nothing of the private seeker was shown, so nothing was read"
    );
    let log = format!("/v1/advice-seekers/{}/audit-log?limit=500", id(&sharing));
    let entries = app.get(app.admin(), &log).ok().await;
    assert!(
        items(&entries).iter().any(|e| e["resource"] == "enrolment"
            && e["action"] == "read"
            && e["actor_role"] == "trainer"),
        "{entries:?}"
    );
}

async fn a_trainer_of_another_provider_gets_404(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-BE").await;
    let (_, other) = provider(&app, "DE-BE").await;
    let (_, counsellor) = app.counsellor("DE-BE").await;
    let measure = open_measure(&app, &trainer, json!({})).await;
    let seeker = app.seeker(&counsellor).create().await;
    let enrolment = enrolled(&app, &counsellor, &measure, &seeker).await;

    let path = format!("/v1/enrolments/{}", id(&enrolment));
    app.get(&other, &path).problem(StatusCode::NOT_FOUND).await;
    app.post(
        &other,
        &format!("{path}/actions"),
        &json!({"action": "drop_out", "date": "2026-11-20"}),
    )
    .problem(StatusCode::NOT_FOUND)
    .await;
    let list = format!("/v1/measures/{}/enrolments", id(&measure));
    app.get(&other, &list).problem(StatusCode::NOT_FOUND).await;
    let unchanged = app.get(&trainer, &path).ok().await;
    assert_eq!(unchanged["state"], "admitted");
}

async fn employment_is_recorded_six_months_after_the_exit(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-BE").await;
    let (_, counsellor) = app.counsellor("DE-BE").await;
    let measure = open_measure(&app, &trainer, json!({})).await;
    let seeker = app.seeker(&counsellor).create().await;
    let enrolment = enrolled(&app, &counsellor, &measure, &seeker).await;
    act(&app, &trainer, &measure, "start").await;
    let path = format!("/v1/enrolments/{}/actions", id(&enrolment));
    app.post(&trainer, &path, &json!({"action": "start"}))
        .ok()
        .await;
    let exit = json!({"action": "complete", "result": "exam_passed", "date": "2026-01-10"});
    let done = app.post(&trainer, &path, &exit).ok().await;
    assert_eq!(done["allowed_actions"], json!(["record_employment"]));

    let early =
        json!({"action": "record_employment", "employment": "adequate", "date": "2026-07-09"});
    let error = app.post(&counsellor, &path, &early).invalid().await;
    assert_eq!(
        (error["field"].clone(), error["code"].clone()),
        (json!("date"), json!("too_early"))
    );
    let record =
        json!({"action": "record_employment", "employment": "adequate", "date": "2026-07-10"});
    let recorded = app.post(&counsellor, &path, &record).ok().await;

    assert_eq!(recorded["employment_after"], "adequate");
    assert_eq!(recorded["employment_recorded_on"], "2026-07-10");
    assert_eq!(recorded["allowed_actions"], json!([]));
    app.post(&counsellor, &path, &record)
        .problem(StatusCode::CONFLICT)
        .await;
}
