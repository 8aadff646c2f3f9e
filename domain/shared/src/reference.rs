//! Closed vocabularies of the reference data: residence titles (AufenthG), the kinds of
//! competent authority, and the legal basis of a regulated occupation.

closed_enum! {
    /// Residence title under the Residence Act (AufenthG), or the reason none is needed.
    pub enum ResidenceTitle {
        S16a = "16a", S16b = "16b", S16d = "16d", S17 = "17", S18a = "18a", S18b = "18b",
        S18g = "18g", S18c = "18c", S19c = "19c", S20 = "20",
        Humanitarian = "humanitarian", Family = "family", AsylumPermission = "asylum_permission",
        Toleration = "toleration", EuEeaCh = "eu_eea_ch", GermanCitizen = "german_citizen",
        Abroad = "abroad", Other = "other", Unknown = "unknown",
    }
}

impl ResidenceTitle {
    pub const fn description(self) -> &'static str {
        match self {
            Self::S16a => "§ 16a vocational training",
            Self::S16b => "§ 16b study",
            Self::S16d => {
                "§ 16d measures for the recognition of foreign professional qualifications"
            }
            Self::S17 => "§ 17 search for a training place or study place",
            Self::S18a => "§ 18a skilled worker with vocational training",
            Self::S18b => "§ 18b skilled worker with academic training",
            Self::S18g => "§ 18g EU Blue Card",
            Self::S18c => "§ 18c settlement permit for skilled workers",
            Self::S19c => "§ 19c other employment",
            Self::S20 => "§ 20 job search",
            Self::Humanitarian => "§§ 22-26 humanitarian reasons",
            Self::Family => "§§ 27-36 family reasons",
            Self::AsylumPermission => "permission to stay during the asylum procedure",
            Self::Toleration => "toleration (Duldung)",
            Self::EuEeaCh => "EU/EEA/Swiss citizen, no residence title needed",
            Self::GermanCitizen => "German citizen",
            Self::Abroad => "living abroad",
            Self::Other => "other title",
            Self::Unknown => "unknown",
        }
    }
}

closed_enum! {
    /// The kind of authority that decides on the recognition of a qualification.
    pub enum CompetentAuthorityKind {
        Ihk = "ihk",
        Hwk = "hwk",
        OtherChamber = "other_chamber",
        ApprobationAuthority = "approbation_authority",
        StateAuthority = "state_authority",
        SchoolAuthority = "school_authority",
        YouthAuthority = "youth_authority",
        EngineeringChamber = "engineering_chamber",
        Zab = "zab",
    }
}

impl CompetentAuthorityKind {
    pub const fn description(self) -> &'static str {
        match self {
            Self::Ihk => "chamber of industry and commerce (IHK FOSA for most IHK occupations)",
            Self::Hwk => "chamber of crafts",
            Self::OtherChamber => "other chamber (e.g. agriculture, liberal professions)",
            Self::ApprobationAuthority => {
                "state licensing authority for health professions (Approbation)"
            }
            Self::StateAuthority => "other state authority",
            Self::SchoolAuthority => "state school authority (teachers)",
            Self::YouthAuthority => "state youth/social authority (educators, social work)",
            Self::EngineeringChamber => "chamber of engineers (protected engineering titles)",
            Self::Zab => "Central Office for Foreign Education (statement of comparability)",
        }
    }
}

closed_enum! {
    /// Whether a regulated occupation is regulated by federal or by state law.
    pub enum LegalBasis {
        Federal = "federal",
        State = "state",
    }
}
