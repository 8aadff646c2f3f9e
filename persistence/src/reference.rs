//! Reference data: countries, reference occupations and competent authorities (seeded by
//! migrations, read-only).

use diesel::prelude::*;
use iqnet_shared::authority::{CompetentAuthority, Seat};
use iqnet_shared::codes::{CountryCode, IscoCode, KldbCode, StateCode};
use iqnet_shared::holidays::Holiday;
use iqnet_shared::records::{Country, ReferenceOccupation};
use iqnet_shared::reference::{CompetentAuthorityKind, LegalBasis};

use crate::convert::{Json, load_page};
use crate::db::{DbConnection, MultiBackend};
use crate::schema::{
    competent_authorities, competent_authority_occupations, countries, reference_occupations,
};
use crate::{Page, PageRequest, StoreError};

pub fn list_countries(
    conn: &mut DbConnection,
    eu_eea_ch: Option<bool>,
    page: &PageRequest,
) -> Result<Page<Country>, StoreError> {
    let mut query = countries::table.into_boxed::<MultiBackend>();
    if let Some(flag) = eu_eea_ch {
        query = query.filter(countries::eu_eea_ch.eq(flag));
    }
    load_page!(conn, query, countries::code, page, CountryRow, |r| r.code)
        .try_map(Country::try_from)
}

pub fn get_country(conn: &mut DbConnection, code: &CountryCode) -> Result<Country, StoreError> {
    countries::table
        .find(code)
        .select(CountryRow::as_select())
        .first(conn)?
        .try_into()
}

#[derive(Debug, Default, Clone)]
pub struct OccupationFilter {
    pub regulated: Option<bool>,
    pub isco_code: Option<String>,
}

pub fn list_occupations(
    conn: &mut DbConnection,
    filter: &OccupationFilter,
    page: &PageRequest,
) -> Result<Page<ReferenceOccupation>, StoreError> {
    let mut query = reference_occupations::table.into_boxed::<MultiBackend>();
    if let Some(regulated) = filter.regulated {
        query = query.filter(reference_occupations::regulated.eq(regulated));
    }
    if let Some(isco) = &filter.isco_code {
        query = query.filter(reference_occupations::isco_code.eq(isco.clone()));
    }
    load_page!(
        conn,
        query,
        reference_occupations::kldb_code,
        page,
        ReferenceOccupationRow,
        |r| r.kldb_code
    )
    .try_map(ReferenceOccupation::try_from)
}

pub fn get_occupation(
    conn: &mut DbConnection,
    code: &KldbCode,
) -> Result<ReferenceOccupation, StoreError> {
    reference_occupations::table
        .find(code)
        .select(ReferenceOccupationRow::as_select())
        .first(conn)?
        .try_into()
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = countries)]
pub struct CountryRow {
    pub code: CountryCode,
    pub name_en: String,
    pub name_de: String,
    pub eu_eea_ch: bool,
}

impl TryFrom<CountryRow> for Country {
    type Error = StoreError;
    fn try_from(r: CountryRow) -> Result<Self, StoreError> {
        Ok(Country {
            code: r.code,
            name_en: r.name_en,
            name_de: r.name_de,
            eu_eea_ch: r.eu_eea_ch,
        })
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = reference_occupations)]
pub struct ReferenceOccupationRow {
    pub kldb_code: KldbCode,
    pub isco_code: IscoCode,
    pub title_de: String,
    pub title_en: String,
    pub regulated: bool,
    pub legal_basis: Option<LegalBasis>,
    pub competent_authority_kind: CompetentAuthorityKind,
}

impl TryFrom<ReferenceOccupationRow> for ReferenceOccupation {
    type Error = StoreError;
    fn try_from(r: ReferenceOccupationRow) -> Result<Self, StoreError> {
        Ok(ReferenceOccupation {
            kldb_code: r.kldb_code,
            isco_code: r.isco_code,
            title_de: r.title_de,
            title_en: r.title_en,
            regulated: r.regulated,
            legal_basis: r.legal_basis,
            competent_authority_kind: r.competent_authority_kind,
        })
    }
}

#[derive(Debug, Default, Clone)]
pub struct AuthorityFilter {
    pub kind: Option<CompetentAuthorityKind>,
    pub state: Option<StateCode>,
    /// Only the authorities that decide on this reference occupation.
    pub occupation: Option<KldbCode>,
}

pub fn list_authorities(
    conn: &mut DbConnection,
    filter: &AuthorityFilter,
    page: &PageRequest,
) -> Result<Page<CompetentAuthority>, StoreError> {
    use competent_authorities as a;
    let mut query = a::table.into_boxed::<MultiBackend>();
    if let Some(kind) = filter.kind {
        query = query.filter(a::kind.eq(kind));
    }
    if let Some(state) = filter.state {
        query = query.filter(a::state.eq(state));
    }
    if let Some(code) = &filter.occupation {
        query = query.filter(
            a::id.eq_any(
                competent_authority_occupations::table
                    .filter(competent_authority_occupations::kldb_code.eq(code.clone()))
                    .select(competent_authority_occupations::authority_id),
            ),
        );
    }
    let page = load_page!(conn, query, a::id, page, AuthorityRow, |r| r.id.clone());
    let ids: Vec<String> = page.items.iter().map(|r| r.id.clone()).collect();
    let mut links: Vec<(String, KldbCode)> = competent_authority_occupations::table
        .filter(competent_authority_occupations::authority_id.eq_any(ids))
        .order(competent_authority_occupations::kldb_code.asc())
        .select((
            competent_authority_occupations::authority_id,
            competent_authority_occupations::kldb_code,
        ))
        .load(conn)?;
    page.try_map(|row| {
        let mine = links.iter().filter(|(id, _)| *id == row.id);
        let occupations = mine.map(|(_, code)| code.clone()).collect();
        links.retain(|(id, _)| *id != row.id);
        row.into_authority(occupations)
    })
}

pub fn get_authority(conn: &mut DbConnection, id: &str) -> Result<CompetentAuthority, StoreError> {
    let row: AuthorityRow = competent_authorities::table
        .find(id)
        .select(AuthorityRow::as_select())
        .first(conn)?;
    let occupations = competent_authority_occupations::table
        .filter(competent_authority_occupations::authority_id.eq(id))
        .order(competent_authority_occupations::kldb_code.asc())
        .select(competent_authority_occupations::kldb_code)
        .load(conn)?;
    row.into_authority(occupations)
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = competent_authorities)]
struct AuthorityRow {
    id: String,
    name: String,
    kind: CompetentAuthorityKind,
    state: StateCode,
    city: String,
    local_holidays: Json<Vec<Holiday>>,
}

impl AuthorityRow {
    fn into_authority(self, occupations: Vec<KldbCode>) -> Result<CompetentAuthority, StoreError> {
        let local = self.local_holidays.0;
        let seat = Seat::with_local(self.state, local)
            .ok_or_else(|| StoreError::Corrupt(format!("local holidays of {}", self.id)))?;
        Ok(CompetentAuthority {
            id: self.id,
            name: self.name,
            kind: self.kind,
            city: self.city,
            seat,
            occupations,
        })
    }
}
