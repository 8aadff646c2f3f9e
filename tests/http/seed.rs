//! `iqnet seed-demo`: a realistic network in bulk, which the API then serves like any other data.

use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::support::{TestApp, id};

trials! {
    backends:
        the_demo_network_is_served_like_any_other_data,
        concurrent_reads_each_leave_their_audit_row;
}

async fn the_demo_network_is_served_like_any_other_data(app: TestApp) {
    // Two batches of seekers, so that what spans batches is tested too.
    let summary = app.seed_demo(0.05).await.expect("seeded");
    assert!(summary.contains("10000 advice seekers"), "{summary}");
    assert!(summary.contains("400 sub-projects"), "{summary}");

    let projects = app
        .get(app.admin(), "/v1/sub-projects?limit=500")
        .ok()
        .await;
    assert_eq!(projects["items"].as_array().unwrap().len(), 400);
    let berlin = app
        .get(
            app.admin(),
            "/v1/sub-projects?regional_network=DE-BE&limit=500",
        )
        .ok()
        .await;
    assert_eq!(berlin["items"].as_array().unwrap().len(), 25);

    // Keyset pages walk all 1,000 seekers, each once, in id order.
    let mut seen: Vec<String> = Vec::new();
    let mut path = "/v1/advice-seekers?limit=500".to_owned();
    loop {
        let page = app.get(app.admin(), &path).ok().await;
        seen.extend(items(&page).iter().map(|s| id(s).to_owned()));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/v1/advice-seekers?limit=500&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 10_000);
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "ascending, no repeats"
    );

    // A generated journey is whole: its qualification, cases and sessions all load.
    let seeker = app
        .get(app.admin(), "/v1/advice-seekers?limit=1")
        .ok()
        .await["items"][0]
        .clone();
    let journey = app.journey(app.admin(), &seeker).ok().await;
    let events: Vec<&str> = items_of(&journey, "events")
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    for step in ["qualification_recorded", "case_opened", "session_held"] {
        assert!(events.contains(&step), "{step} in {events:?}");
    }

    // A generated procedure carries the history of the steps that brought it where it is.
    let procedure = app
        .get(app.admin(), "/v1/recognition-procedures?limit=1")
        .ok()
        .await["items"][0]
        .clone();
    let holder = json!({"id": procedure["seeker_id"]});
    let journey = app.journey(app.admin(), &holder).ok().await;
    let steps: Vec<&str> = items_of(&journey, "events")
        .iter()
        .filter(|e| e["resource_id"] == procedure["id"])
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(steps[0], "procedure_submitted", "{steps:?}");
    assert!(
        steps.contains(&"procedure_confirm_receipt"),
        "{steps:?} of {procedure}"
    );

    // Journeys spread evenly over the funding round's three years, across batches too.
    let today = chrono::Utc::now().date_naive();
    let (mut recent, mut all) = (0, 0);
    let mut path = "/v1/counselling-cases?limit=500".to_owned();
    loop {
        let page = app.get(app.admin(), &path).ok().await;
        for case in items(&page) {
            let opened: chrono::NaiveDate = case["opened_on"].as_str().unwrap().parse().unwrap();
            all += 1;
            recent += usize::from((today - opened).num_days() < 365);
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/v1/counselling-cases?limit=500&cursor={cursor}"),
            None => break,
        }
    }
    let share = recent as f64 / all as f64;
    assert!(
        (0.25..0.45).contains(&share),
        "{recent} of {all} cases opened in the last year"
    );

    bridge_training_is_seeded(&app, &summary).await;
    trainings_are_seeded(&app, &summary).await;
    skilled_worker_networks_are_seeded(&app, &summary).await;

    // Demo data never mixes into a database that holds people already.
    let again = app.seed_demo(0.001).await.unwrap_err();
    assert!(again.contains("already holds advice seekers"), "{again}");
}

/// Reads are audited by group commit: many at once share commits, and each response is sent
/// only once its own row is stored, so none is missing afterwards.
async fn concurrent_reads_each_leave_their_audit_row(app: TestApp) {
    let (_, token) = app.counsellor("DE-HH").await;
    let seeker = app.seeker(&token).consents(["counselling"]).create().await;
    let reads = (0..40).map(|n| {
        app.get_seeker(&token, &seeker)
            .header("x-request-id", &format!("read-{n}"))
            .ok()
    });
    for read in join_all(reads).await {
        assert_eq!(read["id"], seeker["id"]);
    }
    let log = app
        .get(
            app.admin(),
            &format!("/v1/advice-seekers/{}/audit-log?limit=500", id(&seeker)),
        )
        .ok()
        .await;
    let mut read_ids: Vec<&str> = items(&log)
        .iter()
        .filter(|e| e["action"] == "read")
        .map(|e| e["request_id"].as_str().unwrap())
        .collect();
    read_ids.sort_unstable();
    let mut expected: Vec<String> = (0..40).map(|n| format!("read-{n}")).collect();
    expected.sort_unstable();
    assert_eq!(read_ids, expected);
}

fn items(page: &Value) -> &Vec<Value> {
    items_of(page, "items")
}

fn items_of<'a>(value: &'a Value, key: &str) -> &'a Vec<Value> {
    value[key].as_array().unwrap()
}

/// 7,300 measures and about 17,700 entrants per round: at 0.05 rounds 365 measures, and
/// enrolments of about 9% of 10,000 seekers, none beyond a measure's capacity.
async fn bridge_training_is_seeded(app: &TestApp, summary: &str) {
    assert!(summary.contains(" 365 measures"), "{summary}");
    let enrolments: usize = summary
        .split(" enrolments")
        .next()
        .and_then(|head| head.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!((600..1_200).contains(&enrolments), "{summary}");
    let (mut measures, mut seats) = (0, 0);
    for state in ["planned", "open", "running", "completed", "cancelled"] {
        let path = format!("/v1/measures?state={state}&limit=500");
        let page = app.public(&path).ok().await;
        for m in items(&page) {
            let (taken, capacity) = (
                m["seats_taken"].as_i64().unwrap(),
                m["capacity"].as_i64().unwrap(),
            );
            assert!(taken <= capacity, "{m}");
            measures += 1;
            seats += taken;
        }
    }
    assert_eq!(measures, 365);
    assert!(
        seats > 0 && seats <= enrolments as i64,
        "{seats} seats for {enrolments}"
    );
}

/// 3,600 trainings and about 55,000 participants per round: at 0.05 rounds 180 trainings, the
/// registrations within each one's capacity.
async fn trainings_are_seeded(app: &TestApp, summary: &str) {
    let number_before = |word: &str| -> i64 {
        summary
            .split(word)
            .next()
            .and_then(|head| head.rsplit(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(-1)
    };
    assert_eq!(number_before(" trainings"), 180, "{summary}");
    let participants = number_before(" participants");
    assert!((1_500..3_500).contains(&participants), "{summary}");
    let mut trainings = 0;
    for state in ["planned", "open", "running", "completed", "cancelled"] {
        let path = format!("/v1/trainings?state={state}&limit=500");
        for t in items(&app.public(&path).ok().await) {
            assert!(t["places_taken"].as_i64() <= t["capacity"].as_i64(), "{t}");
            trainings += 1;
        }
    }
    assert_eq!(trainings, 180);
}

/// One skilled-worker network per state; 1,000 events and 25,000 consultations per round: at
/// 0.05 rounds 50 and 1,250, each consultation of a company partnering in its network.
async fn skilled_worker_networks_are_seeded(app: &TestApp, summary: &str) {
    assert!(
        summary
            .contains("16 skilled-worker networks with 50 events and 1250 employer consultations"),
        "{summary}"
    );
    let networks = app
        .public("/v1/skilled-worker-networks?limit=100")
        .ok()
        .await;
    assert_eq!(items(&networks).len(), 16);
    let mut consultations = 0;
    for network in items(&networks) {
        let partners: Vec<&Value> = network["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| &m["organisation_id"])
            .collect();
        let path = format!(
            "/v1/skilled-worker-networks/{}/consultations?limit=500",
            id(network)
        );
        for c in items(&app.get(app.admin(), &path).ok().await) {
            assert!(partners.contains(&&c["company_id"]), "{c}");
            consultations += 1;
        }
    }
    assert_eq!(consultations, 1_250);
}
