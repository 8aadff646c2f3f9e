//! Priority area 1 through HTTP: the advice-centre directory, a seeker's journey, recognition
//! procedures with their legal deadlines, referrals and consent, tenancy and the audit log.

use chrono::{Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, expect_json, expect_problem};

trials! {
    backends:
        the_directory_is_public_and_searchable,
        a_seekers_whole_journey_is_recorded_in_time_order,
        every_legal_procedure_transition_and_a_rejected_illegal_one,
        non_cooperation_needs_a_warning_and_decisions_follow_regulation,
        due_dates_follow_the_bqfg_for_normal_accelerated_suspended_and_extended_procedures,
        the_overdue_filter_lists_procedures_whose_authority_is_late,
        referred_organisations_see_the_seeker_only_while_consent_stands,
        another_organisations_counsellor_gets_404_and_access_is_audited,
        counselling_resources_follow_the_conventions,
        hostile_input_is_refused_with_4xx,
        replays_do_not_keep_personal_data;
}

/// An organisation with a counsellor; returns `(organisation, counsellor token)`.
async fn centre_staff(app: &TestApp, state: &str) -> (Value, String) {
    let org = app.organisation("Beratungszentrum", state).await;
    let (_, token) = app.user("counsellor", org["id"].as_str()).await;
    (org, token)
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    app.req(token, Method::POST, path)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn created(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    expect_json(post(app, token, path, body).await, StatusCode::CREATED).await
}

async fn seeker(app: &TestApp, token: &str, code: &str, consents: Value) -> Value {
    created(
        app,
        token,
        "/v1/advice-seekers",
        json!({"client_code": code, "name": "Amina Haddad", "email": "amina@example.org", "gender": "female",
               "nationalities": ["SY"], "country_of_residence": "DE", "year_of_entry": 2019,
               "residence_title": "18a", "german_level": "b2", "consents": consents}),
    )
    .await
}

async fn qualification(
    app: &TestApp,
    token: &str,
    seeker: &Value,
    country: &str,
    occupation: &str,
) -> Value {
    let path = format!(
        "/v1/advice-seekers/{}/qualifications",
        seeker["id"].as_str().unwrap()
    );
    created(
        app,
        token,
        &path,
        json!({"kind": "academic", "title": "Nursing", "country": country, "year_acquired": 2014,
                                      "dqr_level": 6, "reference_occupation": occupation}),
    )
    .await
}

async fn procedure(
    app: &TestApp,
    token: &str,
    qualification: &Value,
    submitted_on: &str,
    accelerated: bool,
) -> Value {
    created(app, token, "/v1/recognition-procedures",
        json!({"qualification_id": qualification["id"], "submitted_on": submitted_on, "accelerated": accelerated})).await
}

async fn act(app: &TestApp, token: &str, procedure: &Value, action: Value) -> reqwest::Response {
    post(
        app,
        token,
        &format!(
            "/v1/recognition-procedures/{}/actions",
            procedure["id"].as_str().unwrap()
        ),
        action,
    )
    .await
}

async fn step(app: &TestApp, token: &str, procedure: &Value, action: Value) -> Value {
    expect_json(act(app, token, procedure, action).await, StatusCode::OK).await
}

fn days_ago(n: i64) -> String {
    (Utc::now().date_naive() - Duration::days(n)).to_string()
}

async fn the_directory_is_public_and_searchable(app: TestApp) {
    let (_, token) = centre_staff(&app, "DE-SN").await;
    let centre = |name: &str,
                  state: &str,
                  postcode: &str,
                  city: &str,
                  languages: Value,
                  formats: Value| {
        json!({"name": name, "kind": "fixed", "state": state, "postcode": postcode, "city": city,
               "languages": languages, "formats": formats, "opening_hours": "Mon-Thu 9-16"})
    };
    let leipzig = created(
        &app,
        &token,
        "/v1/advice-centres",
        centre(
            "IQ Leipzig",
            "DE-SN",
            "04109",
            "Leipzig",
            json!(["de", "ar"]),
            json!(["in_person", "video"]),
        ),
    )
    .await;
    let dresden = created(
        &app,
        &token,
        "/v1/advice-centres",
        centre(
            "IQ Dresden",
            "DE-SN",
            "01067",
            "Dresden",
            json!(["de", "uk"]),
            json!(["phone"]),
        ),
    )
    .await;
    let berlin = created(&app, app.admin(), "/v1/advice-centres",
        json!({"organisation_id": dresden["organisation_id"], "name": "IQ Berlin", "kind": "mobile", "state": "DE-BE",
               "postcode": "10115", "city": "Berlin", "languages": ["de", "ar", "fa"], "formats": ["in_person"]})).await;

    let search = |query: &'static str| {
        let app = &app;
        async move {
            let page = expect_json(
                app.anon(Method::GET, &format!("/v1/advice-centres?{query}"))
                    .send()
                    .await
                    .unwrap(),
                StatusCode::OK,
            )
            .await;
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(search("").await, ["IQ Leipzig", "IQ Dresden", "IQ Berlin"]);
    assert_eq!(search("state=DE-SN").await, ["IQ Leipzig", "IQ Dresden"]);
    assert_eq!(
        search("city=leip").await,
        ["IQ Leipzig"],
        "city prefix, any case"
    );
    assert_eq!(search("postcode=0").await, ["IQ Leipzig", "IQ Dresden"]);
    assert_eq!(search("postcode=041").await, ["IQ Leipzig"]);
    assert_eq!(search("language=ar").await, ["IQ Leipzig", "IQ Berlin"]);
    assert_eq!(search("language=fa&format=in_person").await, ["IQ Berlin"]);
    assert_eq!(search("format=video").await, ["IQ Leipzig"]);
    assert_eq!(
        search("language=uk&state=DE-BE").await,
        Vec::<String>::new()
    );
    assert_eq!(
        search("city=%25").await,
        Vec::<String>::new(),
        "a wildcard is a literal character"
    );
    for bad in [
        "language=arabic",
        "postcode=abc",
        "format=pigeon",
        "state=DE-XX",
        "near=me",
    ] {
        expect_problem(
            app.anon(Method::GET, &format!("/v1/advice-centres?{bad}"))
                .send()
                .await
                .unwrap(),
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    let one = expect_json(
        app.anon(
            Method::GET,
            &format!("/v1/advice-centres/{}", leipzig["id"].as_str().unwrap()),
        )
        .send()
        .await
        .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(one["languages"], json!(["de", "ar"]));
    assert_eq!(berlin["kind"], "mobile");

    // Another organisation's counsellor may not edit the centre.
    let (_, other) = centre_staff(&app, "DE-HH").await;
    let res = app
        .req(
            &other,
            Method::PATCH,
            &format!("/v1/advice-centres/{}", leipzig["id"].as_str().unwrap()),
        )
        .json(&json!({"name": "Mine"}))
        .send()
        .await
        .unwrap();
    expect_problem(res, StatusCode::FORBIDDEN).await;
}

async fn a_seekers_whole_journey_is_recorded_in_time_order(app: TestApp) {
    let (_, token) = centre_staff(&app, "DE-BE").await;
    let provider = app.organisation("Brückenmaßnahmen GmbH", "DE-BE").await;
    let amina = seeker(
        &app,
        &token,
        "B-1",
        json!(["counselling", "sharing_with_referrals"]),
    )
    .await;
    assert_eq!(amina["consents"].as_array().unwrap().len(), 2);
    let nursing = qualification(&app, &token, &amina, "SY", "81302").await;
    assert_eq!(
        nursing["regulated"], true,
        "follows from the reference occupation"
    );
    assert_eq!(nursing["competent_authority_kind"], "state_authority");

    let case = created(&app, &token, "/v1/counselling-cases",
        json!({"seeker_id": amina["id"], "kind": "both", "access_route": "jobcenter", "opened_on": "2026-01-05"})).await;
    assert_eq!(case["state"], "open");
    let case_path = format!("/v1/counselling-cases/{}", case["id"].as_str().unwrap());
    created(
        &app,
        &token,
        &format!("{case_path}/sessions"),
        json!({"kind": "first", "format": "in_person", "held_on": "2026-01-05",
        "duration_minutes": 60, "language": "ar", "topics": ["procedure", "documents"]}),
    )
    .await;
    let in_progress = expect_json(
        app.req(&token, Method::GET, &case_path)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        in_progress["state"], "in_progress",
        "the first session starts the case"
    );

    let p = created(&app, &token, "/v1/recognition-procedures",
        json!({"qualification_id": nursing["id"], "case_id": case["id"], "submitted_on": "2026-01-20", "authority_name": "LAGeSo Berlin"})).await;
    step(
        &app,
        &token,
        &p,
        json!({"action": "confirm_receipt", "date": "2026-02-02"}),
    )
    .await;
    step(
        &app,
        &token,
        &p,
        json!({"action": "complete_documents", "date": "2026-02-16"}),
    )
    .await;
    let decided = step(&app, &token, &p, json!({"action": "decide", "date": "2026-04-20", "decision": {"decision": "compensation_required",
        "substantial_differences": ["practical hours in geriatric care"], "compensation": "knowledge_test"}})).await;
    assert_eq!(decided["state"], "decided");
    created(
        &app,
        &token,
        "/v1/referrals",
        json!({"case_id": case["id"], "to_organisation_id": provider["id"],
        "reason": "preparation for the knowledge test", "sent_on": "2026-04-27"}),
    )
    .await;
    created(
        &app,
        &token,
        &format!("{case_path}/sessions"),
        json!({"kind": "follow_up", "format": "video", "held_on": "2026-04-27",
        "duration_minutes": 30, "language": "de", "topics": ["decision", "qualification"]}),
    )
    .await;
    let closed = expect_json(
        post(
            &app,
            &token,
            &format!("{case_path}/actions"),
            json!({"action": "close", "outcome": "qualification_recommended", "date": "2026-05-04"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(closed["state"], "closed");
    assert_eq!(closed["allowed_actions"], json!([]));

    let journey = expect_json(
        app.req(
            &token,
            Method::GET,
            &format!(
                "/v1/advice-seekers/{}/journey",
                amina["id"].as_str().unwrap()
            ),
        )
        .send()
        .await
        .unwrap(),
        StatusCode::OK,
    )
    .await;
    let events: Vec<(String, String)> = journey["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["date"].as_str().unwrap().to_owned(),
                e["event"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let names: Vec<&str> = events.iter().map(|(_, e)| e.as_str()).collect();
    // The case's steps were dated in the past; registration and the qualification happened today.
    assert_eq!(
        names,
        [
            "case_opened",
            "session_held",
            "procedure_submitted",
            "procedure_confirm_receipt",
            "procedure_complete_documents",
            "procedure_decide",
            "referral_sent",
            "session_held",
            "case_closed",
            "seeker_registered",
            "qualification_recorded"
        ],
        "{events:?}"
    );
    let dated: Vec<&String> = events.iter().map(|(on, _)| on).collect();
    assert!(
        dated.windows(2).all(|w| w[0] <= w[1]),
        "in time order: {events:?}"
    );
    let decision = journey["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "procedure_decide")
        .unwrap();
    assert_eq!(
        decision["details"]["decision"]["decision"],
        "compensation_required"
    );

    // A case cannot be closed without an outcome.
    let case2 = created(
        &app,
        &token,
        "/v1/counselling-cases",
        json!({"seeker_id": amina["id"], "kind": "recognition", "access_route": "internet"}),
    )
    .await;
    let res = post(
        &app,
        &token,
        &format!(
            "/v1/counselling-cases/{}/actions",
            case2["id"].as_str().unwrap()
        ),
        json!({"action": "close", "date": days_ago(0)}),
    )
    .await;
    assert_eq!(
        expect_problem(res, StatusCode::UNPROCESSABLE_ENTITY).await["errors"][0]["field"],
        "outcome"
    );
}

async fn every_legal_procedure_transition_and_a_rejected_illegal_one(app: TestApp) {
    let (_, token) = centre_staff(&app, "DE-NW").await;
    let s = seeker(&app, &token, "NW-1", json!(["counselling"])).await;
    // Mechanical engineer: not regulated, so partial equivalence is possible.
    let engineer = qualification(&app, &token, &s, "IN", "25104").await;
    let p = procedure(&app, &token, &engineer, "2026-01-05", false).await;
    assert_eq!(p["state"], "submitted");
    assert_eq!(p["allowed_actions"], json!(["confirm_receipt", "withdraw"]));

    // Illegal: a decision before anything else.
    let res = act(
        &app,
        &token,
        &p,
        json!({"action": "appeal", "date": "2026-01-06"}),
    )
    .await;
    let problem = expect_problem(res, StatusCode::CONFLICT).await;
    assert_eq!(problem["type"], "urn:iqnet:problem:invalid-transition");
    assert_eq!(problem["current_state"], "submitted");
    assert_eq!(problem["allowed"], json!(["confirm_receipt", "withdraw"]));

    let walk = [
        (
            json!({"action": "confirm_receipt", "date": "2026-01-12"}),
            "receipt_confirmed",
        ),
        (
            json!({"action": "request_documents", "date": "2026-01-12", "documents": ["certified transcript"]}),
            "documents_requested",
        ),
        (
            json!({"action": "complete_documents", "date": "2026-02-02"}),
            "documents_complete",
        ),
        (
            json!({"action": "request_documents", "date": "2026-02-09", "documents": ["employer reference"]}),
            "documents_requested",
        ),
        (
            json!({"action": "complete_documents", "date": "2026-02-19"}),
            "documents_complete",
        ),
        (
            json!({"action": "start_qualification_analysis", "date": "2026-03-02"}),
            "qualification_analysis",
        ),
        (
            json!({"action": "finish_qualification_analysis", "date": "2026-03-12"}),
            "documents_complete",
        ),
        (
            json!({"action": "extend", "date": "2026-04-01", "months": 2, "reason": "expert opinion needed"}),
            "documents_complete",
        ),
        (
            json!({"action": "decide", "date": "2026-05-04", "decision": {"decision": "partial_equivalence", "substantial_differences": ["no thermodynamics module"]}}),
            "decided",
        ),
        (
            json!({"action": "appeal", "date": "2026-05-18"}),
            "appealed",
        ),
        (
            json!({"action": "decide", "date": "2026-07-01", "decision": {"decision": "full_equivalence"}}),
            "decided",
        ),
    ];
    let mut last = p.clone();
    for (action, expected) in walk {
        let name = action["action"].clone();
        last = step(&app, &token, &p, action).await;
        assert_eq!(last["state"], expected, "after {name}");
    }
    assert_eq!(
        last["suspended_days"], 20,
        "10 days of documents requested after completion, 10 of analysis"
    );
    assert_eq!(last["extension_months"], 2);
    assert_eq!(last["decision"]["decision"], "full_equivalence");
    assert_eq!(last["history"].as_array().unwrap().len(), 11);
    // Full equivalence leaves nothing to appeal.
    let res = act(
        &app,
        &token,
        &p,
        json!({"action": "appeal", "date": "2026-07-02"}),
    )
    .await;
    expect_problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;

    // Withdrawal ends a procedure for good.
    let q = procedure(&app, &token, &engineer, "2026-02-01", false).await;
    let withdrawn = step(
        &app,
        &token,
        &q,
        json!({"action": "withdraw", "date": "2026-02-03"}),
    )
    .await;
    assert_eq!(withdrawn["state"], "withdrawn");
    assert_eq!(withdrawn["allowed_actions"], json!([]));
    let problem = expect_problem(
        act(
            &app,
            &token,
            &q,
            json!({"action": "confirm_receipt", "date": "2026-02-04"}),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(problem["allowed"], json!([]));
    // Steps are dated in order.
    let r = procedure(&app, &token, &engineer, "2026-03-01", false).await;
    let res = act(
        &app,
        &token,
        &r,
        json!({"action": "confirm_receipt", "date": "2026-02-27"}),
    )
    .await;
    assert_eq!(
        expect_problem(res, StatusCode::UNPROCESSABLE_ENTITY).await["errors"][0]["field"],
        "date"
    );
    let future = (Utc::now().date_naive() + Duration::days(3)).to_string();
    let res = act(
        &app,
        &token,
        &r,
        json!({"action": "confirm_receipt", "date": future}),
    )
    .await;
    expect_problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
}

async fn non_cooperation_needs_a_warning_and_decisions_follow_regulation(app: TestApp) {
    let (_, token) = centre_staff(&app, "DE-HE").await;
    let s = seeker(&app, &token, "HE-1", json!([])).await;
    let doctor = qualification(&app, &token, &s, "EG", "81404").await;
    let p = procedure(&app, &token, &doctor, "2026-01-05", false).await;
    step(
        &app,
        &token,
        &p,
        json!({"action": "confirm_receipt", "date": "2026-01-10"}),
    )
    .await;
    step(&app, &token, &p, json!({"action": "request_documents", "date": "2026-01-10", "documents": ["diploma supplement"]})).await;
    let res = act(
        &app,
        &token,
        &p,
        json!({"action": "reject_non_cooperation", "date": "2026-03-01"}),
    )
    .await;
    assert_eq!(
        expect_problem(res, StatusCode::UNPROCESSABLE_ENTITY).await["errors"][0]["code"],
        "warning_required"
    );
    step(
        &app,
        &token,
        &p,
        json!({"action": "warn_non_cooperation", "date": "2026-03-01"}),
    )
    .await;
    let rejected = step(
        &app,
        &token,
        &p,
        json!({"action": "reject_non_cooperation", "date": "2026-04-01"}),
    )
    .await;
    assert_eq!(rejected["state"], "rejected_non_cooperation");

    // A regulated occupation: no partial equivalence; compensation needs its measure.
    let q = procedure(&app, &token, &doctor, "2026-02-01", false).await;
    step(
        &app,
        &token,
        &q,
        json!({"action": "confirm_receipt", "date": "2026-02-05"}),
    )
    .await;
    step(
        &app,
        &token,
        &q,
        json!({"action": "complete_documents", "date": "2026-02-10"}),
    )
    .await;
    let partial = json!({"action": "decide", "date": "2026-03-01", "decision": {"decision": "partial_equivalence", "substantial_differences": ["x"]}});
    assert_eq!(
        expect_problem(
            act(&app, &token, &q, partial).await,
            StatusCode::UNPROCESSABLE_ENTITY
        )
        .await["errors"][0]["field"],
        "decision.decision"
    );
    let no_measure = json!({"action": "decide", "date": "2026-03-01", "decision": {"decision": "compensation_required", "substantial_differences": ["pharmacology"]}});
    let problem = expect_problem(
        act(&app, &token, &q, no_measure).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(
        problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == "decision.compensation"),
        "{problem}"
    );
    let decided = step(&app, &token, &q, json!({"action": "decide", "date": "2026-03-01", "decision": {"decision": "compensation_required",
        "substantial_differences": ["pharmacology"], "compensation": "knowledge_test", "language_exam_required": true}})).await;
    assert_eq!(decided["decision"]["compensation"], "knowledge_test");
}

async fn due_dates_follow_the_bqfg_for_normal_accelerated_suspended_and_extended_procedures(
    app: TestApp,
) {
    let (_, token) = centre_staff(&app, "DE-BY").await;
    let s = seeker(&app, &token, "BY-1", json!([])).await;
    let third_country = qualification(&app, &token, &s, "SY", "81302").await;
    let french = qualification(&app, &token, &s, "FR", "81302").await;

    // Normal: receipt within a month (month end clamps), decision three months after completion.
    let p = procedure(&app, &token, &third_country, "2026-01-31", false).await;
    assert_eq!(p["receipt_due_on"], "2026-02-28");
    assert_eq!(p["decision_due_on"], Value::Null);
    step(
        &app,
        &token,
        &p,
        json!({"action": "confirm_receipt", "date": "2026-02-10"}),
    )
    .await;
    let complete = step(
        &app,
        &token,
        &p,
        json!({"action": "complete_documents", "date": "2026-03-31"}),
    )
    .await;
    assert_eq!(complete["decision_due_on"], "2026-06-30");
    // Suspended for 10 days while documents are requested: 10 days later.
    step(
        &app,
        &token,
        &p,
        json!({"action": "request_documents", "date": "2026-04-10", "documents": ["translation"]}),
    )
    .await;
    let suspended = expect_json(
        app.req(
            &token,
            Method::GET,
            &format!("/v1/recognition-procedures/{}", p["id"].as_str().unwrap()),
        )
        .send()
        .await
        .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(suspended["clock_suspended"], true);
    let resumed = step(
        &app,
        &token,
        &p,
        json!({"action": "complete_documents", "date": "2026-04-20"}),
    )
    .await;
    assert_eq!(resumed["suspended_days"], 10);
    assert_eq!(resumed["decision_due_on"], "2026-07-10");
    // A third-country qualification may be extended by more than a month.
    let extended = step(
        &app,
        &token,
        &p,
        json!({"action": "extend", "date": "2026-05-01", "months": 2, "reason": "complex case"}),
    )
    .await;
    assert_eq!(extended["decision_due_on"], "2026-09-10");
    let res = act(
        &app,
        &token,
        &p,
        json!({"action": "extend", "date": "2026-05-02", "months": 1, "reason": "again"}),
    )
    .await;
    expect_problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;

    // §81a accelerated: two weeks to confirm, two months to decide.
    let fast = procedure(&app, &token, &third_country, "2026-03-02", true).await;
    assert_eq!(fast["receipt_due_on"], "2026-03-16");
    step(
        &app,
        &token,
        &fast,
        json!({"action": "confirm_receipt", "date": "2026-03-09"}),
    )
    .await;
    let fast = step(
        &app,
        &token,
        &fast,
        json!({"action": "complete_documents", "date": "2026-03-31"}),
    )
    .await;
    assert_eq!(fast["decision_due_on"], "2026-05-31");

    // EU/EEA/CH: the extension is at most one month.
    let eu = procedure(&app, &token, &french, "2026-01-15", false).await;
    assert_eq!(eu["eu_eea_ch"], true);
    step(
        &app,
        &token,
        &eu,
        json!({"action": "confirm_receipt", "date": "2026-01-20"}),
    )
    .await;
    step(
        &app,
        &token,
        &eu,
        json!({"action": "complete_documents", "date": "2026-01-30"}),
    )
    .await;
    let res = act(
        &app,
        &token,
        &eu,
        json!({"action": "extend", "date": "2026-02-01", "months": 2, "reason": "x"}),
    )
    .await;
    assert_eq!(
        expect_problem(res, StatusCode::UNPROCESSABLE_ENTITY).await["errors"][0]["field"],
        "months"
    );
    let eu = step(
        &app,
        &token,
        &eu,
        json!({"action": "extend", "date": "2026-02-01", "months": 1, "reason": "expert opinion"}),
    )
    .await;
    assert_eq!(
        eu["decision_due_on"], "2026-05-30",
        "2026-01-30 + 3 months + 1 month"
    );
}

async fn the_overdue_filter_lists_procedures_whose_authority_is_late(app: TestApp) {
    let (_, token) = centre_staff(&app, "DE-NI").await;
    let s = seeker(&app, &token, "NI-1", json!([])).await;
    let q = qualification(&app, &token, &s, "SY", "81302").await;
    let late_receipt = procedure(&app, &token, &q, &days_ago(40), false).await;
    let fresh = procedure(&app, &token, &q, &days_ago(3), false).await;
    let late_decision = procedure(&app, &token, &q, &days_ago(150), false).await;
    step(
        &app,
        &token,
        &late_decision,
        json!({"action": "confirm_receipt", "date": days_ago(140)}),
    )
    .await;
    step(
        &app,
        &token,
        &late_decision,
        json!({"action": "complete_documents", "date": days_ago(120)}),
    )
    .await;
    let suspended = procedure(&app, &token, &q, &days_ago(150), false).await;
    step(
        &app,
        &token,
        &suspended,
        json!({"action": "confirm_receipt", "date": days_ago(140)}),
    )
    .await;
    step(
        &app,
        &token,
        &suspended,
        json!({"action": "complete_documents", "date": days_ago(120)}),
    )
    .await;
    step(
        &app,
        &token,
        &suspended,
        json!({"action": "request_documents", "date": days_ago(100), "documents": ["x"]}),
    )
    .await;

    let list = |query: &'static str| {
        let (app, token) = (&app, &token);
        async move {
            let page = expect_json(
                app.req(
                    token,
                    Method::GET,
                    &format!("/v1/recognition-procedures?{query}"),
                )
                .send()
                .await
                .unwrap(),
                StatusCode::OK,
            )
            .await;
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    (
                        p["id"].as_str().unwrap().to_owned(),
                        p["overdue"].as_bool().unwrap(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let id = |p: &Value| p["id"].as_str().unwrap().to_owned();
    assert_eq!(
        list("overdue=true").await,
        [(id(&late_receipt), true), (id(&late_decision), true)]
    );
    assert_eq!(
        list("overdue=false").await,
        [(id(&fresh), false), (id(&suspended), false)]
    );
    assert_eq!(list("").await.len(), 4);
    // Confirming receipt ends the receipt delay.
    step(
        &app,
        &token,
        &late_receipt,
        json!({"action": "confirm_receipt", "date": days_ago(0)}),
    )
    .await;
    assert_eq!(list("overdue=true").await, [(id(&late_decision), true)]);
}

async fn referred_organisations_see_the_seeker_only_while_consent_stands(app: TestApp) {
    let (_, token) = centre_staff(&app, "DE-HB").await;
    let provider = app.organisation("Brückenkurse Bremen", "DE-HB").await;
    let (_, provider_staff) = app.user("trainer", provider["id"].as_str()).await;
    let (_, provider_counsellor) = app.user("counsellor", provider["id"].as_str()).await;

    let consenting = seeker(
        &app,
        &token,
        "HB-1",
        json!(["counselling", "sharing_with_referrals"]),
    )
    .await;
    let reluctant = seeker(&app, &token, "HB-2", json!(["counselling"])).await;
    qualification(&app, &token, &consenting, "UA", "81302").await;
    let mut referrals = Vec::new();
    for s in [&consenting, &reluctant] {
        let case = created(
            &app,
            &token,
            "/v1/counselling-cases",
            json!({"seeker_id": s["id"], "kind": "qualification", "access_route": "self"}),
        )
        .await;
        referrals.push(created(&app, &token, "/v1/referrals", json!({"case_id": case["id"], "to_organisation_id": provider["id"], "reason": "bridge course"})).await);
    }
    let get = |r: &Value, token: &str| {
        app.req(
            token,
            Method::GET,
            &format!("/v1/referrals/{}", r["id"].as_str().unwrap()),
        )
        .send()
    };

    let with_consent = expect_json(
        get(&referrals[0], &provider_staff).await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(with_consent["seeker"]["client_code"], "HB-1");
    assert_eq!(with_consent["seeker"]["qualifications"][0]["country"], "UA");
    let without = expect_json(
        get(&referrals[1], &provider_staff).await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(without["seeker"], Value::Null);
    assert_eq!(without["status"], "sent");
    // The referring side always sees its own seeker.
    assert_eq!(
        expect_json(get(&referrals[1], &token).await.unwrap(), StatusCode::OK).await["seeker"]["client_code"],
        "HB-2"
    );
    // The receiving organisation never reaches the seeker record itself.
    let res = app
        .req(
            &provider_counsellor,
            Method::GET,
            &format!("/v1/advice-seekers/{}", consenting["id"].as_str().unwrap()),
        )
        .send()
        .await
        .unwrap();
    expect_problem(res, StatusCode::NOT_FOUND).await;

    // Withdrawing consent hides the data again.
    let res = post(
        &app,
        &token,
        &format!(
            "/v1/advice-seekers/{}/consents/sharing_with_referrals/withdrawal",
            consenting["id"].as_str().unwrap()
        ),
        json!({}),
    )
    .await;
    let withdrawn = expect_json(res, StatusCode::OK).await;
    assert!(
        withdrawn["consents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["purpose"] == "sharing_with_referrals" && c["withdrawn_at"].is_string())
    );
    assert_eq!(
        expect_json(
            get(&referrals[0], &provider_staff).await.unwrap(),
            StatusCode::OK
        )
        .await["seeker"],
        Value::Null
    );

    // The receiving organisation answers; the referring one may not.
    let path = format!(
        "/v1/referrals/{}/actions",
        referrals[0]["id"].as_str().unwrap()
    );
    expect_problem(
        post(
            &app,
            &token,
            &path,
            json!({"action": "accept", "date": days_ago(0)}),
        )
        .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let accepted = expect_json(
        post(
            &app,
            &provider_staff,
            &path,
            json!({"action": "accept", "date": days_ago(0)}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(accepted["status"], "accepted");
    let problem = expect_problem(
        post(
            &app,
            &provider_staff,
            &path,
            json!({"action": "decline", "date": days_ago(0)}),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(problem["allowed"], json!(["complete"]));
    // Receiving staff list what was sent to them.
    let page = expect_json(
        app.req(&provider_staff, Method::GET, "/v1/referrals")
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
}

async fn another_organisations_counsellor_gets_404_and_access_is_audited(app: TestApp) {
    let (org, token) = centre_staff(&app, "DE-RP").await;
    let (_, stranger) = centre_staff(&app, "DE-RP").await;
    let s = seeker(&app, &token, "RP-1", json!(["counselling"])).await;
    let q = qualification(&app, &token, &s, "TR", "26212").await;
    let case = created(
        &app,
        &token,
        "/v1/counselling-cases",
        json!({"seeker_id": s["id"], "kind": "recognition", "access_route": "media"}),
    )
    .await;
    let p = procedure(&app, &token, &q, "2026-02-02", false).await;
    let id = |v: &Value| v["id"].as_str().unwrap().to_owned();
    for path in [
        format!("/v1/advice-seekers/{}", id(&s)),
        format!("/v1/advice-seekers/{}/journey", id(&s)),
        format!("/v1/advice-seekers/{}/qualifications", id(&s)),
        format!("/v1/counselling-cases/{}", id(&case)),
        format!("/v1/recognition-procedures/{}", id(&p)),
    ] {
        expect_problem(
            app.req(&stranger, Method::GET, &path).send().await.unwrap(),
            StatusCode::NOT_FOUND,
        )
        .await;
    }
    for path in [
        "/v1/advice-seekers",
        "/v1/counselling-cases",
        "/v1/recognition-procedures",
    ] {
        let page = expect_json(
            app.req(&stranger, Method::GET, path).send().await.unwrap(),
            StatusCode::OK,
        )
        .await;
        assert_eq!(page["items"], json!([]), "{path}");
    }
    let res = act(
        &app,
        &stranger,
        &p,
        json!({"action": "withdraw", "date": days_ago(0)}),
    )
    .await;
    expect_problem(res, StatusCode::NOT_FOUND).await;
    // The network's coordinator sees it; an analyst never does.
    let (_, coordinator) = app.user("network_coordinator", org["id"].as_str()).await;
    expect_json(
        app.req(
            &coordinator,
            Method::GET,
            &format!("/v1/advice-seekers/{}", id(&s)),
        )
        .send()
        .await
        .unwrap(),
        StatusCode::OK,
    )
    .await;
    let (_, analyst) = app.user("analyst", None).await;
    expect_problem(
        app.req(&analyst, Method::GET, "/v1/advice-seekers")
            .send()
            .await
            .unwrap(),
        StatusCode::FORBIDDEN,
    )
    .await;

    // Every access to the seeker's data is in the audit log, with who and why.
    // A list page is audited too: one entry per seeker on it.
    let page = expect_json(
        app.req(&token, Method::GET, "/v1/advice-seekers")
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let res = app
        .req(
            &token,
            Method::GET,
            &format!("/v1/advice-seekers/{}", id(&s)),
        )
        .header("x-access-reason", "preparing the session")
        .send()
        .await
        .unwrap();
    expect_json(res, StatusCode::OK).await;
    let log = expect_json(
        app.req(
            app.admin(),
            Method::GET,
            &format!("/v1/advice-seekers/{}/audit-log?limit=500", id(&s)),
        )
        .send()
        .await
        .unwrap(),
        StatusCode::OK,
    )
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
    expect_problem(
        app.req(
            &token,
            Method::GET,
            &format!("/v1/advice-seekers/{}/audit-log", id(&s)),
        )
        .send()
        .await
        .unwrap(),
        StatusCode::FORBIDDEN,
    )
    .await;
}

async fn counselling_resources_follow_the_conventions(app: TestApp) {
    let (_, token) = centre_staff(&app, "DE-SL").await;
    // Idempotent registration.
    let body = json!({"client_code": "SL-1", "gender": "male", "nationalities": ["AF"], "country_of_residence": "DE"});
    let send = || {
        app.req(&token, Method::POST, "/v1/advice-seekers")
            .header("idempotency-key", "reg-1")
            .json(&body)
            .send()
    };
    let first = expect_json(send().await.unwrap(), StatusCode::CREATED).await;
    let again = send().await.unwrap();
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(expect_json(again, StatusCode::CREATED).await, first);
    // The client code is unique per organisation.
    let res = app
        .req(&token, Method::POST, "/v1/advice-seekers")
        .json(&body)
        .send()
        .await
        .unwrap();
    expect_problem(res, StatusCode::CONFLICT).await;
    // Validation names every field; unknown countries are refused.
    let res = post(&app, &token, "/v1/advice-seekers", json!({"client_code": " ", "gender": "unknown", "nationalities": ["XX"], "country_of_residence": "DE"})).await;
    expect_problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    let res = post(&app, &token, "/v1/advice-seekers", json!({"client_code": "SL-2", "gender": "female", "nationalities": ["XX"], "country_of_residence": "DE"})).await;
    assert_eq!(
        expect_problem(res, StatusCode::UNPROCESSABLE_ENTITY).await["errors"][0]["code"],
        "unknown_country"
    );

    // Merge patch erases the name; If-Match protects against lost updates.
    let path = format!("/v1/advice-seekers/{}", first["id"].as_str().unwrap());
    let res = app
        .req(&token, Method::PATCH, &path)
        .header("if-match", "\"1\"")
        .json(&json!({"name": "Ahmad", "german_level": "a2"}))
        .send()
        .await
        .unwrap();
    let v2 = expect_json(res, StatusCode::OK).await;
    assert_eq!(
        (v2["name"].as_str(), v2["version"].as_i64()),
        (Some("Ahmad"), Some(2))
    );
    let res = app
        .req(&token, Method::PATCH, &path)
        .header("if-match", "\"1\"")
        .json(&json!({"name": null}))
        .send()
        .await
        .unwrap();
    expect_problem(res, StatusCode::PRECONDITION_FAILED).await;
    let res = app
        .req(&token, Method::PATCH, &path)
        .json(&json!({"name": null}))
        .send()
        .await
        .unwrap();
    assert_eq!(expect_json(res, StatusCode::OK).await["name"], Value::Null);
    let res = app
        .req(&token, Method::GET, &path)
        .header("if-none-match", "\"3\"")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);

    // Procedure actions honour If-Match too, and change nothing when refused.
    let q = qualification(&app, &token, &first, "AF", "81404").await;
    let p = procedure(&app, &token, &q, "2026-03-02", false).await;
    let res = app
        .req(
            &token,
            Method::POST,
            &format!(
                "/v1/recognition-procedures/{}/actions",
                p["id"].as_str().unwrap()
            ),
        )
        .header("if-match", "\"5\"")
        .json(&json!({"action": "confirm_receipt", "date": "2026-03-05"}))
        .send()
        .await
        .unwrap();
    expect_problem(res, StatusCode::PRECONDITION_FAILED).await;
    let now = expect_json(
        app.req(
            &token,
            Method::GET,
            &format!("/v1/recognition-procedures/{}", p["id"].as_str().unwrap()),
        )
        .send()
        .await
        .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (now["state"].as_str(), now["version"].as_i64()),
        (Some("submitted"), Some(1))
    );

    // Pagination over seekers.
    for i in 0..4 {
        created(&app, &token, "/v1/advice-seekers", json!({"client_code": format!("P-{i}"), "gender": "diverse", "nationalities": [], "country_of_residence": "DE"})).await;
    }
    let page1 = expect_json(
        app.req(&token, Method::GET, "/v1/advice-seekers?limit=3")
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let cursor = page1["next_cursor"].as_str().unwrap();
    let page2 = expect_json(
        app.req(
            &token,
            Method::GET,
            &format!("/v1/advice-seekers?limit=3&cursor={cursor}"),
        )
        .send()
        .await
        .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        page1["items"].as_array().unwrap().len() + page2["items"].as_array().unwrap().len(),
        5
    );
    assert_eq!(page2["next_cursor"], Value::Null);
}

/// What a client cannot smuggle in: NUL characters (PostgreSQL cannot store them), dates
/// outside 1900..today, foreign cursors. Each is a 4xx on both backends, never a 500.
async fn hostile_input_is_refused_with_4xx(app: TestApp) {
    let (_, token) = centre_staff(&app, "DE-MV").await;
    for query in ["city=%00", "cursor=azoA"] {
        let res = app
            .anon(Method::GET, &format!("/v1/advice-centres?{query}"))
            .send()
            .await
            .unwrap();
        expect_problem(res, StatusCode::BAD_REQUEST).await;
    }
    let res = app
        .req(&token, Method::GET, "/v1/advice-seekers?client_code=a%00b")
        .send()
        .await
        .unwrap();
    expect_problem(res, StatusCode::BAD_REQUEST).await;
    let res = post(&app, &token, "/v1/advice-seekers", json!({"client_code": "MV\u{0}1", "gender": "female", "nationalities": [], "country_of_residence": "DE"})).await;
    expect_problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    let s = seeker(&app, &token, "MV-1", json!([])).await;
    let q = qualification(&app, &token, &s, "SY", "81302").await;
    let res = post(
        &app,
        &token,
        "/v1/recognition-procedures",
        json!({"qualification_id": q["id"], "submitted_on": "1066-10-14"}),
    )
    .await;
    assert_eq!(
        expect_problem(res, StatusCode::UNPROCESSABLE_ENTITY).await["errors"][0]["field"],
        "submitted_on"
    );
    let res = app
        .req(
            &token,
            Method::GET,
            "/v1/recognition-procedures?updated_since=0001-01-01T00:00:00Z",
        )
        .send()
        .await
        .unwrap();
    expect_json(res, StatusCode::OK).await;
}

/// A replayed response never carries a person's direct identifiers or a referral's seeker: the
/// stored copy must not outlive an erasure or a withdrawn consent.
async fn replays_do_not_keep_personal_data(app: TestApp) {
    let (_, token) = centre_staff(&app, "DE-ST").await;
    let body = json!({"client_code": "ST-1", "name": "Olena K.", "email": "olena@example.org", "gender": "female",
                      "nationalities": ["UA"], "country_of_residence": "DE", "consents": ["sharing_with_referrals"]});
    let send = || {
        app.req(&token, Method::POST, "/v1/advice-seekers")
            .header("idempotency-key", "st-1")
            .json(&body)
            .send()
    };
    let first = expect_json(send().await.unwrap(), StatusCode::CREATED).await;
    assert_eq!(first["name"], "Olena K.");
    let replay = expect_json(send().await.unwrap(), StatusCode::CREATED).await;
    assert_eq!(replay["id"], first["id"]);
    assert_eq!(
        (replay["name"].clone(), replay["email"].clone()),
        (Value::Null, Value::Null)
    );

    let provider = app.organisation("Kursanbieter", "DE-ST").await;
    let case = created(
        &app,
        &token,
        "/v1/counselling-cases",
        json!({"seeker_id": first["id"], "kind": "qualification", "access_route": "self"}),
    )
    .await;
    let refer = || {
        app.req(&token, Method::POST, "/v1/referrals")
            .header("idempotency-key", "ref-1")
            .json(&json!({"case_id": case["id"], "to_organisation_id": provider["id"], "reason": "bridge course"}))
            .send()
    };
    let sent = expect_json(refer().await.unwrap(), StatusCode::CREATED).await;
    assert_eq!(sent["seeker"]["name"], "Olena K.");
    let replayed = expect_json(refer().await.unwrap(), StatusCode::CREATED).await;
    assert_eq!(replayed["id"], sent["id"]);
    assert_eq!(replayed["seeker"], Value::Null);
}
