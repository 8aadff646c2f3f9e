//! The network's structure: per federal state a dozen organisations running about 25
//! sub-projects across the four priority areas (400 in all), and the advice centres of the
//! counselling sub-projects.

use chrono::NaiveDate;
use iqnet_counselling::records::AdviceCentre;
use iqnet_counselling::vocabulary::{CentreKind, ContactFormat};
use iqnet_persistence::{DbConnection, StoreError, counselling, structure};
use iqnet_shared::codes::StateCode;
use iqnet_shared::ids::{AdviceCentreId, OrganisationId, SubProjectId};
use iqnet_shared::records::{Organisation, Stamp, SubProject};
use iqnet_shared::structure::{OrganisationKind, PriorityArea};
use rand::Rng;
use rand::rngs::StdRng;

const ORGANISATIONS_PER_STATE: usize = 12;
/// Sub-projects per state by priority area: 25 per state, 400 in all.
const SUB_PROJECTS_PER_STATE: [(PriorityArea, usize); 4] = [
    (PriorityArea::Counselling, 10),
    (PriorityArea::Qualification, 8),
    (PriorityArea::Intercultural, 4),
    (PriorityArea::SkilledImmigration, 3),
];

/// Where advice seekers can be counselled: one per advice centre, so organisations with more
/// centres counsel more people.
#[derive(Debug, Clone)]
pub struct CounsellingPoint {
    pub organisation: OrganisationId,
    pub state: StateCode,
    pub centre: AdviceCentreId,
}

/// What the structure holds, as far as the people generated next need it.
#[derive(Debug)]
pub struct Network {
    pub organisations: usize,
    pub sub_projects: usize,
    pub centres: Vec<CounsellingPoint>,
    /// The organisations running bridge training (a priority-area-2 sub-project), with their
    /// state: they provide the measures.
    pub providers: Vec<(OrganisationId, StateCode)>,
    /// The organisations running intercultural trainings (a priority-area-3 sub-project).
    pub trainers: Vec<(OrganisationId, StateCode)>,
    /// The organisations running skilled-immigration sub-projects (area 4): they coordinate
    /// and join the skilled-worker networks.
    pub networkers: Vec<(OrganisationId, StateCode)>,
    /// Every organisation: they register staff for trainings.
    pub organisation_ids: Vec<OrganisationId>,
}

pub fn insert(conn: &mut DbConnection, rng: &mut StdRng) -> Result<Network, StoreError> {
    let stamp = Stamp::new(iqnet_shared::time::now());
    let mut organisations = Vec::new();
    let mut sub_projects = Vec::new();
    let mut centres = Vec::new();
    let mut providers = Vec::new();
    let mut trainers = Vec::new();
    let mut networkers = Vec::new();
    for &state in StateCode::ALL {
        let city = capital(state);
        let orgs: Vec<Organisation> = (1..=ORGANISATIONS_PER_STATE)
            .map(|n| organisation(state, city, n, stamp))
            .collect();
        let mut n = 0;
        for (area, count) in SUB_PROJECTS_PER_STATE {
            for _ in 0..count {
                let owner = &orgs[n % orgs.len()];
                n += 1;
                let project = sub_project(owner, area, n, stamp);
                let runs = match area {
                    PriorityArea::Qualification => Some(&mut providers),
                    PriorityArea::Intercultural => Some(&mut trainers),
                    PriorityArea::SkilledImmigration => Some(&mut networkers),
                    _ => None,
                };
                if let Some(list) = runs
                    && !list.contains(&(owner.id, state))
                {
                    list.push((owner.id, state));
                }
                if area == PriorityArea::Counselling {
                    centres.push(centre(&project, owner, city, CentreKind::Fixed, stamp));
                    if rng.gen_bool(0.5) {
                        centres.push(centre(&project, owner, city, CentreKind::Mobile, stamp));
                    }
                }
                sub_projects.push(project);
            }
        }
        organisations.extend(orgs);
    }
    structure::organisations::insert_many(conn, &organisations)?;
    structure::sub_projects::insert_many(conn, &sub_projects)?;
    counselling::centres::insert_many(conn, &centres)?;
    Ok(Network {
        organisations: organisations.len(),
        sub_projects: sub_projects.len(),
        centres: centres
            .iter()
            .map(|c| CounsellingPoint {
                organisation: c.organisation_id,
                state: c.state,
                centre: c.id,
            })
            .collect(),
        providers,
        trainers,
        networkers,
        organisation_ids: organisations.iter().map(|o| o.id).collect(),
    })
}

fn organisation(state: StateCode, city: &str, n: usize, stamp: Stamp) -> Organisation {
    let kind = if n == 1 {
        OrganisationKind::Municipality
    } else {
        OrganisationKind::Provider
    };
    Organisation {
        id: OrganisationId::new(),
        name: format!("Demo {city} Träger {n}"),
        kind,
        state,
        street: Some(format!("Hauptstraße {n}")),
        postcode: Some(format!("{:05}", 10_000 + n * 7)),
        city: Some(city.to_owned()),
        email: None,
        phone: None,
        website: None,
        stamp,
    }
}

fn sub_project(owner: &Organisation, area: PriorityArea, n: usize, stamp: Stamp) -> SubProject {
    SubProject {
        id: SubProjectId::new(),
        organisation_id: owner.id,
        regional_network: owner.state,
        priority_area: area,
        title: format!("{} {} {n}", area.as_str(), owner.state.as_str()),
        starts_on: NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default(),
        ends_on: NaiveDate::from_ymd_opt(2028, 12, 31),
        stamp,
    }
}

fn centre(
    project: &SubProject,
    owner: &Organisation,
    city: &str,
    kind: CentreKind,
    stamp: Stamp,
) -> AdviceCentre {
    AdviceCentre {
        id: AdviceCentreId::new(),
        organisation_id: owner.id,
        sub_project_id: Some(project.id),
        name: format!("{} ({})", project.title, kind.as_str()),
        kind,
        state: owner.state,
        street: owner.street.clone(),
        postcode: owner.postcode.clone().unwrap_or_default(),
        city: city.to_owned(),
        languages: vec!["de".into(), "en".into(), "ar".into(), "uk".into()],
        formats: vec![
            ContactFormat::InPerson,
            ContactFormat::Phone,
            ContactFormat::Video,
        ],
        opening_hours: Some("Mon-Thu 9:00-16:00".into()),
        email: None,
        phone: None,
        stamp,
    }
}

fn capital(state: StateCode) -> &'static str {
    match state.as_str() {
        "DE-BW" => "Stuttgart",
        "DE-BY" => "München",
        "DE-BE" => "Berlin",
        "DE-BB" => "Potsdam",
        "DE-HB" => "Bremen",
        "DE-HH" => "Hamburg",
        "DE-HE" => "Wiesbaden",
        "DE-MV" => "Schwerin",
        "DE-NI" => "Hannover",
        "DE-NW" => "Düsseldorf",
        "DE-RP" => "Mainz",
        "DE-SL" => "Saarbrücken",
        "DE-SN" => "Dresden",
        "DE-ST" => "Magdeburg",
        "DE-SH" => "Kiel",
        _ => "Erfurt",
    }
}
