//! The public training calendar as an iCalendar feed (RFC 5545) that calendar programs can
//! subscribe to: one VEVENT per session, with a stable UID, so that a program updates an event
//! it already shows instead of adding it again. The `icalendar` crate writes it (escaping,
//! line folding at 75 octets, CRLF line ends). The feed names no METHOD, so `DTSTAMP` is the
//! event's last revision (RFC 5545 3.8.7.2): the training's `updated_at`, stable between fetches.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use iqnet_conventions::error::ApiResult;
use iqnet_conventions::extract::Query;
use iqnet_conventions::http;
use iqnet_conventions::state::AppState;
use iqnet_intercultural::training::Training;
use iqnet_intercultural::vocabulary::TrainingState;
use iqnet_persistence::Page;
use iqnet_shared::ids::TrainingId;

use super::trainings::{TrainingQuery, calendar_page};

/// The feed's page size when the query names none: calendar programs do not follow `Link`.
const FEED_LIMIT: u32 = 500;

/// The events of one training, one per session.
fn events(t: &Training, base: &str) -> Vec<Event> {
    let count = t.facts.sessions.len();
    let status = match t.state {
        TrainingState::Planned => EventStatus::Tentative,
        TrainingState::Cancelled => EventStatus::Cancelled,
        _ => EventStatus::Confirmed,
    };
    let topics: Vec<&str> = t.facts.topics.iter().map(|x| x.as_str()).collect();
    let mut about = format!(
        "Format: {}. Topics: {}. Places free: {} of {}.",
        t.facts.format,
        topics.join(", "),
        t.facts.capacity - t.places_taken,
        t.facts.capacity
    );
    if let Some(description) = &t.facts.description {
        about = format!("{description}\n\n{about}");
    }
    t.facts
        .sessions
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut event = Event::new();
            let summary = if count > 1 {
                format!("{} ({}/{count})", t.facts.title, i + 1)
            } else {
                t.facts.title.clone()
            };
            event
                .uid(&format!("training-{}-session-{}@iqnet", t.id, i + 1))
                .timestamp(t.stamp.updated_at)
                .last_modified(t.stamp.updated_at)
                .sequence(u32::try_from(t.stamp.version).unwrap_or(u32::MAX))
                .summary(&summary)
                .description(&about)
                .starts(s.starts_at)
                .ends(s.ends_at)
                .status(status)
                .url(&format!("{base}/v1/trainings/{}", t.id));
            let place = match (&s.venue, &s.online_url) {
                (Some(venue), Some(url)) => format!("{venue} / {url}"),
                (Some(venue), None) => venue.clone(),
                (None, Some(url)) => url.clone(),
                (None, None) => String::new(),
            };
            if !place.is_empty() {
                event.location(&place);
            }
            event.categories(&topics);
            event.done()
        })
        .collect()
}

/// The training calendar as iCalendar
///
/// Public. The same trainings and filters as `GET /v1/trainings` (open ones by default), as a
/// `text/calendar` feed to subscribe to: one event per session, each with a stable `UID` and
/// the training's version as `SEQUENCE`. Without `limit` the feed holds up to 500 trainings;
/// `Link` names the next page when more follow.
#[utoipa::path(
    operation_id = "trainingCalendarFeed",
    tag = "intercultural",
    params(TrainingQuery),
    security(()),
    responses((status = 200, description = "The calendar (RFC 5545)", content_type = "text/calendar", body = String,
        example = json!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//IQ Netzwerk//iqnet trainings//DE\r\n...\r\nEND:VCALENDAR\r\n")))
)]
#[get("/calendar.ics")]
pub async fn feed(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Query<TrainingQuery>,
) -> ApiResult<HttpResponse> {
    let mut query = query.0;
    query.limit = query.limit.or(Some(FEED_LIMIT));
    let found = calendar_page(&state, query).await?;
    let info = req.connection_info();
    let base = format!("{}://{}", info.scheme(), info.host());
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//IQ Netzwerk//iqnet trainings//DE"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .name("IQ Netzwerk: interkulturelle Trainings");
    for training in &found.items {
        calendar.extend(events(training, &base));
    }
    // The `Link` to the next page as the JSON calendar words it (same cursor, same query).
    let rest = Page {
        items: Vec::<TrainingId>::new(),
        next_after: found.next_after.clone(),
    };
    let link = http::list(&req, rest).headers().get(header::LINK).cloned();
    let mut response = HttpResponse::Ok();
    response.content_type("text/calendar; charset=utf-8");
    if let Some(link) = link {
        response.insert_header((header::LINK, link));
    }
    Ok(response.body(calendar.done().to_string()))
}
