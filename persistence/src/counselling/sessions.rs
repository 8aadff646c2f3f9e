//! Counselling sessions of a case, and the first session of a seeker.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use iqnet_counselling::records::CounsellingSession;
use iqnet_counselling::vocabulary::{SessionFormat, SessionKind, SessionTopic};
use iqnet_shared::ids::{AdviceCentreId, CaseId, OrganisationId, SeekerId, SessionId, UserId};

use crate::StoreError;
use crate::convert::{Json, of_seeker, stamp};
use crate::db::DbConnection;
use crate::error::stored;
use crate::schema::counselling_sessions;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = counselling_sessions)]
struct SessionRow {
    id: SessionId,
    case_id: CaseId,
    seeker_id: SeekerId,
    organisation_id: OrganisationId,
    kind: SessionKind,
    format: SessionFormat,
    held_on: NaiveDate,
    duration_minutes: i32,
    language: String,
    topics: Json<Vec<SessionTopic>>,
    centre_id: Option<AdviceCentreId>,
    counsellor_id: Option<UserId>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl From<&CounsellingSession> for SessionRow {
    fn from(s: &CounsellingSession) -> Self {
        SessionRow {
            id: s.id,
            case_id: s.case_id,
            seeker_id: s.seeker_id,
            organisation_id: s.organisation_id,
            kind: s.kind,
            format: s.format,
            held_on: s.held_on,
            duration_minutes: i32::from(s.duration_minutes),
            language: s.language.clone(),
            topics: Json(s.topics.clone()),
            centre_id: s.centre_id,
            counsellor_id: s.counsellor_id,
            created_at: s.stamp.created_at.naive_utc(),
            updated_at: s.stamp.updated_at.naive_utc(),
            version: s.stamp.version,
        }
    }
}

impl TryFrom<SessionRow> for CounsellingSession {
    type Error = StoreError;
    fn try_from(r: SessionRow) -> Result<Self, StoreError> {
        Ok(CounsellingSession {
            id: r.id,
            case_id: r.case_id,
            seeker_id: r.seeker_id,
            organisation_id: r.organisation_id,
            kind: r.kind,
            format: r.format,
            held_on: r.held_on,
            duration_minutes: stored("duration_minutes", u16::try_from(r.duration_minutes))?,
            language: r.language,
            topics: r.topics.0,
            centre_id: r.centre_id,
            counsellor_id: r.counsellor_id,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

/// Stores a new session. A `Conflict` means the seeker has a `first` session already: the unique
/// index on it refused a second one that raced past the domain's check.
pub fn insert(conn: &mut DbConnection, s: &CounsellingSession) -> Result<(), StoreError> {
    diesel::insert_into(counselling_sessions::table)
        .values(SessionRow::from(s))
        .execute(conn)?;
    Ok(())
}

of_seeker!(
    of_seeker,
    counselling_sessions,
    SessionRow,
    CounsellingSession
);

pub fn of_case(
    conn: &mut DbConnection,
    case: CaseId,
) -> Result<Vec<CounsellingSession>, StoreError> {
    let rows: Vec<SessionRow> = counselling_sessions::table
        .filter(counselling_sessions::case_id.eq(case))
        .order(counselling_sessions::id.asc())
        .select(SessionRow::as_select())
        .load(conn)?;
    rows.into_iter().map(CounsellingSession::try_from).collect()
}

crate::convert::insert_many!(counselling_sessions, SessionRow, CounsellingSession);

/// The seeker's first session (on any of their cases), if there is one.
pub fn first_of_seeker(
    conn: &mut DbConnection,
    seeker: SeekerId,
) -> Result<Option<CounsellingSession>, StoreError> {
    let row: Option<SessionRow> = counselling_sessions::table
        .filter(counselling_sessions::seeker_id.eq(seeker))
        .filter(counselling_sessions::kind.eq(SessionKind::First))
        .select(SessionRow::as_select())
        .first(conn)
        .optional()?;
    row.map(CounsellingSession::try_from).transpose()
}
