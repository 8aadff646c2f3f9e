//! The public calendar: open trainings without a token, its filters, and the same calendar as
//! an iCalendar feed, parsed back by a library as a calendar program would.

use icalendar::{Calendar, CalendarComponent, Component, EventLike};
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

use super::{create_training, open_training, provider};
use crate::support::TestApp;
use crate::support::app::items;
use crate::support::call::id;

trials! {
    backends:
        the_calendar_lists_open_trainings_without_a_token,
        the_calendar_filters_by_format_topic_target_kind_and_dates,
        the_calendar_is_an_icalendar_feed;
}

fn ids(page: &Value) -> Vec<String> {
    items(page).iter().map(|t| id(t).to_owned()).collect()
}

async fn the_calendar_lists_open_trainings_without_a_token(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-SN").await;
    let open = open_training(&app, &trainer, json!({})).await;
    let planned = create_training(&app, &trainer, json!({})).await;

    let page = app.public("/v1/trainings").ok().await;
    assert_eq!(ids(&page), [id(&open)]);
    let planned_page = app.public("/v1/trainings?state=planned").ok().await;
    assert_eq!(ids(&planned_page), [id(&planned)]);
    let one = app
        .public(&format!("/v1/trainings/{}", id(&open)))
        .ok()
        .await;
    assert_eq!(
        one["sessions"][1]["online_url"],
        "https://meet.example.org/ikoe"
    );

    let problem = app
        .public("/v1/trainings?colour=blue")
        .problem(StatusCode::BAD_REQUEST)
        .await;
    assert_eq!(problem["errors"][0]["field"], "colour");
}

async fn the_calendar_filters_by_format_topic_target_kind_and_dates(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-SN").await;
    let workshop = open_training(&app, &trainer, json!({})).await;
    let coaching = open_training(
        &app,
        &trainer,
        json!({"format": "coaching", "topics": ["intercultural_opening"], "target_kinds": ["sme"],
               "sessions": [{"starts_at": "2027-06-01T08:00:00Z", "ends_at": "2027-06-01T10:00:00Z",
                             "hours": 2, "venue": "Dresden"}]}),
    )
    .await;

    let found = |query: &'static str| {
        let app = &app;
        async move { ids(&app.public(&format!("/v1/trainings?{query}")).ok().await) }
    };
    assert_eq!(found("format=coaching").await, [id(&coaching)]);
    assert_eq!(found("topic=anti_discrimination").await, [id(&workshop)]);
    assert_eq!(found("target_kind=sme").await, [id(&coaching)]);
    assert_eq!(found("target_kind=municipality").await, [id(&workshop)]);
    // A training is in the range when one of its days is: the workshop runs 1 to 8 March.
    assert_eq!(
        found("from=2027-03-05&until=2027-03-31").await,
        [id(&workshop)]
    );
    assert_eq!(found("from=2027-04-01").await, [id(&coaching)]);
    assert_eq!(found("until=2027-02-28").await, Vec::<String>::new());
    assert_eq!(
        found("format=coaching&topic=anti_discrimination").await,
        Vec::<String>::new()
    );
}

async fn the_calendar_is_an_icalendar_feed(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-SN").await;
    let title = "Vielfalt, Recht; Praxis: ein Training mit einem sehr langen Titel, der über die Zeilenlänge von 75 Oktetts hinausgeht";
    let training = open_training(&app, &trainer, json!({ "title": title })).await;
    create_training(&app, &trainer, json!({"title": "noch nicht offen"})).await;

    let response = app
        .anon(
            reqwest::Method::GET,
            "/v1/trainings/calendar.ics?topic=anti_discrimination",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(content_type.starts_with("text/calendar"), "{content_type}");
    let text = response.text().await.unwrap();

    // RFC 5545 3.1: every line ends in CRLF and none is longer than 75 octets.
    assert!(text.ends_with("\r\n"));
    for line in text.split("\r\n") {
        assert!(!line.contains('\n'), "a bare LF in {line:?}");
        assert!(line.len() <= 75, "unfolded line {line:?}");
    }
    assert!(text.contains("\r\n "), "the long title is folded");
    assert!(
        text.contains("Vielfalt\\, Recht\\; Praxis"),
        "text is escaped"
    );

    let calendar: Calendar = text.parse().expect("an iCalendar the parser reads");
    assert_eq!(calendar.property_value("VERSION"), Some("2.0"));
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    assert_eq!(
        events.len(),
        2,
        "one event per session of the open training only"
    );
    let first = events[0];
    let expected_uid = format!("training-{}-session-1@iqnet", id(&training));
    assert_eq!(first.get_uid(), Some(expected_uid.as_str()));
    assert_eq!(first.get_summary(), Some(format!("{title} (1/2)").as_str()));
    assert!(first.get_timestamp().is_some(), "DTSTAMP");
    assert_eq!(first.get_location(), Some("Jobcenter Leipzig, Raum 3"));
    let start = first.get_start().expect("DTSTART");
    assert_eq!(
        start,
        icalendar::DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(
            "2027-03-01T08:00:00Z".parse().unwrap()
        ))
    );
    assert_eq!(
        events[1].get_location(),
        Some("https://meet.example.org/ikoe")
    );
    assert_eq!(first.get_sequence(), Some(2), "the training's version");
    assert_eq!(
        first.get_categories(),
        Some(vec!["anti_discrimination".to_owned()])
    );

    let none = app
        .anon(
            reqwest::Method::GET,
            "/v1/trainings/calendar.ics?format=coaching",
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let empty: Calendar = none.parse().unwrap();
    assert!(empty.components.is_empty());
}
