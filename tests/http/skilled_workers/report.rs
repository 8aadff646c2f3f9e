//! A network's report: aggregates only, for its parties and analysts, with every group smaller
//! than five withheld.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{region, under};
use crate::support::TestApp;
use crate::support::builders::today;
use crate::support::call::id;

trials! {
    backends:
        the_report_counts_and_withholds_groups_smaller_than_five;
}

fn find<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|x| x[key] == value)
        .unwrap_or_else(|| panic!("no {key} = {value} in {list}"))
}

async fn the_report_counts_and_withholds_groups_smaller_than_five(app: TestApp) {
    let r = region(&app, "DE-BE").await;
    let hamburg = region(&app, "DE-HH").await;
    let starts = Utc::now() - Duration::days(2);
    let event = app
        .post(
            &r.counsellor,
            &under(&r.network, "events"),
            &json!({"type": "expert_day", "title": "Expertentag", "starts_at": starts,
                    "ends_at": starts + Duration::hours(3), "topics": [], "public": true}),
        )
        .created()
        .await;
    let attendance = json!([{"stakeholder_kind": "company", "count": 14},
                            {"stakeholder_kind": "chamber", "count": 3}]);
    app.post(
        &r.counsellor,
        &format!("/v1/network-events/{}/actions", id(&event)),
        &json!({"action": "hold", "attendance": attendance}),
    )
    .ok()
    .await;
    app.post(
        &r.counsellor,
        &under(&r.network, "consultations"),
        &json!({"company_id": id(&r.company), "topics": ["language"], "target_occupations": [],
                "countries": [], "posts": 2, "received_on": today()}),
    )
    .created()
    .await;
    for days in [20, 30, 40, 50, 70] {
        let p = app
            .post(
                &r.counsellor,
                &under(&r.network, "accelerated-procedures"),
                &json!({"company_id": id(&r.company), "target_title": "18a"}),
            )
            .created()
            .await;
        let path = format!("/v1/accelerated-procedures/{}/milestones", id(&p));
        let decided = (chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap() + Duration::days(days))
            .to_string();
        for (milestone, date) in [
            ("agreement_signed", "2026-02-01".to_owned()),
            ("recognition_decided", decided),
        ] {
            app.post(
                &r.counsellor,
                &path,
                &json!({"milestone": milestone, "date": date}),
            )
            .ok()
            .await;
        }
    }

    let path = format!("{}?from=2026-01-01", under(&r.network, "report"));
    let report = app.get(&r.regional, &path).ok().await;
    assert_eq!(report["events_held"], json!(null), "one event: withheld");
    assert_eq!(
        find(&report["attendance"], "stakeholder_kind", "company")["count"],
        14
    );
    assert_eq!(
        find(&report["attendance"], "stakeholder_kind", "chamber")["count"],
        json!(null)
    );
    assert_eq!(
        find(&report["consultations"], "state", "inquiry")["count"],
        json!(null)
    );
    assert_eq!(
        find(&report["consultations"], "state", "closed")["count"],
        0
    );
    let decision = &report["accelerated_intervals"][0];
    assert_eq!(
        (decision["from"].clone(), decision["to"].clone()),
        (json!("agreement_signed"), json!("recognition_decided"))
    );
    assert_eq!(decision["procedures"], 5);
    assert_eq!(decision["median_days"], 40.0);
    assert_eq!(decision["mean_days"], 42.0);
    let later = app
        .get(
            &r.regional,
            &format!("{}?from=2026-03-01", under(&r.network, "report")),
        )
        .ok()
        .await;
    assert_eq!(later["accelerated_intervals"][0]["procedures"], 0);

    // Analysts read aggregates; another regional network's coordinator does not.
    let (_, analyst) = app.user("analyst", None).await;
    app.get(&analyst, &path).ok().await;
    app.get(&hamburg.regional, &path)
        .problem(StatusCode::FORBIDDEN)
        .await;
    // An inverted period is the query's mistake: 400, as for every list with a date range.
    let inverted = app
        .get(
            &r.regional,
            &format!(
                "{}?from=2026-03-01&until=2026-02-01",
                under(&r.network, "report")
            ),
        )
        .problem(StatusCode::BAD_REQUEST)
        .await;
    assert_eq!(inverted["errors"][0]["field"], "from");
}
