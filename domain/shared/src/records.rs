//! The network's structure as the system records it: what the API returns and storage keeps.
//! Every record carries `created_at`, `updated_at` and `version` (grows by one on each change).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::codes::{CountryCode, Email, FundingRound, IscoCode, KldbCode, StateCode};
use crate::ids::{ApiClientId, OrganisationId, RegionalNetworkId, SeekerId, SubProjectId, UserId};
use crate::reference::{CompetentAuthorityKind, LegalBasis};
use crate::structure::{OrganisationKind, PriorityArea, Role};

/// When a record was made and last changed, and how often it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Stamp {
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Grows by one on every change; the strong `ETag` of the resource.
    #[schema(example = 1)]
    pub version: i64,
}

impl Stamp {
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }

    /// The stamp after one more change.
    pub fn next(self, now: DateTime<Utc>) -> Self {
        Self {
            updated_at: now,
            version: self.version + 1,
            ..self
        }
    }
}

/// The regional network of one federal state.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RegionalNetwork {
    pub id: RegionalNetworkId,
    /// The state's ISO 3166-2:DE code; also the network's key in paths.
    pub code: StateCode,
    #[schema(example = "IQ Netzwerk Berlin")]
    pub name: String,
    /// The organisation that coordinates the network, once known.
    pub coordinating_organisation_id: Option<OrganisationId>,
    pub funding_round: Option<FundingRound>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

/// Any actor in the network: a provider, a job centre, a chamber, a company, ...
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Organisation {
    pub id: OrganisationId,
    #[schema(example = "Beratungszentrum Anerkennung Mitte")]
    pub name: String,
    pub kind: OrganisationKind,
    /// The federal state, and so the regional network, it belongs to.
    pub state: StateCode,
    #[schema(example = "Alexanderplatz 1")]
    pub street: Option<String>,
    #[schema(example = "10178")]
    pub postcode: Option<String>,
    #[schema(example = "Berlin")]
    pub city: Option<String>,
    pub email: Option<Email>,
    #[schema(example = "+49 30 1234567")]
    pub phone: Option<String>,
    #[schema(example = "https://example.org")]
    pub website: Option<String>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

/// What an organisation runs inside a regional network for one priority area.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SubProject {
    pub id: SubProjectId,
    pub organisation_id: OrganisationId,
    pub regional_network: StateCode,
    pub priority_area: PriorityArea,
    #[schema(example = "Anerkennungsberatung Berlin")]
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

/// A member of staff who signs in with e-mail and password.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct User {
    pub id: UserId,
    pub email: Email,
    #[schema(example = "Ana Silva")]
    pub display_name: String,
    pub role: Role,
    pub organisation_id: Option<OrganisationId>,
    /// An inactive user cannot obtain tokens.
    pub active: bool,
    #[serde(flatten)]
    pub stamp: Stamp,
}

/// A partner agency's machine client (OAuth2 client-credentials grant).
// Named `MachineClient` in the contract: openapi-generator's clients have a class `ApiClient` of
// their own, which a schema of that name would clash with.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = MachineClient)]
pub struct ApiClient {
    /// Also the OAuth2 `client_id`.
    pub id: ApiClientId,
    #[schema(example = "Jobcenter Berlin Mitte sync")]
    pub name: String,
    pub role: Role,
    pub organisation_id: Option<OrganisationId>,
    pub active: bool,
    #[serde(flatten)]
    pub stamp: Stamp,
}

/// A country (ISO 3166-1).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Country {
    pub code: CountryCode,
    #[schema(example = "Syria")]
    pub name_en: String,
    #[schema(example = "Syrien, Arabische Republik")]
    pub name_de: String,
    /// EU, EEA or Switzerland: the recognition deadlines differ for qualifications from there.
    pub eu_eea_ch: bool,
}

/// A German reference occupation, against which a foreign qualification is compared.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ReferenceOccupation {
    pub kldb_code: KldbCode,
    pub isco_code: IscoCode,
    #[schema(example = "Arzt/Ärztin")]
    pub title_de: String,
    #[schema(example = "Medical doctor")]
    pub title_en: String,
    /// Regulated occupations need recognition before practising (or using the title).
    pub regulated: bool,
    /// Federal or state law, for regulated occupations.
    pub legal_basis: Option<LegalBasis>,
    pub competent_authority_kind: CompetentAuthorityKind,
}

/// One access to personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    /// `user:<id>`, `client:<id>` or `ext:<issuer>:<subject>`.
    pub actor: String,
    pub actor_role: String,
    /// `read`, `create`, `update`.
    pub action: String,
    /// The kind of resource, e.g. `advice_seeker`, `recognition_procedure`.
    pub resource: String,
    pub resource_id: String,
    pub seeker_id: Option<String>,
    pub organisation_id: Option<String>,
    /// Why: the operation, and the caller's `X-Access-Reason` when sent.
    pub reason: Option<String>,
    /// The request's `X-Request-Id`: the client's own when it sent a usable one, so it may be
    /// chosen by the caller; use it to find the client's logs.
    pub request_id: Option<String>,
    /// The id the server gave the request (UUIDv7), which no client can choose. Absent on
    /// entries written before it was recorded.
    pub server_request_id: Option<String>,
}

/// A record holding an advice seeker's personal data. Every read and write of one is audited,
/// and these are the facts an audit entry needs about it.
pub trait PersonalData {
    /// The kind of resource as the audit log names it, e.g. `advice_seeker`.
    const RESOURCE: &'static str;
    fn resource_id(&self) -> String;
    /// The person the data is about.
    fn seeker(&self) -> SeekerId;
    /// The organisation that owns the record.
    fn owner(&self) -> OrganisationId;
}
