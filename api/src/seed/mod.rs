//! `iqnet seed-demo --scale N`: fills an empty database with a realistic network, for
//! benchmarks and demonstrations. One unit of scale is one funding round of priority area 1
//! (about 200,000 advice seekers with their qualifications, cases, sessions and procedures);
//! the structure (16 regional networks, about 400 sub-projects) does not grow with it.
//!
//! Rows go in with multi-row `INSERT`s of a few hundred rows, a few thousand rows per
//! transaction, never one statement per row, and never over HTTP. The data is generated through
//! the domain's own constructors (a procedure's state comes from `Procedure::apply`), and a fixed
//! random seed makes two runs of the same scale produce the same people.

mod network;
mod people;

use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use iqnet_persistence::{Database, DbConnection, counselling};
use rand::SeedableRng;
use rand::rngs::StdRng;

use self::people::{Journeys, ReferenceData};

/// Advice seekers per funding round (one unit of `--scale`).
pub const SEEKERS_PER_ROUND: f64 = 200_000.0;

/// Seekers generated and written per transaction: large enough that commits are rare, small
/// enough that memory stays flat (about 10 MB per batch).
const SEEKERS_PER_BATCH: usize = 5_000;

/// What one run wrote.
#[derive(Debug, Default)]
pub struct Summary {
    pub organisations: usize,
    pub sub_projects: usize,
    pub advice_centres: usize,
    pub journeys: people::Counts,
    pub seconds: f64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let j = &self.journeys;
        write!(
            f,
            "{} organisations, {} sub-projects, {} advice centres, {} advice seekers, \
             {} qualifications, {} cases, {} sessions, {} recognition procedures in {:.1} s",
            self.organisations,
            self.sub_projects,
            self.advice_centres,
            j.seekers,
            j.qualifications,
            j.cases,
            j.sessions,
            j.procedures,
            self.seconds
        )
    }
}

/// Fills `db` (already migrated) at `scale` funding rounds. Refuses a database that already
/// holds advice seekers: demo data mixed into real data could never be told apart again.
pub fn seed_demo(db: &Database, scale: f64, progress: bool) -> Result<Summary, String> {
    if !(scale > 0.0 && scale <= 100.0) {
        return Err(format!(
            "--scale must be above 0 and at most 100, not {scale}"
        ));
    }
    let started = Instant::now();
    let mut conn = db.conn().map_err(|e| e.to_string())?;
    if counselling::seekers::any(&mut conn).map_err(|e| e.to_string())? {
        return Err("the database already holds advice seekers; seed an empty one".into());
    }
    let mut rng = StdRng::seed_from_u64(SEED);
    let network = db
        .write(|conn| network::insert(conn, &mut rng))
        .map_err(|e| e.to_string())?;
    let reference = ReferenceData::load(&mut conn).map_err(|e| e.to_string())?;
    drop(conn);

    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let seekers = (scale * SEEKERS_PER_ROUND).round() as usize;
    let bar = progress_bar(seekers, progress);
    let mut journeys = Journeys::new(&network, &reference, scale);
    let mut written = 0;
    while written < seekers {
        let batch = SEEKERS_PER_BATCH.min(seekers - written);
        let generated = journeys.generate(&mut rng, batch);
        db.write(|conn: &mut DbConnection| generated.insert(conn))
            .map_err(|e| e.to_string())?;
        written += batch;
        bar.inc(batch as u64);
    }
    bar.finish();
    Ok(Summary {
        organisations: network.organisations,
        sub_projects: network.sub_projects,
        advice_centres: network.centres.len(),
        journeys: journeys.counts,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The seed of the generator: the same data on every run.
const SEED: u64 = 0x6971_6e65_7400_0001;

fn progress_bar(total: usize, visible: bool) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total as u64);
    if let Ok(style) = ProgressStyle::with_template(
        "{elapsed_precise} [{wide_bar}] {human_pos}/{human_len} advice seekers ({per_sec}, {eta} left)",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}
