//! The network's structure: organisations, the priority areas their sub-projects serve, and the
//! roles of the people and machines that act for them, with the tenancy rule that follows.

use chrono::NaiveDate;

use crate::DomainError;
use crate::codes::StateCode;
use crate::ids::OrganisationId;

closed_enum! {
    /// What kind of actor an organisation is.
    pub enum OrganisationKind {
        Provider = "provider",
        Jobcenter = "jobcenter",
        EmploymentAgency = "employment_agency",
        Municipality = "municipality",
        ChamberIhk = "chamber_ihk",
        ChamberHwk = "chamber_hwk",
        OtherChamber = "other_chamber",
        ForeignersAuthority = "foreigners_authority",
        WelcomeCenter = "welcome_center",
        CompanySme = "company_sme",
        CompanyLarge = "company_large",
        RecognitionAuthority = "recognition_authority",
        MigrantOrganisation = "migrant_organisation",
        Other = "other",
    }
}

closed_enum! {
    /// The four priority areas of the programme.
    pub enum PriorityArea {
        Counselling = "counselling",
        Qualification = "qualification",
        Intercultural = "intercultural",
        SkilledImmigration = "skilled_immigration",
    }
}

closed_enum! {
    /// What a caller may do. Staff users hold any role but `partner`; machine clients hold
    /// `partner` or `analyst`.
    pub enum Role {
        NationalAdmin = "national_admin",
        NetworkCoordinator = "network_coordinator",
        Counsellor = "counsellor",
        Trainer = "trainer",
        Partner = "partner",
        Analyst = "analyst",
    }
}

impl Role {
    /// Staff of one organisation, and coordinators (whose network is their organisation's
    /// state), must belong to an organisation; a national admin or analyst may stand outside one.
    pub const fn requires_organisation(self) -> bool {
        matches!(
            self,
            Self::NetworkCoordinator | Self::Counsellor | Self::Trainer | Self::Partner
        )
    }

    pub const fn for_staff(self) -> bool {
        !matches!(self, Self::Partner)
    }

    pub const fn for_machines(self) -> bool {
        matches!(self, Self::Partner | Self::Analyst)
    }
}

/// Which records holding personal data a caller may see. Anything outside answers 404.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A national admin: every organisation.
    Everything,
    /// A coordinator: every organisation in one regional network.
    Network(StateCode),
    /// Staff and partners: their own organisation.
    Organisation(OrganisationId),
    /// Analysts: aggregated statistics only, never a single record.
    Nothing,
}

impl Scope {
    /// The scope a role grants, given where the caller belongs.
    pub fn of(
        role: Role,
        organisation: Option<OrganisationId>,
        network: Option<StateCode>,
    ) -> Scope {
        match (role, organisation, network) {
            (Role::NationalAdmin, _, _) => Scope::Everything,
            (Role::NetworkCoordinator, _, Some(state)) => Scope::Network(state),
            (Role::Counsellor | Role::Trainer | Role::Partner, Some(org), _) => {
                Scope::Organisation(org)
            }
            _ => Scope::Nothing,
        }
    }

    /// Whether a record owned by `owner` (an organisation in `owner_state`) is in scope.
    /// Whether a record of `owner` is in scope, when that can be told without knowing the
    /// owner's state: `None` for a network's scope, which needs it (`covers`).
    pub fn covers_without_state(self, owner: OrganisationId) -> Option<bool> {
        match self {
            Scope::Everything => Some(true),
            Scope::Network(_) => None,
            Scope::Organisation(org) => Some(org == owner),
            Scope::Nothing => Some(false),
        }
    }

    pub fn covers(self, owner: OrganisationId, owner_state: StateCode) -> bool {
        match self {
            Scope::Everything => true,
            Scope::Network(state) => state == owner_state,
            Scope::Organisation(org) => org == owner,
            Scope::Nothing => false,
        }
    }
}

/// Free text a person typed as a name or title: trimmed, 1 to `max` characters, no control characters.
pub fn parse_text(value: &str, max: usize) -> Result<String, DomainError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(DomainError::invalid("", "required", "must not be empty"));
    }
    if trimmed.chars().count() > max {
        return Err(DomainError::invalid(
            "",
            "too_long",
            format!("at most {max} characters"),
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(DomainError::invalid(
            "",
            "invalid_format",
            "must not contain control characters",
        ));
    }
    Ok(trimmed.to_owned())
}

/// A German postcode: five digits.
pub fn parse_postcode(value: &str) -> Result<String, DomainError> {
    if value.len() == 5 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(value.to_owned())
    } else {
        Err(DomainError::invalid(
            "",
            "invalid_format",
            "a German postcode has five digits",
        ))
    }
}

/// A period that may be open-ended; the end, when known, is not before the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

impl Period {
    pub fn new(starts_on: NaiveDate, ends_on: Option<NaiveDate>) -> Result<Self, DomainError> {
        let in_range =
            |d: NaiveDate| (crate::time::EARLIEST_DATE..=crate::time::LATEST_DATE).contains(&d);
        if !in_range(starts_on) {
            return Err(DomainError::invalid(
                "starts_on",
                "out_of_range",
                "a date from 1900 to 2200",
            ));
        }
        if ends_on.is_some_and(|d| !in_range(d)) {
            return Err(DomainError::invalid(
                "ends_on",
                "out_of_range",
                "a date from 1900 to 2200",
            ));
        }
        match ends_on {
            Some(end) if end < starts_on => Err(DomainError::invalid(
                "ends_on",
                "out_of_range",
                "ends_on must not be before starts_on",
            )),
            _ => Ok(Self { starts_on, ends_on }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_follows_the_role_and_where_the_caller_belongs() {
        let org = OrganisationId::new();
        let other = OrganisationId::new();
        let be = StateCode::Berlin;
        assert_eq!(
            Scope::of(Role::NationalAdmin, None, None),
            Scope::Everything
        );
        assert_eq!(
            Scope::of(Role::NetworkCoordinator, Some(org), Some(be)),
            Scope::Network(be)
        );
        assert_eq!(
            Scope::of(Role::Counsellor, Some(org), Some(be)),
            Scope::Organisation(org)
        );
        assert_eq!(
            Scope::of(Role::Analyst, Some(org), Some(be)),
            Scope::Nothing
        );
        // A role that needs an organisation but has none sees nothing rather than everything.
        assert_eq!(Scope::of(Role::Counsellor, None, None), Scope::Nothing);

        assert!(Scope::Network(be).covers(other, be));
        assert!(!Scope::Network(be).covers(other, StateCode::Hamburg));
        assert!(Scope::Organisation(org).covers(org, StateCode::Hamburg));
        assert!(!Scope::Organisation(org).covers(other, be));
        assert!(!Scope::Nothing.covers(org, be));
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(parse_text("  IQ Berlin ", 10).unwrap(), "IQ Berlin");
        assert!(parse_text("   ", 10).is_err());
        assert!(parse_text("abcdefghijk", 10).is_err());
        assert!(parse_text("a\u{0}b", 10).is_err());
    }

    #[test]
    fn postcodes_have_five_digits() {
        assert!(parse_postcode("10115").is_ok());
        assert!(parse_postcode("1011").is_err());
        assert!(parse_postcode("1011a").is_err());
    }

    #[test]
    fn a_period_does_not_end_before_it_starts() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(Period::new(d("2023-01-01"), Some(d("2028-12-31"))).is_ok());
        assert!(Period::new(d("2023-01-01"), None).is_ok());
        assert!(Period::new(d("2023-01-01"), Some(d("2022-12-31"))).is_err());
    }
}
