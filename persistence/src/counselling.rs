//! Priority area 1: advice centres, seekers, qualifications, cases, sessions, recognition
//! procedures (with their event history), referrals, and the audit log of personal-data access.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use iqnet_counselling::procedure::{Procedure, ProcedureFacts};
use iqnet_counselling::records::{
    AdviceCentre, AdviceSeeker, CounsellingCase, CounsellingSession, ForeignQualification,
    ProcedureEvent, RecognitionProcedure, Referral,
};
use iqnet_counselling::vocabulary::{CaseState, ContactFormat, ReferralStatus};
use iqnet_shared::codes::StateCode;
use iqnet_shared::ids::{
    AdviceCentreId, CaseId, OrganisationId, ProcedureId, QualificationId, ReferralId, SeekerId,
};
use iqnet_shared::records::AuditEntry;
use iqnet_shared::structure::Scope;

use crate::convert::{
    from_json, json, load_page, of_seeker, parse, parse_opt, record_store, scoped, stamp,
};
use crate::db::{DbConnection, MultiBackend};
use crate::error::stored;
use crate::schema::{
    advice_centres, advice_seekers, audit_log, counselling_cases, counselling_sessions,
    foreign_qualifications, organisations, procedure_events, recognition_procedures, referrals,
};
use crate::{Page, PageRequest, StoreError};

/// A LIKE pattern matching values that start with `prefix` (its wildcards escaped).
fn prefix_pattern(prefix: &str) -> String {
    let escaped = prefix
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("{escaped}%")
}

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

// ---------------------------------------------------------------------------------------------
// Advice centres

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = advice_centres, treat_none_as_null = true)]
struct CentreRow {
    id: String,
    organisation_id: String,
    sub_project_id: Option<String>,
    name: String,
    kind: String,
    state: String,
    street: Option<String>,
    postcode: String,
    city: String,
    languages: String,
    formats: String,
    opening_hours: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl From<&AdviceCentre> for CentreRow {
    fn from(c: &AdviceCentre) -> Self {
        CentreRow {
            id: c.id.to_string(),
            organisation_id: c.organisation_id.to_string(),
            sub_project_id: c.sub_project_id.map(|s| s.to_string()),
            name: c.name.clone(),
            kind: c.kind.as_str().to_owned(),
            state: c.state.as_str().to_owned(),
            street: c.street.clone(),
            postcode: c.postcode.clone(),
            city: c.city.clone(),
            languages: json(&c.languages),
            formats: json(&c.formats),
            opening_hours: c.opening_hours.clone(),
            email: c.email.as_ref().map(|e| e.as_str().to_owned()),
            phone: c.phone.clone(),
            created_at: c.stamp.created_at.naive_utc(),
            updated_at: c.stamp.updated_at.naive_utc(),
            version: c.stamp.version,
        }
    }
}

impl TryFrom<CentreRow> for AdviceCentre {
    type Error = StoreError;
    fn try_from(r: CentreRow) -> Result<Self, StoreError> {
        Ok(AdviceCentre {
            id: parse("id", &r.id)?,
            organisation_id: parse("organisation_id", &r.organisation_id)?,
            sub_project_id: parse_opt("sub_project_id", r.sub_project_id.as_deref())?,
            name: r.name,
            kind: parse("kind", &r.kind)?,
            state: parse("state", &r.state)?,
            street: r.street,
            postcode: r.postcode,
            city: r.city,
            languages: from_json("languages", &r.languages)?,
            formats: from_json("formats", &r.formats)?,
            opening_hours: r.opening_hours,
            email: r
                .email
                .map(|e| stored("email", iqnet_shared::codes::Email::parse(&e)))
                .transpose()?,
            phone: r.phone,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

/// The public directory's search.
#[derive(Debug, Default, Clone)]
pub struct CentreFilter {
    pub state: Option<StateCode>,
    /// Case-insensitive prefix of the city.
    pub city: Option<String>,
    pub postcode_prefix: Option<String>,
    /// ISO 639-1 code the centre offers counselling in.
    pub language: Option<String>,
    pub format: Option<ContactFormat>,
    pub organisation_id: Option<OrganisationId>,
    pub updated_since: Option<DateTime<Utc>>,
}

pub fn list_centres(
    conn: &mut DbConnection,
    filter: &CentreFilter,
    page: &PageRequest,
) -> Result<Page<AdviceCentre>, StoreError> {
    let mut query = advice_centres::table.into_boxed::<MultiBackend>();
    if let Some(state) = filter.state {
        query = query.filter(advice_centres::state.eq(state.as_str()));
    }
    if let Some(city) = &filter.city {
        query = query.filter(
            lower(advice_centres::city)
                .like(prefix_pattern(&city.to_lowercase()))
                .escape('\\'),
        );
    }
    if let Some(prefix) = &filter.postcode_prefix {
        query = query.filter(
            advice_centres::postcode
                .like(prefix_pattern(prefix))
                .escape('\\'),
        );
    }
    // The lists are JSON arrays of plain codes, so a quoted code matches exactly one element.
    if let Some(language) = &filter.language {
        query = query.filter(advice_centres::languages.like(format!("%\"{language}\"%")));
    }
    if let Some(format) = filter.format {
        query = query.filter(advice_centres::formats.like(format!("%\"{}\"%", format.as_str())));
    }
    if let Some(org) = filter.organisation_id {
        query = query.filter(advice_centres::organisation_id.eq(org.to_string()));
    }
    if let Some(since) = filter.updated_since {
        query =
            query.filter(advice_centres::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    load_page!(conn, query, advice_centres::id, page, CentreRow, |r| r
        .id
        .clone())
    .try_map(AdviceCentre::try_from)
}

record_store!(
    advice_centres,
    CentreRow,
    AdviceCentre,
    AdviceCentreId,
    get = get_centre,
    insert = insert_centre,
    update = update_centre
);

// ---------------------------------------------------------------------------------------------
// Advice seekers

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = advice_seekers, treat_none_as_null = true)]
struct SeekerRow {
    id: String,
    organisation_id: String,
    client_code: String,
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    gender: String,
    age_band: Option<String>,
    nationalities: String,
    country_of_residence: String,
    year_of_entry: Option<i32>,
    residence_title: Option<String>,
    german_level: Option<String>,
    employment_status: Option<String>,
    benefits: String,
    consents: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl From<&AdviceSeeker> for SeekerRow {
    fn from(s: &AdviceSeeker) -> Self {
        SeekerRow {
            id: s.id.to_string(),
            organisation_id: s.organisation_id.to_string(),
            client_code: s.client_code.clone(),
            name: s.name.clone(),
            email: s.email.as_ref().map(|e| e.as_str().to_owned()),
            phone: s.phone.clone(),
            gender: s.gender.as_str().to_owned(),
            age_band: s.age_band.map(|a| a.as_str().to_owned()),
            nationalities: json(&s.nationalities),
            country_of_residence: s.country_of_residence.as_str().to_owned(),
            year_of_entry: s.year_of_entry,
            residence_title: s.residence_title.map(|r| r.as_str().to_owned()),
            german_level: s.german_level.map(|l| l.as_str().to_owned()),
            employment_status: s.employment_status.map(|e| e.as_str().to_owned()),
            benefits: json(&s.benefits),
            consents: json(&s.consents),
            created_at: s.stamp.created_at.naive_utc(),
            updated_at: s.stamp.updated_at.naive_utc(),
            version: s.stamp.version,
        }
    }
}

impl TryFrom<SeekerRow> for AdviceSeeker {
    type Error = StoreError;
    fn try_from(r: SeekerRow) -> Result<Self, StoreError> {
        Ok(AdviceSeeker {
            id: parse("id", &r.id)?,
            organisation_id: parse("organisation_id", &r.organisation_id)?,
            client_code: r.client_code,
            name: r.name,
            email: r
                .email
                .map(|e| stored("email", iqnet_shared::codes::Email::parse(&e)))
                .transpose()?,
            phone: r.phone,
            gender: parse("gender", &r.gender)?,
            age_band: parse_opt("age_band", r.age_band.as_deref())?,
            nationalities: from_json("nationalities", &r.nationalities)?,
            country_of_residence: stored(
                "country_of_residence",
                iqnet_shared::codes::CountryCode::parse(&r.country_of_residence),
            )?,
            year_of_entry: r.year_of_entry,
            residence_title: parse_opt("residence_title", r.residence_title.as_deref())?,
            german_level: parse_opt("german_level", r.german_level.as_deref())?,
            employment_status: parse_opt("employment_status", r.employment_status.as_deref())?,
            benefits: from_json("benefits", &r.benefits)?,
            consents: from_json("consents", &r.consents)?,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

#[derive(Debug, Default, Clone)]
pub struct SeekerFilter {
    pub client_code: Option<String>,
    pub updated_since: Option<DateTime<Utc>>,
}

pub fn list_seekers(
    conn: &mut DbConnection,
    scope: Scope,
    filter: &SeekerFilter,
    page: &PageRequest,
) -> Result<Page<AdviceSeeker>, StoreError> {
    let query = advice_seekers::table.into_boxed::<MultiBackend>();
    let Some(mut query) = scoped!(query, advice_seekers::organisation_id, scope) else {
        return Ok(Page::empty());
    };
    if let Some(code) = &filter.client_code {
        query = query.filter(advice_seekers::client_code.eq(code.clone()));
    }
    if let Some(since) = filter.updated_since {
        query =
            query.filter(advice_seekers::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    load_page!(conn, query, advice_seekers::id, page, SeekerRow, |r| r
        .id
        .clone())
    .try_map(AdviceSeeker::try_from)
}

record_store!(
    advice_seekers,
    SeekerRow,
    AdviceSeeker,
    SeekerId,
    get = get_seeker,
    insert = insert_seeker,
    update = update_seeker
);

// ---------------------------------------------------------------------------------------------
// Foreign qualifications

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = foreign_qualifications)]
struct QualificationRow {
    id: String,
    seeker_id: String,
    organisation_id: String,
    kind: String,
    title: String,
    country: String,
    year_acquired: Option<i32>,
    dqr_level: Option<i32>,
    reference_occupation: Option<String>,
    regulated: bool,
    competent_authority_kind: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl TryFrom<QualificationRow> for ForeignQualification {
    type Error = StoreError;
    fn try_from(r: QualificationRow) -> Result<Self, StoreError> {
        let dqr_level = r
            .dqr_level
            .map(|l| {
                stored(
                    "dqr_level",
                    u8::try_from(l).map_err(|e| e.to_string()).and_then(|l| {
                        iqnet_shared::codes::DqrLevel::parse(l).map_err(|e| e.to_string())
                    }),
                )
            })
            .transpose()?;
        Ok(ForeignQualification {
            id: parse("id", &r.id)?,
            seeker_id: parse("seeker_id", &r.seeker_id)?,
            organisation_id: parse("organisation_id", &r.organisation_id)?,
            kind: parse("kind", &r.kind)?,
            title: r.title,
            country: stored(
                "country",
                iqnet_shared::codes::CountryCode::parse(&r.country),
            )?,
            year_acquired: r.year_acquired,
            dqr_level,
            reference_occupation: r
                .reference_occupation
                .map(|k| {
                    stored(
                        "reference_occupation",
                        iqnet_shared::codes::KldbCode::parse(&k),
                    )
                })
                .transpose()?,
            regulated: r.regulated,
            competent_authority_kind: parse_opt(
                "competent_authority_kind",
                r.competent_authority_kind.as_deref(),
            )?,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

pub fn insert_qualification(
    conn: &mut DbConnection,
    q: &ForeignQualification,
) -> Result<(), StoreError> {
    let row = QualificationRow {
        id: q.id.to_string(),
        seeker_id: q.seeker_id.to_string(),
        organisation_id: q.organisation_id.to_string(),
        kind: q.kind.as_str().to_owned(),
        title: q.title.clone(),
        country: q.country.as_str().to_owned(),
        year_acquired: q.year_acquired,
        dqr_level: q.dqr_level.map(|l| i32::from(l.value())),
        reference_occupation: q
            .reference_occupation
            .as_ref()
            .map(|k| k.as_str().to_owned()),
        regulated: q.regulated,
        competent_authority_kind: q.competent_authority_kind.map(|k| k.as_str().to_owned()),
        created_at: q.stamp.created_at.naive_utc(),
        updated_at: q.stamp.updated_at.naive_utc(),
        version: q.stamp.version,
    };
    diesel::insert_into(foreign_qualifications::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn get_qualification(
    conn: &mut DbConnection,
    id: QualificationId,
) -> Result<ForeignQualification, StoreError> {
    foreign_qualifications::table
        .find(id.to_string())
        .select(QualificationRow::as_select())
        .first(conn)?
        .try_into()
}

of_seeker!(
    qualifications_of,
    foreign_qualifications,
    QualificationRow,
    ForeignQualification
);

// ---------------------------------------------------------------------------------------------
// Cases and sessions

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = counselling_cases, treat_none_as_null = true)]
struct CaseRow {
    id: String,
    seeker_id: String,
    organisation_id: String,
    kind: String,
    access_route: String,
    state: String,
    outcome: Option<String>,
    opened_on: NaiveDate,
    closed_on: Option<NaiveDate>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl From<&CounsellingCase> for CaseRow {
    fn from(c: &CounsellingCase) -> Self {
        CaseRow {
            id: c.id.to_string(),
            seeker_id: c.seeker_id.to_string(),
            organisation_id: c.organisation_id.to_string(),
            kind: c.kind.as_str().to_owned(),
            access_route: c.access_route.as_str().to_owned(),
            state: c.state.as_str().to_owned(),
            outcome: c.outcome.map(|o| o.as_str().to_owned()),
            opened_on: c.opened_on,
            closed_on: c.closed_on,
            created_at: c.stamp.created_at.naive_utc(),
            updated_at: c.stamp.updated_at.naive_utc(),
            version: c.stamp.version,
        }
    }
}

impl TryFrom<CaseRow> for CounsellingCase {
    type Error = StoreError;
    fn try_from(r: CaseRow) -> Result<Self, StoreError> {
        let state: CaseState = parse("state", &r.state)?;
        Ok(CounsellingCase {
            id: parse("id", &r.id)?,
            seeker_id: parse("seeker_id", &r.seeker_id)?,
            organisation_id: parse("organisation_id", &r.organisation_id)?,
            kind: parse("kind", &r.kind)?,
            access_route: parse("access_route", &r.access_route)?,
            state,
            outcome: parse_opt("outcome", r.outcome.as_deref())?,
            opened_on: r.opened_on,
            closed_on: r.closed_on,
            allowed_actions: iqnet_counselling::lifecycle::case_actions(state)
                .iter()
                .map(|a| (*a).to_owned())
                .collect(),
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

#[derive(Debug, Default, Clone)]
pub struct CaseFilter {
    pub seeker_id: Option<SeekerId>,
    pub state: Option<CaseState>,
    pub updated_since: Option<DateTime<Utc>>,
}

pub fn list_cases(
    conn: &mut DbConnection,
    scope: Scope,
    filter: &CaseFilter,
    page: &PageRequest,
) -> Result<Page<CounsellingCase>, StoreError> {
    let query = counselling_cases::table.into_boxed::<MultiBackend>();
    let Some(mut query) = scoped!(query, counselling_cases::organisation_id, scope) else {
        return Ok(Page::empty());
    };
    if let Some(seeker) = filter.seeker_id {
        query = query.filter(counselling_cases::seeker_id.eq(seeker.to_string()));
    }
    if let Some(state) = filter.state {
        query = query.filter(counselling_cases::state.eq(state.as_str()));
    }
    if let Some(since) = filter.updated_since {
        query = query
            .filter(counselling_cases::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    load_page!(conn, query, counselling_cases::id, page, CaseRow, |r| r
        .id
        .clone())
    .try_map(CounsellingCase::try_from)
}

record_store!(
    counselling_cases,
    CaseRow,
    CounsellingCase,
    CaseId,
    get = get_case,
    insert = insert_case,
    update = update_case
);

of_seeker!(cases_of, counselling_cases, CaseRow, CounsellingCase);

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = counselling_sessions)]
struct SessionRow {
    id: String,
    case_id: String,
    organisation_id: String,
    kind: String,
    format: String,
    held_on: NaiveDate,
    duration_minutes: i32,
    language: String,
    topics: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl TryFrom<SessionRow> for CounsellingSession {
    type Error = StoreError;
    fn try_from(r: SessionRow) -> Result<Self, StoreError> {
        Ok(CounsellingSession {
            id: parse("id", &r.id)?,
            case_id: parse("case_id", &r.case_id)?,
            organisation_id: parse("organisation_id", &r.organisation_id)?,
            kind: parse("kind", &r.kind)?,
            format: parse("format", &r.format)?,
            held_on: r.held_on,
            duration_minutes: stored("duration_minutes", u16::try_from(r.duration_minutes))?,
            language: r.language,
            topics: from_json("topics", &r.topics)?,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

pub fn insert_session(conn: &mut DbConnection, s: &CounsellingSession) -> Result<(), StoreError> {
    let row = SessionRow {
        id: s.id.to_string(),
        case_id: s.case_id.to_string(),
        organisation_id: s.organisation_id.to_string(),
        kind: s.kind.as_str().to_owned(),
        format: s.format.as_str().to_owned(),
        held_on: s.held_on,
        duration_minutes: i32::from(s.duration_minutes),
        language: s.language.clone(),
        topics: json(&s.topics),
        created_at: s.stamp.created_at.naive_utc(),
        updated_at: s.stamp.updated_at.naive_utc(),
        version: s.stamp.version,
    };
    diesel::insert_into(counselling_sessions::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn sessions_of_case(
    conn: &mut DbConnection,
    case: CaseId,
) -> Result<Vec<CounsellingSession>, StoreError> {
    let rows: Vec<SessionRow> = counselling_sessions::table
        .filter(counselling_sessions::case_id.eq(case.to_string()))
        .order(counselling_sessions::id.asc())
        .select(SessionRow::as_select())
        .load(conn)?;
    rows.into_iter().map(CounsellingSession::try_from).collect()
}

// ---------------------------------------------------------------------------------------------
// Recognition procedures

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = recognition_procedures, treat_none_as_null = true)]
struct ProcedureRow {
    id: String,
    qualification_id: String,
    seeker_id: String,
    case_id: Option<String>,
    organisation_id: String,
    authority_name: Option<String>,
    regulated: bool,
    eu_eea_ch: bool,
    accelerated: bool,
    state: String,
    submitted_on: NaiveDate,
    receipt_confirmed_on: Option<NaiveDate>,
    documents_complete_on: Option<NaiveDate>,
    suspended_since: Option<NaiveDate>,
    suspended_days: i32,
    extension_months: i32,
    warned_on: Option<NaiveDate>,
    decision: Option<String>,
    decided_on: Option<NaiveDate>,
    appealed_on: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
    last_action_on: NaiveDate,
    receipt_due_on: NaiveDate,
    decision_due_on: Option<NaiveDate>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl From<&RecognitionProcedure> for ProcedureRow {
    fn from(r: &RecognitionProcedure) -> Self {
        let p = &r.procedure;
        ProcedureRow {
            id: r.id.to_string(),
            qualification_id: r.qualification_id.to_string(),
            seeker_id: r.seeker_id.to_string(),
            case_id: r.case_id.map(|c| c.to_string()),
            organisation_id: r.organisation_id.to_string(),
            authority_name: r.authority_name.clone(),
            regulated: p.facts.regulated,
            eu_eea_ch: p.facts.eu_eea_ch,
            accelerated: p.facts.accelerated,
            state: p.state.as_str().to_owned(),
            submitted_on: p.submitted_on,
            receipt_confirmed_on: p.receipt_confirmed_on,
            documents_complete_on: p.documents_complete_on,
            suspended_since: p.suspended_since,
            suspended_days: i32::try_from(p.suspended_days).unwrap_or(i32::MAX),
            extension_months: i32::from(p.extension_months),
            warned_on: p.warned_on,
            decision: p.decision.as_ref().map(json),
            decided_on: p.decided_on,
            appealed_on: p.appealed_on,
            closed_on: p.closed_on,
            last_action_on: p.last_action_on,
            // Stored, not only derived, so that the overdue filter is a plain comparison in SQL.
            receipt_due_on: p.receipt_due_on(),
            decision_due_on: p.decision_due_on(),
            created_at: r.stamp.created_at.naive_utc(),
            updated_at: r.stamp.updated_at.naive_utc(),
            version: r.stamp.version,
        }
    }
}

impl TryFrom<ProcedureRow> for RecognitionProcedure {
    type Error = StoreError;
    fn try_from(r: ProcedureRow) -> Result<Self, StoreError> {
        let procedure = Procedure {
            facts: ProcedureFacts {
                regulated: r.regulated,
                eu_eea_ch: r.eu_eea_ch,
                accelerated: r.accelerated,
            },
            state: parse("state", &r.state)?,
            submitted_on: r.submitted_on,
            receipt_confirmed_on: r.receipt_confirmed_on,
            documents_complete_on: r.documents_complete_on,
            suspended_since: r.suspended_since,
            suspended_days: stored("suspended_days", u32::try_from(r.suspended_days))?,
            extension_months: stored("extension_months", u8::try_from(r.extension_months))?,
            warned_on: r.warned_on,
            decision: r.decision.map(|d| from_json("decision", &d)).transpose()?,
            decided_on: r.decided_on,
            appealed_on: r.appealed_on,
            closed_on: r.closed_on,
            last_action_on: r.last_action_on,
        };
        Ok(RecognitionProcedure {
            id: parse("id", &r.id)?,
            qualification_id: parse("qualification_id", &r.qualification_id)?,
            seeker_id: parse("seeker_id", &r.seeker_id)?,
            case_id: parse_opt("case_id", r.case_id.as_deref())?,
            organisation_id: parse("organisation_id", &r.organisation_id)?,
            authority_name: r.authority_name,
            procedure,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

#[derive(Debug, Default, Clone)]
pub struct ProcedureFilter {
    pub seeker_id: Option<SeekerId>,
    pub state: Option<iqnet_counselling::procedure::ProcedureState>,
    /// `(true, day)`: only procedures whose authority is late on `day` (receipt or decision);
    /// `(false, day)`: only those that are not.
    pub overdue: Option<(bool, NaiveDate)>,
    pub updated_since: Option<DateTime<Utc>>,
}

pub fn list_procedures(
    conn: &mut DbConnection,
    scope: Scope,
    filter: &ProcedureFilter,
    page: &PageRequest,
) -> Result<Page<RecognitionProcedure>, StoreError> {
    use recognition_procedures as p;
    let query = p::table.into_boxed::<MultiBackend>();
    let Some(mut query) = scoped!(query, p::organisation_id, scope) else {
        return Ok(Page::empty());
    };
    if let Some(seeker) = filter.seeker_id {
        query = query.filter(p::seeker_id.eq(seeker.to_string()));
    }
    if let Some(state) = filter.state {
        query = query.filter(p::state.eq(state.as_str()));
    }
    if let Some((wanted, today)) = filter.overdue {
        // Mirrors Procedure::is_overdue: the receipt is late while submitted, the decision while
        // the clock runs (documents complete: no suspension is open in that state). Never NULL:
        // both due dates are set in the states that compare them.
        let late = p::state
            .eq("submitted")
            .and(p::receipt_due_on.lt(today))
            .or(p::state
                .eq("documents_complete")
                .and(p::decision_due_on.lt(today)));
        query = if wanted {
            query.filter(late)
        } else {
            query.filter(diesel::dsl::not(late))
        };
    }
    if let Some(since) = filter.updated_since {
        query = query.filter(p::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    load_page!(conn, query, p::id, page, ProcedureRow, |r| r.id.clone())
        .try_map(RecognitionProcedure::try_from)
}

record_store!(
    recognition_procedures,
    ProcedureRow,
    RecognitionProcedure,
    ProcedureId,
    get = get_procedure,
    insert = insert_procedure,
    update = update_procedure
);

of_seeker!(
    procedures_of,
    recognition_procedures,
    ProcedureRow,
    RecognitionProcedure
);

/// Appends one step to a procedure's history; `details` is the action as JSON.
pub fn record_procedure_event(
    conn: &mut DbConnection,
    procedure: ProcedureId,
    action: &str,
    happened_on: NaiveDate,
    details: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::insert_into(procedure_events::table)
        .values((
            procedure_events::id.eq(uuid::Uuid::now_v7().to_string()),
            procedure_events::procedure_id.eq(procedure.to_string()),
            procedure_events::action.eq(action),
            procedure_events::happened_on.eq(happened_on),
            procedure_events::details.eq(details),
            procedure_events::recorded_at.eq(at.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn procedure_history(
    conn: &mut DbConnection,
    procedure: ProcedureId,
) -> Result<Vec<ProcedureEvent>, StoreError> {
    let rows: Vec<(String, NaiveDate, NaiveDateTime)> = procedure_events::table
        .filter(procedure_events::procedure_id.eq(procedure.to_string()))
        .order(procedure_events::id.asc())
        .select((
            procedure_events::action,
            procedure_events::happened_on,
            procedure_events::recorded_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(action, happened_on, at)| ProcedureEvent {
            action,
            happened_on,
            recorded_at: at.and_utc(),
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Referrals

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = referrals, treat_none_as_null = true)]
struct ReferralRow {
    id: String,
    case_id: String,
    seeker_id: String,
    organisation_id: String,
    to_organisation_id: String,
    reason: String,
    status: String,
    sent_on: NaiveDate,
    answered_on: Option<NaiveDate>,
    completed_on: Option<NaiveDate>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl From<&Referral> for ReferralRow {
    fn from(r: &Referral) -> Self {
        ReferralRow {
            id: r.id.to_string(),
            case_id: r.case_id.to_string(),
            seeker_id: r.seeker_id.to_string(),
            organisation_id: r.organisation_id.to_string(),
            to_organisation_id: r.to_organisation_id.to_string(),
            reason: r.reason.clone(),
            status: r.status.as_str().to_owned(),
            sent_on: r.sent_on,
            answered_on: r.answered_on,
            completed_on: r.completed_on,
            created_at: r.stamp.created_at.naive_utc(),
            updated_at: r.stamp.updated_at.naive_utc(),
            version: r.stamp.version,
        }
    }
}

impl TryFrom<ReferralRow> for Referral {
    type Error = StoreError;
    fn try_from(r: ReferralRow) -> Result<Self, StoreError> {
        Ok(Referral {
            id: parse("id", &r.id)?,
            case_id: parse("case_id", &r.case_id)?,
            seeker_id: parse("seeker_id", &r.seeker_id)?,
            organisation_id: parse("organisation_id", &r.organisation_id)?,
            to_organisation_id: parse("to_organisation_id", &r.to_organisation_id)?,
            reason: r.reason,
            status: parse("status", &r.status)?,
            sent_on: r.sent_on,
            answered_on: r.answered_on,
            completed_on: r.completed_on,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

#[derive(Debug, Default, Clone)]
pub struct ReferralFilter {
    pub status: Option<ReferralStatus>,
    pub seeker_id: Option<SeekerId>,
    pub updated_since: Option<DateTime<Utc>>,
}

/// Referrals the scope sent, plus those addressed to `receiving` (the caller's organisation).
pub fn list_referrals(
    conn: &mut DbConnection,
    scope: Scope,
    receiving: Option<OrganisationId>,
    filter: &ReferralFilter,
    page: &PageRequest,
) -> Result<Page<Referral>, StoreError> {
    use referrals as r;
    let received = receiving.map(|org| org.to_string()).unwrap_or_default();
    let mut query = r::table.into_boxed::<MultiBackend>();
    query = match scope {
        Scope::Everything => query,
        Scope::Organisation(org) => query.filter(
            r::organisation_id
                .eq(org.to_string())
                .or(r::to_organisation_id.eq(received)),
        ),
        Scope::Network(state) => {
            let in_network = organisations::table
                .filter(organisations::state.eq(state.as_str()))
                .select(organisations::id);
            query.filter(
                r::organisation_id
                    .eq_any(in_network)
                    .or(r::to_organisation_id.eq(received)),
            )
        }
        Scope::Nothing => query.filter(r::to_organisation_id.eq(received)),
    };
    if let Some(status) = filter.status {
        query = query.filter(r::status.eq(status.as_str()));
    }
    if let Some(seeker) = filter.seeker_id {
        query = query.filter(r::seeker_id.eq(seeker.to_string()));
    }
    if let Some(since) = filter.updated_since {
        query = query.filter(r::updated_at.ge(iqnet_shared::time::clamp_instant(since)));
    }
    load_page!(conn, query, r::id, page, ReferralRow, |r| r.id.clone()).try_map(Referral::try_from)
}

record_store!(
    referrals,
    ReferralRow,
    Referral,
    ReferralId,
    get = get_referral,
    insert = insert_referral,
    update = update_referral
);

of_seeker!(referrals_of, referrals, ReferralRow, Referral);

// ---------------------------------------------------------------------------------------------
// Audit log

#[derive(Insertable)]
#[diesel(table_name = audit_log, treat_none_as_default_value = false)]
struct NewAuditRow<'a> {
    id: String,
    at: NaiveDateTime,
    actor: &'a str,
    actor_role: &'a str,
    action: &'a str,
    resource: &'a str,
    resource_id: &'a str,
    seeker_id: Option<&'a str>,
    organisation_id: Option<&'a str>,
    reason: Option<&'a str>,
    request_id: Option<&'a str>,
}

impl<'a> From<&'a AuditEntry> for NewAuditRow<'a> {
    fn from(e: &'a AuditEntry) -> Self {
        NewAuditRow {
            id: uuid::Uuid::now_v7().to_string(),
            at: e.at.naive_utc(),
            actor: &e.actor,
            actor_role: &e.actor_role,
            action: &e.action,
            resource: &e.resource,
            resource_id: &e.resource_id,
            seeker_id: e.seeker_id.as_deref(),
            organisation_id: e.organisation_id.as_deref(),
            reason: e.reason.as_deref(),
            request_id: e.request_id.as_deref(),
        }
    }
}

/// Appends entries in one statement: a list page of 500 seekers is one insert, not 500.
pub fn append_audit(conn: &mut DbConnection, entries: &[AuditEntry]) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    let rows: Vec<NewAuditRow<'_>> = entries.iter().map(NewAuditRow::from).collect();
    // A multi-row INSERT is backend-specific SQL, so it runs on the inner connection.
    match conn {
        DbConnection::Sqlite(c) => diesel::insert_into(audit_log::table)
            .values(rows)
            .execute(c)?,
        DbConnection::Postgres(c) => diesel::insert_into(audit_log::table)
            .values(rows)
            .execute(c)?,
    };
    Ok(())
}

type AuditRow = (
    String,
    NaiveDateTime,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The audit entries about one seeker, oldest first.
pub fn audit_of_seeker(
    conn: &mut DbConnection,
    seeker: SeekerId,
    page: &PageRequest,
) -> Result<Page<AuditEntry>, StoreError> {
    let mut query = audit_log::table
        .filter(audit_log::seeker_id.eq(seeker.to_string()))
        .into_boxed::<MultiBackend>();
    if let Some(after) = &page.after {
        query = query.filter(audit_log::id.gt(after.clone()));
    }
    let rows: Vec<AuditRow> = query
        .order(audit_log::id.asc())
        .limit(page.limit + 1)
        .select((
            audit_log::id,
            audit_log::at,
            audit_log::actor,
            audit_log::actor_role,
            audit_log::action,
            audit_log::resource,
            audit_log::resource_id,
            audit_log::seeker_id,
            audit_log::organisation_id,
            audit_log::reason,
            audit_log::request_id,
        ))
        .load(conn)?;
    let page = Page::from_rows(rows, page.limit, |r| r.0.clone());
    Ok(Page {
        items: page
            .items
            .into_iter()
            .map(
                |(
                    _,
                    at,
                    actor,
                    actor_role,
                    action,
                    resource,
                    resource_id,
                    seeker_id,
                    organisation_id,
                    reason,
                    request_id,
                )| AuditEntry {
                    at: at.and_utc(),
                    actor,
                    actor_role,
                    action,
                    resource,
                    resource_id,
                    seeker_id,
                    organisation_id,
                    reason,
                    request_id,
                },
            )
            .collect(),
        next_after: page.next_after,
    })
}
