//! Regional skilled-worker networks (priority area 4): one per federal state, coordinated by an
//! organisation running a skilled-immigration sub-project, with the state's other such
//! organisations as members standing for the authorities and services a company is referred to,
//! and a dozen companies as partners. Per funding round about 1,000 events and 25,000 employer
//! consultations (DOMAIN.md), spread over the round.

use chrono::{Days, NaiveDate, TimeDelta};
use iqnet_networks::consultation::{Consultation, ConsultationReferral, Inquiry};
use iqnet_networks::event::{Attendance, EventFacts, NetworkEvent};
use iqnet_networks::network::{Member, SkilledWorkerNetwork};
use iqnet_networks::vocabulary::{
    ConsultationState, EventKind, EventState, MemberRole, ReferralService, StakeholderKind, Topic,
};
use iqnet_persistence::{DbConnection, StoreError, skilled_workers, structure};
use iqnet_shared::codes::{CountryCode, KldbCode, StateCode};
use iqnet_shared::ids::{
    ConsultationId, ConsultationReferralId, NetworkEventId, OrganisationId, SkilledWorkerNetworkId,
};
use iqnet_shared::records::{Organisation, Stamp};
use iqnet_shared::structure::OrganisationKind;
use rand::Rng;
use rand::rngs::StdRng;

use super::people::{at, pick, uuid_of};

pub const EVENTS_PER_ROUND: f64 = 1_000.0;
pub const CONSULTATIONS_PER_ROUND: f64 = 25_000.0;
const COMPANIES_PER_STATE: usize = 12;

/// What was written.
#[derive(Debug, Default, Clone, Copy)]
pub struct Written {
    pub networks: usize,
    pub events: usize,
    pub consultations: usize,
}

/// One state's network and who can be referred to in it.
struct Regional {
    network: SkilledWorkerNetwork,
    companies: Vec<OrganisationId>,
    /// Members that answer referrals, with the service they stand for.
    services: Vec<(OrganisationId, ReferralService)>,
}

/// Writes the networks, then `events` and `consultations` over the last `span_days`.
pub fn insert(
    conn: &mut DbConnection,
    rng: &mut StdRng,
    networkers: &[(OrganisationId, StateCode)],
    (events, consultations, span_days): (usize, usize, u64),
    (today, occupations): (NaiveDate, &[KldbCode]),
) -> Result<Written, StoreError> {
    let founded = today - Days::new(span_days);
    let mut regions = Vec::new();
    for &state in StateCode::ALL {
        let mine: Vec<OrganisationId> = networkers
            .iter()
            .filter(|(_, s)| *s == state)
            .map(|(o, _)| *o)
            .collect();
        let Some(&coordinator) = mine.first() else {
            continue;
        };
        let companies = companies(state, founded);
        structure::organisations::insert_many(conn, &companies)?;
        let region = regional(state, coordinator, &mine, &companies, founded);
        skilled_workers::networks::insert(conn, &region.network)?;
        regions.push(region);
    }
    let mut written = Written {
        networks: regions.len(),
        ..Written::default()
    };
    if regions.is_empty() {
        return Ok(written);
    }
    for i in 0..events {
        let day = founded + Days::new(i as u64 * (span_days + 90) / events.max(1) as u64);
        let region = &regions[rng.gen_range(0..regions.len())];
        let event = event(rng, &region.network, day, today);
        skilled_workers::events::insert(conn, &event, region.network.regional_network)?;
        written.events += 1;
    }
    for i in 0..consultations {
        let day = founded + Days::new(i as u64 * span_days / consultations.max(1) as u64);
        let region = &regions[rng.gen_range(0..regions.len())];
        let c = consultation(rng, region, (day, today), occupations);
        skilled_workers::consultations::insert(conn, &c)?;
        written.consultations += 1;
    }
    Ok(written)
}

fn companies(state: StateCode, founded: NaiveDate) -> Vec<Organisation> {
    (1..=COMPANIES_PER_STATE)
        .map(|n| Organisation {
            id: OrganisationId::new(),
            name: format!("Demo GmbH {} {n}", state.as_str()),
            kind: if n % 4 == 0 {
                OrganisationKind::CompanyLarge
            } else {
                OrganisationKind::CompanySme
            },
            state,
            street: None,
            postcode: None,
            city: None,
            email: None,
            phone: None,
            website: None,
            stamp: Stamp::new(at(founded)),
        })
        .collect()
}

/// The state's network: the coordinator leads; the other skilled-immigration organisations
/// stand for the services companies are referred to; the companies are partners.
fn regional(
    state: StateCode,
    coordinator: OrganisationId,
    networkers: &[OrganisationId],
    companies: &[Organisation],
    founded: NaiveDate,
) -> Regional {
    let member = |organisation_id, role, stakeholder_kind| Member {
        organisation_id,
        role,
        stakeholder_kind,
        joined_on: founded,
        left_on: None,
    };
    let mut members = vec![member(
        coordinator,
        MemberRole::Lead,
        StakeholderKind::WelcomeCenter,
    )];
    let mut services = Vec::new();
    let kinds = [
        (
            StakeholderKind::RecognitionAuthority,
            ReferralService::RecognitionAuthority,
        ),
        (
            StakeholderKind::ForeignersAuthority,
            ReferralService::ForeignersAuthority,
        ),
        (
            StakeholderKind::EmploymentAgency,
            ReferralService::EmployerService,
        ),
    ];
    for (&organisation, (kind, service)) in networkers.iter().skip(1).zip(kinds) {
        members.push(member(organisation, MemberRole::Member, kind));
        services.push((organisation, service));
    }
    if services.is_empty() {
        // A state with a single skilled-immigration organisation refers within it.
        services.push((coordinator, ReferralService::EmployerService));
    }
    for company in companies {
        members.push(member(
            company.id,
            MemberRole::Partner,
            StakeholderKind::Company,
        ));
    }
    Regional {
        network: SkilledWorkerNetwork {
            id: SkilledWorkerNetworkId::new(),
            regional_network: state,
            name: format!("Fachkräftenetzwerk {}", state.as_str()),
            coordinator_organisation_id: coordinator,
            members,
            stamp: Stamp::new(at(founded)),
        },
        companies: companies.iter().map(|c| c.id).collect(),
        services,
    }
}

fn event(
    rng: &mut StdRng,
    network: &SkilledWorkerNetwork,
    day: NaiveDate,
    today: NaiveDate,
) -> NetworkEvent {
    let starts_at = at(day) - TimeDelta::hours(2);
    let state = if day >= today {
        EventState::Planned
    } else if rng.gen_bool(0.05) {
        EventState::Cancelled
    } else {
        EventState::Held
    };
    let attendance = if state == EventState::Held {
        [
            StakeholderKind::Company,
            StakeholderKind::EmploymentAgency,
            StakeholderKind::Chamber,
        ]
        .into_iter()
        .map(|stakeholder_kind| Attendance {
            stakeholder_kind,
            count: rng.gen_range(1..15),
        })
        .collect()
    } else {
        Vec::new()
    };
    let kind = pick(rng, EventKind::ALL);
    NetworkEvent {
        id: NetworkEventId(uuid_of(rng, day)),
        network_id: network.id,
        organisation_id: network.coordinator_organisation_id,
        facts: EventFacts {
            kind,
            title: format!("Fachkräftesicherung: {}", kind.as_str()),
            description: None,
            starts_at,
            ends_at: starts_at + TimeDelta::hours(3),
            venue: Some(format!("Demo-Forum {}", network.regional_network.as_str())),
            topics: vec![pick(rng, Topic::ALL)],
            public: rng.gen_bool(0.7),
        },
        state,
        attendance,
        stamp: Stamp::new(at((day - Days::new(30)).min(today))),
    }
}

/// A company's inquiry of `day`: those older than two months are referred (with the members'
/// answers) or closed; recent ones are still new or in progress.
fn consultation(
    rng: &mut StdRng,
    region: &Regional,
    (day, today): (NaiveDate, NaiveDate),
    occupations: &[KldbCode],
) -> Consultation {
    let old = day + Days::new(60) < today;
    let state = match (old, rng.gen_range(0..10)) {
        (true, 0..6) => ConsultationState::Closed,
        (true, _) => ConsultationState::Referred,
        (false, 0..5) => ConsultationState::Inquiry,
        (false, _) => ConsultationState::InProgress,
    };
    let referrals = if state == ConsultationState::Referred {
        let (to, service) = region.services[rng.gen_range(0..region.services.len())];
        let sent_on = day + Days::new(rng.gen_range(3..20));
        vec![ConsultationReferral {
            id: ConsultationReferralId(uuid_of(rng, sent_on)),
            to_organisation_id: to,
            service,
            sent_on,
            answer: Some("Beraten, Unterlagen angefordert".into()),
            answered_on: Some(sent_on + Days::new(rng.gen_range(2..20))),
        }]
    } else {
        Vec::new()
    };
    let closed_on =
        (state == ConsultationState::Closed).then(|| day + Days::new(rng.gen_range(5..45)));
    let country = CountryCode::parse(pick(rng, &["IN", "PH", "TN", "VN", "BR", "MX", "MA", "CO"]));
    Consultation {
        id: ConsultationId(uuid_of(rng, day)),
        network_id: region.network.id,
        organisation_id: region.network.coordinator_organisation_id,
        company_id: region.companies[rng.gen_range(0..region.companies.len())],
        seeker_id: None,
        inquiry: Inquiry {
            topics: vec![pick(rng, Topic::ALL)],
            target_occupations: occupations
                .get(rng.gen_range(0..occupations.len().max(1)))
                .cloned()
                .into_iter()
                .collect(),
            countries: country.into_iter().collect(),
            posts: rng.gen_range(1..10),
            received_on: day,
        },
        state,
        referrals,
        closed_on,
        stamp: Stamp::new(at(day)),
    }
}
