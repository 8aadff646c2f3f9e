//! Counselling as the system records it. Every record holding personal data names its owning
//! organisation.

use chrono::{DateTime, NaiveDate, Utc};
use iqnet_shared::codes::{CountryCode, DqrLevel, Email, KldbCode, LanguageLevel, StateCode};
use iqnet_shared::ids::{
    AdviceCentreId, CaseId, OrganisationId, QualificationId, ReferralId, SeekerId, SessionId,
    SubProjectId, UserId,
};
use iqnet_shared::records::{PersonalData, Stamp};
use iqnet_shared::reference::{CompetentAuthorityKind, ResidenceTitle};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::outcome::IntakeSituation;
use crate::residence::Residence;
use crate::status::StatusSnapshot;
use crate::vocabulary::{
    AccessRoute, AgeBand, Benefit, CaseKind, CaseOutcome, CaseState, CentreKind, ConsentPurpose,
    ContactFormat, EmploymentStatus, Gender, QualificationKind, Recommendation, ReferralStatus,
    SessionFormat, SessionKind, SessionTopic,
};

/// A fixed or mobile counselling point. Public: the directory lists them.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AdviceCentre {
    pub id: AdviceCentreId,
    pub organisation_id: OrganisationId,
    /// The counselling sub-project it belongs to.
    pub sub_project_id: Option<SubProjectId>,
    #[schema(example = "IQ Anerkennungsberatung Leipzig")]
    pub name: String,
    pub kind: CentreKind,
    pub state: StateCode,
    #[schema(example = "Markt 1")]
    pub street: Option<String>,
    #[schema(example = "04109")]
    pub postcode: String,
    #[schema(example = "Leipzig")]
    pub city: String,
    /// Languages counselling is offered in (ISO 639-1).
    #[schema(example = json!(["de", "ar", "uk"]))]
    pub languages: Vec<String>,
    pub formats: Vec<ContactFormat>,
    #[schema(example = "Mon-Thu 9:00-16:00")]
    pub opening_hours: Option<String>,
    pub email: Option<Email>,
    pub phone: Option<String>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

/// A consent given by an advice seeker, and when it was withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Consent {
    pub purpose: ConsentPurpose,
    pub given_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

/// A person seeking advice. Personal data: visible to the owning organisation (and its network's
/// coordinators) only.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AdviceSeeker {
    pub id: SeekerId,
    pub organisation_id: OrganisationId,
    /// Pseudonymous code, unique within the organisation.
    #[schema(example = "B-2026-0042")]
    pub client_code: String,
    #[schema(example = "Amina Haddad")]
    pub name: Option<String>,
    pub email: Option<Email>,
    pub phone: Option<String>,
    pub gender: Gender,
    pub age_band: Option<AgeBand>,
    #[schema(value_type = Vec<String>, example = json!(["SY"]))]
    pub nationalities: Vec<CountryCode>,
    #[schema(value_type = String, example = "DE")]
    pub country_of_residence: CountryCode,
    /// Where in Germany the seeker lives (`residence_state`, `residence_district`,
    /// `residence_postcode`).
    #[serde(flatten)]
    pub residence: Residence,
    #[schema(example = 2019)]
    pub year_of_entry: Option<i32>,
    pub residence_title: Option<ResidenceTitle>,
    pub german_level: Option<LanguageLevel>,
    pub employment_status: Option<EmploymentStatus>,
    pub benefits: Vec<Benefit>,
    pub consents: Vec<Consent>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

/// A qualification acquired abroad. `regulated` and `competent_authority_kind` follow from the
/// reference occupation.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ForeignQualification {
    pub id: QualificationId,
    pub seeker_id: SeekerId,
    pub organisation_id: OrganisationId,
    pub kind: QualificationKind,
    #[schema(example = "Bachelor of Nursing")]
    pub title: String,
    #[schema(value_type = String, example = "SY")]
    pub country: CountryCode,
    #[schema(example = 2014)]
    pub year_acquired: Option<i32>,
    #[schema(value_type = Option<u8>, example = 6)]
    pub dqr_level: Option<DqrLevel>,
    #[schema(value_type = Option<String>, example = "81302")]
    pub reference_occupation: Option<KldbCode>,
    pub regulated: bool,
    pub competent_authority_kind: Option<CompetentAuthorityKind>,
    /// Length of the training in months.
    #[schema(example = 48)]
    pub training_months: Option<u16>,
    /// Professional experience in the occupation, in months.
    #[schema(example = 30)]
    pub experience_months: Option<u16>,
    /// The EU/EEA/CH state that already recognised it, if one did (caps an extension at one
    /// month, like an EU/EEA/CH qualification).
    #[schema(value_type = Option<String>, example = "AT")]
    pub recognised_in: Option<CountryCode>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

/// A counselling case. The API shows it through its own view (with the allowed actions).
#[derive(Debug, Clone, PartialEq)]
pub struct CounsellingCase {
    pub id: CaseId,
    pub seeker_id: SeekerId,
    pub organisation_id: OrganisationId,
    pub kind: CaseKind,
    pub access_route: AccessRoute,
    pub state: CaseState,
    pub outcome: Option<CaseOutcome>,
    /// What the close recommended (several may be); empty until the case is closed.
    pub recommendations: Vec<Recommendation>,
    pub situation_at_intake: Option<IntakeSituation>,
    pub status_at_intake: Option<StatusSnapshot>,
    pub status_at_close: Option<StatusSnapshot>,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CounsellingSession {
    pub id: SessionId,
    pub case_id: CaseId,
    /// The case's seeker: `first` is counted once per seeker.
    pub seeker_id: SeekerId,
    pub organisation_id: OrganisationId,
    pub kind: SessionKind,
    pub format: SessionFormat,
    pub held_on: NaiveDate,
    #[schema(example = 45)]
    pub duration_minutes: u16,
    /// The language the session was held in (ISO 639-1).
    #[schema(example = "ar")]
    pub language: String,
    pub topics: Vec<SessionTopic>,
    /// The counselling point (a fixed or mobile advice centre) it was held at.
    pub centre_id: Option<AdviceCentreId>,
    /// The counsellor who held it.
    pub counsellor_id: Option<UserId>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Referral {
    pub id: ReferralId,
    pub case_id: CaseId,
    pub seeker_id: SeekerId,
    /// The referring organisation.
    pub organisation_id: OrganisationId,
    pub to_organisation_id: OrganisationId,
    #[schema(example = "adaptation qualification for nurses")]
    pub reason: String,
    pub status: ReferralStatus,
    pub sent_on: NaiveDate,
    pub answered_on: Option<NaiveDate>,
    pub completed_on: Option<NaiveDate>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

/// A recognition procedure of one qualification, with its state machine.
#[derive(Debug, Clone, PartialEq)]
pub struct RecognitionProcedure {
    pub id: iqnet_shared::ids::ProcedureId,
    pub qualification_id: QualificationId,
    pub seeker_id: SeekerId,
    pub case_id: Option<CaseId>,
    pub organisation_id: OrganisationId,
    /// The competent authority handling it (reference data), when known.
    pub authority_id: Option<String>,
    /// The authority's name: the reference name, or the counsellor's text as a fallback.
    pub authority_name: Option<String>,
    /// The earlier procedure this one follows up (e.g. the licence after a measure).
    pub follows_procedure_id: Option<iqnet_shared::ids::ProcedureId>,
    pub procedure: crate::procedure::Procedure,
    pub stamp: Stamp,
}

/// One recorded step of a procedure.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ProcedureEvent {
    #[schema(example = "confirm_receipt")]
    pub action: String,
    pub happened_on: NaiveDate,
    pub recorded_at: DateTime<Utc>,
    /// What a `decide` step decided: each decision stays its own, also after an appeal.
    pub decision: Option<crate::procedure::DecisionDetails>,
}

macro_rules! personal_data {
    ($($record:ty => $resource:literal, seeker = $seeker:ident;)+) => {$(
        impl PersonalData for $record {
            const RESOURCE: &'static str = $resource;
            fn resource_id(&self) -> String {
                self.id.to_string()
            }
            fn seeker(&self) -> SeekerId {
                self.$seeker
            }
            fn owner(&self) -> OrganisationId {
                self.organisation_id
            }
        }
    )+};
}

personal_data! {
    AdviceSeeker => "advice_seeker", seeker = id;
    CounsellingCase => "counselling_case", seeker = seeker_id;
    Referral => "referral", seeker = seeker_id;
    RecognitionProcedure => "recognition_procedure", seeker = seeker_id;
}
