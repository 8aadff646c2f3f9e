//! Advice seekers, their consents and foreign qualifications, their journey, and the audit log of
//! access to their data. Every read and write here is audited.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use iqnet_counselling::records::{AdviceSeeker, Consent, ForeignQualification, consent_stands};
use iqnet_counselling::vocabulary::{
    AgeBand, Benefit, ConsentPurpose, EmploymentStatus, Gender, QualificationKind,
};
use iqnet_persistence::counselling::{self, seekers::SeekerFilter};
use iqnet_persistence::{DbConnection, Page, reference};
use iqnet_shared::codes::{CountryCode, DqrLevel, Email, KldbCode, LanguageLevel};
use iqnet_shared::error::Violations;
use iqnet_shared::ids::{OrganisationId, QualificationId, SeekerId};
use iqnet_shared::records::{AuditEntry, Stamp};
use iqnet_shared::reference::ResidenceTitle;
use iqnet_shared::structure::parse_text;
use iqnet_shared::time::now;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use iqnet_conventions::audit::{self, Access, AccessContext};
use iqnet_conventions::auth::{Caller, Principal};
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List, Patch};
use iqnet_conventions::list_query;
use iqnet_conventions::middleware::idempotency::RedactOnReplay;
use iqnet_conventions::state::AppState;

use super::{COUNSELLING_STAFF, owning_organisation, visible_seeker};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/advice-seekers")
            .service(list)
            .service(create)
            .service(get)
            .service(update)
            .service(give_consent)
            .service(withdraw_consent)
            .service(add_qualification)
            .service(list_qualifications)
            .service(super::cases::journey)
            .service(audit_log),
    );
}

fn seeker_access<'a>(
    seeker: &AdviceSeeker,
    action: &'static str,
    operation: &'a str,
) -> Access<'a> {
    Access {
        action,
        resource: "advice_seeker",
        resource_id: seeker.id.to_string(),
        seeker: seeker.id,
        organisation: seeker.organisation_id,
        operation,
    }
}

fn seen(
    caller: &Caller,
    ctx: &AccessContext,
    conn: &mut DbConnection,
    seeker: &AdviceSeeker,
    action: &'static str,
    operation: &str,
) -> ApiResult<()> {
    audit::record(conn, caller, ctx, seeker_access(seeker, action, operation))
}

list_query! {
    pub struct SeekerQuery {
        /// Only the seeker with this client code.
        pub client_code: Option<String>,
        /// Only seekers changed at or after this instant (RFC 3339).
        pub updated_since: Option<DateTime<Utc>>,
    }
}

/// List advice seekers
///
/// The seekers in the caller's scope. Each one returned is audited as read.
#[utoipa::path(
    operation_id = "listAdviceSeekers",
    tag = "counselling",
    params(SeekerQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of advice seekers", body = List<AdviceSeeker>,
        headers(("Link" = String, description = "`<...>; rel=\"next\"` when more pages follow"))))
)]
#[get("")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    query: Query<SeekerQuery>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let q = query.0;
    let page = q.page()?;
    let filter = SeekerFilter {
        client_code: q.client_code,
        updated_since: q.updated_since,
    };
    let found = state
        .write(move |conn| {
            let page = counselling::seekers::list(conn, caller.scope(), &filter, &page)?;
            let accesses = page
                .items
                .iter()
                .map(|s| seeker_access(s, "read", "listAdviceSeekers"));
            audit::record_all(conn, &caller, &ctx, accesses)?;
            Ok(page)
        })
        .await?;
    Ok(http::list(&req, found))
}

/// Get an advice seeker
#[utoipa::path(
    operation_id = "getAdviceSeeker",
    tag = "counselling",
    params(
        ("id" = SeekerId, Path, description = "Advice seeker id"),
        ("X-Access-Reason" = Option<String>, Header, description = "Why the data is accessed; written to the audit log")
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The seeker", body = AdviceSeeker, headers(("ETag" = String, description = "Strong ETag: the version"))),
        (status = 304, description = "`If-None-Match` names the current version")
    )
)]
#[get("/{id}")]
async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<SeekerId>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let id = id.into_inner();
    let found = state
        .write(move |conn| {
            let seeker = visible_seeker(conn, &caller, id)?;
            seen(&caller, &ctx, conn, &seeker, "read", "getAdviceSeeker")?;
            Ok(seeker)
        })
        .await?;
    Ok(http::single(&req, &found, found.stamp.version))
}

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

fn parse_year(v: &mut Violations, field: &str, year: Option<i32>) -> Option<i32> {
    let this_year = chrono::Datelike::year(&Utc::now());
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

/// Countries must be known to the reference data, not only well-formed.
fn ensure_countries_known(
    conn: &mut DbConnection,
    fields: &[(&str, &CountryCode)],
) -> ApiResult<()> {
    let mut v = Violations::new();
    for (field, code) in fields {
        if reference::get_country(conn, code).is_err() {
            v.push(
                *field,
                "unknown_country",
                format!("`{code}` is not an ISO 3166-1 country"),
            );
        }
    }
    Ok(v.finish(|| ())?)
}

/// Register an advice seeker
#[utoipa::path(
    operation_id = "createAdviceSeeker",
    tag = "counselling",
    request_body = NewAdviceSeeker,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = AdviceSeeker,
            headers(("Location" = String, description = "URL of the new seeker"), ("ETag" = String, description = "Its version"))),
        (status = 409, description = "The client code is taken in this organisation", body = iqnet_conventions::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("")]
async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    body: Json<NewAdviceSeeker>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let input = body.0;
    let mut v = Violations::new();
    let client_code = v.check("client_code", parse_text(&input.client_code, 50));
    let name = input
        .name
        .as_deref()
        .and_then(|n| v.check("name", parse_text(n, 200)));
    let email = input
        .email
        .as_deref()
        .and_then(|e| v.check("email", Email::parse(e)));
    let phone = input
        .phone
        .as_deref()
        .and_then(|p| v.check("phone", parse_text(p, 50)));
    let nationalities = parse_countries(&mut v, "nationalities", &input.nationalities);
    let residence = v.check(
        "country_of_residence",
        CountryCode::parse(&input.country_of_residence),
    );
    let year_of_entry = parse_year(&mut v, "year_of_entry", input.year_of_entry);
    let (client_code, residence) = match v.finish(|| (client_code, residence))? {
        (Some(c), Some(r)) => (c, r),
        _ => return Err(ApiError::internal("parsed seeker without values")),
    };
    let at = now();
    let mut consents: Vec<Consent> = input
        .consents
        .iter()
        .map(|p| Consent {
            purpose: *p,
            given_at: at,
            withdrawn_at: None,
        })
        .collect();
    consents.dedup_by_key(|c| c.purpose);
    let created = state
        .write(move |conn| {
            let organisation_id = owning_organisation(conn, &caller, input.organisation_id)?;
            let mut known: Vec<(&str, &CountryCode)> =
                nationalities.iter().map(|n| ("nationalities", n)).collect();
            known.push(("country_of_residence", &residence));
            ensure_countries_known(conn, &known)?;
            let seeker = AdviceSeeker {
                id: SeekerId::new(),
                organisation_id,
                client_code,
                name,
                email,
                phone,
                gender: input.gender,
                age_band: input.age_band,
                nationalities: nationalities.clone(),
                country_of_residence: residence.clone(),
                year_of_entry,
                residence_title: input.residence_title,
                german_level: input.german_level,
                employment_status: input.employment_status,
                benefits: input.benefits,
                consents,
                stamp: Stamp::new(at),
            };
            counselling::seekers::insert(conn, &seeker).map_err(|e| match e {
                iqnet_persistence::StoreError::Conflict(_) => ApiError::conflict(
                    "already-exists",
                    "this client code is already used in the organisation",
                ),
                other => other.into(),
            })?;
            seen(&caller, &ctx, conn, &seeker, "create", "createAdviceSeeker")?;
            Ok(seeker)
        })
        .await?;
    Ok(identifiers_not_replayed(http::created(
        format!("/v1/advice-seekers/{}", created.id),
        &created,
        created.stamp.version,
    )))
}

/// The fields that name a person directly. An idempotent replay carries them as `null`: a stored
/// copy must not outlive an erasure (PATCH `name: null`) or a withdrawn consent.
const DIRECT_IDENTIFIERS: &[&str] = &["name", "email", "phone"];

fn identifiers_not_replayed(mut response: HttpResponse) -> HttpResponse {
    response
        .extensions_mut()
        .insert(RedactOnReplay(DIRECT_IDENTIFIERS));
    response
}

/// Changes to an advice seeker (JSON merge patch: `null` erases an optional field, e.g. the name).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdviceSeekerPatch {
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub name: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub email: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub phone: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<AgeBand>)]
    pub age_band: Patch<AgeBand>,
    #[serde(default)]
    #[schema(value_type = Option<ResidenceTitle>)]
    pub residence_title: Patch<ResidenceTitle>,
    #[serde(default)]
    #[schema(value_type = Option<LanguageLevel>)]
    pub german_level: Patch<LanguageLevel>,
    #[serde(default)]
    #[schema(value_type = Option<EmploymentStatus>)]
    pub employment_status: Patch<EmploymentStatus>,
    #[serde(default)]
    #[schema(value_type = Option<Vec<Benefit>>)]
    pub benefits: Patch<Vec<Benefit>>,
}

/// Update an advice seeker
#[utoipa::path(
    operation_id = "updateAdviceSeeker",
    tag = "counselling",
    params(
        ("id" = SeekerId, Path, description = "Advice seeker id"),
        ("If-Match" = Option<String>, Header, description = "The ETag you read; a stale one is refused with 412")
    ),
    request_body(content = AdviceSeekerPatch, content_type = "application/merge-patch+json"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated seeker", body = AdviceSeeker, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "Changed concurrently; read again and retry", body = iqnet_conventions::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` is stale; nothing changed", body = iqnet_conventions::error::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/{id}")]
async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<SeekerId>,
    body: Json<AdviceSeekerPatch>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let id = id.into_inner();
    let patch = body.0;
    let if_match = IfMatch::of(&req);
    let updated = state
        .write(move |conn| {
            let current = visible_seeker(conn, &caller, id)?;
            if_match.check(current.stamp.version)?;
            let mut v = Violations::new();
            let name = patch
                .name
                .parse_into(&mut v, "name", current.name.clone(), |s| parse_text(s, 200));
            let phone = patch
                .phone
                .parse_into(&mut v, "phone", current.phone.clone(), |s| {
                    parse_text(s, 50)
                });
            let email =
                patch
                    .email
                    .parse_into(&mut v, "email", current.email.clone(), Email::parse);
            v.finish(|| ())?;
            let next = AdviceSeeker {
                name,
                email,
                phone,
                age_band: patch.age_band.apply_to(current.age_band),
                residence_title: patch.residence_title.apply_to(current.residence_title),
                german_level: patch.german_level.apply_to(current.german_level),
                employment_status: patch.employment_status.apply_to(current.employment_status),
                benefits: patch
                    .benefits
                    .apply_to(Some(current.benefits.clone()))
                    .unwrap_or_default(),
                stamp: current.stamp.next(now()),
                ..current.clone()
            };
            counselling::seekers::update(conn, &next, current.stamp.version)?;
            seen(&caller, &ctx, conn, &next, "update", "updateAdviceSeeker")?;
            Ok(next)
        })
        .await?;
    Ok(http::ok_with_etag(&updated, updated.stamp.version))
}

/// A consent to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewConsent {
    pub purpose: ConsentPurpose,
}

/// Record a consent
///
/// Records that the seeker gave a consent now. Giving a consent that stands changes nothing.
#[utoipa::path(
    operation_id = "giveConsent",
    tag = "counselling",
    params(("id" = SeekerId, Path, description = "Advice seeker id")),
    request_body = NewConsent,
    security(("bearer" = [])),
    responses((status = 200, description = "The seeker with the consent", body = AdviceSeeker, headers(("ETag" = String, description = "The new version"))))
)]
#[post("/{id}/consents")]
async fn give_consent(
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<SeekerId>,
    body: Json<NewConsent>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let (id, purpose) = (id.into_inner(), body.0.purpose);
    let updated = state
        .write(move |conn| {
            let current = visible_seeker(conn, &caller, id)?;
            if consent_stands(&current.consents, purpose) {
                seen(&caller, &ctx, conn, &current, "read", "giveConsent")?;
                return Ok(current);
            }
            let mut next = current.clone();
            next.consents.push(Consent {
                purpose,
                given_at: now(),
                withdrawn_at: None,
            });
            next.stamp = current.stamp.next(now());
            counselling::seekers::update(conn, &next, current.stamp.version)?;
            seen(&caller, &ctx, conn, &next, "update", "giveConsent")?;
            Ok(next)
        })
        .await?;
    Ok(identifiers_not_replayed(http::ok_with_etag(
        &updated,
        updated.stamp.version,
    )))
}

/// Withdraw a consent
///
/// Marks the standing consent for `purpose` as withdrawn now (it stays in the record). Data
/// shared on its strength is hidden from then on.
#[utoipa::path(
    operation_id = "withdrawConsent",
    tag = "counselling",
    params(("id" = SeekerId, Path, description = "Advice seeker id"), ("purpose" = ConsentPurpose, Path, description = "The consent's purpose")),
    security(("bearer" = [])),
    responses((status = 200, description = "The seeker with the consent withdrawn", body = AdviceSeeker, headers(("ETag" = String, description = "The new version"))))
)]
#[post("/{id}/consents/{purpose}/withdrawal")]
async fn withdraw_consent(
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    path: web::Path<(SeekerId, ConsentPurpose)>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let (id, purpose) = path.into_inner();
    let updated = state
        .write(move |conn| {
            let current = visible_seeker(conn, &caller, id)?;
            if !consent_stands(&current.consents, purpose) {
                return Err(ApiError::conflict(
                    "no-such-consent",
                    format!("no standing consent for `{purpose}`"),
                ));
            }
            let at = now();
            let mut next = current.clone();
            for consent in next
                .consents
                .iter_mut()
                .filter(|c| c.purpose == purpose && c.withdrawn_at.is_none())
            {
                consent.withdrawn_at = Some(at);
            }
            next.stamp = current.stamp.next(at);
            counselling::seekers::update(conn, &next, current.stamp.version)?;
            seen(&caller, &ctx, conn, &next, "update", "withdrawConsent")?;
            Ok(next)
        })
        .await?;
    Ok(identifiers_not_replayed(http::ok_with_etag(
        &updated,
        updated.stamp.version,
    )))
}

/// A foreign qualification to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewQualification {
    pub kind: QualificationKind,
    #[schema(example = "Bachelor of Nursing")]
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
}

/// Record a foreign qualification
#[utoipa::path(
    operation_id = "createQualification",
    tag = "counselling",
    params(("id" = SeekerId, Path, description = "Advice seeker id")),
    request_body = NewQualification,
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = ForeignQualification,
        headers(("Location" = String, description = "URL of the seeker's qualifications"))))
)]
#[post("/{id}/qualifications")]
async fn add_qualification(
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<SeekerId>,
    body: Json<NewQualification>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let seeker_id = id.into_inner();
    let input = body.0;
    let mut v = Violations::new();
    let title = v.check("title", parse_text(&input.title, 200));
    let country = v.check("country", CountryCode::parse(&input.country));
    let year_acquired = parse_year(&mut v, "year_acquired", input.year_acquired);
    let dqr_level = input
        .dqr_level
        .and_then(|l| v.check("dqr_level", DqrLevel::parse(l)));
    let occupation = input
        .reference_occupation
        .as_deref()
        .and_then(|k| v.check("reference_occupation", KldbCode::parse(k)));
    let (title, country) = match v.finish(|| (title, country))? {
        (Some(t), Some(c)) => (t, c),
        _ => return Err(ApiError::internal("parsed qualification without values")),
    };
    let created = state
        .write(move |conn| {
            let seeker = visible_seeker(conn, &caller, seeker_id)?;
            ensure_countries_known(conn, &[("country", &country)])?;
            let reference = match &occupation {
                Some(code) => Some(reference::get_occupation(conn, code).map_err(|_| {
                    ApiError::invalid_field(
                        "reference_occupation",
                        "unknown_occupation",
                        "not a reference occupation",
                    )
                })?),
                None => None,
            };
            let qualification = ForeignQualification {
                id: QualificationId::new(),
                seeker_id,
                organisation_id: seeker.organisation_id,
                kind: input.kind,
                title,
                country,
                year_acquired,
                dqr_level,
                reference_occupation: occupation,
                regulated: reference.as_ref().is_some_and(|r| r.regulated),
                competent_authority_kind: reference.map(|r| r.competent_authority_kind),
                stamp: Stamp::new(now()),
            };
            counselling::qualifications::insert(conn, &qualification)?;
            seen(
                &caller,
                &ctx,
                conn,
                &seeker,
                "update",
                "createQualification",
            )?;
            Ok(qualification)
        })
        .await?;
    Ok(http::created(
        format!("/v1/advice-seekers/{seeker_id}/qualifications"),
        &created,
        created.stamp.version,
    ))
}

/// List a seeker's foreign qualifications
#[utoipa::path(
    operation_id = "listQualifications",
    tag = "counselling",
    params(("id" = SeekerId, Path, description = "Advice seeker id")),
    security(("bearer" = [])),
    responses((status = 200, description = "Every qualification of the seeker", body = List<ForeignQualification>))
)]
#[get("/{id}/qualifications")]
async fn list_qualifications(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<SeekerId>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let id = id.into_inner();
    let items = state
        .write(move |conn| {
            let seeker = visible_seeker(conn, &caller, id)?;
            seen(&caller, &ctx, conn, &seeker, "read", "listQualifications")?;
            Ok(counselling::qualifications::of_seeker(conn, id)?)
        })
        .await?;
    Ok(http::list(
        &req,
        Page {
            items,
            next_after: None,
        },
    ))
}

list_query! {
    pub struct AuditQuery {}
}

/// A seeker's audit log
///
/// Who read or changed the seeker's data, when and why. National admins and coordinators.
#[utoipa::path(
    operation_id = "listSeekerAuditLog",
    tag = "counselling",
    params(("id" = SeekerId, Path, description = "Advice seeker id"), AuditQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of audit entries, oldest first", body = List<AuditEntry>))
)]
#[get("/{id}/audit-log")]
async fn audit_log(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<SeekerId>,
    query: Query<AuditQuery>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(crate::permissions::AUDIT_READERS)?;
    let id = id.into_inner();
    let page = query.0.page()?;
    let found = state
        .read(move |conn| {
            visible_seeker(conn, &caller, id)?;
            Ok(iqnet_persistence::audit::of_seeker(conn, id, &page)?)
        })
        .await?;
    Ok(http::list(&req, found))
}

/// Shown to an organisation a seeker was referred to, while the seeker's consent to sharing stands:
/// what it needs to act, nothing more.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SharedSeeker {
    pub client_code: String,
    pub name: Option<String>,
    pub email: Option<Email>,
    pub phone: Option<String>,
    pub german_level: Option<LanguageLevel>,
    pub qualifications: Vec<ForeignQualification>,
}

impl SharedSeeker {
    pub fn of(seeker: &AdviceSeeker, qualifications: Vec<ForeignQualification>) -> SharedSeeker {
        SharedSeeker {
            client_code: seeker.client_code.clone(),
            name: seeker.name.clone(),
            email: seeker.email.clone(),
            phone: seeker.phone.clone(),
            german_level: seeker.german_level,
            qualifications,
        }
    }
}

/// A date given by the client: things are recorded after they happen, so not after today (in
/// Germany, where the deadlines run), and not before 1900.
pub fn past_date(field: &str, on: NaiveDate) -> ApiResult<NaiveDate> {
    if on > iqnet_shared::time::today_in_germany() {
        Err(ApiError::invalid_field(
            field,
            "in_future",
            "the date lies in the future",
        ))
    } else if on < iqnet_shared::time::EARLIEST_DATE {
        Err(ApiError::invalid_field(
            field,
            "out_of_range",
            "the date lies before 1900",
        ))
    } else {
        Ok(on)
    }
}
