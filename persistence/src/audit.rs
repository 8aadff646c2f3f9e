//! The audit log of personal-data access: appended in the same transaction as the access.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use iqnet_shared::ids::SeekerId;

use crate::db::{DbConnection, MultiBackend};
use crate::schema::audit_log;
use crate::{Page, PageRequest, StoreError};
use iqnet_shared::records::AuditEntry;

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
    server_request_id: Option<&'a str>,
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
            server_request_id: e.server_request_id.as_deref(),
        }
    }
}

/// Appends entries in statements of `BULK_ROWS` rows: a list page of 500 seekers is one insert,
/// not 500.
pub fn append(conn: &mut DbConnection, entries: &[AuditEntry]) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    for chunk in entries.chunks(crate::convert::BULK_ROWS) {
        let rows: Vec<NewAuditRow<'_>> = chunk.iter().map(NewAuditRow::from).collect();
        crate::convert::insert_rows!(conn, audit_log::table, rows);
    }
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
    Option<String>,
);

/// The audit entries about one seeker, oldest first.
pub fn of_seeker(
    conn: &mut DbConnection,
    seeker: SeekerId,
    page: &PageRequest,
) -> Result<Page<AuditEntry>, StoreError> {
    let mut query = audit_log::table
        .filter(audit_log::seeker_id.eq(seeker))
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
            audit_log::server_request_id,
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
                    server_request_id,
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
                    server_request_id,
                },
            )
            .collect(),
        next_after: page.next_after,
    })
}
