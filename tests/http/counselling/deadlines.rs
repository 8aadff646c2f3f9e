//! The deadline rules of issue 9 over HTTP: the authority's seat and its holidays (statutory and
//! effective ends), events in the order they happened, a file complete on receipt, a timely
//! extension and the EU cap, the § 15 warning's deadline, and `allowed_actions` listing only
//! what the state accepts.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::qualified_seeker;
use crate::support::TestApp;
use crate::support::builders::{days_ago, today};

trials! {
    backends:
        a_holiday_only_one_seat_has_moves_only_its_deadline,
        events_apply_in_the_order_they_happened,
        documents_complete_on_receipt_start_the_clock_on_receipt,
        a_late_extension_is_refused_and_the_procedure_stays_overdue,
        the_eu_cap_applies_to_a_qualification_recognised_in_the_eu,
        a_rejection_waits_for_the_warnings_deadline,
        allowed_actions_lists_only_what_the_state_accepts;
}

/// A nurse from Syria (regulated, 81302) of a counsellor in Berlin.
async fn nurse(app: &TestApp) -> (String, Value) {
    let (token, _, nurse) = qualified_seeker(app, "DE-BE", "BE-9", ("SY", "81302")).await;
    (token, nurse)
}

/// A procedure submitted on `submitted_on` at the authority `authority` (reference data id).
async fn at(app: &TestApp, token: &str, q: &Value, authority: &str, submitted_on: &str) -> Value {
    app.procedure(token, q)
        .submitted_on(submitted_on)
        .set("authority_id", authority)
        .create()
        .await
}

/// § 31(3) VwVfG, § 193 BGB: the deadline of an authority in Bavaria (Landesamt für Pflege,
/// Amberg) and one in Berlin (LAGeSo) across Corpus Christi 2026, a holiday in Bavaria only, and
/// across 8 May 2025, a holiday in Berlin only.
async fn a_holiday_only_one_seat_has_moves_only_its_deadline(app: TestApp) {
    let (token, q) = nurse(&app).await;
    let bavaria = at(&app, &token, &q, "by-lfp", "2026-02-02").await;
    let berlin = at(&app, &token, &q, "be-lageso", "2026-02-02").await;
    assert_eq!(
        bavaria["authority_name"],
        "Bayerisches Landesamt für Pflege"
    );
    assert_eq!(
        bavaria["seat"],
        json!({"state": "DE-BY", "local_holidays": ["assumption"]})
    );
    assert_eq!(
        berlin["seat"],
        json!({"state": "DE-BE", "local_holidays": []})
    );
    let mut due = Vec::new();
    for p in [&bavaria, &berlin] {
        app.advance(&token, p, "confirm_receipt", "2026-02-10")
            .await;
        // Complete on 4 March: three months later is Thursday 4 June 2026, Corpus Christi.
        let complete = app
            .advance(&token, p, "complete_documents", "2026-03-04")
            .await;
        assert_eq!(complete["decision_due_on"], "2026-06-04");
        due.push(complete["decision_due_effective_on"].clone());
    }
    assert_eq!(due, [json!("2026-06-05"), json!("2026-06-04")]);

    // Submitted on 8 April 2025: receipt due Thursday 8 May 2025, a holiday in Berlin only.
    let bavaria = at(&app, &token, &q, "by-lfp", "2025-04-08").await;
    let berlin = at(&app, &token, &q, "be-lageso", "2025-04-08").await;
    for p in [&bavaria, &berlin] {
        assert_eq!(p["receipt_due_on"], "2025-05-08");
    }
    assert_eq!(bavaria["receipt_due_effective_on"], "2025-05-08");
    assert_eq!(berlin["receipt_due_effective_on"], "2025-05-09");
    // Statistics by authority: the procedures of one authority.
    let of_lfp = app
        .get(&token, "/v1/recognition-procedures?authority_id=by-lfp")
        .ok()
        .await;
    let ids: Vec<_> = of_lfp["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["authority_id"].clone())
        .collect();
    assert_eq!(ids, [json!("by-lfp"), json!("by-lfp")]);

    // Free text only as a fallback: a named authority with its state has that state's calendar,
    // one without a state only the nationwide holidays.
    let named = |state: Option<&str>| {
        let draft = app
            .procedure(&token, &q)
            .submitted_on("2025-04-08")
            .authority("Landesamt irgendwo");
        match state {
            Some(state) => draft.set("authority_state", state),
            None => draft,
        }
    };
    let in_berlin = named(Some("DE-BE")).create().await;
    assert_eq!(in_berlin["authority_id"], Value::Null);
    assert_eq!(in_berlin["receipt_due_effective_on"], "2025-05-09");
    let nowhere = named(None).create().await;
    assert_eq!(nowhere["seat"]["state"], Value::Null);
    assert_eq!(nowhere["receipt_due_effective_on"], "2025-05-08");
}

/// § 190 BGB: an extension runs from the end as it stood; a later suspension moves the extended
/// end. The same steps in the other order end on another day.
async fn events_apply_in_the_order_they_happened(app: TestApp) {
    let (token, q) = nurse(&app).await;
    let extend = |date: &str| json!({"action": "extend", "date": date, "months": 1, "reason": "expert opinion"});
    let request =
        json!({"action": "request_documents", "date": "2026-01-12", "documents": ["translation"]});
    let run = |steps: Vec<Value>| {
        let (app, token, q) = (&app, &token, &q);
        async move {
            let p = app
                .procedure(token, q)
                .submitted_on("2025-10-01")
                .create()
                .await;
            app.advance(token, &p, "confirm_receipt", "2025-10-10")
                .await;
            let complete = app
                .advance(token, &p, "complete_documents", "2025-11-30")
                .await;
            // 30 November + 3 months: 28 February 2026 (§ 188(3) BGB).
            assert_eq!(complete["decision_due_on"], "2026-02-28");
            let mut last = complete;
            for step in steps {
                last = app.step(token, &p, step).await;
            }
            last
        }
    };
    let arrive = json!({"action": "complete_documents", "date": "2026-01-14"});
    // Extended first: 28 March; then 12 to 14 January suspended (3 days): 31 March.
    let extended_first = run(vec![extend("2026-01-05"), request.clone(), arrive.clone()]).await;
    assert_eq!(extended_first["decision_due_on"], "2026-03-31");
    assert_eq!(extended_first["suspended_days"], 3);
    // Suspended first: 3 March; extended from there: Good Friday, 3 April 2026, so effectively
    // Tuesday 7 April, after Easter Monday.
    let suspended_first = run(vec![request, arrive, extend("2026-01-20")]).await;
    assert_eq!(suspended_first["decision_due_on"], "2026-04-03");
    assert_eq!(suspended_first["decision_due_effective_on"], "2026-04-07");
}

/// § 6(3) BQFG: when the documents were complete on arrival, the period runs from receipt.
async fn documents_complete_on_receipt_start_the_clock_on_receipt(app: TestApp) {
    let (token, q) = nurse(&app).await;
    let p = app
        .procedure(&token, &q)
        .submitted_on("2026-03-02")
        .create()
        .await;
    let confirmed = app
        .step(
            &token,
            &p,
            json!({"action": "confirm_receipt", "date": "2026-03-20", "complete_on_receipt": true}),
        )
        .await;
    assert_eq!(confirmed["state"], "documents_complete");
    assert_eq!(confirmed["receipt_confirmed_on"], "2026-03-20");
    assert_eq!(confirmed["documents_complete_on"], "2026-03-02");
    assert_eq!(confirmed["decision_due_on"], "2026-06-02");
    assert_eq!(confirmed["history"][0]["action"], "confirm_receipt");
}

/// Complete on 2 February 2026: due Saturday 2 May, effectively Monday 4 May.
async fn complete_on_2_february(app: &TestApp, token: &str, q: &Value) -> Value {
    let p = app
        .procedure(token, q)
        .submitted_on("2026-01-05")
        .create()
        .await;
    app.advance(token, &p, "confirm_receipt", "2026-01-10")
        .await;
    let p = app
        .advance(token, &p, "complete_documents", "2026-02-02")
        .await;
    assert_eq!(p["decision_due_on"], "2026-05-02");
    assert_eq!(p["decision_due_effective_on"], "2026-05-04");
    p
}

/// § 6(3) BQFG: the extension is announced before the period ends ("rechtzeitig"), by its
/// effective end; a late one is refused and the procedure stays overdue.
async fn a_late_extension_is_refused_and_the_procedure_stays_overdue(app: TestApp) {
    let (token, q) = nurse(&app).await;
    let extend = |date: &str| json!({"action": "extend", "date": date, "months": 2, "reason": "expert opinion"});

    let in_time = complete_on_2_february(&app, &token, &q).await;
    let extended = app.step(&token, &in_time, extend("2026-05-04")).await;
    assert_eq!(extended["decision_due_on"], "2026-07-02");

    let late = complete_on_2_february(&app, &token, &q).await;
    let problem = app
        .procedure_action(&token, &late, &extend("2026-05-05"))
        .problem(StatusCode::CONFLICT)
        .await;
    assert_eq!(problem["type"], "urn:iqnet:problem:invalid-transition");
    assert!(
        !problem["allowed"]
            .as_array()
            .unwrap()
            .contains(&json!("extend"))
    );
    let still = app.get_procedure(&token, &late).ok().await;
    assert_eq!(still["extension_months"], 0);
    assert_eq!(still["overdue"], true);
    assert!(
        !still["allowed_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("extend"))
    );
}

/// The EU/EEA/CH one-month cap also holds for a third-country qualification already recognised
/// in an EU/EEA/CH state (Directive 2005/36/EC Art. 3(3)).
async fn the_eu_cap_applies_to_a_qualification_recognised_in_the_eu(app: TestApp) {
    let (token, s, _) = qualified_seeker(&app, "DE-HH", "HH-3", ("SY", "81302")).await;
    let not_eu = app
        .qualification(&token, &s)
        .from("SY", "81302")
        .set("recognised_in", "TR")
        .call()
        .invalid()
        .await;
    assert_eq!(
        (not_eu["field"].as_str(), not_eu["code"].as_str()),
        (Some("recognised_in"), Some("not_eu_eea_ch"))
    );
    let q = app
        .qualification(&token, &s)
        .from("SY", "81302")
        .set("recognised_in", "AT")
        .set("training_months", 36)
        .set("experience_months", 24)
        .create()
        .await;
    assert_eq!(
        (q["recognised_in"].as_str(), q["training_months"].as_i64()),
        (Some("AT"), Some(36))
    );
    let p = app
        .procedure(&token, &q)
        .submitted_on("2026-01-05")
        .create()
        .await;
    assert_eq!(
        (
            p["eu_eea_ch"].as_bool(),
            p["recognised_in_eu_eea_ch"].as_bool()
        ),
        (Some(false), Some(true))
    );
    app.advance(&token, &p, "confirm_receipt", "2026-01-10")
        .await;
    app.advance(&token, &p, "complete_documents", "2026-02-02")
        .await;
    let too_long = app
        .procedure_action(
            &token,
            &p,
            &json!({"action": "extend", "date": "2026-03-02", "months": 2, "reason": "x"}),
        )
        .invalid()
        .await;
    assert_eq!(too_long["field"], "months");
    app.step(
        &token,
        &p,
        json!({"action": "extend", "date": "2026-03-02", "months": 1, "reason": "x"}),
    )
    .await;
}

/// § 15 BQFG: the warning sets the applicant a deadline; the rejection for non-cooperation is
/// possible only after it has passed (moved, like any period, off a holiday).
async fn a_rejection_waits_for_the_warnings_deadline(app: TestApp) {
    let (token, q) = nurse(&app).await;
    let p = app
        .procedure(&token, &q)
        .submitted_on("2026-03-02")
        .create()
        .await;
    app.advance(&token, &p, "confirm_receipt", "2026-03-10")
        .await;
    app.step(
        &token,
        &p,
        json!({"action": "request_documents", "date": "2026-03-10", "documents": ["diploma"]}),
    )
    .await;
    let no_deadline = app
        .dated_action(&token, &p, "warn_non_cooperation", "2026-04-01")
        .invalid()
        .await;
    assert_eq!(
        (no_deadline["field"].as_str(), no_deadline["code"].as_str()),
        (Some("deadline"), Some("required"))
    );
    // The deadline is Friday 1 May 2026, Labour Day: it ends on Monday 4 May.
    let warned = app
        .step(&token, &p, json!({"action": "warn_non_cooperation", "date": "2026-04-01", "deadline": "2026-05-01"}))
        .await;
    assert_eq!(warned["warning_deadline"], "2026-05-01");
    for early in ["2026-05-01", "2026-05-04"] {
        let problem = app
            .dated_action(&token, &p, "reject_non_cooperation", early)
            .problem(StatusCode::CONFLICT)
            .await;
        assert!(
            !problem["allowed"]
                .as_array()
                .unwrap()
                .contains(&json!("reject_non_cooperation")),
            "{early}"
        );
    }
    let rejected = app
        .advance(&token, &p, "reject_non_cooperation", "2026-05-05")
        .await;
    assert_eq!(rejected["state"], "rejected_non_cooperation");
}

/// `allowed_actions` never lists an action the present state would refuse, and a refusal's
/// `allowed` is that same list.
async fn allowed_actions_lists_only_what_the_state_accepts(app: TestApp) {
    let (token, q) = nurse(&app).await;
    let extended = app
        .procedure(&token, &q)
        .submitted_on(days_ago(40))
        .create()
        .await;
    app.advance(&token, &extended, "confirm_receipt", &days_ago(35))
        .await;
    app.advance(&token, &extended, "complete_documents", &days_ago(30))
        .await;
    app.step(
        &token,
        &extended,
        json!({"action": "extend", "date": days_ago(20), "months": 1, "reason": "x"}),
    )
    .await;

    let warned = app
        .procedure(&token, &q)
        .submitted_on(days_ago(40))
        .create()
        .await;
    app.advance(&token, &warned, "confirm_receipt", &days_ago(35))
        .await;
    app.step(
        &token,
        &warned,
        json!({"action": "request_documents", "date": days_ago(35), "documents": ["x"]}),
    )
    .await;
    app.step(
        &token,
        &warned,
        json!({"action": "warn_non_cooperation", "date": days_ago(10), "deadline": today()}),
    )
    .await;

    for (p, refused) in [
        (
            &extended,
            json!({"action": "extend", "date": today(), "months": 1, "reason": "again"}),
        ),
        (
            &warned,
            json!({"action": "reject_non_cooperation", "date": today()}),
        ),
    ] {
        let now = app.get_procedure(&token, p).ok().await;
        let allowed = now["allowed_actions"].clone();
        assert!(
            !allowed.as_array().unwrap().contains(&refused["action"]),
            "{allowed}"
        );
        let problem = app
            .procedure_action(&token, p, &refused)
            .problem(StatusCode::CONFLICT)
            .await;
        assert_eq!(problem["allowed"], allowed);
        // And each listed action is one the state takes: a dated one goes through.
        assert!(allowed.as_array().unwrap().contains(&json!("withdraw")));
    }
    let withdrawn = app.advance(&token, &warned, "withdraw", &today()).await;
    assert_eq!(withdrawn["allowed_actions"], json!([]));
}
