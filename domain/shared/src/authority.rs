//! Competent authorities as reference data, and the calendar of an authority's seat.
//!
//! § 31(3) sentence 1 VwVfG and § 193 BGB move the end of a period off a Saturday, a Sunday or a
//! public holiday "at the place of performance", for an authority its seat. A seat is a federal
//! state plus the holidays that hold in its municipality although they do not hold statewide
//! (Assumption in Munich but not in Nuremberg, the Peace Festival in Augsburg, Corpus Christi in
//! the Eichsfeld): those are facts of the seat, so they are recorded with the authority rather
//! than guessed from the state. A procedure whose authority is unknown has an unknown seat, and
//! only the holidays of every state move its periods, which never makes a deadline later than the
//! law sets it.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::codes::{KldbCode, StateCode};
use crate::holidays::{Holiday, is_public_holiday};
use crate::reference::CompetentAuthorityKind;

/// The calendar a period of a procedure ends by: the authority's seat.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Seat {
    /// The federal state of the seat; `null` when the authority is not known.
    pub state: Option<StateCode>,
    /// Holidays at the seat's municipality that do not hold in the whole state.
    #[serde(default)]
    pub local_holidays: Vec<Holiday>,
}

impl Seat {
    /// An authority whose seat is not known: only nationwide holidays count.
    pub fn unknown() -> Seat {
        Seat::default()
    }

    /// A seat in `state` with no local holidays beyond the state's.
    pub fn in_state(state: StateCode) -> Seat {
        Seat {
            state: Some(state),
            local_holidays: Vec::new(),
        }
    }

    /// A seat in `state` where `local` holidays hold too; `None` when one of them cannot be local
    /// to that state (Assumption is local in Bavaria only, statewide in Saarland).
    pub fn with_local(state: StateCode, local: Vec<Holiday>) -> Option<Seat> {
        local
            .iter()
            .all(|holiday| holiday.is_local_in(state))
            .then_some(Seat {
                state: Some(state),
                local_holidays: local,
            })
    }

    /// Whether `date` is a public holiday at the seat.
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        let local = || {
            self.local_holidays
                .iter()
                .any(|holiday| holiday.date(date.year()) == Some(date))
        };
        match self.state {
            Some(state) => is_public_holiday(state, date) || local(),
            None => StateCode::ALL
                .iter()
                .all(|&state| is_public_holiday(state, date)),
        }
    }

    /// Whether `date` is a working day at the seat: neither a Saturday, a Sunday nor a holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !self.is_holiday(date)
    }

    /// The day a period whose last day is `date` ends at this seat (§ 31(3) sentence 1 VwVfG,
    /// § 193 BGB): `date` itself on a working day, else the next working day.
    pub fn period_end(&self, date: NaiveDate) -> NaiveDate {
        date.iter_days()
            .find(|&day| self.is_working_day(day))
            .unwrap_or(date)
    }
}

/// An authority that decides on the recognition of foreign qualifications. Reference data:
/// seeded and changed by migrations only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CompetentAuthority {
    /// A stable code: the state and a short name.
    #[schema(example = "be-lageso")]
    pub id: String,
    #[schema(example = "Landesamt für Gesundheit und Soziales Berlin")]
    pub name: String,
    pub kind: CompetentAuthorityKind,
    #[schema(example = "Berlin")]
    pub city: String,
    /// Its seat: state and local holidays, by which its periods end.
    pub seat: Seat,
    /// The reference occupations it decides on (KldB 2010).
    #[schema(value_type = Vec<String>, example = json!(["81404"]))]
    pub occupations: Vec<KldbCode>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use StateCode::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    // § 31(3) sentence 1 VwVfG: the holiday that moves a period is one at the authority's seat.

    #[test]
    fn assumption_moves_a_period_in_munich_not_in_nuremberg() {
        // 15 August 2025 was a Friday.
        let assumption = day(2025, 8, 15);
        let munich = Seat::with_local(Bayern, vec![Holiday::Assumption]).unwrap();
        let nuremberg = Seat::in_state(Bayern);
        assert_eq!(munich.period_end(assumption), day(2025, 8, 18));
        assert_eq!(nuremberg.period_end(assumption), assumption);
        // Statewide in Saarland: no seat needs to say so.
        assert_eq!(
            Seat::in_state(Saarland).period_end(assumption),
            day(2025, 8, 18)
        );
    }

    #[test]
    fn a_local_holiday_must_be_local_to_the_seats_state() {
        assert!(Seat::with_local(Berlin, vec![Holiday::Assumption]).is_none());
        assert!(Seat::with_local(Saarland, vec![Holiday::Assumption]).is_none());
        assert!(Seat::with_local(Thueringen, vec![Holiday::CorpusChristi]).is_some());
        assert!(Seat::with_local(Bayern, vec![Holiday::PeaceFestival]).is_some());
    }

    #[test]
    fn the_peace_festival_holds_in_augsburg_only() {
        // 8 August 2024 was a Thursday.
        let festival = day(2024, 8, 8);
        let augsburg = Seat::with_local(Bayern, vec![Holiday::PeaceFestival]).unwrap();
        assert_eq!(augsburg.period_end(festival), day(2024, 8, 9));
        assert_eq!(Seat::in_state(Bayern).period_end(festival), festival);
    }

    #[test]
    fn an_unknown_seat_moves_only_for_weekends_and_nationwide_holidays() {
        let unknown = Seat::unknown();
        // Corpus Christi 2026 (Thursday): a holiday in six states, not everywhere.
        assert_eq!(unknown.period_end(day(2026, 6, 4)), day(2026, 6, 4));
        // Good Friday 2026: everywhere, and Easter Monday too.
        assert_eq!(unknown.period_end(day(2026, 4, 3)), day(2026, 4, 7));
        // A Saturday.
        assert_eq!(unknown.period_end(day(2026, 5, 30)), day(2026, 6, 1));
    }

    #[test]
    fn liberation_day_2025_moves_a_period_in_berlin_not_in_bavaria() {
        // 8 May 2025, a Thursday: a one-off holiday in Berlin.
        let may_8 = day(2025, 5, 8);
        assert_eq!(Seat::in_state(Berlin).period_end(may_8), day(2025, 5, 9));
        assert_eq!(Seat::in_state(Bayern).period_end(may_8), may_8);
    }
}
