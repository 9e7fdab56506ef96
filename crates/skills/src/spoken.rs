//! English words for times and dates, as a speaker says them.
//!
//! Response files hold sentences; the pieces that go into them (a clock time,
//! a day with its ordinal) are built here, because the rules are code, not
//! templates: "1st", "2nd", "11th" and "21st" cannot be written as one
//! pattern. A second language gets its own module beside this one.
//!
//! Decisions, chosen for the ear (the text goes to a synthesizer, not a
//! screen):
//!
//! * Times are 12-hour with AM/PM: "7:05 AM", "12:30 PM", "12:15 AM". On the
//!   hour the minutes are dropped ("7 AM", not "7:00 AM"), as people say it.
//!   Exactly 12:00 and 00:00 are "noon" and "midnight", with no AM/PM, whose
//!   meaning people mix up. Seconds are cut, not rounded, as on a clock face:
//!   7:05:59 is still "7:05".
//! * Days are "Thursday, November 26th": weekday, month, ordinal day. The year
//!   is added ("Friday, January 1st, 2027") only when the caller says it is
//!   not the current one.

use jiff::civil::{Date, Time, Weekday};

/// A time of day as spoken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpokenTime {
    /// Exactly 12:00.
    Noon,
    /// Exactly 00:00.
    Midnight,
    /// Any other minute: "7:05 AM", "7 PM".
    Clock(String),
}

/// How `time` is said (to the minute).
pub fn time(time: Time) -> SpokenTime {
    let (hour, minute) = (time.hour(), time.minute());
    match (hour, minute) {
        (12, 0) => SpokenTime::Noon,
        (0, 0) => SpokenTime::Midnight,
        _ => {
            let half = if hour < 12 { "AM" } else { "PM" };
            let hour12 = match hour % 12 {
                0 => 12,
                h => h,
            };
            SpokenTime::Clock(if minute == 0 {
                format!("{hour12} {half}")
            } else {
                format!("{hour12}:{minute:02} {half}")
            })
        }
    }
}

/// `n` with its English ordinal suffix: 1st, 2nd, 3rd, 4th, 11th, 21st.
pub fn ordinal(n: i64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The weekday's name: "Monday".
pub fn weekday(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

/// The month's name, for 1 to 12: "January".
pub fn month(month: i8) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[usize::try_from(month - 1).unwrap_or(0).min(11)]
}

/// "November 26th", with ", 2027" when `with_year`.
pub fn month_day(date: Date, with_year: bool) -> String {
    let day = format!("{} {}", month(date.month()), ordinal(date.day().into()));
    if with_year {
        format!("{day}, {}", date.year())
    } else {
        day
    }
}

/// "Thursday, November 26th", with ", 2027" when `with_year`.
pub fn full_date(date: Date, with_year: bool) -> String {
    format!(
        "{}, {}",
        weekday(date.weekday()),
        month_day(date, with_year)
    )
}

/// "November 2026" or, when `with_year` is false, "November".
pub fn month_of(date: Date, with_year: bool) -> String {
    if with_year {
        format!("{} {}", month(date.month()), date.year())
    } else {
        month(date.month()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time as t};

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 10, 11, 12, 13, 14, 21, 22, 23, 24, 30, 31]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "10th", "11th", "12th", "13th", "14th", "21st", "22nd",
                "23rd", "24th", "30th", "31st"
            ]
        );
        // Beyond days of the month, for whoever uses it next.
        assert_eq!(ordinal(101), "101st");
        assert_eq!(ordinal(111), "111th");
        assert_eq!(ordinal(112), "112th");
    }

    #[test]
    fn times() {
        let say = |h, m, s| match time(t(h, m, s, 0)) {
            SpokenTime::Noon => "noon".to_string(),
            SpokenTime::Midnight => "midnight".to_string(),
            SpokenTime::Clock(c) => c,
        };
        assert_eq!(say(0, 0, 0), "midnight");
        assert_eq!(say(0, 0, 59), "midnight");
        assert_eq!(say(0, 1, 0), "12:01 AM");
        assert_eq!(say(0, 30, 0), "12:30 AM");
        assert_eq!(say(1, 0, 0), "1 AM");
        assert_eq!(say(7, 5, 59), "7:05 AM");
        assert_eq!(say(11, 59, 59), "11:59 AM");
        assert_eq!(say(12, 0, 0), "noon");
        assert_eq!(say(12, 0, 30), "noon");
        assert_eq!(say(12, 1, 0), "12:01 PM");
        assert_eq!(say(12, 45, 0), "12:45 PM");
        assert_eq!(say(13, 0, 0), "1 PM");
        assert_eq!(say(19, 30, 0), "7:30 PM");
        assert_eq!(say(23, 59, 59), "11:59 PM");
    }

    #[test]
    fn dates() {
        assert_eq!(
            full_date(date(2026, 11, 25), false),
            "Wednesday, November 25th"
        );
        assert_eq!(
            full_date(date(2027, 1, 1), true),
            "Friday, January 1st, 2027"
        );
        assert_eq!(month_day(date(2028, 2, 29), false), "February 29th");
        assert_eq!(month_day(date(2026, 12, 22), true), "December 22nd, 2026");
        assert_eq!(month_of(date(2026, 12, 1), false), "December");
        assert_eq!(month_of(date(2027, 1, 1), true), "January 2027");
    }
}
