//! Employer consultations: inquiry -> in_progress -> referred | closed, referrals to network
//! members who record their answers, and who sees the company and the worker concerned.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{Region, organisation, region, under};
use crate::support::TestApp;
use crate::support::app::items;
use crate::support::builders::today;
use crate::support::call::id;

trials! {
    backends:
        a_consultation_is_referred_to_a_member_who_answers,
        illegal_actions_are_conflicts_naming_the_allowed_ones,
        a_retried_inquiry_is_recorded_once,
        a_named_worker_is_shown_to_a_referred_member_only_with_consent,
        only_members_are_referred_and_only_companies_consult;
}

fn inquiry(company: &Value) -> Value {
    json!({"company_id": id(company), "topics": ["accelerated_procedure", "recognition"],
           "target_occupations": ["81302"], "countries": ["PH", "IN"], "posts": 5,
           "received_on": today()})
}

fn act_path(c: &Value) -> String {
    format!("/v1/employer-consultations/{}/actions", id(c))
}

/// A consultation of the region's coordinator, started and referred to the authority.
async fn referred(app: &TestApp, r: &Region, body: Value) -> Value {
    let c = app
        .post(&r.counsellor, &under(&r.network, "consultations"), &body)
        .created()
        .await;
    app.post(&r.counsellor, &act_path(&c), &json!({"action": "start"}))
        .ok()
        .await;
    let refer = json!({"action": "refer", "to_organisation_id": id(&r.authority),
                       "service": "foreigners_authority", "date": today()});
    app.post(&r.counsellor, &act_path(&c), &refer).ok().await
}

async fn a_consultation_is_referred_to_a_member_who_answers(app: TestApp) {
    let r = region(&app, "DE-BE").await;
    let c = app
        .post(
            &r.counsellor,
            &under(&r.network, "consultations"),
            &inquiry(&r.company),
        )
        .created()
        .await;
    assert_eq!(c["state"], "inquiry");
    assert_eq!(c["organisation_id"], r.coordinator["id"]);
    assert_eq!(c["countries"], json!(["IN", "PH"]));
    // Not referred yet: the authority does not see it.
    let path = format!("/v1/employer-consultations/{}", id(&c));
    app.get(&r.authority_staff, &path)
        .problem(StatusCode::NOT_FOUND)
        .await;

    let c = referred(&app, &r, inquiry(&r.company)).await;
    assert_eq!(c["state"], "referred");
    assert_eq!(
        c["allowed_actions"],
        json!(["refer", "record_answer", "close"])
    );
    let referral = c["referrals"][0].clone();
    assert_eq!(referral["to_organisation_id"], r.authority["id"]);

    let seen = app
        .get(
            &r.authority_staff,
            &format!("/v1/employer-consultations/{}", id(&c)),
        )
        .ok()
        .await;
    assert_eq!(seen["company_id"], r.company["id"]);
    let listed = app
        .get(&r.authority_staff, &under(&r.network, "consultations"))
        .ok()
        .await;
    assert_eq!(items(&listed).len(), 1);

    let answer = json!({"action": "record_answer", "referral_id": referral["id"],
                        "answer": "Vorabzustimmung möglich", "date": today()});
    // The answer is the referred member's to give.
    app.post(&r.counsellor, &act_path(&c), &answer)
        .problem(StatusCode::FORBIDDEN)
        .await;
    let answered = app
        .post(&r.authority_staff, &act_path(&c), &answer)
        .ok()
        .await;
    assert_eq!(
        answered["referrals"][0]["answer"],
        "Vorabzustimmung möglich"
    );
    // Closing is the consulting organisation's.
    let close = json!({"action": "close", "date": today()});
    app.post(&r.authority_staff, &act_path(&c), &close)
        .problem(StatusCode::FORBIDDEN)
        .await;
    let closed = app.post(&r.counsellor, &act_path(&c), &close).ok().await;
    assert_eq!(closed["state"], "closed");
    assert_eq!(closed["version"], 5);
}

async fn illegal_actions_are_conflicts_naming_the_allowed_ones(app: TestApp) {
    let r = region(&app, "DE-BE").await;
    let c = app
        .post(
            &r.counsellor,
            &under(&r.network, "consultations"),
            &inquiry(&r.company),
        )
        .created()
        .await;
    let refer = json!({"action": "refer", "to_organisation_id": id(&r.authority),
                       "service": "employer_service", "date": today()});
    let problem = app
        .post(&r.counsellor, &act_path(&c), &refer)
        .problem(StatusCode::CONFLICT)
        .await;
    assert_eq!(problem["allowed"], json!(["start", "close"]));
    app.post(&r.counsellor, &act_path(&c), &json!({"action": "start"}))
        .if_match(2)
        .problem(StatusCode::PRECONDITION_FAILED)
        .await;
    let unchanged = app
        .get(
            &r.counsellor,
            &format!("/v1/employer-consultations/{}", id(&c)),
        )
        .ok()
        .await;
    assert_eq!(
        (unchanged["state"].clone(), unchanged["version"].clone()),
        (json!("inquiry"), json!(1))
    );
}

async fn a_named_worker_is_shown_to_a_referred_member_only_with_consent(app: TestApp) {
    let r = region(&app, "DE-BE").await;
    let private = app.seeker(&r.counsellor).create().await;
    let sharing = app
        .seeker(&r.counsellor)
        .consents(["sharing_with_referrals"])
        .create()
        .await;
    for (seeker, shown) in [(&private, false), (&sharing, true)] {
        let mut body = inquiry(&r.company);
        body["seeker_id"] = seeker["id"].clone();
        let c = referred(&app, &r, body).await;
        assert_eq!(c["seeker_id"], seeker["id"]);
        let seen = app
            .get(
                &r.authority_staff,
                &format!("/v1/employer-consultations/{}", id(&c)),
            )
            .ok()
            .await;
        let expected = if shown {
            seeker["id"].clone()
        } else {
            json!(null)
        };
        assert_eq!(seen["seeker_id"], expected);
    }
    // A seeker of another organisation cannot be named.
    let (_, elsewhere) = app.counsellor("DE-BE").await;
    let stranger = app.seeker(&elsewhere).create().await;
    let mut body = inquiry(&r.company);
    body["seeker_id"] = stranger["id"].clone();
    let error = app
        .post(&r.counsellor, &under(&r.network, "consultations"), &body)
        .invalid()
        .await;
    assert_eq!(error["field"], "seeker_id");
}

async fn only_members_are_referred_and_only_companies_consult(app: TestApp) {
    let r = region(&app, "DE-BE").await;
    let outsider = organisation(&app, "Jobcenter", "jobcenter", "DE-BE").await;
    let c = app
        .post(
            &r.counsellor,
            &under(&r.network, "consultations"),
            &inquiry(&r.company),
        )
        .created()
        .await;
    app.post(&r.counsellor, &act_path(&c), &json!({"action": "start"}))
        .ok()
        .await;
    let refer = json!({"action": "refer", "to_organisation_id": id(&outsider),
                       "service": "employer_service", "date": today()});
    let error = app
        .post(&r.counsellor, &act_path(&c), &refer)
        .invalid()
        .await;
    assert_eq!(error["field"], "to_organisation_id");
    let error = app
        .post(
            &r.counsellor,
            &under(&r.network, "consultations"),
            &inquiry(&outsider),
        )
        .invalid()
        .await;
    assert_eq!(error["code"], "not_a_company");
    let mut body = inquiry(&r.company);
    body["target_occupations"] = json!(["99994"]);
    let error = app
        .post(&r.counsellor, &under(&r.network, "consultations"), &body)
        .invalid()
        .await;
    assert_eq!(error["field"], "target_occupations[0]");
}

async fn a_retried_inquiry_is_recorded_once(app: TestApp) {
    let r = region(&app, "DE-BE").await;
    let path = under(&r.network, "consultations");
    let first = app
        .post(&r.counsellor, &path, &inquiry(&r.company))
        .idempotency_key("inquiry-1")
        .created()
        .await;
    let res = app
        .post(&r.counsellor, &path, &inquiry(&r.company))
        .idempotency_key("inquiry-1")
        .send()
        .await;
    assert_eq!(res.headers()["idempotent-replayed"], "true");
    let replayed: Value = res.json().await.unwrap();
    assert_eq!(replayed["id"], first["id"]);
    let page = app.get(&r.counsellor, &path).ok().await;
    assert_eq!(items(&page).len(), 1);
}
