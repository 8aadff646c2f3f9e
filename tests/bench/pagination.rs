//! Keyset pagination costs the same on page 1 and on page 2,000.
//!
//! Seeds 100,000 organisations, then times one 50-row page read from the start and one read
//! from near the end (by cursor), alternating, and prints the medians and their ratio. Runs on
//! SQLite, and on PostgreSQL too when `TEST_DATABASE_URL` names a server.
//!
//!     cargo bench -p iqnet-tests --bench pagination

// A benchmark program: a failed step aborts it with its message.
#![allow(clippy::expect_used)]

use std::time::{Duration, Instant};

use diesel::{Connection, RunQueryDsl};
use iqnet_persistence::structure::{self, organisations::OrganisationFilter};
use iqnet_persistence::{Database, PageRequest, PoolSettings};
use iqnet_shared::codes::StateCode;
use iqnet_shared::ids::OrganisationId;
use iqnet_shared::records::{Organisation, Stamp};
use iqnet_shared::structure::OrganisationKind;

const ROWS: usize = 100_000;
const RUNS: usize = 201;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = format!("sqlite://{}", dir.path().join("bench.db").display());
    run("sqlite", &sqlite);
    if let Ok(server) = std::env::var("TEST_DATABASE_URL") {
        let name = format!("iqnet_bench_{}", uuid::Uuid::now_v7().simple());
        let mut admin = diesel::pg::PgConnection::establish(&server).expect("connect");
        diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
            .execute(&mut admin)
            .expect("create");
        let root = server
            .rsplit_once('/')
            .map_or(server.as_str(), |(root, _)| root);
        run("postgres", &format!("{root}/{name}"));
        diesel::sql_query(format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
            .execute(&mut admin)
            .expect("drop");
    }
}

fn run(backend: &str, url: &str) {
    let db = Database::connect(url, &PoolSettings::default()).expect("connect");
    db.migrate().expect("migrate");
    let seeded = Instant::now();
    db.write(|conn| -> Result<(), iqnet_persistence::StoreError> {
        for i in 0..ROWS {
            structure::organisations::insert(conn, &organisation(i))?;
        }
        Ok(())
    })
    .expect("seed");
    let seeding = seeded.elapsed();

    let filter = OrganisationFilter::default();
    let first = PageRequest {
        after: None,
        limit: 50,
    };
    // The cursor of page 1,999: the next read is page 2,000 of 2,000.
    let deep_after = {
        let mut page = first.clone();
        let mut conn = db.conn().expect("conn");
        for _ in 0..1_998 {
            let p = structure::organisations::list(&mut conn, &filter, &page).expect("page");
            page.after = p.next_after;
        }
        page
    };
    let mut conn = db.conn().expect("conn");
    let (mut t_first, mut t_deep) = (Vec::with_capacity(RUNS), Vec::with_capacity(RUNS));
    for _ in 0..RUNS {
        t_first.push(time(|| {
            structure::organisations::list(&mut conn, &filter, &first)
                .expect("page")
                .items
                .len()
        }));
        t_deep.push(time(|| {
            structure::organisations::list(&mut conn, &filter, &deep_after)
                .expect("page")
                .items
                .len()
        }));
    }
    let (m_first, m_deep) = (median(&mut t_first), median(&mut t_deep));
    println!(
        "{backend}: {ROWS} rows seeded in {:.1} s; page 1 median {:.0} µs, page 2,000 median {:.0} µs, ratio {:.2}",
        seeding.as_secs_f64(),
        micros(m_first),
        micros(m_deep),
        micros(m_deep) / micros(m_first)
    );
}

fn organisation(i: usize) -> Organisation {
    Organisation {
        id: OrganisationId::new(),
        name: format!("Organisation {i}"),
        kind: OrganisationKind::ALL[i % OrganisationKind::ALL.len()],
        state: StateCode::ALL[i % StateCode::ALL.len()],
        street: None,
        postcode: Some("10115".into()),
        city: Some("Berlin".into()),
        email: None,
        phone: None,
        website: None,
        stamp: Stamp::new(iqnet_shared::time::now()),
    }
}

fn time(f: impl FnOnce() -> usize) -> Duration {
    let start = Instant::now();
    assert_eq!(f(), 50, "a full page");
    start.elapsed()
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
