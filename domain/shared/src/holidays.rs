//! Public holidays per federal state, and the end of a period that falls on a day off.
//!
//! § 31(3) sentence 1 VwVfG (and the identical rule of every state's VwVfG, under which the
//! recognition authorities act), like § 193 BGB: if the last day of a period falls on a Sunday, a
//! public holiday or a Saturday, the period ends at the end of the next working day. The holiday
//! that counts is one at the place that matters, for an authority its seat, so the calendar is
//! per federal state ([`StateCode`]). Apart from German Unity Day (federal), public holidays are
//! state law (the states' Feiertagsgesetze).
//!
//! What this module counts as a public holiday of a state is a holiday that holds in the whole
//! state. Three are statutory only in some of its municipalities: Corpus Christi in parts of
//! Saxony (Sorbian area) and Thuringia (Eichsfeld and neighbours), Assumption in Bavaria
//! (municipalities with a mostly Catholic population, e.g. Munich, not Nuremberg) and the Peace
//! Festival of Augsburg (8 August, Augsburg only). No state calendar lists them
//! ([`Holiday::is_local_in`] names them); whether one holds at an authority's seat is a fact of
//! that seat, recorded with the authority (`crate::authority::Seat`). Where the seat is not
//! known, leaving them out errs on the safe side for whoever must meet a deadline: the computed
//! end of a period is never later than the statutory one.
//!
//! The calendar is the law since 1990 (German Unity Day from 3 October 1990): each holiday from
//! the year a state introduced it (see [`Holiday`]). Earlier history (17 June in West Germany,
//! the GDR's holidays) is not modelled; years before 1990 get the calendar of 1990 without Unity
//! Day.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::codes::StateCode;

closed_enum! {
    /// A statutory public holiday in Germany, in calendar order. Nine hold in every state; the
    /// others only in some states, and some only from a given year.
    pub enum Holiday {
        /// 1 January, every state.
        NewYear = "new_year",
        /// 6 January: Baden-Württemberg, Bayern, Sachsen-Anhalt.
        Epiphany = "epiphany",
        /// International Women's Day, 8 March: Berlin since 2019, Mecklenburg-Vorpommern since
        /// 2023.
        WomensDay = "womens_day",
        /// Two days before Easter Sunday, every state.
        GoodFriday = "good_friday",
        /// Statutory only in Brandenburg (a Sunday anyway).
        EasterSunday = "easter_sunday",
        /// Every state.
        EasterMonday = "easter_monday",
        /// 1 May, every state.
        LabourDay = "labour_day",
        /// 8 May, the day of liberation from National Socialism: a one-off holiday in Berlin in
        /// 2020 and in 2025 (75th and 80th anniversaries).
        LiberationDay = "liberation_day",
        /// 39 days after Easter Sunday, every state.
        Ascension = "ascension",
        /// 49 days after Easter Sunday; statutory only in Brandenburg (a Sunday anyway).
        WhitSunday = "whit_sunday",
        /// 50 days after Easter Sunday, every state.
        WhitMonday = "whit_monday",
        /// 60 days after Easter Sunday: Baden-Württemberg, Bayern, Hessen, Nordrhein-Westfalen,
        /// Rheinland-Pfalz, Saarland (and some municipalities of Sachsen and Thüringen, not
        /// counted here).
        CorpusChristi = "corpus_christi",
        /// 8 August, the Peace Festival of Augsburg: statutory in the city of Augsburg only, so
        /// never statewide (see [`Holiday::is_local_in`]).
        PeaceFestival = "peace_festival",
        /// 15 August: Saarland (and Bavarian municipalities with a Catholic majority, not counted
        /// here).
        Assumption = "assumption",
        /// 20 September: Thüringen since 2019.
        WorldChildrensDay = "world_childrens_day",
        /// 3 October, every state since 1990.
        GermanUnityDay = "german_unity_day",
        /// 31 October: Brandenburg, Mecklenburg-Vorpommern, Sachsen, Sachsen-Anhalt, Thüringen;
        /// Bremen, Hamburg, Niedersachsen, Schleswig-Holstein since 2018; every state in 2017
        /// (500 years of the Reformation).
        ReformationDay = "reformation_day",
        /// 1 November: Baden-Württemberg, Bayern, Nordrhein-Westfalen, Rheinland-Pfalz, Saarland.
        AllSaints = "all_saints",
        /// The Wednesday before 23 November: Sachsen; every state until 1994 (abolished
        /// elsewhere from 1995 to fund the long-term care insurance).
        RepentanceAndPrayerDay = "repentance_and_prayer_day",
        /// 25 December, every state.
        ChristmasDay = "christmas_day",
        /// 26 December, every state.
        BoxingDay = "boxing_day",
    }
}

impl Holiday {
    /// The holiday's German name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::NewYear => "Neujahr",
            Self::Epiphany => "Heilige Drei Könige",
            Self::WomensDay => "Internationaler Frauentag",
            Self::GoodFriday => "Karfreitag",
            Self::EasterSunday => "Ostersonntag",
            Self::EasterMonday => "Ostermontag",
            Self::LabourDay => "Tag der Arbeit",
            Self::LiberationDay => "Tag der Befreiung",
            Self::Ascension => "Christi Himmelfahrt",
            Self::WhitSunday => "Pfingstsonntag",
            Self::WhitMonday => "Pfingstmontag",
            Self::CorpusChristi => "Fronleichnam",
            Self::Assumption => "Mariä Himmelfahrt",
            Self::WorldChildrensDay => "Weltkindertag",
            Self::GermanUnityDay => "Tag der Deutschen Einheit",
            Self::ReformationDay => "Reformationstag",
            Self::AllSaints => "Allerheiligen",
            Self::RepentanceAndPrayerDay => "Buß- und Bettag",
            Self::PeaceFestival => "Augsburger Hohes Friedensfest",
            Self::ChristmasDay => "1. Weihnachtstag",
            Self::BoxingDay => "2. Weihnachtstag",
        }
    }

    /// The holiday's date in `year`, whether or not it is a holiday anywhere that year; `None`
    /// only for a year outside chrono's range.
    pub fn date(self, year: i32) -> Option<NaiveDate> {
        let fixed = |month, day| NaiveDate::from_ymd_opt(year, month, day);
        let after_easter = |days| easter_sunday(year)?.checked_add_days(Days::new(days));
        match self {
            Self::NewYear => fixed(1, 1),
            Self::Epiphany => fixed(1, 6),
            Self::WomensDay => fixed(3, 8),
            Self::GoodFriday => easter_sunday(year)?.checked_sub_days(Days::new(2)),
            Self::EasterSunday => easter_sunday(year),
            Self::EasterMonday => after_easter(1),
            Self::LabourDay => fixed(5, 1),
            Self::LiberationDay => fixed(5, 8),
            Self::Ascension => after_easter(39),
            Self::WhitSunday => after_easter(49),
            Self::WhitMonday => after_easter(50),
            Self::CorpusChristi => after_easter(60),
            Self::Assumption => fixed(8, 15),
            Self::WorldChildrensDay => fixed(9, 20),
            Self::GermanUnityDay => fixed(10, 3),
            Self::ReformationDay => fixed(10, 31),
            Self::AllSaints => fixed(11, 1),
            Self::RepentanceAndPrayerDay => {
                // The last Wednesday before 23 November: between the 16th and the 22nd.
                let nov_22 = fixed(11, 22)?;
                let back = (nov_22.weekday().num_days_from_monday() + 7
                    - Weekday::Wed.num_days_from_monday())
                    % 7;
                nov_22.checked_sub_days(Days::new(back.into()))
            }
            Self::PeaceFestival => fixed(8, 8),
            Self::ChristmasDay => fixed(12, 25),
            Self::BoxingDay => fixed(12, 26),
        }
    }

    /// Whether the holiday is statutory in some municipalities of `state` only: Assumption in
    /// Bavarian municipalities with a mostly Catholic population, Corpus Christi in parts of
    /// Sachsen and Thüringen, the Peace Festival in Augsburg. Whether it holds at a given
    /// authority is a fact of that authority's seat, recorded with it as reference data.
    pub fn is_local_in(self, state: StateCode) -> bool {
        use StateCode::*;
        matches!(
            (self, state),
            (Self::Assumption, Bayern)
                | (Self::PeaceFestival, Bayern)
                | (Self::CorpusChristi, Sachsen | Thueringen)
        )
    }

    /// Whether the holiday is a statutory public holiday in the whole of `state` in `year`.
    pub fn is_statutory(self, state: StateCode, year: i32) -> bool {
        use StateCode::*;
        match self {
            Self::NewYear
            | Self::GoodFriday
            | Self::EasterMonday
            | Self::LabourDay
            | Self::Ascension
            | Self::WhitMonday
            | Self::ChristmasDay
            | Self::BoxingDay => true,
            Self::GermanUnityDay => year >= 1990,
            Self::Epiphany => matches!(state, BadenWuerttemberg | Bayern | SachsenAnhalt),
            Self::WomensDay => match state {
                Berlin => year >= 2019,
                MecklenburgVorpommern => year >= 2023,
                _ => false,
            },
            Self::EasterSunday | Self::WhitSunday => state == Brandenburg,
            Self::LiberationDay => state == Berlin && matches!(year, 2020 | 2025),
            Self::CorpusChristi => matches!(
                state,
                BadenWuerttemberg
                    | Bayern
                    | Hessen
                    | NordrheinWestfalen
                    | RheinlandPfalz
                    | Saarland
            ),
            Self::Assumption => state == Saarland,
            Self::WorldChildrensDay => state == Thueringen && year >= 2019,
            Self::ReformationDay => {
                year == 2017
                    || matches!(
                        state,
                        Brandenburg | MecklenburgVorpommern | Sachsen | SachsenAnhalt | Thueringen
                    )
                    || (year >= 2018
                        && matches!(state, Bremen | Hamburg | Niedersachsen | SchleswigHolstein))
            }
            Self::AllSaints => matches!(
                state,
                BadenWuerttemberg | Bayern | NordrheinWestfalen | RheinlandPfalz | Saarland
            ),
            Self::RepentanceAndPrayerDay => state == Sachsen || year < 1995,
            Self::PeaceFestival => false,
        }
    }
}

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous Gregorian algorithm, as in
/// Meeus, *Astronomical Algorithms*); `None` only for a year outside chrono's range.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    NaiveDate::from_ymd_opt(year, (n / 31).unsigned_abs(), (n % 31 + 1).unsigned_abs())
}

/// The public holidays of `state` in `year`, by date. Two holidays on one date (Ascension on
/// 1 May, as in 2008) are two entries.
pub fn public_holidays(state: StateCode, year: i32) -> Vec<(NaiveDate, Holiday)> {
    let mut holidays: Vec<_> = Holiday::ALL
        .iter()
        .filter(|holiday| holiday.is_statutory(state, year))
        .filter_map(|&holiday| Some((holiday.date(year)?, holiday)))
        .collect();
    holidays.sort();
    holidays
}

/// Whether `date` is a public holiday in the whole of `state`.
pub fn is_public_holiday(state: StateCode, date: NaiveDate) -> bool {
    Holiday::ALL.iter().any(|holiday| {
        holiday.is_statutory(state, date.year()) && holiday.date(date.year()) == Some(date)
    })
}

/// Whether `date` is a working day in `state`: neither a Saturday, a Sunday nor a public holiday
/// (§ 193 BGB, § 31(3) VwVfG).
pub fn is_working_day(state: StateCode, date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_public_holiday(state, date)
}

/// The day a period ends whose last day would be `date`, for an authority seated in `state`:
/// `date` itself if it is a working day, else the next working day (§ 31(3) sentence 1 VwVfG,
/// § 193 BGB).
///
/// Only the end of a period moves; its start and its length do not (and the authority may set
/// another end when it fixes the period, § 31(3) sentence 2 VwVfG). For the last representable
/// date, which has no next day, `date` itself.
pub fn working_day_on_or_after(state: StateCode, date: NaiveDate) -> NaiveDate {
    date.iter_days()
        .find(|&day| is_working_day(state, day))
        .unwrap_or(date)
}

#[cfg(test)]
mod tests;
