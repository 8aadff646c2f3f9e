//! Network events (planned -> held | cancelled, attendance by stakeholder kind) and the public
//! calendar in JSON and iCalendar, the latter parsed back with the `icalendar` crate.

use std::str::FromStr;

use chrono::{Duration, Utc};
use icalendar::{Calendar, CalendarComponent, Component, EventLike};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{region, under};
use crate::support::TestApp;
use crate::support::app::items;
use crate::support::call::id;

trials! {
    backends:
        an_event_is_held_and_counted_by_stakeholder_kind,
        a_held_or_cancelled_event_allows_nothing_more,
        the_calendar_lists_public_events_in_json_and_icalendar,
        an_internal_event_is_hidden_from_the_public;
}

/// An event starting `days` from now (negative: in the past), two hours long.
fn event(title: &str, days: i64, public: bool) -> Value {
    let starts = (Utc::now() + Duration::days(days))
        .date_naive()
        .and_hms_opt(13, 0, 0)
        .unwrap()
        .and_utc();
    json!({"type": "round_table", "title": title, "starts_at": starts,
           "ends_at": starts + Duration::hours(2), "venue": "IHK Berlin",
           "topics": ["accelerated_procedure", "recognition"], "public": public})
}

fn action_path(event: &Value) -> String {
    format!("/v1/network-events/{}/actions", id(event))
}

async fn an_event_is_held_and_counted_by_stakeholder_kind(app: TestApp) {
    let r = region(&app, "DE-BE").await;
    let planned = app
        .post(
            &r.authority_staff,
            &under(&r.network, "events"),
            &event("Runder Tisch", -1, true),
        )
        .created()
        .await;
    assert_eq!(planned["state"], "planned");
    assert_eq!(planned["organisation_id"], r.authority["id"]);
    assert_eq!(planned["allowed_actions"], json!(["hold", "cancel"]));

    let path = format!("/v1/network-events/{}", id(&planned));
    let moved = app
        .patch(
            &r.counsellor,
            &path,
            &json!({"venue": null, "type": "expert_day"}),
        )
        .if_match(1)
        .ok()
        .await;
    assert_eq!(
        (moved["venue"].clone(), moved["type"].clone()),
        (json!(null), json!("expert_day"))
    );
    app.patch(&r.counsellor, &path, &json!({"title": "X"}))
        .if_match(1)
        .problem(StatusCode::PRECONDITION_FAILED)
        .await;

    let attendance = json!([{"stakeholder_kind": "company", "count": 14},
                            {"stakeholder_kind": "chamber", "count": 3}]);
    let held = app
        .post(
            &r.counsellor,
            &action_path(&planned),
            &json!({"action": "hold", "attendance": attendance}),
        )
        .if_match(2)
        .ok()
        .await;
    assert_eq!(held["state"], "held");
    assert_eq!(held["total_attendance"], 17);
    assert_eq!(held["attendance"][0]["stakeholder_kind"], "company");
    let listed = app
        .get(
            &r.regional,
            &format!("{}?state=held", under(&r.network, "events")),
        )
        .ok()
        .await;
    assert_eq!(items(&listed).len(), 1);
}

async fn a_held_or_cancelled_event_allows_nothing_more(app: TestApp) {
    let r = region(&app, "DE-BE").await;
    let future = app
        .post(
            &r.counsellor,
            &under(&r.network, "events"),
            &event("Infotag", 10, true),
        )
        .created()
        .await;
    let early = app
        .post(
            &r.counsellor,
            &action_path(&future),
            &json!({"action": "hold", "attendance": []}),
        )
        .problem(StatusCode::CONFLICT)
        .await;
    assert_eq!(early["type"], "urn:iqnet:problem:event-not-begun");
    app.post(
        &r.counsellor,
        &action_path(&future),
        &json!({"action": "cancel"}),
    )
    .ok()
    .await;
    let again = app
        .post(
            &r.counsellor,
            &action_path(&future),
            &json!({"action": "cancel"}),
        )
        .problem(StatusCode::CONFLICT)
        .await;
    assert_eq!(again["allowed"], json!([]));
    let patch = app
        .patch(
            &r.counsellor,
            &format!("/v1/network-events/{}", id(&future)),
            &json!({"title": "Neu"}),
        )
        .problem(StatusCode::CONFLICT)
        .await;
    assert_eq!(patch["type"], "urn:iqnet:problem:event-not-planned");
    let backwards = json!({"type": "training", "title": "T", "starts_at": "2027-01-02T10:00:00Z",
                           "ends_at": "2027-01-02T09:00:00Z", "topics": [], "public": true});
    let error = app
        .post(&r.counsellor, &under(&r.network, "events"), &backwards)
        .invalid()
        .await;
    assert_eq!(error["field"], "ends_at");
}

async fn the_calendar_lists_public_events_in_json_and_icalendar(app: TestApp) {
    let berlin = region(&app, "DE-BE").await;
    let hamburg = region(&app, "DE-HH").await;
    let long = "Wie Betriebe Pflegekräfte aus Drittstaaten gewinnen; Anerkennung, Visum, \
                Vorabzustimmung der Bundesagentur, und was das beschleunigte Verfahren kostet.";
    let mut later = event("Expertentag: Pflege, Recht; Praxis", 5, true);
    later["description"] = json!(long);
    let later = app
        .post(
            &berlin.counsellor,
            &under(&berlin.network, "events"),
            &later,
        )
        .created()
        .await;
    let sooner = app
        .post(
            &berlin.counsellor,
            &under(&berlin.network, "events"),
            &event("Runder Tisch", 2, true),
        )
        .created()
        .await;
    app.post(
        &berlin.counsellor,
        &under(&berlin.network, "events"),
        &event("Intern", 3, false),
    )
    .created()
    .await;
    app.post(
        &hamburg.counsellor,
        &under(&hamburg.network, "events"),
        &event("Hamburg", 1, true),
    )
    .created()
    .await;
    app.post(
        &berlin.counsellor,
        &action_path(&sooner),
        &json!({"action": "cancel"}),
    )
    .ok()
    .await;

    // JSON: public events of the region, by start, in pages.
    let page = app
        .public("/v1/event-calendar?regional_network=DE-BE&limit=1")
        .ok()
        .await;
    assert_eq!(items(&page)[0]["id"], sooner["id"]);
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let next = app
        .public(&format!(
            "/v1/event-calendar?regional_network=DE-BE&limit=1&cursor={cursor}"
        ))
        .ok()
        .await;
    assert_eq!(items(&next)[0]["id"], later["id"]);
    assert!(next["next_cursor"].is_null());
    app.public("/v1/event-calendar?state=planned")
        .problem(StatusCode::BAD_REQUEST)
        .await;

    // iCalendar: the same events, parsed back.
    let res = app
        .anon(
            reqwest::Method::GET,
            "/v1/event-calendar.ics?regional_network=DE-BE",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let content_type = res.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("text/calendar"), "{content_type}");
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    let text = res.text().await.unwrap();
    let again = app
        .anon(
            reqwest::Method::GET,
            "/v1/event-calendar.ics?regional_network=DE-BE",
        )
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(
        text.lines().all(|l| l.len() <= 75),
        "unfolded line in {text}"
    );
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "a bare LF in {text}"
    );
    let calendar = Calendar::from_str(&text).unwrap();
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    assert_eq!(events.len(), 2);
    let uids: Vec<&str> = events.iter().map(|e| e.get_uid().unwrap()).collect();
    assert_eq!(
        uids,
        [
            format!("{}@iqnet", id(&sooner)),
            format!("{}@iqnet", id(&later))
        ]
    );
    assert_eq!(events[0].property_value("STATUS"), Some("CANCELLED"));
    assert_eq!(
        events[1].get_summary(),
        Some("Expertentag: Pflege, Recht; Praxis")
    );
    assert_eq!(events[1].get_description(), Some(long));
    assert_eq!(events[1].get_location(), Some("IHK Berlin"));
    assert!(events[1].get_timestamp().is_some());
    assert!(events[1].get_start().is_some() && events[1].get_end().is_some());
    app.public("/v1/event-calendar.ics?limit=5")
        .problem(StatusCode::BAD_REQUEST)
        .await;
}

async fn an_internal_event_is_hidden_from_the_public(app: TestApp) {
    let berlin = region(&app, "DE-BE").await;
    let hamburg = region(&app, "DE-HH").await;
    let internal = app
        .post(
            &berlin.counsellor,
            &under(&berlin.network, "events"),
            &event("Intern", 3, false),
        )
        .created()
        .await;
    let path = format!("/v1/network-events/{}", id(&internal));
    app.public(&path).problem(StatusCode::NOT_FOUND).await;
    app.get(&hamburg.counsellor, &path)
        .problem(StatusCode::NOT_FOUND)
        .await;
    let seen = app.get(&berlin.authority_staff, &path).ok().await;
    assert_eq!(seen["public"], false);
}
