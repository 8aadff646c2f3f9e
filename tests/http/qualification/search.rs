//! The public search of open measures: each filter, planned measures hidden, keyset pages.

use serde_json::{Value, json};

use super::{create_measure, open_measure, provider};
use crate::support::TestApp;
use crate::support::app::items;

trials! {
    backends:
        each_filter_finds_exactly_its_measures,
        the_search_pages_with_a_cursor;
}

async fn titles(app: &TestApp, query: &str) -> Vec<String> {
    let page = app.public(&format!("/v1/measures?{query}")).ok().await;
    let mut found: Vec<String> = items(&page)
        .iter()
        .map(|m| m["title"].as_str().unwrap().to_owned())
        .collect();
    found.sort();
    found
}

async fn each_filter_finds_exactly_its_measures(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-BE").await;
    let t = |title: &str, rest: Value| {
        let mut body = rest;
        body["title"] = json!(title);
        body
    };
    open_measure(&app, &trainer, t("nursing", json!({}))).await;
    open_measure(
        &app,
        &trainer,
        t(
            "engineering",
            json!({
                "target_occupations": ["25104"], "type": "bridge_academic", "mode": "online",
                "venue_state": "DE-HH", "required_german_level": "c1", "starts_on": "2027-05-01",
                "regulated": false
            }),
        ),
    )
    .await;
    open_measure(
        &app,
        &trainer,
        t(
            "language",
            json!({
                "type": "technical_language", "mode": "blended", "required_german_level": null,
                "starts_on": "2027-01-10", "target_occupations": ["81302", "25104"]
            }),
        ),
    )
    .await;
    create_measure(&app, &trainer, t("planned", json!({}))).await;

    assert_eq!(
        titles(&app, "").await,
        ["engineering", "language", "nursing"],
        "open only"
    );
    assert_eq!(
        titles(&app, "occupation=25104").await,
        ["engineering", "language"]
    );
    assert_eq!(titles(&app, "venue_state=DE-HH").await, ["engineering"]);
    assert_eq!(titles(&app, "type=technical_language").await, ["language"]);
    assert_eq!(titles(&app, "mode=in_person").await, ["nursing"]);
    assert_eq!(
        titles(&app, "starts_from=2027-02-01").await,
        ["engineering", "nursing"]
    );
    assert_eq!(
        titles(&app, "starts_until=2027-03-01").await,
        ["language", "nursing"]
    );
    assert_eq!(
        titles(&app, "starts_from=2027-02-01&starts_until=2027-04-30").await,
        ["nursing"]
    );
    assert_eq!(titles(&app, "german_level=a2").await, ["language"]);
    assert_eq!(
        titles(&app, "german_level=b2").await,
        ["language", "nursing"]
    );
    assert_eq!(
        titles(&app, "german_level=c2").await,
        ["engineering", "language", "nursing"]
    );
    assert_eq!(
        titles(&app, "occupation=81302&mode=blended").await,
        ["language"]
    );
    assert_eq!(titles(&app, "state=planned").await, ["planned"]);
    let page = app.public("/v1/measures?occupation=25104").ok().await;
    let language = items(&page)
        .iter()
        .find(|m| m["title"] == "language")
        .unwrap();
    assert_eq!(language["target_occupations"], json!(["25104", "81302"]));
}

async fn the_search_pages_with_a_cursor(app: TestApp) {
    let (_, trainer) = provider(&app, "DE-BE").await;
    for n in 0..3 {
        open_measure(&app, &trainer, json!({"title": format!("m{n}")})).await;
    }
    let first = app.public("/v1/measures?limit=2").ok().await;
    assert_eq!(items(&first).len(), 2);
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let second = app
        .public(&format!("/v1/measures?limit=2&cursor={cursor}"))
        .ok()
        .await;
    assert_eq!(items(&second).len(), 1);
    assert_eq!(items(&second)[0]["title"], "m2");
    assert_eq!(second["next_cursor"], json!(null));
    app.public("/v1/measures?colour=red")
        .problem(reqwest::StatusCode::BAD_REQUEST)
        .await;
    // A range that ends before it starts is a mistake to point out, not an empty result; the
    // public calendars of areas 3 and 4 answer it alike.
    for path in [
        "/v1/measures?starts_from=2027-06-01&starts_until=2027-03-01",
        "/v1/trainings?from=2027-06-01&until=2027-03-01",
        "/v1/event-calendar?from=2027-06-01T00:00:00Z&until=2027-03-01T00:00:00Z",
    ] {
        let problem = app
            .public(path)
            .problem(reqwest::StatusCode::BAD_REQUEST)
            .await;
        assert_eq!(problem["errors"][0]["code"], "after_end_of_range", "{path}");
    }
}
