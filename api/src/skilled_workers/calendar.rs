//! The public event calendar of the skilled-worker networks: JSON pages for frontends, and an
//! iCalendar feed (RFC 5545, `text/calendar`) a calendar application subscribes to. Public
//! events only; cancelled ones stay in the feed with `STATUS:CANCELLED`, so a subscriber's copy
//! learns of the cancellation instead of keeping a stale entry.

use actix_web::http::header::{self, Header};
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, Duration, Utc};
use icalendar::{Calendar, Component, EventLike, EventStatus};
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::Query;
use iqnet_conventions::http::{self, List};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;
use iqnet_networks::event::NetworkEvent;
use iqnet_networks::vocabulary::{EventKind, EventState};
use iqnet_persistence::PageRequest;
use iqnet_persistence::skilled_workers::events::{self, CalendarFilter};
use iqnet_shared::codes::StateCode;
use iqnet_shared::ids::SkilledWorkerNetworkId;
use iqnet_shared::time::now;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::events::EventView;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(calendar_json).service(calendar_ics);
}

/// The most events one feed holds: a subscription is one document, not pages.
const FEED_SIZE: i64 = 500;

/// Without `from`, the calendar starts this long ago, so that today's events stay in view.
fn default_from() -> DateTime<Utc> {
    now() - Duration::days(1)
}

list_query! {
    pub struct CalendarQuery {
        /// Events starting at or after this instant (RFC 3339); by default from yesterday on.
        pub from: Option<DateTime<Utc>>,
        /// Events starting at or before this instant (RFC 3339).
        pub until: Option<DateTime<Utc>>,
        /// Only events of networks in this federal state.
        pub regional_network: Option<StateCode>,
        /// Only events of this network.
        pub network_id: Option<SkilledWorkerNetworkId>,
        /// Only events of this type.
        pub r#type: Option<EventKind>,
    }
}

/// The iCalendar feed's filters: the calendar's, without paging.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// Events starting at or after this instant (RFC 3339); by default from yesterday on.
    pub from: Option<DateTime<Utc>>,
    /// Events starting at or before this instant (RFC 3339).
    pub until: Option<DateTime<Utc>>,
    /// Only events of networks in this federal state.
    pub regional_network: Option<StateCode>,
    /// Only events of this network.
    pub network_id: Option<SkilledWorkerNetworkId>,
    /// Only events of this type.
    pub r#type: Option<EventKind>,
}

/// The public event calendar
///
/// Public events of every skilled-worker network, in order of their start; no token needed.
#[utoipa::path(
    operation_id = "getEventCalendar",
    tag = "skilled_immigration",
    params(CalendarQuery),
    security(()),
    responses((status = 200, description = "One page of events, by start", body = List<EventView>))
)]
#[get("/event-calendar")]
async fn calendar_json(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Query<CalendarQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.0;
    ApiError::check_range(("from", q.from), ("until", q.until))?;
    let page = q.page()?;
    let filter = CalendarFilter {
        from: q.from.unwrap_or_else(default_from),
        until: q.until,
        regional_network: q.regional_network,
        network_id: q.network_id,
        kind: q.r#type,
    };
    let found = state
        .read(move |conn| Ok(events::calendar(conn, &filter, &page)?))
        .await?;
    Ok(http::list(&req, found.map(|e| EventView::from(&e))))
}

/// The public event calendar as iCalendar
///
/// The same events as `GET /v1/event-calendar` as one RFC 5545 document (`text/calendar`, at
/// most 500 events), for calendar applications to subscribe to. Each event's `UID` is stable
/// (its id), `SEQUENCE` its version, `DTSTAMP` its last change.
#[utoipa::path(
    operation_id = "getEventCalendarIcs",
    tag = "skilled_immigration",
    params(FeedQuery),
    security(()),
    responses(
        (status = 200, description = "The calendar", content_type = "text/calendar", body = String,
        headers(("ETag" = String, description = "Strong ETag: a digest of the feed")),
        example = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//IQ Netzwerk//skilled-worker networks//DE\r\nBEGIN:VEVENT\r\nUID:0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e6f@iqnet\r\nDTSTAMP:20261125T100000Z\r\nSUMMARY:Runder Tisch Pflege\r\nDTSTART:20270210T130000Z\r\nDTEND:20270210T160000Z\r\nSTATUS:CONFIRMED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"),
        (status = 304, description = "`If-None-Match` names the current feed")
    )
)]
#[get("/event-calendar.ics")]
async fn calendar_ics(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Query<FeedQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.0;
    ApiError::check_range(("from", q.from), ("until", q.until))?;
    let filter = CalendarFilter {
        from: q.from.unwrap_or_else(default_from),
        until: q.until,
        regional_network: q.regional_network,
        network_id: q.network_id,
        kind: q.r#type,
    };
    let page = PageRequest {
        after: None,
        limit: FEED_SIZE,
    };
    let found = state
        .read(move |conn| Ok(events::calendar(conn, &filter, &page)?))
        .await?;
    let body = feed(&found.items).to_string();
    // Subscribers poll: the tag is the document's digest, so an unchanged feed is a 304.
    let tag = header::EntityTag::new_strong(hex::encode(&Sha256::digest(body.as_bytes())[..16]));
    let unchanged = match header::IfNoneMatch::parse(&req) {
        Ok(header::IfNoneMatch::Any) => true,
        Ok(header::IfNoneMatch::Items(tags)) => tags.iter().any(|t| t.weak_eq(&tag)),
        Err(_) => false,
    };
    if unchanged {
        return Ok(HttpResponse::NotModified()
            .insert_header(header::ETag(tag))
            .finish());
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/calendar; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            "inline; filename=\"iqnet-events.ics\"",
        ))
        .insert_header(header::ETag(tag))
        .body(body))
}

/// The events as one calendar. The crate folds long lines at 75 octets, escapes text values
/// and ends lines with CRLF.
fn feed(items: &[NetworkEvent]) -> Calendar {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//IQ Netzwerk//skilled-worker networks//DE"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"))
        .name("IQ Fachkräftenetzwerke: Veranstaltungen")
        .ttl(&Duration::hours(1));
    for e in items {
        let f = &e.facts;
        let mut entry = icalendar::Event::with_uid(&format!("{}@iqnet", e.id));
        entry
            .timestamp(e.stamp.updated_at)
            .last_modified(e.stamp.updated_at)
            .created(e.stamp.created_at)
            .sequence(u32::try_from(e.stamp.version - 1).unwrap_or(0))
            .summary(&f.title)
            .starts(f.starts_at)
            .ends(f.ends_at)
            .status(match e.state {
                EventState::Cancelled => EventStatus::Cancelled,
                EventState::Planned | EventState::Held => EventStatus::Confirmed,
            })
            .add_property("CATEGORIES", f.kind.as_str());
        if let Some(description) = &f.description {
            entry.description(description);
        }
        if let Some(venue) = &f.venue {
            entry.location(venue);
        }
        calendar.push(entry.done());
    }
    calendar.done()
}
