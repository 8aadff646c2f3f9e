//! Short and anonymous contacts (a hotline call, information at an event): counted by the
//! network's monitoring without a seeker record. Only what is counted is kept: format, date,
//! topics, the counselling point, and optionally the country and occupation of the
//! qualification. No free text: a note could name the person, and these records are
//! anonymous by design, so they are neither audited nor erased as personal data.

use chrono::{DateTime, NaiveDate, Utc};
use iqnet_shared::DomainError;
use iqnet_shared::codes::{CountryCode, KldbCode};
use iqnet_shared::error::Violations;
use iqnet_shared::ids::{AdviceCentreId, OrganisationId, ShortContactId};
use iqnet_shared::records::Stamp;
use iqnet_shared::time::recorded_date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::records::AdviceCentre;
use crate::vocabulary::{SessionTopic, ShortContactFormat};

/// A short contact as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ShortContact {
    pub id: ShortContactId,
    /// The organisation of the counselling point; it owns the record.
    pub organisation_id: OrganisationId,
    /// The counselling point (a fixed or mobile advice centre) that had the contact.
    pub centre_id: AdviceCentreId,
    pub format: ShortContactFormat,
    pub held_on: NaiveDate,
    /// What it was about; at least one.
    pub topics: Vec<SessionTopic>,
    /// Where the person's qualification was acquired (ISO 3166-1 alpha-2), when said.
    #[schema(value_type = Option<String>, example = "UA")]
    pub country: Option<CountryCode>,
    /// The German reference occupation (KldB 2010), when said.
    #[schema(value_type = Option<String>, example = "81302")]
    pub reference_occupation: Option<KldbCode>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

/// A short contact to record.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewShortContact {
    /// The counselling point; the record belongs to its organisation.
    pub centre_id: AdviceCentreId,
    pub format: ShortContactFormat,
    /// Defaults to today.
    pub held_on: Option<NaiveDate>,
    #[schema(min_items = 1)]
    pub topics: Vec<SessionTopic>,
    #[schema(value_type = Option<CountryCode>, example = "UA")]
    pub country: Option<String>,
    #[schema(value_type = Option<KldbCode>, example = "81302")]
    pub reference_occupation: Option<String>,
}

/// The parts of a short contact that change together: what a new one holds and what a patch
/// may change.
#[derive(Debug, Clone)]
pub struct ShortContactFacts {
    pub format: ShortContactFormat,
    pub held_on: NaiveDate,
    pub topics: Vec<SessionTopic>,
    pub country: Option<String>,
    pub reference_occupation: Option<String>,
}

impl NewShortContact {
    /// The facts as sent, dated today when no date was given.
    pub fn facts(self, today: NaiveDate) -> (AdviceCentreId, ShortContactFacts) {
        let facts = ShortContactFacts {
            format: self.format,
            held_on: self.held_on.unwrap_or(today),
            topics: self.topics,
            country: self.country,
            reference_occupation: self.reference_occupation,
        };
        (self.centre_id, facts)
    }
}

impl ShortContact {
    /// A short contact had at `centre`. Whether its country and occupation exist in the
    /// reference data is the caller's to check.
    pub fn record(
        centre: &AdviceCentre,
        facts: ShortContactFacts,
        now: DateTime<Utc>,
    ) -> Result<ShortContact, DomainError> {
        let blank = ShortContact {
            id: ShortContactId::new(),
            organisation_id: centre.organisation_id,
            centre_id: centre.id,
            format: facts.format,
            held_on: facts.held_on,
            topics: Vec::new(),
            country: None,
            reference_occupation: None,
            stamp: Stamp::new(now),
        };
        blank.with(centre, facts, Stamp::new(now))
    }

    /// The contact with `facts` (and the counselling point `centre`) instead of its own, every
    /// rule checked again; `stamp` is the record's next one.
    pub fn with(
        &self,
        centre: &AdviceCentre,
        facts: ShortContactFacts,
        stamp: Stamp,
    ) -> Result<ShortContact, DomainError> {
        let mut v = Violations::new();
        let held_on = v.check("held_on", recorded_date("", facts.held_on));
        let country = facts
            .country
            .as_deref()
            .and_then(|c| v.check("country", CountryCode::parse(c)));
        let reference_occupation = facts
            .reference_occupation
            .as_deref()
            .and_then(|k| v.check("reference_occupation", KldbCode::parse(k)));
        if facts.topics.is_empty() {
            v.push("topics", "required", "name at least one topic");
        }
        if centre.organisation_id != self.organisation_id {
            v.push(
                "centre_id",
                "other_organisation",
                "a short contact stays with the organisation that recorded it",
            );
        }
        let held_on = v.finish(|| held_on)?.unwrap_or(self.held_on);
        let mut topics = facts.topics;
        topics.sort();
        topics.dedup();
        Ok(ShortContact {
            id: self.id,
            organisation_id: self.organisation_id,
            centre_id: centre.id,
            format: facts.format,
            held_on,
            topics,
            country,
            reference_occupation,
            stamp,
        })
    }

    /// The facts as they stand, for a patch to change.
    pub fn facts(&self) -> ShortContactFacts {
        ShortContactFacts {
            format: self.format,
            held_on: self.held_on,
            topics: self.topics.clone(),
            country: self.country.as_ref().map(|c| c.as_str().to_owned()),
            reference_occupation: self
                .reference_occupation
                .as_ref()
                .map(|k| k.as_str().to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use iqnet_shared::codes::StateCode;

    use super::*;
    use crate::case::tests::{d, now};
    use crate::vocabulary::CentreKind;

    fn centre(organisation: OrganisationId) -> AdviceCentre {
        AdviceCentre {
            id: AdviceCentreId::new(),
            organisation_id: organisation,
            sub_project_id: None,
            name: "IQ Hotline".into(),
            kind: CentreKind::Fixed,
            state: StateCode::Berlin,
            street: None,
            postcode: "10115".into(),
            city: "Berlin".into(),
            languages: vec!["de".into()],
            formats: vec![],
            opening_hours: None,
            email: None,
            phone: None,
            stamp: Stamp::new(now()),
        }
    }

    fn facts() -> ShortContactFacts {
        ShortContactFacts {
            format: ShortContactFormat::Hotline,
            held_on: d("2026-03-02"),
            topics: vec![SessionTopic::Procedure, SessionTopic::Procedure],
            country: Some("UA".into()),
            reference_occupation: None,
        }
    }

    #[test]
    fn a_short_contact_counts_what_was_asked_at_a_counselling_point() {
        let hotline = centre(OrganisationId::new());
        let contact = ShortContact::record(&hotline, facts(), now()).unwrap();
        assert_eq!(contact.organisation_id, hotline.organisation_id);
        assert_eq!(contact.topics, [SessionTopic::Procedure]);
        assert_eq!(
            contact.country.as_ref().map(CountryCode::as_str),
            Some("UA")
        );
    }

    #[test]
    fn a_short_contact_needs_a_topic_valid_codes_and_a_past_date() {
        let broken = ShortContactFacts {
            held_on: d("2999-01-01"),
            topics: vec![],
            country: Some("Ukraine".into()),
            reference_occupation: Some("8130".into()),
            ..facts()
        };
        let hotline = centre(OrganisationId::new());
        let DomainError::Validation(errors) =
            ShortContact::record(&hotline, broken, now()).unwrap_err()
        else {
            panic!("validation")
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["held_on", "country", "reference_occupation", "topics"]
        );
    }

    #[test]
    fn a_short_contact_stays_with_its_organisation() {
        let hotline = centre(OrganisationId::new());
        let contact = ShortContact::record(&hotline, facts(), now()).unwrap();
        let elsewhere = centre(OrganisationId::new());
        let err = contact
            .with(&elsewhere, contact.facts(), contact.stamp.next(now()))
            .unwrap_err();
        assert!(matches!(err, DomainError::Validation(e) if e[0].field == "centre_id"));
    }
}
