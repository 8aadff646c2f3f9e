//! Deadline arithmetic for recognition procedures, as pure functions over calendar dates.
//!
//! The BQFG sets its deadlines in weeks and months, so they are computed the way the German civil
//! code computes periods (§§ 187, 188 BGB, applied to administrative procedures through § 31
//! VwVfG): the day of the triggering event is not counted, and a period of weeks or months ends on
//! the day of the last week or month that has the same name or number as the event's day. If the
//! last month has no such day (a month period starting on the 31st, or on 29 February), the period
//! ends on the last day of that month (§ 188 (3) BGB).
//!
//! These are the statutory ends. Where a period ends on a weekend or a public holiday at the
//! authority's seat, it ends on the next working day (§ 31(3) VwVfG, § 193 BGB): the procedure
//! keeps both dates, and that move is the seat's (`iqnet_shared::authority::Seat::period_end`).
//!
//! Every function saturates at [`NaiveDate::MAX`] instead of panicking, because a deadline far in
//! the future is harmless while a panic in a request handler is not.

use chrono::{Days, Months, NaiveDate};

/// `date` plus `months` calendar months (§ 188 (2), (3) BGB): the same day number in the target
/// month, or the last day of the target month when that day does not exist there.
///
/// Jan 31 + 1 month is Feb 28 (Feb 29 in a leap year); Aug 31 + 1 month is Sep 30.
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    // chrono clamps to the last day of the target month, which is exactly § 188 (3) BGB.
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// `date` plus `weeks` weeks: the same weekday, `weeks` weeks later (§ 188 (2) BGB).
pub fn add_weeks(date: NaiveDate, weeks: u32) -> NaiveDate {
    date.checked_add_days(Days::new(u64::from(weeks) * 7))
        .unwrap_or(NaiveDate::MAX)
}

/// `date` plus `days` days (§ 188 (1) BGB).
pub fn add_days(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// The length of a statutory period. The BQFG uses both weeks and months, and the two must stay
/// distinct: two weeks are not half a month under § 188 BGB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Span {
    Weeks(u32),
    Months(u32),
}

impl Span {
    /// The day on which a period of this length, triggered on `date`, ends.
    pub fn after(self, date: NaiveDate) -> NaiveDate {
        match self {
            Span::Weeks(weeks) => add_weeks(date, weeks),
            Span::Months(months) => add_months(date, months),
        }
    }
}

/// The two deadlines the competent authority must meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Periods {
    /// From the application to the confirmation of receipt (which also lists missing documents).
    pub receipt: Span,
    /// From the complete documents to the decision (before any extension or suspension).
    pub decision: Span,
}

/// The statutory periods of a procedure.
///
/// Normal procedure (§ 6 and § 13 BQFG): receipt confirmed within one month, decision within
/// three months of the complete documents. The accelerated skilled-worker procedure (§ 81a
/// Residence Act, § 14a BQFG) shortens both: receipt within two weeks, decision within two months.
pub fn periods(accelerated: bool) -> Periods {
    if accelerated {
        Periods {
            receipt: Span::Weeks(2),
            decision: Span::Months(2),
        }
    } else {
        Periods {
            receipt: Span::Months(1),
            decision: Span::Months(3),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn months_keep_the_day_number() {
        assert_eq!(add_months(d(2025, 3, 10), 1), d(2025, 4, 10));
        assert_eq!(add_months(d(2025, 3, 10), 3), d(2025, 6, 10));
        assert_eq!(add_months(d(2025, 1, 15), 0), d(2025, 1, 15));
    }

    #[test]
    fn months_roll_over_the_year() {
        assert_eq!(add_months(d(2025, 12, 15), 1), d(2026, 1, 15));
        assert_eq!(add_months(d(2025, 11, 5), 3), d(2026, 2, 5));
        assert_eq!(add_months(d(2025, 6, 1), 36), d(2028, 6, 1));
    }

    #[test]
    fn missing_day_becomes_the_last_day_of_the_month() {
        assert_eq!(add_months(d(2025, 1, 31), 1), d(2025, 2, 28));
        assert_eq!(add_months(d(2024, 1, 31), 1), d(2024, 2, 29));
        assert_eq!(add_months(d(2025, 8, 31), 1), d(2025, 9, 30));
        assert_eq!(add_months(d(2025, 3, 31), 1), d(2025, 4, 30));
        assert_eq!(add_months(d(2025, 11, 30), 3), d(2026, 2, 28));
        assert_eq!(add_months(d(2023, 11, 30), 3), d(2024, 2, 29));
        assert_eq!(add_months(d(2024, 1, 30), 1), d(2024, 2, 29));
    }

    #[test]
    fn leap_day_plus_months() {
        assert_eq!(add_months(d(2024, 2, 29), 12), d(2025, 2, 28));
        assert_eq!(add_months(d(2024, 2, 29), 48), d(2028, 2, 29));
        assert_eq!(add_months(d(2024, 2, 29), 1), d(2024, 3, 29));
    }

    #[test]
    fn weeks_keep_the_weekday() {
        // 2025-03-10 is a Monday.
        assert_eq!(add_weeks(d(2025, 3, 10), 2), d(2025, 3, 24));
        assert_eq!(add_weeks(d(2025, 12, 25), 2), d(2026, 1, 8));
        assert_eq!(add_weeks(d(2024, 2, 20), 2), d(2024, 3, 5));
        assert_eq!(add_weeks(d(2025, 2, 20), 2), d(2025, 3, 6));
        assert_eq!(add_weeks(d(2025, 2, 20), 0), d(2025, 2, 20));
    }

    #[test]
    fn days_cross_month_and_leap_day() {
        assert_eq!(add_days(d(2024, 2, 28), 1), d(2024, 2, 29));
        assert_eq!(add_days(d(2025, 2, 28), 1), d(2025, 3, 1));
        assert_eq!(add_days(d(2025, 7, 15), 20), d(2025, 8, 4));
        assert_eq!(add_days(d(2025, 12, 31), 0), d(2025, 12, 31));
    }

    #[test]
    fn overflow_saturates_instead_of_panicking() {
        assert_eq!(add_months(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(add_months(d(2025, 1, 1), u32::MAX), NaiveDate::MAX);
        assert_eq!(add_weeks(d(2025, 1, 1), u32::MAX), NaiveDate::MAX);
        assert_eq!(add_days(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(add_days(d(2025, 1, 1), u32::MAX), NaiveDate::MAX);
    }

    #[test]
    fn normal_and_accelerated_periods() {
        let normal = periods(false);
        assert_eq!(normal.receipt, Span::Months(1));
        assert_eq!(normal.decision, Span::Months(3));
        assert_eq!(normal.receipt.after(d(2024, 1, 31)), d(2024, 2, 29));
        assert_eq!(normal.decision.after(d(2025, 11, 30)), d(2026, 2, 28));

        let fast = periods(true);
        assert_eq!(fast.receipt, Span::Weeks(2));
        assert_eq!(fast.decision, Span::Months(2));
        assert_eq!(fast.receipt.after(d(2024, 1, 31)), d(2024, 2, 14));
        assert_eq!(fast.decision.after(d(2024, 12, 31)), d(2025, 2, 28));
    }
}
