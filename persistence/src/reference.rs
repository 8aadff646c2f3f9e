//! Reference data: countries and reference occupations (seeded by migrations, read-only).

use diesel::prelude::*;
use iqnet_shared::codes::{CountryCode, KldbCode};
use iqnet_shared::records::{Country, ReferenceOccupation};

use crate::convert::load_page;
use crate::db::{DbConnection, MultiBackend};
use crate::rows::{CountryRow, ReferenceOccupationRow};
use crate::schema::{countries, reference_occupations};
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
    load_page!(conn, query, countries::code, page, CountryRow, |r| r
        .code
        .clone())
    .try_map(Country::try_from)
}

pub fn get_country(conn: &mut DbConnection, code: &CountryCode) -> Result<Country, StoreError> {
    countries::table
        .find(code.as_str())
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
        |r| r.kldb_code.clone()
    )
    .try_map(ReferenceOccupation::try_from)
}

pub fn get_occupation(
    conn: &mut DbConnection,
    code: &KldbCode,
) -> Result<ReferenceOccupation, StoreError> {
    reference_occupations::table
        .find(code.as_str())
        .select(ReferenceOccupationRow::as_select())
        .first(conn)?
        .try_into()
}
