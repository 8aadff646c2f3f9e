//! Advice seekers and their journeys: a qualification, one or two counselling cases with their
//! sessions, and for about a third a recognition procedure whose state the domain computed from
//! dated actions. Dates spread over the funding rounds seeded, newest last, and ids are UUIDv7
//! of those dates, so keyset order follows creation time as it does for real data.

use chrono::{DateTime, Days, NaiveDate, Utc};
use iqnet_counselling::procedure::{
    Action, CompensationMeasure, Decision, DecisionDetails, Procedure, ProcedureFacts,
};
use iqnet_counselling::records::{
    AdviceSeeker, Consent, CounsellingCase, CounsellingSession, ForeignQualification,
    RecognitionProcedure,
};
use iqnet_counselling::vocabulary::{
    AccessRoute, AgeBand, Benefit, CaseKind, CaseOutcome, CaseState, ConsentPurpose,
    EmploymentStatus, Gender, QualificationKind, SessionFormat, SessionKind, SessionTopic,
};
use iqnet_persistence::counselling::procedure_history::NewEvent;
use iqnet_persistence::reference::{OccupationFilter, list_countries, list_occupations};
use iqnet_persistence::{DbConnection, PageRequest, StoreError, counselling, qualification};
use iqnet_qualification::enrolment::Enrolment;
use iqnet_shared::authority::Seat;
use iqnet_shared::codes::{CountryCode, LanguageLevel};
use iqnet_shared::ids::{CaseId, ProcedureId, QualificationId, SeekerId, SessionId};
use iqnet_shared::records::{Country, ReferenceOccupation, Stamp};
use iqnet_shared::reference::ResidenceTitle;
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use super::network::{CounsellingPoint, Network};
use super::training::{Catalogue, found_gaps};

/// Days one funding round spans.
const DAYS_PER_ROUND: f64 = 3.0 * 365.0;

/// How far back the oldest journey starts at `scale` rounds.
pub fn span_days(scale: f64) -> u64 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let days = (scale.ceil() * DAYS_PER_ROUND) as u64;
    days
}

/// The reference data the journeys draw from (seeded by the migrations).
#[derive(Debug)]
pub struct ReferenceData {
    pub occupations: Vec<ReferenceOccupation>,
    countries: Vec<Country>,
    /// Where every seeker lives.
    germany: CountryCode,
}

impl ReferenceData {
    pub fn load(conn: &mut DbConnection) -> Result<ReferenceData, StoreError> {
        let everything = PageRequest {
            after: None,
            limit: 10_000,
        };
        let occupations = list_occupations(conn, &OccupationFilter::default(), &everything)?.items;
        let countries = list_countries(conn, None, &everything)?.items;
        if occupations.is_empty() || countries.is_empty() {
            return Err(StoreError::Unavailable(
                "the reference data is missing: migrate the database first".into(),
            ));
        }
        let germany = CountryCode::parse("DE")
            .map_err(|_| StoreError::Unavailable("DE is not a country code".into()))?;
        Ok(ReferenceData {
            occupations,
            countries,
            germany,
        })
    }
}

/// Rows written so far, by kind.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub seekers: usize,
    pub qualifications: usize,
    pub cases: usize,
    pub sessions: usize,
    pub procedures: usize,
    pub enrolments: usize,
}

/// One transaction's worth of journeys.
#[derive(Debug, Default)]
pub struct Batch {
    seekers: Vec<AdviceSeeker>,
    qualifications: Vec<ForeignQualification>,
    cases: Vec<CounsellingCase>,
    sessions: Vec<CounsellingSession>,
    procedures: Vec<RecognitionProcedure>,
    procedure_steps: Vec<NewEvent>,
    enrolments: Vec<Enrolment>,
}

impl Batch {
    pub fn seekers(&self) -> usize {
        self.seekers.len()
    }

    /// Parents before children, so foreign keys hold at every statement.
    pub fn insert(&self, conn: &mut DbConnection) -> Result<(), StoreError> {
        counselling::seekers::insert_many(conn, &self.seekers)?;
        counselling::qualifications::insert_many(conn, &self.qualifications)?;
        counselling::cases::insert_many(conn, &self.cases)?;
        counselling::sessions::insert_many(conn, &self.sessions)?;
        counselling::procedures::insert_many(conn, &self.procedures)?;
        counselling::procedure_history::record_events(conn, &self.procedure_steps)?;
        qualification::enrolments::insert_many(conn, &self.enrolments)?;
        Ok(())
    }
}

/// Generates journeys batch by batch, numbering the seekers across batches.
pub struct Journeys<'a> {
    points: &'a [CounsellingPoint],
    reference: &'a ReferenceData,
    today: NaiveDate,
    /// How far back the oldest journey starts.
    span_days: u64,
    /// Seekers to generate in all: the first starts `span_days` ago, the last today.
    total: u64,
    pub counts: Counts,
    /// The measures seekers enrol in.
    catalogue: &'a mut Catalogue,
}

impl<'a> Journeys<'a> {
    pub fn new(
        network: &'a Network,
        reference: &'a ReferenceData,
        catalogue: &'a mut Catalogue,
        (scale, total): (f64, usize),
    ) -> Journeys<'a> {
        Journeys {
            points: &network.centres,
            reference,
            today: iqnet_shared::time::today_in_germany(),
            span_days: span_days(scale),
            total: total.max(1) as u64,
            counts: Counts::default(),
            catalogue,
        }
    }

    /// `n` journeys, oldest first.
    pub fn generate(&mut self, rng: &mut StdRng, n: usize) -> Batch {
        let mut batch = Batch::default();
        for _ in 0..n {
            // Evenly over the span, oldest first, so the ids of successive batches ascend.
            let done = self.counts.seekers as u64 * self.span_days / self.total;
            let age = self.span_days.saturating_sub(done);
            let opened = self.today - Days::new(age);
            self.journey(rng, opened, &mut batch);
        }
        batch
    }

    fn journey(&mut self, rng: &mut StdRng, opened: NaiveDate, batch: &mut Batch) {
        let point = &self.points[rng.gen_range(0..self.points.len())];
        let occupation =
            &self.reference.occupations[rng.gen_range(0..self.reference.occupations.len())];
        let country = &self.reference.countries[rng.gen_range(0..self.reference.countries.len())];
        let seeker = seeker(
            rng,
            point,
            self.reference,
            country,
            opened,
            self.counts.seekers,
        );
        let qualification = qualification(rng, &seeker, occupation, country, opened);

        let two_cases = rng.gen_bool(0.3);
        let mut first_session = true;
        let mut case_opened = opened;
        let cases = if two_cases { 2 } else { 1 };
        let mut last_case = None;
        for n in 0..cases {
            let latest = n + 1 == cases;
            let case = case(rng, &seeker, case_opened, latest, self.today);
            for s in 0..rng.gen_range(1..=3u64) {
                let held_on = (case_opened + Days::new(s * 21)).min(self.today);
                let kind = if first_session {
                    SessionKind::First
                } else {
                    SessionKind::FollowUp
                };
                first_session = false;
                batch
                    .sessions
                    .push(session(rng, &case, point, kind, held_on));
                self.counts.sessions += 1;
            }
            case_opened = (case_opened + Days::new(rng.gen_range(120..400))).min(self.today);
            last_case = Some(case.id);
            batch.cases.push(case);
            self.counts.cases += 1;
        }
        let mut answered = None;
        if rng.gen_bool(0.35) {
            let submitted = (opened + Days::new(rng.gen_range(14..60))).min(self.today);
            let facts = ProcedureFacts::recognition(
                occupation.regulated,
                country.eu_eea_ch,
                rng.gen_bool(0.1),
            );
            // The authority is taken to sit in the state the seeker is counselled in.
            let filed = Procedure::submit(facts, Seat::in_state(point.state), submitted);
            let (procedure, steps) = procedure(
                rng,
                filed,
                &qualification,
                last_case,
                occupation,
                self.today,
            );
            batch.procedure_steps.extend(steps);
            self.counts.procedures += 1;
            if found_gaps(&procedure) {
                answered = Some(procedure.clone());
            }
            batch.procedures.push(procedure);
        }
        // Half of those whose decision found gaps take a measure, and a few others do: about
        // 9% of all seekers, as in the programme.
        let enrols = match &answered {
            Some(_) => rng.gen_bool(0.5),
            None => rng.gen_bool(0.035),
        };
        if enrols {
            let after = answered
                .as_ref()
                .and_then(|p| p.procedure.decided_on)
                .unwrap_or(opened);
            let place = (point.state, after);
            let found = self
                .catalogue
                .enrol(rng, &seeker, place, answered.as_ref(), self.today);
            if let Some(enrolment) = found {
                batch.enrolments.push(enrolment);
                self.counts.enrolments += 1;
            }
        }
        batch.qualifications.push(qualification);
        batch.seekers.push(seeker);
        self.counts.qualifications += 1;
        self.counts.seekers += 1;
    }
}

pub(super) fn pick<T: Copy>(rng: &mut StdRng, values: &[T]) -> T {
    *values.choose(rng).unwrap_or(&values[0])
}

/// Noon of `day`: the instant records of that day carry.
pub(super) fn at(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc()
}

/// A UUIDv7 of `day`, so the keyset order of generated rows follows their dates.
pub(super) fn uuid_of(rng: &mut StdRng, day: NaiveDate) -> uuid::Uuid {
    let millis = u64::try_from(at(day).timestamp_millis()).unwrap_or(0) + rng.gen_range(0..86_400);
    let mut bytes: [u8; 10] = rng.r#gen();
    bytes[0] &= 0x0f;
    uuid::Builder::from_unix_timestamp_millis(millis, &bytes).into_uuid()
}

fn seeker(
    rng: &mut StdRng,
    point: &CounsellingPoint,
    reference: &ReferenceData,
    country: &Country,
    opened: NaiveDate,
    n: usize,
) -> AdviceSeeker {
    AdviceSeeker {
        id: SeekerId(uuid_of(rng, opened)),
        organisation_id: point.organisation,
        client_code: format!("DEMO-{n:07}"),
        name: Some(format!("Demo Person {n}")),
        email: None,
        phone: None,
        gender: pick(rng, Gender::ALL),
        age_band: Some(pick(rng, AgeBand::ALL)),
        nationalities: vec![country.code.clone()],
        country_of_residence: reference.germany.clone(),
        residence: iqnet_counselling::residence::Residence::default(),
        year_of_entry: Some(2015 + rng.gen_range(0..10)),
        residence_title: Some(pick(rng, ResidenceTitle::ALL)),
        german_level: Some(pick(rng, LanguageLevel::ALL)),
        employment_status: Some(pick(rng, EmploymentStatus::ALL)),
        benefits: vec![pick(rng, Benefit::ALL)],
        consents: vec![Consent {
            purpose: ConsentPurpose::Counselling,
            given_at: at(opened),
            withdrawn_at: None,
        }],
        stamp: Stamp::new(at(opened)),
    }
}

fn qualification(
    rng: &mut StdRng,
    seeker: &AdviceSeeker,
    occupation: &ReferenceOccupation,
    country: &Country,
    opened: NaiveDate,
) -> ForeignQualification {
    ForeignQualification {
        id: QualificationId(uuid_of(rng, opened)),
        seeker_id: seeker.id,
        organisation_id: seeker.organisation_id,
        kind: pick(
            rng,
            &[QualificationKind::Vocational, QualificationKind::Academic],
        ),
        title: occupation.title_en.clone(),
        country: country.code.clone(),
        year_acquired: Some(2000 + rng.gen_range(0..20)),
        dqr_level: None,
        reference_occupation: Some(occupation.kldb_code.clone()),
        regulated: occupation.regulated,
        competent_authority_kind: Some(occupation.competent_authority_kind),
        training_months: Some(pick(rng, &[24, 36, 48, 60])),
        experience_months: Some(rng.gen_range(0..120)),
        recognised_in: None,
        stamp: Stamp::new(at(opened)),
    }
}

fn case(
    rng: &mut StdRng,
    seeker: &AdviceSeeker,
    opened: NaiveDate,
    latest: bool,
    today: NaiveDate,
) -> CounsellingCase {
    // An earlier case is always over; of the latest, most are closed, some still running.
    let state = if !latest {
        CaseState::Closed
    } else {
        match rng.gen_range(0..100) {
            0..10 => CaseState::Open,
            10..25 => CaseState::InProgress,
            25..95 => CaseState::Closed,
            _ => CaseState::Abandoned,
        }
    };
    let over = matches!(state, CaseState::Closed | CaseState::Abandoned);
    let closed_on = over.then(|| (opened + Days::new(rng.gen_range(30..180))).min(today));
    let outcome = (state == CaseState::Closed).then(|| pick(rng, CaseOutcome::ALL));
    CounsellingCase {
        id: CaseId(uuid_of(rng, opened)),
        seeker_id: seeker.id,
        organisation_id: seeker.organisation_id,
        kind: pick(rng, CaseKind::ALL),
        access_route: pick(rng, AccessRoute::ALL),
        state,
        outcome,
        recommendations: outcome
            .map(iqnet_counselling::outcome::recommendation_of)
            .into_iter()
            .collect(),
        situation_at_intake: None,
        status_at_intake: iqnet_counselling::status::StatusSnapshot::of_seeker(seeker, opened),
        status_at_close: None,
        opened_on: opened,
        closed_on,
        stamp: Stamp::new(at(closed_on.unwrap_or(opened))),
    }
}

fn session(
    rng: &mut StdRng,
    case: &CounsellingCase,
    point: &CounsellingPoint,
    kind: SessionKind,
    held_on: NaiveDate,
) -> CounsellingSession {
    let mut topics = SessionTopic::ALL.to_vec();
    topics.shuffle(rng);
    topics.truncate(rng.gen_range(1..=3));
    CounsellingSession {
        id: SessionId(uuid_of(rng, held_on)),
        case_id: case.id,
        seeker_id: case.seeker_id,
        organisation_id: case.organisation_id,
        kind,
        format: pick(
            rng,
            &[
                SessionFormat::InPerson,
                SessionFormat::Phone,
                SessionFormat::Video,
            ],
        ),
        held_on,
        duration_minutes: pick(rng, &[30, 45, 60, 90]),
        language: pick(rng, &["de", "en", "ar", "uk", "tr"]).to_owned(),
        topics,
        centre_id: Some(point.centre),
        counsellor_id: None,
        stamp: Stamp::new(at(held_on)),
    }
}

/// A procedure taken as far as its dates allow: receipt, complete documents, a decision, with
/// the history of those steps. Each goes through `Procedure::apply`, so the stored state is
/// one the domain would reach.
fn procedure(
    rng: &mut StdRng,
    filed: Procedure,
    qualification: &ForeignQualification,
    case: Option<CaseId>,
    occupation: &ReferenceOccupation,
    today: NaiveDate,
) -> (RecognitionProcedure, Vec<NewEvent>) {
    let (facts, submitted_on) = (filed.facts, filed.submitted_on);
    let id = ProcedureId(uuid_of(rng, submitted_on));
    let mut procedure = filed;
    let mut history = Vec::new();
    let receipt = submitted_on + Days::new(rng.gen_range(5..35));
    let complete = receipt + Days::new(rng.gen_range(10..60));
    let decided = complete + Days::new(rng.gen_range(30..100));
    let steps = [
        Action::ConfirmReceipt {
            on: receipt,
            complete_on_receipt: false,
        },
        Action::CompleteDocuments { on: complete },
        Action::Decide {
            on: decided,
            decision: decision(rng, facts),
        },
    ];
    for step in steps {
        if step.on() > today {
            break;
        }
        match procedure.apply(&step) {
            Ok(next) => procedure = next,
            Err(_) => break,
        }
        history.push(NewEvent {
            id: uuid_of(rng, step.on()),
            procedure: id,
            action: step.name(),
            happened_on: step.on(),
            details: serde_json::to_string(&step).unwrap_or_default(),
            at: at(step.on()),
        });
    }
    let procedure = RecognitionProcedure {
        id,
        qualification_id: qualification.id,
        seeker_id: qualification.seeker_id,
        case_id: case,
        organisation_id: qualification.organisation_id,
        authority_id: None,
        follows_procedure_id: None,
        authority_name: Some(format!(
            "{} ({})",
            occupation.competent_authority_kind.as_str(),
            occupation.kldb_code.as_str()
        )),
        stamp: Stamp::new(at(procedure.last_action_on)),
        procedure,
    };
    (procedure, history)
}

fn decision(rng: &mut StdRng, facts: ProcedureFacts) -> DecisionDetails {
    let differences = vec!["practical experience in the German health system".to_owned()];
    let full = DecisionDetails {
        decision: Decision::FullEquivalence,
        substantial_differences: Vec::new(),
        compensation: None,
        adaptation_period_months: None,
        language_exam_required: false,
    };
    if rng.gen_bool(0.55) {
        return full;
    }
    if facts.regulated {
        DecisionDetails {
            decision: Decision::CompensationRequired,
            substantial_differences: differences,
            compensation: Some(CompensationMeasure::AptitudeTest),
            ..full
        }
    } else {
        DecisionDetails {
            decision: Decision::PartialEquivalence,
            substantial_differences: differences,
            ..full
        }
    }
}
