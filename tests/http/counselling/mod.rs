//! Priority area 1 through HTTP, one file per resource: the advice-centre directory, advice
//! seekers, counselling cases and sessions, short contacts, what monitoring counts of a case,
//! recognition procedures with their legal deadlines, referrals and consent, a seeker's journey,
//! and who may access it (tenancy and the audit log).

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::builders::{Draft, Seeker};

mod access;
mod cases;
mod centres;
mod deadlines;
mod follow_ups;
mod journey;
mod monitoring;
mod procedures;
mod referrals;
mod seekers;
mod sessions;
mod short_contacts;

pub(crate) fn trials() -> Vec<libtest_mimic::Trial> {
    [
        centres::trials(),
        seekers::trials(),
        cases::trials(),
        sessions::trials(),
        short_contacts::trials(),
        monitoring::trials(),
        procedures::trials(),
        deadlines::trials(),
        follow_ups::trials(),
        referrals::trials(),
        journey::trials(),
        access::trials(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A counsellor of a new centre in `state` with a seeker `code` who holds a qualification from
/// `country` for `occupation`; returns `(counsellor token, seeker, qualification)`.
async fn qualified_seeker(
    app: &TestApp,
    state: &str,
    code: &str,
    (country, occupation): (&str, &str),
) -> (String, Value, Value) {
    let (_, token) = app.counsellor(state).await;
    let seeker = app.seeker(&token).code(code).create().await;
    let qualification = app
        .qualification(&token, &seeker)
        .from(country, occupation)
        .create()
        .await;
    (token, seeker, qualification)
}

/// Olena, who consents to sharing her data with referrals; registered with few details.
fn olena<'a>(app: &'a TestApp, token: &str) -> Draft<'a, Seeker> {
    app.seeker(token)
        .code("ST-1")
        .nationalities(["UA"])
        .minimal()
        .name("Olena K.")
        .email("olena@example.org")
        .consents(["sharing_with_referrals"])
}

/// Closes the case with a recommended qualification and asserts that nothing is left to do.
async fn close_with_an_outcome(app: &TestApp, token: &str, case: &Value) -> Value {
    let closed = app
        .case_action(
            token,
            case,
            &json!({"action": "close", "outcome": "qualification_recommended", "date": "2026-05-04"}),
        )
        .ok()
        .await;
    assert_eq!(closed["state"], "closed");
    assert_eq!(closed["allowed_actions"], json!([]));
    closed
}
