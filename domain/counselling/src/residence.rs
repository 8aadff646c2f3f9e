//! Where in Germany an advice seeker lives: federal state, district (Landkreis or kreisfreie
//! Stadt) or postcode, any of them. The monitoring counts seekers by region; the residence abroad
//! is `country_of_residence`.

use iqnet_shared::DomainError;
use iqnet_shared::codes::{CountryCode, StateCode};
use iqnet_shared::error::Violations;
use iqnet_shared::structure::{parse_postcode, parse_text};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The seeker's residence in Germany; every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Residence {
    /// The federal state (ISO 3166-2:DE).
    #[serde(rename = "residence_state")]
    pub state: Option<StateCode>,
    /// The district (Landkreis) or district-free city.
    #[serde(rename = "residence_district")]
    #[schema(example = "Landkreis Leipzig")]
    pub district: Option<String>,
    /// The German postcode (five digits).
    #[serde(rename = "residence_postcode")]
    #[schema(example = "04109")]
    pub postcode: Option<String>,
}

impl Residence {
    pub fn is_empty(&self) -> bool {
        self.state.is_none() && self.district.is_none() && self.postcode.is_none()
    }

    /// Parses the parts as sent (`None`: not given), recording every error in `v`.
    pub fn parse(
        v: &mut Violations,
        state: Option<StateCode>,
        district: Option<&str>,
        postcode: Option<&str>,
    ) -> Residence {
        Residence {
            state,
            district: district.and_then(|d| v.check("residence_district", parse_text(d, 100))),
            postcode: postcode.and_then(|p| v.check("residence_postcode", parse_postcode(p))),
        }
    }

    /// A residence in Germany belongs to someone who lives in Germany.
    pub fn ensure_in(&self, country_of_residence: &CountryCode) -> Result<(), DomainError> {
        if self.is_empty() || country_of_residence.as_str() == "DE" {
            Ok(())
        } else {
            Err(DomainError::invalid(
                "country_of_residence",
                "residence_abroad",
                "a residence in Germany (residence_state, _district, _postcode) needs `DE` here",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parts_parse_and_belong_to_a_residence_in_germany() {
        let mut v = Violations::new();
        let residence = Residence::parse(
            &mut v,
            Some(StateCode::Sachsen),
            Some(" Leipzig "),
            Some("04109"),
        );
        assert!(v.finish(|| ()).is_ok());
        assert_eq!(residence.district.as_deref(), Some("Leipzig"));
        assert!(
            residence
                .ensure_in(&CountryCode::parse("DE").unwrap())
                .is_ok()
        );
        let abroad = residence
            .ensure_in(&CountryCode::parse("PL").unwrap())
            .unwrap_err();
        assert!(matches!(abroad, DomainError::Validation(e) if e[0].code == "residence_abroad"));
        assert!(
            Residence::default()
                .ensure_in(&CountryCode::parse("PL").unwrap())
                .is_ok()
        );
    }

    #[test]
    fn a_postcode_has_five_digits() {
        let mut v = Violations::new();
        Residence::parse(&mut v, None, None, Some("1011"));
        let Err(DomainError::Validation(errors)) = v.finish(|| ()) else {
            panic!("validation")
        };
        assert_eq!(errors[0].field, "residence_postcode");
    }
}
