//! Time as the system stores it: UTC, microsecond precision (PostgreSQL's), so a value read back
//! from either database equals the value that was written. And the dates the law counts in:
//! German dates, within a plausible range.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, SubsecRound, Utc};
use chrono_tz::Europe::Berlin;

/// The current instant, truncated to microseconds.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// The earliest date the system accepts: anything earlier is a typo (and PostgreSQL could not
/// store every such date).
pub const EARLIEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};
/// The latest date the system accepts.
pub const LATEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2200, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

/// A date the client reports something happened on: not after today in Germany (things are
/// recorded after they happen, and the deadlines run on German dates), and not before 1900.
pub fn recorded_date(field: &str, on: NaiveDate) -> Result<NaiveDate, crate::DomainError> {
    if on > today_in_germany() {
        Err(crate::DomainError::invalid(
            field,
            "in_future",
            "the date lies in the future",
        ))
    } else if on < EARLIEST_DATE {
        Err(crate::DomainError::invalid(
            field,
            "out_of_range",
            "the date lies before 1900",
        ))
    } else {
        Ok(on)
    }
}

/// An instant clamped into the accepted range, for comparisons in queries.
pub fn clamp_instant(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc().clamp(
        EARLIEST_DATE.and_time(NaiveTime::MIN),
        LATEST_DATE.and_time(NaiveTime::MIN),
    )
}

/// Today's date in Germany, where the legal deadlines run (Europe/Berlin: CET, and CEST in
/// summer, from the time zone database).
pub fn today_in_germany() -> NaiveDate {
    german_date(Utc::now())
}

fn german_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Berlin).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_german_date_follows_cet_and_cest() {
        // Winter: 23:30 UTC is 00:30 the next day in Berlin.
        assert_eq!(
            german_date(utc("2026-01-14T23:30:00Z")).to_string(),
            "2026-01-15"
        );
        assert_eq!(
            german_date(utc("2026-01-14T22:59:00Z")).to_string(),
            "2026-01-14"
        );
        // Summer: 22:30 UTC is 00:30 the next day.
        assert_eq!(
            german_date(utc("2026-07-14T22:30:00Z")).to_string(),
            "2026-07-15"
        );
        assert_eq!(
            german_date(utc("2026-07-14T21:59:00Z")).to_string(),
            "2026-07-14"
        );
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(
            german_date(utc("2026-03-28T22:30:00Z")).to_string(),
            "2026-03-28"
        );
        assert_eq!(
            german_date(utc("2026-03-29T22:30:00Z")).to_string(),
            "2026-03-30"
        );
        assert_eq!(
            german_date(utc("2026-10-24T22:30:00Z")).to_string(),
            "2026-10-25"
        );
        assert_eq!(
            german_date(utc("2026-10-25T22:30:00Z")).to_string(),
            "2026-10-25"
        );
    }

    #[test]
    fn instants_are_clamped_to_the_accepted_range() {
        assert_eq!(
            clamp_instant(utc("1066-10-14T00:00:00Z")).to_string(),
            "1900-01-01 00:00:00"
        );
        assert_eq!(
            clamp_instant(utc("2026-01-01T12:00:00Z")).to_string(),
            "2026-01-01 12:00:00"
        );
    }
}
