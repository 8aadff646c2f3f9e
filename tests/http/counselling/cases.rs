//! Counselling cases: opened for a seeker, started by the first session, closed with an outcome.

use serde_json::json;

use crate::support::TestApp;
use crate::support::builders::today;

trials! {
    backends:
        the_first_session_starts_a_case,
        a_case_is_closed_with_an_outcome_and_then_allows_nothing,
        a_case_cannot_be_closed_without_an_outcome;
}

async fn the_first_session_starts_a_case(app: TestApp) {
    let (_, token) = app.counsellor("DE-BE").await;
    let seeker = app.seeker(&token).consents(["counselling"]).create().await;
    let case = app.case(&token, &seeker).create().await;
    assert_eq!(case["state"], "open");

    app.session(&token, &case).create().await;

    let in_progress = app.get_case(&token, &case).ok().await;
    assert_eq!(
        in_progress["state"], "in_progress",
        "the first session starts the case"
    );
}

async fn a_case_is_closed_with_an_outcome_and_then_allows_nothing(app: TestApp) {
    let (_, token) = app.counsellor("DE-BE").await;
    let seeker = app.seeker(&token).create().await;
    let case = app
        .case(&token, &seeker)
        .opened_on("2026-01-05")
        .create()
        .await;
    app.session(&token, &case)
        .held_on("2026-01-05")
        .create()
        .await;

    let closed = super::close_with_an_outcome(&app, &token, &case).await;

    assert_eq!(closed["state"], "closed");
}

async fn a_case_cannot_be_closed_without_an_outcome(app: TestApp) {
    let (_, token) = app.counsellor("DE-BE").await;
    let seeker = app.seeker(&token).create().await;
    let case = app
        .case(&token, &seeker)
        .access_route("internet")
        .create()
        .await;

    let error = app
        .case_action(&token, &case, &json!({"action": "close", "date": today()}))
        .invalid()
        .await;

    assert_eq!(error["field"], "outcome");
}
