//! Registering an advice seeker and recording their foreign qualifications: the input as a
//! counsellor sends it, parsed into records that hold only valid values.

use chrono::{DateTime, Datelike, Utc};
use iqnet_shared::DomainError;
use iqnet_shared::codes::{CountryCode, DqrLevel, Email, KldbCode, LanguageLevel, StateCode};
use iqnet_shared::error::Violations;
use iqnet_shared::ids::{OrganisationId, QualificationId, SeekerId};
use iqnet_shared::records::{ReferenceOccupation, Stamp};
use iqnet_shared::reference::ResidenceTitle;
use iqnet_shared::structure::parse_text;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::consent::initial_consents;
use crate::records::{AdviceSeeker, ForeignQualification};
use crate::residence::Residence;
use crate::vocabulary::{
    AgeBand, Benefit, ConsentPurpose, EmploymentStatus, Gender, QualificationKind,
};

/// A new advice seeker.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAdviceSeeker {
    /// Defaults to the caller's organisation.
    pub organisation_id: Option<OrganisationId>,
    /// Pseudonymous code, unique within the organisation.
    #[schema(example = "B-2026-0042", min_length = 1, max_length = 50)]
    pub client_code: String,
    #[schema(example = "Amina Haddad")]
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub gender: Gender,
    pub age_band: Option<AgeBand>,
    #[schema(value_type = Vec<CountryCode>, example = json!(["SY"]))]
    pub nationalities: Vec<String>,
    #[schema(value_type = CountryCode, example = "DE")]
    pub country_of_residence: String,
    /// The federal state the seeker lives in (only with `country_of_residence` `DE`).
    pub residence_state: Option<StateCode>,
    /// The district (Landkreis) or district-free city the seeker lives in.
    #[schema(example = "Landkreis Leipzig", max_length = 100)]
    pub residence_district: Option<String>,
    /// The seeker's German postcode.
    #[schema(example = "04109", pattern = "^[0-9]{5}$")]
    pub residence_postcode: Option<String>,
    #[schema(example = 2019)]
    pub year_of_entry: Option<i32>,
    pub residence_title: Option<ResidenceTitle>,
    pub german_level: Option<LanguageLevel>,
    pub employment_status: Option<EmploymentStatus>,
    #[serde(default)]
    pub benefits: Vec<Benefit>,
    /// Consents given at registration.
    #[serde(default)]
    pub consents: Vec<ConsentPurpose>,
}

/// A registration whose fields parsed; it still needs the organisation that will own it.
#[derive(Debug)]
pub struct Registration {
    /// The organisation the input named, if any.
    pub organisation_id: Option<OrganisationId>,
    seeker: AdviceSeeker,
}

impl Registration {
    /// The new seeker, owned by `organisation`. Whether its countries exist in the reference
    /// data is the caller's to check (`AdviceSeeker::countries`).
    pub fn owned_by(self, organisation: OrganisationId) -> AdviceSeeker {
        AdviceSeeker {
            organisation_id: organisation,
            ..self.seeker
        }
    }
}

impl NewAdviceSeeker {
    /// Parses the input, naming every broken rule at once.
    pub fn parse(self, now: DateTime<Utc>) -> Result<Registration, DomainError> {
        let mut v = Violations::new();
        let client_code = v.check("client_code", parse_text(&self.client_code, 50));
        let name = self
            .name
            .as_deref()
            .and_then(|n| v.check("name", parse_text(n, 200)));
        let email = self
            .email
            .as_deref()
            .and_then(|e| v.check("email", Email::parse(e)));
        let phone = self
            .phone
            .as_deref()
            .and_then(|p| v.check("phone", parse_text(p, 50)));
        let nationalities = parse_countries(&mut v, "nationalities", &self.nationalities);
        let residence = v.check(
            "country_of_residence",
            CountryCode::parse(&self.country_of_residence),
        );
        let year_of_entry = parse_year(&mut v, "year_of_entry", self.year_of_entry, now);
        let in_germany = Residence::parse(
            &mut v,
            self.residence_state,
            self.residence_district.as_deref(),
            self.residence_postcode.as_deref(),
        );
        if let Some(country) = &residence {
            v.check("", in_germany.ensure_in(country));
        }
        let (Some(client_code), Some(country_of_residence)) =
            v.finish(|| (client_code, residence))?
        else {
            return Err(DomainError::invalid("", "invalid", "unparsed seeker"));
        };
        let seeker = AdviceSeeker {
            id: SeekerId::new(),
            organisation_id: OrganisationId(uuid::Uuid::nil()),
            client_code,
            name,
            email,
            phone,
            gender: self.gender,
            age_band: self.age_band,
            nationalities,
            country_of_residence,
            residence: in_germany,
            year_of_entry,
            residence_title: self.residence_title,
            german_level: self.german_level,
            employment_status: self.employment_status,
            benefits: self.benefits,
            consents: initial_consents(&self.consents, now),
            stamp: Stamp::new(now),
        };
        Ok(Registration {
            organisation_id: self.organisation_id,
            seeker,
        })
    }
}

impl AdviceSeeker {
    /// The seeker's countries with the fields they came from, to check against reference data.
    pub fn countries(&self) -> Vec<(&'static str, &CountryCode)> {
        let mut all: Vec<_> = self
            .nationalities
            .iter()
            .map(|n| ("nationalities", n))
            .collect();
        all.push(("country_of_residence", &self.country_of_residence));
        all
    }
}

/// A foreign qualification to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewQualification {
    pub kind: QualificationKind,
    #[schema(example = "Bachelor of Nursing", min_length = 1, max_length = 200)]
    pub title: String,
    /// Where it was acquired (ISO 3166-1 alpha-2).
    #[schema(value_type = CountryCode, example = "SY")]
    pub country: String,
    #[schema(example = 2014)]
    pub year_acquired: Option<i32>,
    #[schema(example = 6, minimum = 1, maximum = 8)]
    pub dqr_level: Option<u8>,
    /// The German reference occupation (KldB 2010); decides `regulated` and the authority kind.
    #[schema(value_type = Option<KldbCode>, example = "81302")]
    pub reference_occupation: Option<String>,
    /// Length of the training in months (1 to 180).
    #[serde(default)]
    pub training_months: Option<u16>,
    /// Professional experience in the occupation, in months (0 to 600).
    #[serde(default)]
    pub experience_months: Option<u16>,
    /// The EU/EEA/CH state that already recognised it (ISO 3166-1 alpha-2).
    #[schema(value_type = Option<CountryCode>, example = "AT")]
    #[serde(default)]
    pub recognised_in: Option<String>,
}

/// A qualification whose fields parsed; it still needs its reference occupation looked up.
#[derive(Debug)]
pub struct ParsedQualification {
    input: NewQualification,
    title: String,
    pub country: CountryCode,
    year_acquired: Option<i32>,
    dqr_level: Option<DqrLevel>,
    pub reference_occupation: Option<KldbCode>,
    pub recognised_in: Option<CountryCode>,
}

impl NewQualification {
    pub fn parse(self, now: DateTime<Utc>) -> Result<ParsedQualification, DomainError> {
        let mut v = Violations::new();
        let title = v.check("title", parse_text(&self.title, 200));
        let country = v.check("country", CountryCode::parse(&self.country));
        let year_acquired = parse_year(&mut v, "year_acquired", self.year_acquired, now);
        let dqr_level = self
            .dqr_level
            .and_then(|l| v.check("dqr_level", DqrLevel::parse(l)));
        let reference_occupation = self
            .reference_occupation
            .as_deref()
            .and_then(|k| v.check("reference_occupation", KldbCode::parse(k)));
        if self
            .training_months
            .is_some_and(|m| !(1..=180).contains(&m))
        {
            v.push("training_months", "out_of_range", "1 to 180 months");
        }
        if self.experience_months.is_some_and(|m| m > 600) {
            v.push("experience_months", "out_of_range", "0 to 600 months");
        }
        let recognised_in = self
            .recognised_in
            .as_deref()
            .and_then(|c| v.check("recognised_in", CountryCode::parse(c)));
        let (Some(title), Some(country)) = v.finish(|| (title, country))? else {
            return Err(DomainError::invalid(
                "",
                "invalid",
                "unparsed qualification",
            ));
        };
        Ok(ParsedQualification {
            input: self,
            title,
            country,
            year_acquired,
            dqr_level,
            reference_occupation,
            recognised_in,
        })
    }
}

impl ParsedQualification {
    /// The qualification of `seeker`; `regulated` and the authority kind follow from the
    /// reference occupation, if one was named (`reference` is that occupation, looked up).
    pub fn record(
        self,
        seeker: &AdviceSeeker,
        reference: Option<ReferenceOccupation>,
        now: DateTime<Utc>,
    ) -> ForeignQualification {
        ForeignQualification {
            id: QualificationId::new(),
            seeker_id: seeker.id,
            organisation_id: seeker.organisation_id,
            kind: self.input.kind,
            title: self.title,
            country: self.country,
            year_acquired: self.year_acquired,
            dqr_level: self.dqr_level,
            reference_occupation: self.reference_occupation,
            regulated: reference.as_ref().is_some_and(|r| r.regulated),
            competent_authority_kind: reference.map(|r| r.competent_authority_kind),
            training_months: self.input.training_months,
            experience_months: self.input.experience_months,
            recognised_in: self.recognised_in,
            stamp: Stamp::new(now),
        }
    }
}

fn parse_year(
    v: &mut Violations,
    field: &str,
    year: Option<i32>,
    now: DateTime<Utc>,
) -> Option<i32> {
    let this_year = now.year();
    match year {
        Some(y) if !(1950..=this_year).contains(&y) => {
            v.push(
                field,
                "out_of_range",
                format!("a year from 1950 to {this_year}"),
            );
            None
        }
        other => other,
    }
}

/// Codes parsed each at its index, sorted and each once.
fn parse_countries(v: &mut Violations, field: &str, codes: &[String]) -> Vec<CountryCode> {
    let mut parsed: Vec<CountryCode> = codes
        .iter()
        .enumerate()
        .filter_map(|(i, c)| v.check(&format!("{field}[{i}]"), CountryCode::parse(c)))
        .collect();
    parsed.sort();
    parsed.dedup();
    parsed
}
