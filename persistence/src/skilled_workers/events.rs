//! Network events and the public calendar. The calendar is ordered by start, paged by keyset
//! on `calendar_key` (the start, then the id: unique and in calendar order).

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use diesel::prelude::*;
use iqnet_networks::event::{Attendance, EventFacts, NetworkEvent};
use iqnet_networks::vocabulary::{EventKind, EventState, Topic};
use iqnet_shared::codes::StateCode;
use iqnet_shared::ids::{NetworkEventId, OrganisationId, SkilledWorkerNetworkId};

use crate::convert::{Json, load_page, stamp};
use crate::db::{DbConnection, MultiBackend};
use crate::schema::network_events;
use crate::{Page, PageRequest, StoreError};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = network_events, treat_none_as_null = true)]
struct EventRow {
    id: NetworkEventId,
    network_id: SkilledWorkerNetworkId,
    regional_network: StateCode,
    organisation_id: OrganisationId,
    kind: EventKind,
    title: String,
    description: Option<String>,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    venue: Option<String>,
    topics: Json<Vec<Topic>>,
    public: bool,
    state: EventState,
    attendance: Json<Vec<Attendance>>,
    calendar_key: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

/// The calendar's sort key of an event starting at `at` (UTC), before its id.
pub fn calendar_key_of(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%S").to_string()
}

fn row(e: &NetworkEvent, regional_network: StateCode) -> EventRow {
    let f = &e.facts;
    EventRow {
        id: e.id,
        network_id: e.network_id,
        regional_network,
        organisation_id: e.organisation_id,
        kind: f.kind,
        title: f.title.clone(),
        description: f.description.clone(),
        starts_at: f.starts_at.naive_utc(),
        ends_at: f.ends_at.naive_utc(),
        venue: f.venue.clone(),
        topics: Json(f.topics.clone()),
        public: f.public,
        state: e.state,
        attendance: Json(e.attendance.clone()),
        calendar_key: format!("{}_{}", calendar_key_of(f.starts_at), e.id),
        created_at: e.stamp.created_at.naive_utc(),
        updated_at: e.stamp.updated_at.naive_utc(),
        version: e.stamp.version,
    }
}

impl From<EventRow> for NetworkEvent {
    fn from(r: EventRow) -> Self {
        NetworkEvent {
            id: r.id,
            network_id: r.network_id,
            organisation_id: r.organisation_id,
            facts: EventFacts {
                kind: r.kind,
                title: r.title,
                description: r.description,
                starts_at: r.starts_at.and_utc(),
                ends_at: r.ends_at.and_utc(),
                venue: r.venue,
                topics: r.topics.0,
                public: r.public,
            },
            state: r.state,
            attendance: r.attendance.0,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        }
    }
}

pub fn get(conn: &mut DbConnection, id: NetworkEventId) -> Result<NetworkEvent, StoreError> {
    Ok(network_events::table
        .find(id)
        .select(EventRow::as_select())
        .first(conn)?
        .into())
}

/// Stores a new event of a network in `regional_network`.
pub fn insert(
    conn: &mut DbConnection,
    e: &NetworkEvent,
    regional_network: StateCode,
) -> Result<(), StoreError> {
    diesel::insert_into(network_events::table)
        .values(row(e, regional_network))
        .execute(conn)?;
    Ok(())
}

/// Writes `e` if `expected_version` is still current (the region never changes).
pub fn update(
    conn: &mut DbConnection,
    e: &NetworkEvent,
    regional_network: StateCode,
    expected_version: i64,
) -> Result<(), StoreError> {
    let target = network_events::table
        .filter(network_events::id.eq(e.id))
        .filter(network_events::version.eq(expected_version));
    let updated = diesel::update(target)
        .set(row(e, regional_network))
        .execute(conn)?;
    crate::convert::expect_one_updated(updated, expected_version)
}

#[derive(Debug, Default, Clone)]
pub struct EventFilter {
    pub state: Option<EventState>,
    pub kind: Option<EventKind>,
    pub updated_since: Option<DateTime<Utc>>,
}

/// A network's events, oldest record first.
pub fn of_network(
    conn: &mut DbConnection,
    network: SkilledWorkerNetworkId,
    filter: &EventFilter,
    page: &PageRequest,
) -> Result<Page<NetworkEvent>, StoreError> {
    let mut query = network_events::table
        .filter(network_events::network_id.eq(network))
        .into_boxed::<MultiBackend>();
    if let Some(state) = filter.state {
        query = query.filter(network_events::state.eq(state));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(network_events::kind.eq(kind));
    }
    if let Some(since) = filter.updated_since {
        let since = iqnet_shared::time::clamp_instant(since);
        query = query.filter(network_events::updated_at.ge(since));
    }
    load_page!(conn, query, network_events::id, page, EventRow, |r| r.id)
        .try_map(|r| Ok::<_, StoreError>(NetworkEvent::from(r)))
}

/// What the public calendar shows: public events (cancelled ones too, so a subscriber's copy
/// learns of the cancellation), starting from `from`, in order of their start.
#[derive(Debug, Clone)]
pub struct CalendarFilter {
    pub from: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
    pub regional_network: Option<StateCode>,
    pub network_id: Option<SkilledWorkerNetworkId>,
    pub kind: Option<EventKind>,
}

pub fn calendar(
    conn: &mut DbConnection,
    filter: &CalendarFilter,
    page: &PageRequest,
) -> Result<Page<NetworkEvent>, StoreError> {
    let mut query = network_events::table
        .filter(network_events::public.eq(true))
        .filter(network_events::calendar_key.ge(calendar_key_of(filter.from)))
        .into_boxed::<MultiBackend>();
    if let Some(until) = filter.until {
        query =
            query.filter(network_events::starts_at.le(iqnet_shared::time::clamp_instant(until)));
    }
    if let Some(state) = filter.regional_network {
        query = query.filter(network_events::regional_network.eq(state));
    }
    if let Some(network) = filter.network_id {
        query = query.filter(network_events::network_id.eq(network));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(network_events::kind.eq(kind));
    }
    load_page!(
        conn,
        query,
        network_events::calendar_key,
        page,
        EventRow,
        |r| r.calendar_key
    )
    .try_map(|r| Ok::<_, StoreError>(NetworkEvent::from(r)))
}

/// A network's held events starting within `[from, until]` (dates in UTC; open ends), for
/// the report.
pub fn held_of_network(
    conn: &mut DbConnection,
    network: SkilledWorkerNetworkId,
    (from, until): (Option<NaiveDate>, Option<NaiveDate>),
) -> Result<Vec<NetworkEvent>, StoreError> {
    let mut query = network_events::table
        .filter(network_events::network_id.eq(network))
        .filter(network_events::state.eq(EventState::Held))
        .into_boxed::<MultiBackend>();
    if let Some(from) = from {
        query = query.filter(network_events::starts_at.ge(from.and_time(NaiveTime::MIN)));
    }
    if let Some(until) = until.and_then(|u| u.succ_opt()) {
        query = query.filter(network_events::starts_at.lt(until.and_time(NaiveTime::MIN)));
    }
    let rows: Vec<EventRow> = query.select(EventRow::as_select()).load(conn)?;
    Ok(rows.into_iter().map(NetworkEvent::from).collect())
}
