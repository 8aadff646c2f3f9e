//! Codes with a fixed shape: federal states, countries, occupations (KldB 2010, ISCO-08),
//! qualification levels (DQR), language levels (CEFR), e-mail addresses and funding rounds.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::DomainError;

closed_enum! {
    /// A German federal state, as its ISO 3166-2:DE code. Each has one regional network.
    pub enum StateCode {
        BadenWuerttemberg = "DE-BW",
        Bayern = "DE-BY",
        Berlin = "DE-BE",
        Brandenburg = "DE-BB",
        Bremen = "DE-HB",
        Hamburg = "DE-HH",
        Hessen = "DE-HE",
        MecklenburgVorpommern = "DE-MV",
        Niedersachsen = "DE-NI",
        NordrheinWestfalen = "DE-NW",
        RheinlandPfalz = "DE-RP",
        Saarland = "DE-SL",
        Sachsen = "DE-SN",
        SachsenAnhalt = "DE-ST",
        SchleswigHolstein = "DE-SH",
        Thueringen = "DE-TH",
    }
}

impl StateCode {
    /// The state's German name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::BadenWuerttemberg => "Baden-Württemberg",
            Self::Bayern => "Bayern",
            Self::Berlin => "Berlin",
            Self::Brandenburg => "Brandenburg",
            Self::Bremen => "Bremen",
            Self::Hamburg => "Hamburg",
            Self::Hessen => "Hessen",
            Self::MecklenburgVorpommern => "Mecklenburg-Vorpommern",
            Self::Niedersachsen => "Niedersachsen",
            Self::NordrheinWestfalen => "Nordrhein-Westfalen",
            Self::RheinlandPfalz => "Rheinland-Pfalz",
            Self::Saarland => "Saarland",
            Self::Sachsen => "Sachsen",
            Self::SachsenAnhalt => "Sachsen-Anhalt",
            Self::SchleswigHolstein => "Schleswig-Holstein",
            Self::Thueringen => "Thüringen",
        }
    }
}

/// Declares a string newtype whose only constructor is `parse`.
macro_rules! code_newtype {
    ($(#[$meta:meta])* $name:ident, example = $example:literal, pattern = $pattern:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
        #[cfg_attr(feature = "diesel", derive(diesel::AsExpression, diesel::FromSqlRow))]
        #[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
        #[serde(try_from = "String", into = "String")]
        #[schema(value_type = String, example = $example, pattern = $pattern)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = DomainError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = DomainError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        __text_sql!(borrowed $name);
    };
}

code_newtype!(
    /// ISO 3166-1 alpha-2 country code, upper case.
    CountryCode, example = "SY", pattern = "^[A-Z]{2}$"
);

impl CountryCode {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        if s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(DomainError::invalid(
                "",
                "invalid_format",
                "an ISO 3166-1 alpha-2 code is two upper-case letters",
            ))
        }
    }
}

code_newtype!(
    /// KldB 2010 occupation code: five digits, the fifth is the skill level (1-4).
    KldbCode, example = "81302", pattern = "^[0-9]{4}[1-4]$"
);

impl KldbCode {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let digits = s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit());
        if digits && matches!(s.as_bytes()[4], b'1'..=b'4') {
            Ok(Self(s.to_owned()))
        } else {
            Err(DomainError::invalid(
                "",
                "invalid_format",
                "a KldB 2010 code is five digits, the last (skill level) 1-4",
            ))
        }
    }

    /// The skill level (Anforderungsniveau): 1 helper, 2 skilled, 3 specialist, 4 expert.
    pub fn skill_level(&self) -> u8 {
        self.0.as_bytes()[4] - b'0'
    }
}

code_newtype!(
    /// ISCO-08 unit group: four digits.
    IscoCode, example = "2221", pattern = "^[0-9]{4}$"
);

impl IscoCode {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(DomainError::invalid(
                "",
                "invalid_format",
                "an ISCO-08 unit group is four digits",
            ))
        }
    }
}

code_newtype!(
    /// An e-mail address, stored lower-case so that lookups ignore case.
    Email, example = "counsellor@example.org", pattern = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"
);

impl Email {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        // Checked after lower-casing: some letters grow in bytes when lower-cased, and what is
        // stored must parse again.
        let lower = s.trim().to_lowercase();
        let s = lower.as_str();
        let valid = s.len() <= 254
            && s.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            })
            && !s.chars().any(|c| c.is_whitespace() || c.is_control())
            && s.matches('@').count() == 1;
        if valid {
            Ok(Self(s.to_owned()))
        } else {
            Err(DomainError::invalid(
                "",
                "invalid_format",
                "not an e-mail address",
            ))
        }
    }
}

code_newtype!(
    /// A funding round as `YYYY-YYYY`, the end not before the start.
    FundingRound, example = "2023-2028", pattern = "^[0-9]{4}-[0-9]{4}$"
);

impl FundingRound {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let years = s.split_once('-').and_then(|(a, b)| {
            let ok = a.len() == 4 && b.len() == 4;
            ok.then(|| Some((a.parse::<u16>().ok()?, b.parse::<u16>().ok()?)))
                .flatten()
        });
        match years {
            Some((start, end)) if start <= end => Ok(Self(s.to_owned())),
            _ => Err(DomainError::invalid(
                "",
                "invalid_format",
                "a funding round is `YYYY-YYYY` with end >= start",
            )),
        }
    }
}

/// DQR/EQF level 1-8.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[cfg_attr(feature = "diesel", derive(diesel::AsExpression, diesel::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Integer))]
#[serde(try_from = "u8", into = "u8")]
#[schema(value_type = u8, minimum = 1, maximum = 8, example = 6)]
pub struct DqrLevel(u8);

impl DqrLevel {
    pub fn parse(level: u8) -> Result<Self, DomainError> {
        if (1..=8).contains(&level) {
            Ok(Self(level))
        } else {
            Err(DomainError::invalid(
                "",
                "out_of_range",
                "a DQR level is 1 to 8",
            ))
        }
    }

    pub fn value(self) -> u8 {
        self.0
    }

    /// Every level with what it typically stands for in Germany.
    pub fn all() -> impl Iterator<Item = (DqrLevel, &'static str)> {
        const EXAMPLES: [&str; 8] = [
            "vocational preparation",
            "vocational preparation; lower secondary school leaving certificate",
            "two-year vocational training; intermediate school leaving certificate",
            "three- to three-and-a-half-year vocational training; university entrance qualification",
            "certified IT specialist, certified service technician",
            "Bachelor; master craftsman (Meister); technician; certified business specialist",
            "Master; strategic IT professional",
            "doctorate",
        ];
        EXAMPLES
            .into_iter()
            .enumerate()
            .map(|(i, e)| (DqrLevel(i as u8 + 1), e))
    }
}

impl TryFrom<u8> for DqrLevel {
    type Error = DomainError;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<DqrLevel> for u8 {
    fn from(value: DqrLevel) -> u8 {
        value.0
    }
}

/// An INTEGER column. A bound value must outlive the query, and the `u8` inside holds no `i32`,
/// so the level is bound as one of these (which also makes it work on any backend).
#[cfg(feature = "diesel")]
static DQR_LEVELS_AS_I32: [i32; 9] = [0, 1, 2, 3, 4, 5, 6, 7, 8];

#[cfg(feature = "diesel")]
impl<DB> diesel::serialize::ToSql<diesel::sql_types::Integer, DB> for DqrLevel
where
    DB: diesel::backend::Backend,
    i32: diesel::serialize::ToSql<diesel::sql_types::Integer, DB>,
{
    fn to_sql<'b>(
        &'b self,
        out: &mut diesel::serialize::Output<'b, '_, DB>,
    ) -> diesel::serialize::Result {
        let level = DQR_LEVELS_AS_I32
            .get(usize::from(self.0))
            .ok_or("a DQR level is 1 to 8")?;
        level.to_sql(out)
    }
}

#[cfg(feature = "diesel")]
impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Integer, DB> for DqrLevel
where
    DB: diesel::backend::Backend,
    i32: diesel::deserialize::FromSql<diesel::sql_types::Integer, DB>,
{
    fn from_sql(
        bytes: <DB as diesel::backend::Backend>::RawValue<'_>,
    ) -> diesel::deserialize::Result<Self> {
        let level = i32::from_sql(bytes)?;
        u8::try_from(level)
            .ok()
            .and_then(|l| Self::parse(l).ok())
            .ok_or_else(|| format!("`{level}` is not a valid DqrLevel").into())
    }
}

closed_enum! {
    /// Language level on the CEFR scale, plus `none` and `native`.
    pub enum LanguageLevel {
        None = "none", A1 = "a1", A2 = "a2", B1 = "b1", B2 = "b2", C1 = "c1", C2 = "c2", Native = "native",
    }
}

impl LanguageLevel {
    pub const fn description(self) -> &'static str {
        match self {
            Self::None => "no knowledge",
            Self::A1 => "breakthrough",
            Self::A2 => "waystage",
            Self::B1 => "threshold",
            Self::B2 => "vantage",
            Self::C1 => "effective operational proficiency",
            Self::C2 => "mastery",
            Self::Native => "native speaker",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_codes_are_the_sixteen_iso_codes() {
        assert_eq!(StateCode::ALL.len(), 16);
        assert_eq!("DE-BE".parse::<StateCode>(), Ok(StateCode::Berlin));
        assert!("DE-XX".parse::<StateCode>().is_err());
        assert_eq!(StateCode::Thueringen.name(), "Thüringen");
    }

    #[test]
    fn country_codes_are_two_upper_case_letters() {
        assert!(CountryCode::parse("SY").is_ok());
        for bad in ["sy", "SYR", "S", "S1", ""] {
            assert!(CountryCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn kldb_codes_have_five_digits_and_a_skill_level() {
        let code = KldbCode::parse("81404").unwrap();
        assert_eq!(code.skill_level(), 4);
        for bad in ["8140", "814045", "8140a", "81400", "81405"] {
            assert!(KldbCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn isco_codes_have_four_digits() {
        assert!(IscoCode::parse("2211").is_ok());
        assert!(IscoCode::parse("221").is_err());
        assert!(IscoCode::parse("22a1").is_err());
    }

    #[test]
    fn dqr_levels_run_from_one_to_eight() {
        assert!(DqrLevel::parse(0).is_err());
        assert_eq!(DqrLevel::parse(8).unwrap().value(), 8);
        assert!(DqrLevel::parse(9).is_err());
        assert_eq!(DqrLevel::all().count(), 8);
    }

    #[test]
    fn emails_are_trimmed_lower_cased_and_checked() {
        assert_eq!(
            Email::parse(" Ana@Example.ORG ").unwrap().as_str(),
            "ana@example.org"
        );
        // 100 x "İ" is 200 bytes, but 300 once lower-cased: too long.
        assert!(Email::parse(&format!("{}@ex.de", "İ".repeat(100))).is_err());
        for bad in [
            "ana",
            "ana@",
            "@example.org",
            "ana@example",
            "a b@example.org",
            "a@b@example.org",
            "ana@.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn funding_rounds_are_ordered_year_pairs() {
        assert!(FundingRound::parse("2023-2028").is_ok());
        assert!(FundingRound::parse("2028-2023").is_err());
        assert!(FundingRound::parse("23-28").is_err());
        assert!(FundingRound::parse("2023").is_err());
    }
}
