//! The public search of open measures costs the same over 10,000 measures as over 100.
//!
//! For each size, a fresh database holds that many measures: 30 that every search below finds
//! (nursing, in the third state, adaptation qualifications starting in April 2027, A2 German),
//! and the rest, which none of the filtered searches finds (other occupations, states, types,
//! later starts and higher German; one in six still planned). So every search returns the same
//! full page of 20 at each size, and what grows is only what an index must skip. Each search
//! reads its first page, alternating, and the program prints each one's median per size and
//! the ratio of the largest size to the smallest. Runs on SQLite, and on PostgreSQL too when
//! `TEST_DATABASE_URL` names a server.
//!
//!     cargo bench -p iqnet-tests --bench measure_search

// A benchmark program: a failed step aborts it with its message.
#![allow(clippy::expect_used)]

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use diesel::{Connection, RunQueryDsl};
use iqnet_persistence::qualification::measures::{self, MeasureFilter};
use iqnet_persistence::{Database, PageRequest, PoolSettings};
use iqnet_qualification::measure::{Measure, MeasureFacts, Module};
use iqnet_qualification::vocabulary::{
    MeasureFormat, MeasureMode, MeasureState, MeasureType, ModuleKind,
};
use iqnet_shared::codes::{KldbCode, LanguageLevel, StateCode};
use iqnet_shared::ids::OrganisationId;
use iqnet_shared::records::{Organisation, Stamp};
use iqnet_shared::structure::OrganisationKind;

const SIZES: [usize; 2] = [100, 10_000];
const RUNS: usize = 201;
/// Measures every search finds, at each size.
const FOUND: usize = 30;
const OTHER_OCCUPATIONS: [&str; 7] = [
    "81404", "81474", "81804", "82102", "81712", "83112", "84114",
];

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut results = Vec::new();
    for size in SIZES {
        let path = dir.path().join(format!("search-{size}.db"));
        let url = format!("sqlite://{}", path.display());
        results.push(("sqlite", size, run(&url, size)));
    }
    if let Ok(server) = std::env::var("TEST_DATABASE_URL") {
        for size in SIZES {
            let (url, drop) = postgres_database(&server);
            results.push(("postgres", size, run(&url, size)));
            drop();
        }
    }
    report(&results);
}

/// A database of its own on the server, and how to drop it.
fn postgres_database(server: &str) -> (String, impl FnOnce()) {
    let name = format!("iqnet_bench_{}", uuid::Uuid::now_v7().simple());
    let mut admin = diesel::pg::PgConnection::establish(server).expect("connect");
    diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .expect("create");
    let root = server.rsplit_once('/').map_or(server, |(root, _)| root);
    let url = format!("{root}/{name}");
    let drop = move || {
        diesel::sql_query(format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
            .execute(&mut admin)
            .expect("drop");
    };
    (url, drop)
}

/// The searches a frontend makes, by name.
fn searches() -> Vec<(&'static str, MeasureFilter)> {
    let open = MeasureFilter {
        state: MeasureState::Open,
        occupation: None,
        venue_state: None,
        kind: None,
        mode: None,
        starts_from: None,
        starts_until: None,
        german_level: None,
        organisation_id: None,
        updated_since: None,
    };
    vec![
        ("all open", open.clone()),
        (
            "occupation",
            MeasureFilter {
                occupation: Some(KldbCode::parse("81302").expect("code")),
                ..open.clone()
            },
        ),
        (
            "state + type",
            MeasureFilter {
                venue_state: Some(StateCode::ALL[2]),
                kind: Some(MeasureType::AdaptationQualification),
                ..open.clone()
            },
        ),
        (
            "start range + German",
            MeasureFilter {
                starts_from: Some(date(2027, 3, 1)),
                starts_until: Some(date(2027, 6, 30)),
                german_level: Some(LanguageLevel::B1),
                ..open
            },
        ),
    ]
}

/// Median time of each search's first page over a database of `size` measures.
fn run(url: &str, size: usize) -> Medians {
    let db = Database::connect(url, &PoolSettings::default()).expect("connect");
    db.migrate().expect("migrate");
    db.write(|conn| -> Result<(), iqnet_persistence::StoreError> {
        let provider = organisation();
        iqnet_persistence::structure::organisations::insert(conn, &provider)?;
        for i in 0..size {
            measures::insert(conn, &measure(provider.id, i))?;
        }
        Ok(())
    })
    .expect("seed");
    let mut conn = db.conn().expect("conn");
    // Let the planner see the table as it is (PostgreSQL's autovacuum may not have run yet).
    let _ = diesel::sql_query("ANALYZE").execute(&mut conn);
    let first = PageRequest {
        after: None,
        limit: 20,
    };
    let searches = searches();
    let mut samples: Vec<Vec<Duration>> = vec![Vec::with_capacity(RUNS); searches.len()];
    for _ in 0..RUNS {
        for ((_, filter), times) in searches.iter().zip(&mut samples) {
            let start = Instant::now();
            let page = measures::search(&mut conn, filter, &first).expect("search");
            times.push(start.elapsed());
            assert_eq!(page.items.len(), 20, "a full page");
        }
    }
    searches
        .iter()
        .zip(&mut samples)
        .map(|((name, _), times)| (*name, median(times)))
        .collect()
}

/// Each search's median, by name.
type Medians = Vec<(&'static str, Duration)>;

fn report(results: &[(&str, usize, Medians)]) {
    for backend in ["sqlite", "postgres"] {
        let of = |size: usize| {
            results
                .iter()
                .find(|(b, s, _)| *b == backend && *s == size)
                .map(|(_, _, r)| r)
        };
        let (Some(small), Some(large)) = (of(SIZES[0]), of(SIZES[1])) else {
            continue;
        };
        for ((name, a), (_, b)) in small.iter().zip(large) {
            println!(
                "{backend}: {name:<22} median {:>6.0} µs over {} measures, {:>6.0} µs over {}, ratio {:.2}",
                micros(*a),
                SIZES[0],
                micros(*b),
                SIZES[1],
                micros(*b) / micros(*a)
            );
        }
    }
}

/// Measure `i`: one of the [`FOUND`] that every search finds, or one no filter matches.
fn measure(provider: OrganisationId, i: usize) -> Measure {
    let found = i < FOUND;
    let starts_on = if found {
        date(2027, 4, 1)
    } else {
        date(2028, 1, 1) + chrono::Days::new((i * 7 % 730) as u64)
    };
    let pick = |all_but_first: usize| 1 + i % all_but_first;
    let facts = MeasureFacts {
        title: format!("Measure {i}"),
        kind: if found {
            MeasureType::AdaptationQualification
        } else {
            MeasureType::ALL[pick(MeasureType::ALL.len() - 1)]
        },
        format: MeasureFormat::Course,
        target_occupations: vec![
            KldbCode::parse(if found {
                "81302"
            } else {
                OTHER_OCCUPATIONS[i % OTHER_OCCUPATIONS.len()]
            })
            .expect("code"),
        ],
        regulated: true,
        mode: MeasureMode::ALL[i % MeasureMode::ALL.len()],
        hours: 400,
        weeks: 20,
        required_german_level: Some(if found {
            LanguageLevel::A2
        } else {
            LanguageLevel::ALL[4 + i % 3]
        }),
        venue: Some("Berlin".into()),
        venue_state: if found {
            StateCode::ALL[2]
        } else {
            // Every state but the third.
            StateCode::ALL[(3 + i % 15) % 16]
        },
        capacity: 20,
        starts_on,
        ends_on: starts_on + chrono::Days::new(140),
        azav_certified: i.is_multiple_of(2),
        modules: vec![Module {
            kind: ModuleKind::Technical,
            hours: 400,
        }],
    };
    let planned = Measure::plan(provider, facts, iqnet_shared::time::now()).expect("valid");
    let state = if !found && i % 6 == 5 {
        MeasureState::Planned
    } else {
        MeasureState::Open
    };
    Measure { state, ..planned }
}

fn organisation() -> Organisation {
    Organisation {
        id: OrganisationId::new(),
        name: "Bildungsträger".into(),
        kind: OrganisationKind::ALL[0],
        state: StateCode::ALL[0],
        street: None,
        postcode: Some("10115".into()),
        city: Some("Berlin".into()),
        email: None,
        phone: None,
        website: None,
        stamp: Stamp::new(iqnet_shared::time::now()),
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
