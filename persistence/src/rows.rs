//! Row structs: how records are laid out in tables, and the conversions both ways. Enums and
//! codes are stored as their wire strings; parsing them back can only fail on a corrupt row.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use iqnet_shared::records::{
    ApiClient, Country, Organisation, ReferenceOccupation, RegionalNetwork, SubProject, User,
};

use crate::StoreError;
use crate::convert::{parse, parse_opt, stamp};
use crate::error::stored;
use crate::schema::{
    api_clients, countries, organisations, reference_occupations, regional_networks, sub_projects,
    users,
};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = regional_networks, treat_none_as_null = true)]
pub struct RegionalNetworkRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub coordinating_organisation_id: Option<String>,
    pub funding_round: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

impl TryFrom<RegionalNetworkRow> for RegionalNetwork {
    type Error = StoreError;
    fn try_from(r: RegionalNetworkRow) -> Result<Self, StoreError> {
        Ok(RegionalNetwork {
            id: parse("id", &r.id)?,
            code: parse("code", &r.code)?,
            name: r.name,
            coordinating_organisation_id: parse_opt(
                "coordinating_organisation_id",
                r.coordinating_organisation_id.as_deref(),
            )?,
            funding_round: r
                .funding_round
                .map(|f| {
                    stored(
                        "funding_round",
                        iqnet_shared::codes::FundingRound::parse(&f),
                    )
                })
                .transpose()?,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

impl From<&RegionalNetwork> for RegionalNetworkRow {
    fn from(n: &RegionalNetwork) -> Self {
        RegionalNetworkRow {
            id: n.id.to_string(),
            code: n.code.as_str().to_owned(),
            name: n.name.clone(),
            coordinating_organisation_id: n.coordinating_organisation_id.map(|o| o.to_string()),
            funding_round: n.funding_round.as_ref().map(|f| f.as_str().to_owned()),
            created_at: n.stamp.created_at.naive_utc(),
            updated_at: n.stamp.updated_at.naive_utc(),
            version: n.stamp.version,
        }
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = organisations, treat_none_as_null = true)]
pub struct OrganisationRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub state: String,
    pub street: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

impl TryFrom<OrganisationRow> for Organisation {
    type Error = StoreError;
    fn try_from(r: OrganisationRow) -> Result<Self, StoreError> {
        Ok(Organisation {
            id: parse("id", &r.id)?,
            name: r.name,
            kind: parse("kind", &r.kind)?,
            state: parse("state", &r.state)?,
            street: r.street,
            postcode: r.postcode,
            city: r.city,
            email: r
                .email
                .map(|e| stored("email", iqnet_shared::codes::Email::parse(&e)))
                .transpose()?,
            phone: r.phone,
            website: r.website,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

impl From<&Organisation> for OrganisationRow {
    fn from(o: &Organisation) -> Self {
        OrganisationRow {
            id: o.id.to_string(),
            name: o.name.clone(),
            kind: o.kind.as_str().to_owned(),
            state: o.state.as_str().to_owned(),
            street: o.street.clone(),
            postcode: o.postcode.clone(),
            city: o.city.clone(),
            email: o.email.as_ref().map(|e| e.as_str().to_owned()),
            phone: o.phone.clone(),
            website: o.website.clone(),
            created_at: o.stamp.created_at.naive_utc(),
            updated_at: o.stamp.updated_at.naive_utc(),
            version: o.stamp.version,
        }
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = sub_projects, treat_none_as_null = true)]
pub struct SubProjectRow {
    pub id: String,
    pub organisation_id: String,
    pub regional_network: String,
    pub priority_area: String,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

impl TryFrom<SubProjectRow> for SubProject {
    type Error = StoreError;
    fn try_from(r: SubProjectRow) -> Result<Self, StoreError> {
        Ok(SubProject {
            id: parse("id", &r.id)?,
            organisation_id: parse("organisation_id", &r.organisation_id)?,
            regional_network: parse("regional_network", &r.regional_network)?,
            priority_area: parse("priority_area", &r.priority_area)?,
            title: r.title,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

impl From<&SubProject> for SubProjectRow {
    fn from(s: &SubProject) -> Self {
        SubProjectRow {
            id: s.id.to_string(),
            organisation_id: s.organisation_id.to_string(),
            regional_network: s.regional_network.as_str().to_owned(),
            priority_area: s.priority_area.as_str().to_owned(),
            title: s.title.clone(),
            starts_on: s.starts_on,
            ends_on: s.ends_on,
            created_at: s.stamp.created_at.naive_utc(),
            updated_at: s.stamp.updated_at.naive_utc(),
            version: s.stamp.version,
        }
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = users, treat_none_as_null = true)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub organisation_id: Option<String>,
    pub password_hash: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

impl UserRow {
    pub fn new(u: &User, password_hash: String) -> Self {
        UserRow {
            id: u.id.to_string(),
            email: u.email.as_str().to_owned(),
            display_name: u.display_name.clone(),
            role: u.role.as_str().to_owned(),
            organisation_id: u.organisation_id.map(|o| o.to_string()),
            password_hash,
            active: u.active,
            created_at: u.stamp.created_at.naive_utc(),
            updated_at: u.stamp.updated_at.naive_utc(),
            version: u.stamp.version,
        }
    }
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<Self, StoreError> {
        Ok(User {
            id: parse("id", &r.id)?,
            email: stored("email", iqnet_shared::codes::Email::parse(&r.email))?,
            display_name: r.display_name,
            role: parse("role", &r.role)?,
            organisation_id: parse_opt("organisation_id", r.organisation_id.as_deref())?,
            active: r.active,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = api_clients, treat_none_as_null = true)]
pub struct ApiClientRow {
    pub id: String,
    pub name: String,
    pub role: String,
    pub organisation_id: Option<String>,
    pub secret_hash: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

impl ApiClientRow {
    pub fn new(c: &ApiClient, secret_hash: String) -> Self {
        ApiClientRow {
            id: c.id.to_string(),
            name: c.name.clone(),
            role: c.role.as_str().to_owned(),
            organisation_id: c.organisation_id.map(|o| o.to_string()),
            secret_hash,
            active: c.active,
            created_at: c.stamp.created_at.naive_utc(),
            updated_at: c.stamp.updated_at.naive_utc(),
            version: c.stamp.version,
        }
    }
}

impl TryFrom<ApiClientRow> for ApiClient {
    type Error = StoreError;
    fn try_from(r: ApiClientRow) -> Result<Self, StoreError> {
        Ok(ApiClient {
            id: parse("id", &r.id)?,
            name: r.name,
            role: parse("role", &r.role)?,
            organisation_id: parse_opt("organisation_id", r.organisation_id.as_deref())?,
            active: r.active,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = countries)]
pub struct CountryRow {
    pub code: String,
    pub name_en: String,
    pub name_de: String,
    pub eu_eea_ch: bool,
}

impl TryFrom<CountryRow> for Country {
    type Error = StoreError;
    fn try_from(r: CountryRow) -> Result<Self, StoreError> {
        Ok(Country {
            code: stored("code", iqnet_shared::codes::CountryCode::parse(&r.code))?,
            name_en: r.name_en,
            name_de: r.name_de,
            eu_eea_ch: r.eu_eea_ch,
        })
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = reference_occupations)]
pub struct ReferenceOccupationRow {
    pub kldb_code: String,
    pub isco_code: String,
    pub title_de: String,
    pub title_en: String,
    pub regulated: bool,
    pub legal_basis: Option<String>,
    pub competent_authority_kind: String,
}

impl TryFrom<ReferenceOccupationRow> for ReferenceOccupation {
    type Error = StoreError;
    fn try_from(r: ReferenceOccupationRow) -> Result<Self, StoreError> {
        Ok(ReferenceOccupation {
            kldb_code: stored(
                "kldb_code",
                iqnet_shared::codes::KldbCode::parse(&r.kldb_code),
            )?,
            isco_code: stored(
                "isco_code",
                iqnet_shared::codes::IscoCode::parse(&r.isco_code),
            )?,
            title_de: r.title_de,
            title_en: r.title_en,
            regulated: r.regulated,
            legal_basis: parse_opt("legal_basis", r.legal_basis.as_deref())?,
            competent_authority_kind: parse(
                "competent_authority_kind",
                &r.competent_authority_kind,
            )?,
        })
    }
}
