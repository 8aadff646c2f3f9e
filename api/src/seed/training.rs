//! Bridge training (priority area 2): about 7,300 measures per funding round by the providers
//! of the network, and enrolments of about 9% of the seekers, most of them answering a decision
//! of partial equivalence or compensation (DOMAIN.md: 17,678 entrants in one round, about 11,000
//! successful). A measure's state follows its dates; an enrolment's follows its measure's, and
//! never takes a seat the measure does not have.

use std::collections::HashMap;

use chrono::{Days, Months, NaiveDate};
use iqnet_counselling::procedure::Decision;
use iqnet_counselling::records::{AdviceSeeker, RecognitionProcedure};
use iqnet_persistence::{DbConnection, StoreError, qualification};
use iqnet_qualification::enrolment::Enrolment;
use iqnet_qualification::measure::{Measure, MeasureFacts, Module};
use iqnet_qualification::vocabulary::{
    EmploymentAfter, EnrolmentResult, EnrolmentState, Funding, MeasureFormat, MeasureMode,
    MeasureState, MeasureType, ModuleKind,
};
use iqnet_shared::codes::{LanguageLevel, StateCode};
use iqnet_shared::ids::{EnrolmentId, MeasureId, OrganisationId};
use iqnet_shared::records::{ReferenceOccupation, Stamp};
use rand::Rng;
use rand::rngs::StdRng;

use super::Phase;
use super::people::{at, pick, uuid_of};

/// Measures per funding round (one unit of `--scale`).
pub const MEASURES_PER_ROUND: f64 = 7_300.0;

/// What an enrolment can be placed in: the measures of one state, with their free seats.
#[derive(Debug, Clone, Copy)]
struct Offer {
    id: MeasureId,
    state: MeasureState,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    seats_left: i32,
}

/// The measures written, by the state they are held in.
#[derive(Debug, Default)]
pub struct Catalogue {
    by_state: HashMap<StateCode, Vec<Offer>>,
    pub measures: usize,
}

/// Writes `count` measures of `providers`, starting between `span_days` ago and half a year
/// ahead, and returns them as a catalogue for the enrolments.
pub fn insert_measures(
    conn: &mut DbConnection,
    rng: &mut StdRng,
    (providers, occupations): (&[(OrganisationId, StateCode)], &[ReferenceOccupation]),
    (count, span_days): (usize, u64),
    today: NaiveDate,
) -> Result<Catalogue, StoreError> {
    let mut catalogue = Catalogue::default();
    if providers.is_empty() {
        return Ok(catalogue);
    }
    let first = today - Days::new(span_days);
    let mut chunk = Vec::new();
    for i in 0..count {
        // Evenly over the span and half a year beyond, oldest first.
        let offset = (i as u64 * (span_days + 180)) / count.max(1) as u64;
        let starts_on = first + Days::new(offset);
        let &(provider, state) = &providers[rng.gen_range(0..providers.len())];
        let measure = measure(rng, (provider, state), occupations, starts_on, today);
        catalogue.by_state.entry(state).or_default().push(Offer {
            id: measure.id,
            state: measure.state,
            starts_on,
            ends_on: measure.facts.ends_on,
            seats_left: measure.facts.capacity,
        });
        chunk.push(measure);
        if chunk.len() == 5_000 {
            qualification::measures::insert_many(conn, &chunk)?;
            chunk.clear();
        }
    }
    qualification::measures::insert_many(conn, &chunk)?;
    catalogue.measures = count;
    Ok(catalogue)
}

fn measure(
    rng: &mut StdRng,
    (provider, state): (OrganisationId, StateCode),
    occupations: &[ReferenceOccupation],
    starts_on: NaiveDate,
    today: NaiveDate,
) -> Measure {
    let weeks = rng.gen_range(8..40);
    let ends_on = starts_on + Days::new(weeks * 7);
    let occupation = &occupations[rng.gen_range(0..occupations.len())];
    let measure_state = match Phase::on(rng, (starts_on, ends_on), today) {
        Phase::Planned => MeasureState::Planned,
        Phase::Open => MeasureState::Open,
        Phase::Running => MeasureState::Running,
        Phase::Completed => MeasureState::Completed,
        Phase::Cancelled => MeasureState::Cancelled,
    };
    let announced = (starts_on - Days::new(90)).min(today);
    let hours = i32::try_from(weeks * 25).unwrap_or(500);
    Measure {
        id: MeasureId(uuid_of(rng, announced)),
        organisation_id: provider,
        facts: MeasureFacts {
            title: format!("Brückenmaßnahme {}", occupation.title_de),
            kind: pick(rng, MeasureType::ALL),
            format: if rng.gen_bool(0.85) {
                MeasureFormat::Course
            } else {
                MeasureFormat::Individual
            },
            target_occupations: vec![occupation.kldb_code.clone()],
            regulated: occupation.regulated,
            mode: pick(rng, MeasureMode::ALL),
            hours,
            weeks: i32::try_from(weeks).unwrap_or(20),
            required_german_level: Some(pick(
                rng,
                &[LanguageLevel::A2, LanguageLevel::B1, LanguageLevel::B2],
            )),
            venue: Some(format!("Demo-Lernort {}", state.as_str())),
            venue_state: state,
            capacity: rng.gen_range(12..=25),
            starts_on,
            ends_on,
            azav_certified: rng.gen_bool(0.7),
            modules: vec![
                Module {
                    kind: ModuleKind::Technical,
                    hours: hours * 2 / 3,
                },
                Module {
                    kind: ModuleKind::VocationalLanguage,
                    hours: hours - hours * 2 / 3,
                },
            ],
        },
        state: measure_state,
        seats_taken: 0,
        stamp: Stamp::new(at(announced)),
    }
}

impl Catalogue {
    /// An enrolment of `seeker` in a measure of their state starting after `after`, answering
    /// `procedure` if given; `None` when no such measure has a seat to give.
    pub fn enrol(
        &mut self,
        rng: &mut StdRng,
        seeker: &AdviceSeeker,
        (state, after): (StateCode, NaiveDate),
        procedure: Option<&RecognitionProcedure>,
        today: NaiveDate,
    ) -> Option<Enrolment> {
        let offers = self.by_state.get_mut(&state)?;
        let offer = (0..8)
            .map(|_| rng.gen_range(0..offers.len()))
            .find(|&i| {
                let o = &offers[i];
                o.state != MeasureState::Planned && o.starts_on > after
            })
            .map(|i| &mut offers[i])?;
        let applied_on = (offer.starts_on - Days::new(30)).max(after).min(today);
        let holds_seat = offer.seats_left > 0;
        let (state, result, ended_on) = outcome(rng, offer, holds_seat)?;
        // Everyone but the waiting list sat in the measure: one who left a running measure keeps
        // the seat taken, as the API does (`Enrolment::apply`).
        if state != EnrolmentState::Waitlisted {
            offer.seats_left -= 1;
        }
        let employment_after = ended_on
            .map(|end| end + Months::new(7))
            .filter(|on| *on <= today && state == EnrolmentState::CompletedSuccess)
            .filter(|_| rng.gen_bool(0.6))
            .map(|on| (pick(rng, EmploymentAfter::ALL), on));
        let mut stamp = Stamp::new(at(applied_on));
        stamp.updated_at = at(ended_on.unwrap_or(applied_on));
        Some(Enrolment {
            id: EnrolmentId(uuid_of(rng, applied_on)),
            measure_id: offer.id,
            seeker_id: seeker.id,
            organisation_id: seeker.organisation_id,
            referral_id: None,
            procedure_id: procedure.map(|p| p.id),
            state,
            funding: Some(pick(rng, Funding::ALL)),
            result,
            ended_on,
            exit_recorded_at: ended_on.map(at),
            employment_after,
            follow_up_procedure_id: None,
            stamp,
        })
    }
}

/// Where an enrolment stands, given its measure's state: `None` when the measure no longer takes
/// anyone (it has begun and has no seat).
fn outcome(
    rng: &mut StdRng,
    offer: &Offer,
    holds_seat: bool,
) -> Option<(EnrolmentState, Option<EnrolmentResult>, Option<NaiveDate>)> {
    let dropped_on = |rng: &mut StdRng| {
        let days = (offer.ends_on - offer.starts_on).num_days().max(1);
        offer.starts_on + Days::new(rng.gen_range(0..days).unsigned_abs())
    };
    Some(match (offer.state, holds_seat) {
        (MeasureState::Open, true) | (MeasureState::Cancelled, true) => {
            (EnrolmentState::Admitted, None, None)
        }
        (MeasureState::Open, false) => (EnrolmentState::Waitlisted, None, None),
        (MeasureState::Running, true) if rng.gen_bool(0.9) => (EnrolmentState::Active, None, None),
        (MeasureState::Running, true) => (EnrolmentState::DroppedOut, None, Some(dropped_on(rng))),
        (MeasureState::Completed, true) => match rng.gen_range(0..100) {
            // About 11,000 of 17,678 entrants succeed.
            0..62 => {
                let result = pick(
                    rng,
                    &[
                        EnrolmentResult::FullRecognition,
                        EnrolmentResult::ExamPassed,
                        EnrolmentResult::AdequateEmploymentPrerequisite,
                    ],
                );
                let state = EnrolmentState::CompletedSuccess;
                (state, Some(result), Some(offer.ends_on))
            }
            62..82 => (
                EnrolmentState::CompletedWithoutSuccess,
                Some(EnrolmentResult::None),
                Some(offer.ends_on),
            ),
            _ => (EnrolmentState::DroppedOut, None, Some(dropped_on(rng))),
        },
        _ => return None,
    })
}

/// Whether a procedure's decision found gaps a measure can close.
pub fn found_gaps(procedure: &RecognitionProcedure) -> bool {
    matches!(
        procedure.procedure.decision.as_ref().map(|d| d.decision),
        Some(Decision::PartialEquivalence | Decision::CompensationRequired)
    )
}
