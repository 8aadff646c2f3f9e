use super::*;
use StateCode::*;

fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

#[test]
fn easter_sunday_follows_the_gregorian_computus() {
    for (year, month, d) in [
        (2000, 4, 23),
        (2008, 3, 23),
        (2011, 4, 24),
        (2019, 4, 21),
        (2024, 3, 31),
        (2025, 4, 20),
        (2026, 4, 5),
        (2027, 3, 28),
        (2038, 4, 25),
    ] {
        assert_eq!(easter_sunday(year), Some(day(year, month, d)), "{year}");
    }
}

#[test]
fn easter_is_always_a_sunday_between_22_march_and_25_april() {
    for year in 1583..=2200 {
        let easter = easter_sunday(year).unwrap();
        assert_eq!(easter.weekday(), Weekday::Sun, "{year}");
        assert!(
            easter >= day(year, 3, 22) && easter <= day(year, 4, 25),
            "{year}"
        );
    }
    // Years outside chrono's range have no date, and no panic.
    assert_eq!(easter_sunday(i32::MAX), None);
    assert!(public_holidays(Berlin, i32::MAX).is_empty());
}

#[test]
fn the_movable_feasts_hang_on_easter() {
    let in_2026 = |holiday: Holiday| holiday.date(2026).unwrap();
    assert_eq!(in_2026(Holiday::GoodFriday), day(2026, 4, 3));
    assert_eq!(in_2026(Holiday::EasterMonday), day(2026, 4, 6));
    assert_eq!(in_2026(Holiday::Ascension), day(2026, 5, 14));
    assert_eq!(in_2026(Holiday::WhitSunday), day(2026, 5, 24));
    assert_eq!(in_2026(Holiday::WhitMonday), day(2026, 5, 25));
    assert_eq!(in_2026(Holiday::CorpusChristi), day(2026, 6, 4));
    assert_eq!(in_2026(Holiday::CorpusChristi).weekday(), Weekday::Thu);
}

#[test]
fn the_nine_nationwide_holidays_hold_in_every_state() {
    for &state in StateCode::ALL {
        for date in [
            day(2026, 1, 1),
            day(2026, 4, 3),
            day(2026, 4, 6),
            day(2026, 5, 1),
            day(2026, 5, 14),
            day(2026, 5, 25),
            day(2026, 10, 3),
            day(2026, 12, 25),
            day(2026, 12, 26),
        ] {
            assert!(is_public_holiday(state, date), "{state} {date}");
        }
        assert!(!is_public_holiday(state, day(2026, 12, 24)), "{state}");
        assert!(!is_public_holiday(state, day(2026, 12, 31)), "{state}");
    }
    // German Unity Day exists since reunification on 3 October 1990.
    assert!(is_public_holiday(Hessen, day(1990, 10, 3)));
    assert!(!is_public_holiday(Hessen, day(1989, 10, 3)));
}

#[test]
fn the_lists_are_sorted_and_complete() {
    let count = |state| public_holidays(state, 2026).len();
    // The Peace Festival of Augsburg is local only: no state lists it.
    assert!(
        !public_holidays(Bayern, 2026)
            .iter()
            .any(|(_, h)| *h == Holiday::PeaceFestival)
    );
    // Nine nationwide, plus the state's own.
    assert_eq!(count(Berlin), 10); // Women's Day
    assert_eq!(count(Hamburg), 10); // Reformation Day
    assert_eq!(count(Bayern), 12); // Epiphany, Corpus Christi, All Saints
    assert_eq!(count(Saarland), 12); // Corpus Christi, Assumption, All Saints
    assert_eq!(count(Brandenburg), 12); // Easter Sunday, Whit Sunday, Reformation Day
    assert_eq!(count(Sachsen), 11); // Reformation Day, Repentance Day
    assert_eq!(count(Thueringen), 11); // World Children's Day, Reformation Day
    for &state in StateCode::ALL {
        let list = public_holidays(state, 2026);
        assert!(list.windows(2).all(|w| w[0] < w[1]), "{state}");
        for (date, _) in &list {
            assert!(is_public_holiday(state, *date), "{state} {date}");
        }
    }
    assert_eq!(
        public_holidays(Berlin, 2026)[..3],
        [
            (day(2026, 1, 1), Holiday::NewYear),
            (day(2026, 3, 8), Holiday::WomensDay),
            (day(2026, 4, 3), Holiday::GoodFriday),
        ]
    );
    // In 2008 Ascension fell on 1 May: both are listed.
    let in_2008 = public_holidays(Berlin, 2008);
    assert!(in_2008.contains(&(day(2008, 5, 1), Holiday::LabourDay)));
    assert!(in_2008.contains(&(day(2008, 5, 1), Holiday::Ascension)));
}

#[test]
fn epiphany_in_baden_wuerttemberg_bayern_and_sachsen_anhalt_only() {
    let epiphany = day(2026, 1, 6);
    for state in [BadenWuerttemberg, Bayern, SachsenAnhalt] {
        assert!(is_public_holiday(state, epiphany), "{state}");
    }
    for state in [Berlin, Hessen, Sachsen, Thueringen] {
        assert!(!is_public_holiday(state, epiphany), "{state}");
    }
}

#[test]
fn womens_day_in_berlin_since_2019_and_mecklenburg_vorpommern_since_2023() {
    assert!(is_public_holiday(Berlin, day(2019, 3, 8)));
    assert!(!is_public_holiday(Berlin, day(2018, 3, 8)));
    assert!(is_public_holiday(MecklenburgVorpommern, day(2023, 3, 8)));
    assert!(!is_public_holiday(MecklenburgVorpommern, day(2022, 3, 8)));
    assert!(!is_public_holiday(Hamburg, day(2027, 3, 8)));
    assert!(!is_public_holiday(Brandenburg, day(2027, 3, 8)));
}

#[test]
fn liberation_day_in_berlin_in_2020_and_2025_only() {
    assert!(is_public_holiday(Berlin, day(2020, 5, 8)));
    assert!(is_public_holiday(Berlin, day(2025, 5, 8)));
    assert!(!is_public_holiday(Berlin, day(2026, 5, 8)));
    assert!(!is_public_holiday(Brandenburg, day(2025, 5, 8)));
}

#[test]
fn easter_and_whit_sunday_are_statutory_in_brandenburg_only() {
    assert!(is_public_holiday(Brandenburg, day(2026, 4, 5)));
    assert!(is_public_holiday(Brandenburg, day(2026, 5, 24)));
    assert!(!is_public_holiday(Berlin, day(2026, 4, 5)));
    assert!(!is_public_holiday(Berlin, day(2026, 5, 24)));
    // Sundays all the same: no working day either way.
    assert!(!is_working_day(Berlin, day(2026, 4, 5)));
}

#[test]
fn corpus_christi_in_six_states_and_not_statewide_in_sachsen_or_thueringen() {
    let corpus_christi = day(2026, 6, 4);
    for state in [
        BadenWuerttemberg,
        Bayern,
        Hessen,
        NordrheinWestfalen,
        RheinlandPfalz,
        Saarland,
    ] {
        assert!(is_public_holiday(state, corpus_christi), "{state}");
    }
    for state in [Sachsen, Thueringen, Berlin, Niedersachsen] {
        assert!(!is_public_holiday(state, corpus_christi), "{state}");
    }
}

#[test]
fn assumption_statewide_in_saarland_only() {
    let assumption = day(2025, 8, 15);
    assert!(is_public_holiday(Saarland, assumption));
    // Only in Bavarian municipalities with a Catholic majority: not statewide.
    assert!(!is_public_holiday(Bayern, assumption));
    assert!(!is_public_holiday(Berlin, assumption));
}

#[test]
fn world_childrens_day_in_thueringen_since_2019() {
    assert!(is_public_holiday(Thueringen, day(2019, 9, 20)));
    assert!(!is_public_holiday(Thueringen, day(2018, 9, 20)));
    assert!(!is_public_holiday(Sachsen, day(2019, 9, 20)));
}

#[test]
fn reformation_day_in_the_east_in_the_north_since_2018_and_everywhere_in_2017() {
    for state in [
        Brandenburg,
        MecklenburgVorpommern,
        Sachsen,
        SachsenAnhalt,
        Thueringen,
    ] {
        assert!(is_public_holiday(state, day(2016, 10, 31)), "{state}");
        assert!(is_public_holiday(state, day(2026, 10, 31)), "{state}");
    }
    for state in [Bremen, Hamburg, Niedersachsen, SchleswigHolstein] {
        assert!(!is_public_holiday(state, day(2016, 10, 31)), "{state}");
        assert!(is_public_holiday(state, day(2018, 10, 31)), "{state}");
    }
    for &state in StateCode::ALL {
        assert!(is_public_holiday(state, day(2017, 10, 31)), "{state}");
    }
    for state in [Bayern, Berlin, NordrheinWestfalen] {
        assert!(!is_public_holiday(state, day(2016, 10, 31)), "{state}");
        assert!(!is_public_holiday(state, day(2018, 10, 31)), "{state}");
    }
}

#[test]
fn all_saints_in_five_states() {
    let all_saints = day(2023, 11, 1);
    for state in [
        BadenWuerttemberg,
        Bayern,
        NordrheinWestfalen,
        RheinlandPfalz,
        Saarland,
    ] {
        assert!(is_public_holiday(state, all_saints), "{state}");
    }
    for state in [Hessen, Berlin, Sachsen] {
        assert!(!is_public_holiday(state, all_saints), "{state}");
    }
}

#[test]
fn repentance_day_in_sachsen_only_since_1995() {
    assert_eq!(
        Holiday::RepentanceAndPrayerDay.date(2026),
        Some(day(2026, 11, 18))
    );
    assert!(is_public_holiday(Sachsen, day(2026, 11, 18)));
    assert!(!is_public_holiday(Bayern, day(2026, 11, 18)));
    // Always a Wednesday from 16 to 22 November (22 November 2023 was itself a Wednesday).
    assert_eq!(
        Holiday::RepentanceAndPrayerDay.date(2023),
        Some(day(2023, 11, 22))
    );
    for year in 1990..=2100 {
        let date = Holiday::RepentanceAndPrayerDay.date(year).unwrap();
        assert_eq!(date.weekday(), Weekday::Wed, "{year}");
        assert!(
            date >= day(year, 11, 16) && date <= day(year, 11, 22),
            "{year}"
        );
    }
    // Nationwide until 1994.
    assert!(is_public_holiday(Bayern, day(1994, 11, 16)));
    assert!(!is_public_holiday(Bayern, day(1995, 11, 22)));
    assert!(is_public_holiday(Sachsen, day(1995, 11, 22)));
}

// § 193 BGB, § 31(3) sentence 1 VwVfG: a period whose last day is a Saturday, a Sunday or a
// public holiday at the authority's seat ends at the end of the next working day.

#[test]
fn a_period_ending_on_a_working_day_keeps_its_end() {
    let tuesday = day(2026, 6, 2);
    assert!(is_working_day(Berlin, tuesday));
    assert_eq!(working_day_on_or_after(Berlin, tuesday), tuesday);
}

#[test]
fn a_period_ending_on_a_saturday_ends_on_monday() {
    let saturday = day(2026, 5, 30);
    assert_eq!(saturday.weekday(), Weekday::Sat);
    assert!(!is_working_day(Hamburg, saturday));
    assert!(!is_working_day(Hamburg, day(2026, 5, 31)));
    assert_eq!(working_day_on_or_after(Hamburg, saturday), day(2026, 6, 1));
}

#[test]
fn a_period_ending_on_corpus_christi_moves_in_bayern_not_in_berlin() {
    let thursday = day(2026, 6, 4);
    assert_eq!(working_day_on_or_after(Bayern, thursday), day(2026, 6, 5));
    assert_eq!(working_day_on_or_after(Berlin, thursday), thursday);
}

#[test]
fn a_period_ending_on_womens_day_moves_in_berlin_not_in_hamburg() {
    // 8 March 2026 is a Sunday: the period moves anywhere, holiday or not.
    assert_eq!(day(2026, 3, 8).weekday(), Weekday::Sun);
    assert_eq!(
        working_day_on_or_after(Berlin, day(2026, 3, 8)),
        day(2026, 3, 9)
    );
    assert_eq!(
        working_day_on_or_after(Hamburg, day(2026, 3, 8)),
        day(2026, 3, 9)
    );
    // 8 March 2027 is a Monday: only Berlin's holiday moves it.
    let monday = day(2027, 3, 8);
    assert_eq!(monday.weekday(), Weekday::Mon);
    assert_eq!(working_day_on_or_after(Berlin, monday), day(2027, 3, 9));
    assert_eq!(working_day_on_or_after(Hamburg, monday), monday);
}

#[test]
fn a_period_ending_on_christmas_day_moves_over_boxing_day_and_the_weekend() {
    let friday = day(2026, 12, 25);
    assert_eq!(friday.weekday(), Weekday::Fri);
    for &state in StateCode::ALL {
        assert_eq!(
            working_day_on_or_after(state, friday),
            day(2026, 12, 28),
            "{state}"
        );
    }
}

#[test]
fn a_period_ending_on_repentance_day_moves_in_sachsen_only() {
    let wednesday = day(2026, 11, 18);
    assert_eq!(
        working_day_on_or_after(Sachsen, wednesday),
        day(2026, 11, 19)
    );
    assert_eq!(working_day_on_or_after(Thueringen, wednesday), wednesday);
}

#[test]
fn a_period_ending_on_good_friday_moves_over_easter() {
    // Good Friday, the weekend and Easter Monday: to Tuesday.
    assert_eq!(
        working_day_on_or_after(Berlin, day(2026, 4, 3)),
        day(2026, 4, 7)
    );
}

#[test]
fn the_last_representable_date_does_not_panic() {
    let _ = working_day_on_or_after(Berlin, NaiveDate::MAX);
}

#[test]
fn wire_names_and_german_names() {
    assert_eq!(Holiday::CorpusChristi.as_str(), "corpus_christi");
    assert_eq!("womens_day".parse::<Holiday>(), Ok(Holiday::WomensDay));
    assert_eq!(Holiday::RepentanceAndPrayerDay.name(), "Buß- und Bettag");
    assert_eq!(Holiday::ALL.len(), 21);
}
