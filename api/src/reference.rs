//! Reference data, public and read-only: countries, reference occupations, competent
//! authorities, and the closed vocabularies (language levels, DQR levels, residence titles,
//! competent-authority kinds).

use actix_web::{HttpRequest, HttpResponse, get, web};
use iqnet_persistence::reference::{self, AuthorityFilter, OccupationFilter};
use iqnet_shared::authority::CompetentAuthority;
use iqnet_shared::codes::{CountryCode, DqrLevel, IscoCode, KldbCode, LanguageLevel, StateCode};
use iqnet_shared::records::{Country, ReferenceOccupation};
use iqnet_shared::reference::{CompetentAuthorityKind, ResidenceTitle};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::Query;
use iqnet_conventions::http::{self, List};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/reference")
            .service(list_countries)
            .service(get_country)
            .service(list_occupations)
            .service(get_occupation)
            .service(language_levels)
            .service(qualification_levels)
            .service(residence_titles)
            .service(competent_authority_kinds)
            .service(list_authorities)
            .service(get_authority),
    );
}

list_query! {
    pub struct CountryQuery {
        /// Only EU/EEA/Swiss countries (`true`) or only third countries (`false`).
        pub eu_eea_ch: Option<bool>,
    }
}

/// List countries
///
/// ISO 3166-1, ordered by code. Public.
#[utoipa::path(
    operation_id = "listCountries",
    tag = "reference-data",
    params(CountryQuery),
    security(()),
    responses((status = 200, description = "One page of countries", body = List<Country>))
)]
#[get("/countries")]
async fn list_countries(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Query<CountryQuery>,
) -> ApiResult<HttpResponse> {
    let page = query.0.page()?;
    let flag = query.0.eu_eea_ch;
    let found = state
        .read(move |conn| Ok(reference::list_countries(conn, flag, &page)?))
        .await?;
    Ok(http::list(&req, found))
}

/// Get a country
///
/// One country of the reference list by its ISO 3166-1 alpha-2 code; public. An unknown or
/// malformed code is a 404.
#[utoipa::path(
    operation_id = "getCountry",
    tag = "reference-data",
    params(("code" = String, Path, description = "ISO 3166-1 alpha-2 code", example = "SY")),
    security(()),
    responses((status = 200, description = "The country", body = Country))
)]
#[get("/countries/{code}")]
async fn get_country(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let code = CountryCode::parse(&code).map_err(|_| ApiError::not_found())?;
    let found = state
        .read(move |conn| Ok(reference::get_country(conn, &code)?))
        .await?;
    Ok(http::single(&req, &found, 1))
}

list_query! {
    pub struct OccupationQuery {
        /// Only regulated (`true`) or only non-regulated (`false`) occupations.
        pub regulated: Option<bool>,
        /// Only occupations of this ISCO-08 unit group.
        #[param(value_type = Option<String>, example = "2221")]
        pub isco_code: Option<IscoCode>,
    }
}

/// List reference occupations
///
/// German reference occupations with KldB 2010 and ISCO-08 codes, ordered by KldB code. Public.
#[utoipa::path(
    operation_id = "listReferenceOccupations",
    tag = "reference-data",
    params(OccupationQuery),
    security(()),
    responses((status = 200, description = "One page of reference occupations", body = List<ReferenceOccupation>))
)]
#[get("/occupations")]
async fn list_occupations(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Query<OccupationQuery>,
) -> ApiResult<HttpResponse> {
    let page = query.0.page()?;
    let filter = OccupationFilter {
        regulated: query.0.regulated,
        isco_code: query.0.isco_code.as_ref().map(|c| c.as_str().to_owned()),
    };
    let found = state
        .read(move |conn| Ok(reference::list_occupations(conn, &filter, &page)?))
        .await?;
    Ok(http::list(&req, found))
}

/// Get a reference occupation
///
/// One occupation of the reference list (KldB 2010) by its code; public.
#[utoipa::path(
    operation_id = "getReferenceOccupation",
    tag = "reference-data",
    params(("kldb_code" = String, Path, description = "KldB 2010 code", example = "81404")),
    security(()),
    responses((status = 200, description = "The occupation", body = ReferenceOccupation))
)]
#[get("/occupations/{kldb_code}")]
async fn get_occupation(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let code = KldbCode::parse(&code).map_err(|_| ApiError::not_found())?;
    let found = state
        .read(move |conn| Ok(reference::get_occupation(conn, &code)?))
        .await?;
    Ok(http::single(&req, &found, 1))
}

/// One member of a closed vocabulary.
#[derive(Debug, Serialize, ToSchema)]
pub struct VocabularyEntry {
    /// The value as the API reads and writes it.
    #[schema(example = "b2")]
    pub code: String,
    #[schema(example = "vantage")]
    pub description: String,
}

/// A whole closed vocabulary.
#[derive(Debug, Serialize, ToSchema)]
pub struct Vocabulary {
    pub items: Vec<VocabularyEntry>,
}

fn vocabulary<T>(
    all: impl IntoIterator<Item = T>,
    entry: impl Fn(T) -> (String, &'static str),
) -> HttpResponse {
    let items = all
        .into_iter()
        .map(|t| {
            let (code, description) = entry(t);
            VocabularyEntry {
                code,
                description: description.to_owned(),
            }
        })
        .collect();
    HttpResponse::Ok().json(Vocabulary { items })
}

/// Language levels
///
/// CEFR `a1`..`c2`, plus `none` and `native`.
#[utoipa::path(operation_id = "listLanguageLevels", tag = "reference-data", security(()),
    responses((status = 200, description = "Every language level", body = Vocabulary)))]
#[get("/language-levels")]
async fn language_levels() -> HttpResponse {
    vocabulary(LanguageLevel::ALL.iter().copied(), |l| {
        (l.as_str().to_owned(), l.description())
    })
}

/// Qualification levels
///
/// DQR/EQF levels 1-8 (`code` is the number as a string).
#[utoipa::path(operation_id = "listQualificationLevels", tag = "reference-data", security(()),
    responses((status = 200, description = "Every DQR level", body = Vocabulary)))]
#[get("/qualification-levels")]
async fn qualification_levels() -> HttpResponse {
    vocabulary(
        DqrLevel::all(),
        |(level, example): (DqrLevel, &'static str)| (level.value().to_string(), example),
    )
}

/// Residence titles
///
/// Residence titles under the Residence Act (AufenthG), and the cases that need none.
#[utoipa::path(operation_id = "listResidenceTitles", tag = "reference-data", security(()),
    responses((status = 200, description = "Every residence title", body = Vocabulary)))]
#[get("/residence-titles")]
async fn residence_titles() -> HttpResponse {
    vocabulary(ResidenceTitle::ALL.iter().copied(), |t| {
        (t.as_str().to_owned(), t.description())
    })
}

/// Competent-authority kinds
///
/// The closed vocabulary of kinds of competent authority (e.g. `ihk`, `hwk`), used to filter the
/// competent authorities; public.
#[utoipa::path(operation_id = "listCompetentAuthorityKinds", tag = "reference-data", security(()),
    responses((status = 200, description = "Every kind of competent authority", body = Vocabulary)))]
#[get("/competent-authority-kinds")]
async fn competent_authority_kinds() -> HttpResponse {
    vocabulary(CompetentAuthorityKind::ALL.iter().copied(), |k| {
        (k.as_str().to_owned(), k.description())
    })
}

list_query! {
    pub struct AuthorityQuery {
        /// Only authorities of this kind.
        pub kind: Option<CompetentAuthorityKind>,
        /// Only authorities seated in this state.
        pub state: Option<StateCode>,
        /// Only authorities deciding on this reference occupation (KldB 2010).
        #[param(value_type = Option<String>, example = "81302")]
        pub occupation: Option<KldbCode>,
    }
}

/// List competent authorities
///
/// The authorities that decide on recognition, with their kind, seat (state and the local
/// holidays by which their periods end) and the reference occupations they decide on; ordered
/// by id. Public.
#[utoipa::path(
    operation_id = "listCompetentAuthorities",
    tag = "reference-data",
    params(AuthorityQuery),
    security(()),
    responses((status = 200, description = "One page of competent authorities", body = List<CompetentAuthority>))
)]
#[get("/competent-authorities")]
async fn list_authorities(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Query<AuthorityQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.0;
    let page = q.page()?;
    let filter = AuthorityFilter {
        kind: q.kind,
        state: q.state,
        occupation: q.occupation,
    };
    let found = state
        .read(move |conn| Ok(reference::list_authorities(conn, &filter, &page)?))
        .await?;
    Ok(http::list(&req, found))
}

/// Get a competent authority
///
/// One competent authority for recognition procedures by id; public.
#[utoipa::path(
    operation_id = "getCompetentAuthority",
    tag = "reference-data",
    params(("id" = String, Path, description = "The authority's code", example = "be-lageso")),
    security(()),
    responses((status = 200, description = "The authority", body = CompetentAuthority))
)]
#[get("/competent-authorities/{id}")]
async fn get_authority(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let found = state
        .read(move |conn| Ok(reference::get_authority(conn, &id)?))
        .await?;
    Ok(http::single(&req, &found, 1))
}
