//! Intercultural trainings (priority area 3): about 3,600 per funding round by the network's
//! training providers, with their sessions, the organisations' registrations of places, and
//! for those that took place participation counts per session (DOMAIN.md: about 55,000
//! participants in one round, so about 15 a training). No personal data: counts only.

use chrono::{Days, NaiveDate, TimeDelta};
use iqnet_intercultural::participation::ParticipationCount;
use iqnet_intercultural::registration::Registration;
use iqnet_intercultural::training::{Training, TrainingFacts, TrainingSession};
use iqnet_intercultural::vocabulary::{
    ParticipantGender, RegistrationState, StaffFunction, TargetKind, TrainingFormat, TrainingState,
    TrainingTopic,
};
use iqnet_persistence::{DbConnection, StoreError, intercultural};
use iqnet_shared::codes::StateCode;
use iqnet_shared::ids::{OrganisationId, RegistrationId, TrainingId};
use iqnet_shared::records::Stamp;
use rand::Rng;
use rand::rngs::StdRng;

use super::Phase;
use super::people::{at, pick, uuid_of};

/// Trainings per funding round (one unit of `--scale`).
pub const TRAININGS_PER_ROUND: f64 = 3_600.0;

/// What was written.
#[derive(Debug, Default, Clone, Copy)]
pub struct Written {
    pub trainings: usize,
    pub participants: i64,
}

/// Writes `count` trainings of `providers`, starting between `span_days` ago and half a year
/// ahead, with registrations from `organisations` and, once held, participation counts.
pub fn insert_trainings(
    conn: &mut DbConnection,
    rng: &mut StdRng,
    (providers, organisations): (&[(OrganisationId, StateCode)], &[OrganisationId]),
    (count, span_days): (usize, u64),
    today: NaiveDate,
) -> Result<Written, StoreError> {
    let mut written = Written::default();
    if providers.is_empty() || organisations.is_empty() {
        return Ok(written);
    }
    let first = today - Days::new(span_days);
    for i in 0..count {
        // Evenly over the span and half a year beyond, oldest first.
        let offset = (i as u64 * (span_days + 180)) / count.max(1) as u64;
        let starts_on = first + Days::new(offset);
        let &(provider, state) = &providers[rng.gen_range(0..providers.len())];
        let mut training = training(rng, (provider, state), starts_on, today);
        let registrations = registrations(rng, &training, organisations);
        training.places_taken = registrations.iter().map(|r| r.places).sum();
        intercultural::trainings::insert(conn, &training)?;
        intercultural::registrations::insert_many(conn, &registrations)?;
        if matches!(
            training.state,
            TrainingState::Running | TrainingState::Completed
        ) {
            for (n, session) in training.facts.sessions.iter().enumerate() {
                if session.starts_at.date_naive() > today {
                    break;
                }
                let counts = participation(rng, training.places_taken);
                // People, not attendances: a training's participants are its first session's.
                if n == 0 {
                    let people: i32 = counts.iter().map(|c| c.participants).sum();
                    written.participants += i64::from(people);
                }
                let number = i32::try_from(n + 1).unwrap_or(1);
                intercultural::participation::replace(conn, training.id, number, &counts)?;
            }
        }
        written.trainings += 1;
    }
    Ok(written)
}

fn training(
    rng: &mut StdRng,
    (provider, state): (OrganisationId, StateCode),
    starts_on: NaiveDate,
    today: NaiveDate,
) -> Training {
    let sessions: Vec<TrainingSession> = (0..rng.gen_range(1..=3u64))
        .map(|n| {
            let day = starts_on + Days::new(n * 7);
            let starts_at = at(day) - TimeDelta::hours(3);
            TrainingSession {
                starts_at,
                ends_at: starts_at + TimeDelta::hours(6),
                hours: 6,
                venue: Some(format!("Demo-Schulungsraum {}", state.as_str())),
                online_url: None,
            }
        })
        .collect();
    let ends_on = sessions
        .last()
        .map_or(starts_on, |s| s.ends_at.date_naive());
    let state = match Phase::on(rng, (starts_on, ends_on), today) {
        Phase::Planned => TrainingState::Planned,
        Phase::Open => TrainingState::Open,
        Phase::Running => TrainingState::Running,
        Phase::Completed => TrainingState::Completed,
        Phase::Cancelled => TrainingState::Cancelled,
    };
    let announced = (starts_on - Days::new(60)).min(today);
    let facts = TrainingFacts {
        title: pick(rng, &TITLES).to_owned(),
        description: None,
        format: pick(rng, TrainingFormat::ALL),
        topics: vec![pick(rng, TrainingTopic::ALL)],
        target_kinds: vec![pick(rng, TargetKind::ALL)],
        trainer_ids: Vec::new(),
        capacity: rng.gen_range(15..=25),
        sessions,
    };
    Training {
        id: TrainingId(uuid_of(rng, announced)),
        organisation_id: provider,
        facts,
        state,
        places_taken: 0,
        stamp: Stamp::new(at(announced)),
    }
}

const TITLES: [&str; 4] = [
    "Interkulturelle Kompetenz in der Beratung",
    "Diskriminierungssensibel handeln",
    "Interkulturelle Öffnung der Verwaltung",
    "Anerkennung ausländischer Abschlüsse für Arbeitgeber",
];

/// Three to five organisations' registrations, within the capacity; none while planned.
fn registrations(
    rng: &mut StdRng,
    training: &Training,
    organisations: &[OrganisationId],
) -> Vec<Registration> {
    if training.state == TrainingState::Planned {
        return Vec::new();
    }
    let registered_on = training.stamp.created_at;
    let mut free = training.facts.capacity;
    let mut all = Vec::new();
    for _ in 0..rng.gen_range(3..=5) {
        let places = rng.gen_range(4..=10).min(free);
        if places == 0 {
            break;
        }
        free -= places;
        all.push(Registration {
            id: RegistrationId(uuid_of(rng, registered_on.date_naive())),
            training_id: training.id,
            organisation_id: organisations[rng.gen_range(0..organisations.len())],
            places,
            function: pick(rng, StaffFunction::ALL),
            note: None,
            state: RegistrationState::Confirmed,
            stamp: Stamp::new(registered_on + TimeDelta::hours(1)),
        });
    }
    all
}

/// A session's counts: most of the registered places filled, spread over a few combinations.
fn participation(rng: &mut StdRng, places: i32) -> Vec<ParticipationCount> {
    let mut left = (places * rng.gen_range(85..=100) / 100).max(1);
    let mut counts: Vec<ParticipationCount> = Vec::new();
    while left > 0 {
        let participants = rng.gen_range(1..=left.min(6));
        left -= participants;
        let (kind, gender, function) = (
            pick(rng, TargetKind::ALL),
            pick(rng, ParticipantGender::ALL),
            pick(rng, StaffFunction::ALL),
        );
        // Each combination once: a repeated one adds to the count already there.
        match counts
            .iter_mut()
            .find(|c| (c.organisation_kind, c.gender, c.function) == (kind, gender, function))
        {
            Some(c) => c.participants += participants,
            None => counts.push(ParticipationCount {
                organisation_kind: kind,
                gender,
                function,
                participants,
            }),
        }
    }
    counts
}
