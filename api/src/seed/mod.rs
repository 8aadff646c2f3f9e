//! `iqnet seed-demo --scale N`: fills an empty database with a realistic network, for
//! benchmarks and demonstrations. One unit of scale is one funding round of priority area 1
//! (about 200,000 advice seekers with their qualifications, cases, sessions and procedures,
//! priority area 2's 7,300 measures with enrolments of about 9% of the seekers, and area 3's
//! 3,600 trainings with about 55,000 participants, and area 4's skilled-worker networks with
//! 1,000 events and 25,000 employer consultations);
//! the structure (16 regional networks, about 400 sub-projects) does not grow with it.
//!
//! Rows go in with multi-row `INSERT`s of a few hundred rows, a few thousand rows per
//! transaction, never one statement per row, and never over HTTP. The data is generated through
//! the domain's own constructors (a procedure's state comes from `Procedure::apply`), and a fixed
//! random seed makes two runs of the same scale produce the same people.

mod intercultural;
mod network;
mod people;
mod skilled_workers;
mod training;

use std::sync::{Arc, Mutex, mpsc};
use std::time::Instant;

use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};
use iqnet_persistence::{Database, DbConnection, counselling, qualification};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use self::people::{Batch, Journeys, ReferenceData};

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
    pub measures: usize,
    pub trainings: intercultural::Written,
    pub networks: skilled_workers::Written,
    pub seconds: f64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let j = &self.journeys;
        write!(
            f,
            "{} organisations, {} sub-projects, {} advice centres, {} advice seekers, \
             {} qualifications, {} cases, {} sessions, {} recognition procedures, {} measures, \
             {} enrolments, {} trainings with {} participants, {} skilled-worker networks with \
             {} events and {} employer consultations in {:.1} s",
            self.organisations,
            self.sub_projects,
            self.advice_centres,
            j.seekers,
            j.qualifications,
            j.cases,
            j.sessions,
            j.procedures,
            self.measures,
            j.enrolments,
            self.trainings.trainings,
            self.trainings.participants,
            self.networks.networks,
            self.networks.events,
            self.networks.consultations,
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
    let today = iqnet_shared::time::today_in_germany();
    let measures = per_round(scale, training::MEASURES_PER_ROUND);
    let mut catalogue = db
        .write(|conn| {
            let offered = (
                network.providers.as_slice(),
                reference.occupations.as_slice(),
            );
            let span = (measures, people::span_days(scale));
            training::insert_measures(conn, &mut rng, offered, span, today)
        })
        .map_err(|e| e.to_string())?;

    let seekers = per_round(scale, SEEKERS_PER_ROUND);
    let bar = progress_bar(seekers, progress);
    let mut journeys = Journeys::new(&network, &reference, &mut catalogue, (scale, seekers));
    write_in_parallel(db, &bar, |send| {
        let mut generated = 0;
        while generated < seekers {
            let n = SEEKERS_PER_BATCH.min(seekers - generated);
            if !send(journeys.generate(&mut rng, n)) {
                return;
            }
            generated += n;
        }
    })?;
    bar.finish();
    let counts = journeys.counts;
    db.write(qualification::measures::recount_seats)
        .map_err(|e| e.to_string())?;
    let trainings = per_round(scale, intercultural::TRAININGS_PER_ROUND);
    let trainings = db
        .write(|conn| {
            let who = (
                network.trainers.as_slice(),
                network.organisation_ids.as_slice(),
            );
            let span = (trainings, people::span_days(scale));
            intercultural::insert_trainings(conn, &mut rng, who, span, today)
        })
        .map_err(|e| e.to_string())?;
    let occupations: Vec<_> = reference
        .occupations
        .iter()
        .map(|o| o.kldb_code.clone())
        .collect();
    let networks = db
        .write(|conn| {
            let counts = (
                per_round(scale, skilled_workers::EVENTS_PER_ROUND),
                per_round(scale, skilled_workers::CONSULTATIONS_PER_ROUND),
                people::span_days(scale),
            );
            let networkers = network.networkers.as_slice();
            skilled_workers::insert(conn, &mut rng, networkers, counts, (today, &occupations))
        })
        .map_err(|e| e.to_string())?;
    Ok(Summary {
        organisations: network.organisations,
        sub_projects: network.sub_projects,
        advice_centres: network.centres.len(),
        journeys: counts,
        measures: catalogue.measures,
        trainings,
        networks,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// How many of something the programme counts `per_round` of, at `scale` rounds. The scale is
/// checked to lie in (0, 100], so the product is a small positive number.
fn per_round(scale: f64, per_round: f64) -> usize {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let count = (scale * per_round).round() as usize;
    count
}

/// Connections writing batches at once: the database, not the generator, is the bottleneck, and
/// two keep both cores of a small machine busy.
const WRITERS: usize = 2;

/// Runs `generate` on this thread, handing each batch to `send`, while `WRITERS` threads write
/// them, each batch in its own transaction (it holds its seekers with all their records, so the
/// batches need no order). `send` is false once a writer failed: generation then stops, and the
/// first failure is returned.
fn write_in_parallel(
    db: &Database,
    bar: &ProgressBar,
    generate: impl FnOnce(&mut dyn FnMut(Batch) -> bool),
) -> Result<(), String> {
    let (batches, queue) = mpsc::sync_channel::<Batch>(WRITERS);
    let queue = Arc::new(Mutex::new(queue));
    std::thread::scope(|scope| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|_| {
                // Each writer holds the queue; when all have stopped, sending fails.
                let queue = Arc::clone(&queue);
                scope.spawn(move || -> Result<(), String> {
                    loop {
                        let next = queue.lock().map_err(|e| e.to_string())?.recv();
                        let Ok(batch) = next else { return Ok(()) };
                        db.write(|conn: &mut DbConnection| batch.insert(conn))
                            .map_err(|e| e.to_string())?;
                        bar.inc(batch.seekers() as u64);
                    }
                })
            })
            .collect();
        drop(queue);
        generate(&mut |batch| batches.send(batch).is_ok());
        drop(batches);
        writers
            .into_iter()
            .try_for_each(|w| w.join().unwrap_or_else(|_| Err("a writer panicked".into())))
    })
}

/// Where an offer with a lifecycle (a measure, a training) stands on `today`, by its dates:
/// one that ended completed (a few cancelled), one under way running, a future one mostly
/// open for enrolment, some still planned.
#[derive(Debug, Clone, Copy)]
enum Phase {
    Planned,
    Open,
    Running,
    Completed,
    Cancelled,
}

impl Phase {
    fn on(
        rng: &mut StdRng,
        (starts_on, ends_on): (NaiveDate, NaiveDate),
        today: NaiveDate,
    ) -> Phase {
        if ends_on < today {
            if rng.gen_bool(0.05) {
                Phase::Cancelled
            } else {
                Phase::Completed
            }
        } else if starts_on <= today {
            Phase::Running
        } else if rng.gen_bool(0.8) {
            Phase::Open
        } else {
            Phase::Planned
        }
    }
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
