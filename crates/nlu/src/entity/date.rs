//! Calendar dates and date ranges: "tomorrow", "next Tuesday", "on the 5th",
//! "December 3rd", "this weekend".
//!
//! As with times, reading and resolving are separate: [`parse_expr`] gives a
//! [`DateExpr`] and [`DateExpr::resolve`] places it relative to a reference
//! day (today). The date-time parser needs the split: when "Monday at 7 am"
//! is said on a Monday at 8:00, it re-resolves the same expression from
//! tomorrow to get next Monday.
//!
//! The rules for words that leave the day open:
//!
//! * A bare weekday, "this Friday" or "coming Friday" is the next such day,
//!   *today included*.
//! * "next Friday" is the first Friday strictly after today: said on a
//!   Wednesday it is two days later (the same day as "this Friday"), said on
//!   a Friday it is a week later, never today. "last Friday" mirrors it.
//!   "Friday next week" is the Friday of the following Monday-to-Sunday week.
//! * A day of the month ("the 5th") is the next date with that day, today
//!   included, skipping months too short for it.
//! * A month and day without a year ("December 3rd", "christmas") is the
//!   next such date, today included, so a past date means next year; with a
//!   year it is that date, past or not. "February 29th" is the next leap
//!   day. Dates that never exist ("February 30th") are rejected.
//! * A weekday before a date ("Friday the 13th") must match: the next date
//!   that has both is taken.
//! * Weeks run Monday to Sunday. "this weekend" is the coming Saturday and
//!   Sunday (on a Saturday: today and tomorrow; on a Sunday: today alone);
//!   "next weekend" the one after it. "this week" is today to Sunday, "next
//!   week" Monday to Sunday of the following week; "this month" today to the
//!   month's last day, "next month" the whole next month. All ranges are
//!   inclusive.
//! * "in 3 days", "a week from today" count calendar days; only whole days
//!   and weeks are accepted ("in 2 hours" is not a date).
//!
//! Not supported: numeric dates ("12/25", whose order depends on the
//! country), years in words ("twenty twenty seven"), and weekday-less
//! relative phrases such as "the 5th of next month".

use jiff::civil::{Date, Weekday};
use jiff::Span;
use serde_json::Value;

use super::duration;
use super::number::{cardinal, digits, ordinal};

/// What a date phrase says, before it is placed on the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateExpr {
    /// Days from the reference day: "today", "tomorrow", "in 3 days".
    Offset(i64),
    /// A weekday, placed by the rule in the module docs.
    Weekday(Weekday, WeekdayRule),
    /// "the 5th", optionally with a weekday that must match.
    DayOfMonth { day: i8, weekday: Option<Weekday> },
    /// "December 3rd", "3rd of December 2027", "christmas".
    MonthDay {
        month: i8,
        day: i8,
        year: Option<i16>,
        weekday: Option<Weekday>,
    },
    /// A range: "this weekend", "next week".
    Range(RangeKind),
}

/// How a weekday without a date is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WeekdayRule {
    /// "Friday", "this Friday": today or later.
    Coming,
    /// "next Friday": strictly after today.
    Next,
    /// "last Friday": strictly before today.
    Last,
    /// "Friday next week": in the following Monday-to-Sunday week.
    NextWeek,
}

/// The ranges a date phrase can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RangeKind {
    /// "this weekend", "the weekend".
    ThisWeekend,
    /// "next weekend".
    NextWeekend,
    /// "this week".
    ThisWeek,
    /// "next week".
    NextWeek,
    /// "this month".
    ThisMonth,
    /// "next month".
    NextMonth,
}

/// A resolved date phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// One day.
    Day(Date),
    /// An inclusive range of days.
    Range(Date, Date),
}

impl Resolved {
    /// `"YYYY-MM-DD"`, or `{"start": ..., "end": ...}` for a range.
    pub fn to_json(self) -> Value {
        match self {
            Resolved::Day(d) => Value::String(d.to_string()),
            Resolved::Range(start, end) => serde_json::json!({
                "start": start.to_string(),
                "end": end.to_string(),
            }),
        }
    }
}

/// `d` plus `n` days, `None` past the ends of the calendar.
pub(crate) fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(Span::new().try_days(n).ok()?).ok()
}

impl DateExpr {
    /// Whether this phrase means "the next such day", so that a time on it
    /// that has already passed moves it to the following occurrence.
    pub fn rolls(self) -> bool {
        matches!(
            self,
            DateExpr::Weekday(_, WeekdayRule::Coming)
                | DateExpr::DayOfMonth { .. }
                | DateExpr::MonthDay { year: None, .. }
        )
    }

    /// Places the phrase relative to `today`.
    pub fn resolve(self, today: Date) -> Option<Resolved> {
        let day = |n: i64| add_days(today, n).map(Resolved::Day);
        let o = i64::from(today.weekday().to_monday_zero_offset());
        match self {
            DateExpr::Offset(n) => day(n),
            DateExpr::Weekday(wd, rule) => {
                let ahead = i64::from(today.weekday().until(wd));
                match rule {
                    WeekdayRule::Coming => day(ahead),
                    WeekdayRule::Next => day(if ahead == 0 { 7 } else { ahead }),
                    WeekdayRule::Last => {
                        let back = i64::from(today.weekday().since(wd));
                        day(if back == 0 { -7 } else { -back })
                    }
                    WeekdayRule::NextWeek => day(7 - o + i64::from(wd.to_monday_zero_offset())),
                }
            }
            DateExpr::DayOfMonth { day: d, weekday } => {
                let (mut y, mut m) = (today.year(), today.month());
                // Every day 1..=31 with any weekday recurs within 4 years.
                for _ in 0..48 {
                    if let Ok(date) = Date::new(y, m, d) {
                        if date >= today && weekday.is_none_or(|wd| date.weekday() == wd) {
                            return Some(Resolved::Day(date));
                        }
                    }
                    (y, m) = if m == 12 {
                        (y.checked_add(1)?, 1)
                    } else {
                        (y, m + 1)
                    };
                }
                None
            }
            DateExpr::MonthDay {
                month,
                day: d,
                year: Some(y),
                weekday,
            } => {
                let date = Date::new(y, month, d).ok()?;
                weekday
                    .is_none_or(|wd| date.weekday() == wd)
                    .then_some(Resolved::Day(date))
            }
            DateExpr::MonthDay {
                month,
                day: d,
                year: None,
                weekday,
            } => {
                // The weekday calendar repeats every 28 years (leap days
                // included) between century exceptions, so 29 years suffice.
                for k in 0..29 {
                    let y = today.year().checked_add(k)?;
                    if let Ok(date) = Date::new(y, month, d) {
                        if date >= today && weekday.is_none_or(|wd| date.weekday() == wd) {
                            return Some(Resolved::Day(date));
                        }
                    }
                }
                None
            }
            DateExpr::Range(kind) => {
                let range = |a: i64, b: i64| {
                    Some(Resolved::Range(add_days(today, a)?, add_days(today, b)?))
                };
                match kind {
                    RangeKind::ThisWeekend if o == 6 => range(0, 0),
                    RangeKind::ThisWeekend => range(5 - o, 6 - o),
                    RangeKind::NextWeekend if o == 6 => range(6, 7),
                    RangeKind::NextWeekend => range(12 - o, 13 - o),
                    RangeKind::ThisWeek => range(0, 6 - o),
                    RangeKind::NextWeek => range(7 - o, 13 - o),
                    RangeKind::ThisMonth => Some(Resolved::Range(today, today.last_of_month())),
                    RangeKind::NextMonth => {
                        let first = add_days(today.last_of_month(), 1)?;
                        Some(Resolved::Range(first, first.last_of_month()))
                    }
                }
            }
        }
    }

    /// Places the phrase relative to `today`, when it names a single day.
    pub fn resolve_day(self, today: Date) -> Option<Date> {
        match self.resolve(today)? {
            Resolved::Day(d) => Some(d),
            Resolved::Range(..) => None,
        }
    }
}

/// A weekday name, singular.
pub(crate) fn weekday(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" => Weekday::Monday,
        "tuesday" => Weekday::Tuesday,
        "wednesday" => Weekday::Wednesday,
        "thursday" => Weekday::Thursday,
        "friday" => Weekday::Friday,
        "saturday" => Weekday::Saturday,
        "sunday" => Weekday::Sunday,
        _ => return None,
    })
}

pub(crate) fn month(w: &str) -> Option<i8> {
    Some(match w {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

/// Whether `w` can start a date phrase.
pub(crate) fn can_start(w: &str) -> bool {
    w.starts_with(|c: char| c.is_ascii_digit())
        || weekday(w).is_some()
        || month(w).is_some()
        || super::number::can_start_number(w)
        || ordinal(&[w]).is_some()
        || matches!(
            w,
            "today"
                | "tomorrow"
                | "yesterday"
                | "the"
                | "day"
                | "this"
                | "next"
                | "last"
                | "coming"
                | "weekend"
                | "in"
                | "an"
                | "christmas"
                | "new"
                | "halloween"
                | "valentine's"
                | "valentines"
        )
}

/// A day of the month, 1..=31: "3rd", "third", "twenty first", "3", "three".
fn day_number(w: &[&str]) -> Option<i8> {
    let d = match ordinal(w) {
        Some(d) => d as f64,
        None => cardinal(w)?,
    };
    (d.fract() == 0.0 && (1.0..=31.0).contains(&d)).then_some(d as i8)
}

/// A day said with a month: "3rd", "the third", "3".
fn day_with_month(w: &[&str]) -> Option<i8> {
    match w {
        ["the", rest @ ..] => day_number(rest),
        _ => day_number(w),
    }
}

/// A four-digit year.
fn year(w: &str) -> Option<i16> {
    if w.len() != 4 {
        return None;
    }
    let y = digits(w)?;
    (1000..=9999).contains(&y).then_some(y as i16)
}

/// Fixed-date holidays.
fn holiday(w: &[&str]) -> Option<(i8, i8)> {
    Some(match w {
        ["christmas"] | ["christmas", "day"] => (12, 25),
        ["christmas", "eve"] => (12, 24),
        ["new", "year's" | "years" | "year", "day"] | ["new", "year's" | "years"] => (1, 1),
        ["new", "year's" | "years" | "year", "eve"] => (12, 31),
        ["halloween"] => (10, 31),
        ["valentine's" | "valentines", "day"] => (2, 14),
        _ => return None,
    })
}

/// "December 3rd", "the 3rd of December", "3 Dec 2027", "the fifth".
fn calendar_day(w: &[&str], weekday: Option<Weekday>) -> Option<DateExpr> {
    if let ["the", rest @ ..] = w {
        // "the 5th", or "the 3rd of December".
        if let Some(day) = ordinal(rest).filter(|d| (1..=31).contains(d)) {
            return Some(DateExpr::DayOfMonth {
                day: day as i8,
                weekday,
            });
        }
    }
    let (w, year) = match w.split_last() {
        Some((last, rest)) if rest.len() >= 2 => match year(last) {
            Some(y) => (rest, Some(y)),
            None => (w, None),
        },
        _ => (w, None),
    };
    let (first, rest) = w.split_first()?;
    let (month, day) = if let Some(m) = month(first) {
        (m, day_with_month(rest)?)
    } else {
        let (last, head) = w.split_last()?;
        let m = month(last)?;
        let head = match head {
            [head @ .., "of"] => head,
            _ => head,
        };
        (m, day_with_month(head)?)
    };
    // Reject days no month has here; days a particular year lacks are
    // checked when resolving.
    if day > days_in_month_max(month) {
        return None;
    }
    Some(DateExpr::MonthDay {
        month,
        day,
        year,
        weekday,
    })
}

/// A day that no year has, said in `w` ("february 30th", "the 31st of
/// April"): the words as said, for an answer that says so. `None` if `w`
/// holds none (a leading "the" is left out). Days only some years lack (February 29th) are not reported.
pub(crate) fn impossible_day(w: &[&str]) -> Option<String> {
    for start in 0..w.len() {
        for end in (start + 2..=w.len().min(start + 5)).rev() {
            let span = &w[start..end];
            let month_and_day = match span.split_first() {
                Some((first, rest)) if month(first).is_some() => {
                    month(first).zip(day_with_month(rest))
                }
                _ => span.split_last().and_then(|(last, head)| {
                    let head = match head {
                        [head @ .., "of"] => head,
                        _ => head,
                    };
                    month(last).zip(day_with_month(head))
                }),
            };
            if let Some((m, d)) = month_and_day {
                if d > days_in_month_max(m) {
                    let said = match span {
                        ["the", rest @ ..] => rest,
                        _ => span,
                    };
                    return Some(said.join(" "));
                }
            }
        }
    }
    None
}

/// The most days `month` ever has (29 for February).
fn days_in_month_max(month: i8) -> i8 {
    match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Whole days of a duration phrase ("3 days", "a week"), nothing smaller.
fn whole_days(w: &[&str]) -> Option<i64> {
    let d = duration::parse(w)?;
    let ok = d.seconds == 0.0 && d.days.fract() == 0.0 && d.days <= 1e6;
    ok.then_some(d.days as i64)
}

/// Reads the whole span as a date phrase (no leading "on": callers strip it).
pub(crate) fn parse_expr(w: &[&str]) -> Option<DateExpr> {
    if !can_start(w.first()?) {
        return None;
    }
    use DateExpr::{Offset, Range};
    let coming = |wd| Some(DateExpr::Weekday(wd, WeekdayRule::Coming));
    match w {
        ["today"] => return Some(Offset(0)),
        ["tomorrow"] => return Some(Offset(1)),
        ["yesterday"] => return Some(Offset(-1)),
        ["the", "day", "after", "tomorrow"] | ["day", "after", "tomorrow"] => {
            return Some(Offset(2))
        }
        ["the", "day", "before", "yesterday"] | ["day", "before", "yesterday"] => {
            return Some(Offset(-2))
        }
        ["this" | "the", "weekend"] | ["weekend"] | ["this", "coming", "weekend"] => {
            return Some(Range(RangeKind::ThisWeekend))
        }
        ["next", "weekend"] => return Some(Range(RangeKind::NextWeekend)),
        ["this", "week"] => return Some(Range(RangeKind::ThisWeek)),
        ["next", "week"] => return Some(Range(RangeKind::NextWeek)),
        ["this", "month"] => return Some(Range(RangeKind::ThisMonth)),
        ["next", "month"] => return Some(Range(RangeKind::NextMonth)),
        [d] => {
            if let Some(wd) = weekday(d) {
                return coming(wd);
            }
        }
        ["this" | "coming", d] | ["this", "coming", d] => return coming(weekday(d)?),
        ["next", d] => return Some(DateExpr::Weekday(weekday(d)?, WeekdayRule::Next)),
        ["last", d] => return Some(DateExpr::Weekday(weekday(d)?, WeekdayRule::Last)),
        [d, "next", "week"] => return Some(DateExpr::Weekday(weekday(d)?, WeekdayRule::NextWeek)),
        ["in", rest @ ..] => return Some(Offset(whole_days(rest)?)),
        [rest @ .., "from", "today" | "now"] => return Some(Offset(whole_days(rest)?)),
        [rest @ .., "from", "tomorrow"] => return Some(Offset(whole_days(rest)?.checked_add(1)?)),
        _ => {}
    }
    if let Some((month, day)) = holiday(w) {
        return Some(DateExpr::MonthDay {
            month,
            day,
            year: None,
            weekday: None,
        });
    }
    match w.split_first() {
        Some((first, rest)) if !rest.is_empty() => match weekday(first) {
            Some(wd) => calendar_day(rest, Some(wd)),
            None => calendar_day(w, None),
        },
        _ => calendar_day(w, None),
    }
}

/// The whole span as a date or range, resolved against `today`.
pub(crate) fn parse(w: &[&str], today: Date) -> Option<Resolved> {
    parse_expr(w)?.resolve(today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// Resolves `s` against `today` as "YYYY-MM-DD" or "start..end".
    fn on(today: Date, s: &str) -> Option<String> {
        let w: Vec<&str> = s.split_whitespace().collect();
        Some(match parse(&w, today)? {
            Resolved::Day(d) => d.to_string(),
            Resolved::Range(a, b) => format!("{a}..{b}"),
        })
    }

    // 2026-11-25 is a Wednesday.
    const WED: Date = date(2026, 11, 25);
    const FRI: Date = date(2026, 11, 27);
    const SAT: Date = date(2026, 11, 28);
    const SUN: Date = date(2026, 11, 29);

    #[test]
    fn relative_days() {
        assert_eq!(on(WED, "today").unwrap(), "2026-11-25");
        assert_eq!(on(WED, "tomorrow").unwrap(), "2026-11-26");
        assert_eq!(on(WED, "yesterday").unwrap(), "2026-11-24");
        assert_eq!(on(WED, "the day after tomorrow").unwrap(), "2026-11-27");
        assert_eq!(on(WED, "day before yesterday").unwrap(), "2026-11-23");
        assert_eq!(on(WED, "in 3 days").unwrap(), "2026-11-28");
        assert_eq!(on(WED, "in a week").unwrap(), "2026-12-02");
        assert_eq!(on(WED, "in two weeks").unwrap(), "2026-12-09");
        assert_eq!(on(WED, "a week from today").unwrap(), "2026-12-02");
        assert_eq!(on(WED, "3 days from now").unwrap(), "2026-11-28");
        assert_eq!(on(WED, "a week from tomorrow").unwrap(), "2026-12-03");
        assert_eq!(on(date(2026, 12, 31), "tomorrow").unwrap(), "2027-01-01");
    }

    #[test]
    fn weekdays() {
        assert_eq!(on(WED, "friday").unwrap(), "2026-11-27");
        assert_eq!(on(WED, "wednesday").unwrap(), "2026-11-25");
        assert_eq!(on(WED, "monday").unwrap(), "2026-11-30");
        assert_eq!(on(WED, "this friday").unwrap(), "2026-11-27");
        assert_eq!(on(WED, "next friday").unwrap(), "2026-11-27");
        assert_eq!(on(WED, "next wednesday").unwrap(), "2026-12-02");
        assert_eq!(on(WED, "last wednesday").unwrap(), "2026-11-18");
        assert_eq!(on(WED, "last monday").unwrap(), "2026-11-23");
        assert_eq!(on(WED, "friday next week").unwrap(), "2026-12-04");
        assert_eq!(on(WED, "monday next week").unwrap(), "2026-11-30");
        // "next Friday" on a Friday is a week later, never today.
        assert_eq!(on(FRI, "next friday").unwrap(), "2026-12-04");
        assert_eq!(on(FRI, "friday").unwrap(), "2026-11-27");
        assert_eq!(on(SUN, "monday next week").unwrap(), "2026-11-30");
        assert_eq!(on(SUN, "next monday").unwrap(), "2026-11-30");
    }

    #[test]
    fn days_of_the_month() {
        assert_eq!(on(WED, "the 5th").unwrap(), "2026-12-05");
        assert_eq!(on(WED, "the fifth").unwrap(), "2026-12-05");
        assert_eq!(on(WED, "the 25th").unwrap(), "2026-11-25");
        assert_eq!(on(WED, "the twenty sixth").unwrap(), "2026-11-26");
        assert_eq!(on(WED, "the 31st").unwrap(), "2026-12-31");
        assert_eq!(on(date(2027, 1, 31), "the 30th").unwrap(), "2027-03-30");
        assert_eq!(on(WED, "friday the 13th").unwrap(), "2027-08-13");
    }

    #[test]
    fn months_and_days() {
        assert_eq!(on(WED, "december 3rd").unwrap(), "2026-12-03");
        assert_eq!(on(WED, "3rd of december").unwrap(), "2026-12-03");
        assert_eq!(on(WED, "the third of december").unwrap(), "2026-12-03");
        assert_eq!(on(WED, "december the third").unwrap(), "2026-12-03");
        assert_eq!(on(WED, "dec 3").unwrap(), "2026-12-03");
        assert_eq!(on(WED, "3 december").unwrap(), "2026-12-03");
        assert_eq!(on(WED, "december 3 2027").unwrap(), "2027-12-03");
        assert_eq!(on(WED, "december twenty first").unwrap(), "2026-12-21");
        assert_eq!(on(WED, "november 25th").unwrap(), "2026-11-25");
        // Past dates are next year's; with a year they stay put.
        assert_eq!(on(WED, "november 24th").unwrap(), "2027-11-24");
        assert_eq!(on(WED, "march 1st 2020").unwrap(), "2020-03-01");
        assert_eq!(on(date(2026, 12, 31), "january 2nd").unwrap(), "2027-01-02");
        assert_eq!(on(date(2026, 12, 5), "december 3rd").unwrap(), "2027-12-03");
        // Leap days.
        assert_eq!(on(WED, "february 29th").unwrap(), "2028-02-29");
        assert_eq!(on(WED, "february 29th 2028").unwrap(), "2028-02-29");
        assert_eq!(on(WED, "february 29 2027"), None);
        // Weekdays must match.
        assert_eq!(on(WED, "thursday december 3rd").unwrap(), "2026-12-03");
        assert_eq!(on(WED, "friday december 3rd 2026"), None);
    }

    #[test]
    fn holidays() {
        assert_eq!(on(WED, "christmas").unwrap(), "2026-12-25");
        assert_eq!(on(WED, "christmas eve").unwrap(), "2026-12-24");
        assert_eq!(on(WED, "new year's day").unwrap(), "2027-01-01");
        assert_eq!(on(WED, "new years eve").unwrap(), "2026-12-31");
        assert_eq!(on(WED, "halloween").unwrap(), "2027-10-31");
    }

    #[test]
    fn ranges() {
        assert_eq!(on(WED, "this weekend").unwrap(), "2026-11-28..2026-11-29");
        assert_eq!(on(WED, "next weekend").unwrap(), "2026-12-05..2026-12-06");
        assert_eq!(on(SAT, "this weekend").unwrap(), "2026-11-28..2026-11-29");
        assert_eq!(on(SAT, "next weekend").unwrap(), "2026-12-05..2026-12-06");
        assert_eq!(on(SUN, "this weekend").unwrap(), "2026-11-29..2026-11-29");
        assert_eq!(on(SUN, "next weekend").unwrap(), "2026-12-05..2026-12-06");
        assert_eq!(on(FRI, "the weekend").unwrap(), "2026-11-28..2026-11-29");
        assert_eq!(on(WED, "next week").unwrap(), "2026-11-30..2026-12-06");
        assert_eq!(on(SUN, "next week").unwrap(), "2026-11-30..2026-12-06");
        assert_eq!(on(WED, "this week").unwrap(), "2026-11-25..2026-11-29");
        assert_eq!(on(WED, "this month").unwrap(), "2026-11-25..2026-11-30");
        assert_eq!(on(WED, "next month").unwrap(), "2026-12-01..2026-12-31");
        assert_eq!(
            on(date(2027, 12, 10), "next month").unwrap(),
            "2028-01-01..2028-01-31"
        );
    }

    #[test]
    fn rejects() {
        for s in [
            "",
            "the",
            "on",
            "february 30th",
            "april 31st",
            "december",
            "december 32nd",
            "the 32nd",
            "the 0th",
            "next",
            "this",
            "in",
            "in 2 hours",
            "in an hour and a half",
            "in 1.5 days",
            "tomorrow please",
            "monday tuesday",
            "the fifth please",
            "fifth",
            "the five",
            "next weekend please",
            "december 3rd 3rd",
            "december 3 27",
            "3 2027",
            "next christmas",
            "in minus 3 days",
            "monday the 32nd",
            "the day after",
            "mondays",
            "13/12",
            "2026 12 25",
            "december 2027",
            "of december",
        ] {
            assert_eq!(on(WED, s), None, "{s:?}");
        }
    }

    #[test]
    fn impossible_days_are_found_as_said() {
        let find = |s: &str| impossible_day(&s.split(' ').collect::<Vec<_>>());
        assert_eq!(
            find("set an alarm for february 30th at 7").as_deref(),
            Some("february 30th")
        );
        assert_eq!(
            find("remind me on the 31st of april").as_deref(),
            Some("31st of april")
        );
        assert_eq!(find("june 31").as_deref(), Some("june 31"));
        for fine in [
            "february 29th",
            "march 31st",
            "the 30th",
            "set an alarm for 7",
            "february",
            "",
        ] {
            assert_eq!(find(fine), None, "{fine}");
        }
    }

    #[test]
    fn rolls_only_for_open_dates() {
        let w = |s: &str| parse_expr(&s.split_whitespace().collect::<Vec<_>>()).unwrap();
        assert!(w("monday").rolls());
        assert!(w("the 5th").rolls());
        assert!(w("december 3rd").rolls());
        assert!(!w("december 3rd 2027").rolls());
        assert!(!w("today").rolls());
        assert!(!w("next monday").rolls());
    }
}
