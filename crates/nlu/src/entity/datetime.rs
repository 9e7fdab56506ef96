//! Instants: a time, a day with a time or a part of the day, or an offset
//! from now ("in twenty minutes").
//!
//! A phrase is one of:
//!
//! * an offset: "in 2 hours", "in an hour and a half", "in 5 minutes time",
//!   "20 minutes from now". Clock units are elapsed time (so across a
//!   daylight-saving change "in 2 hours" is two real hours), days and weeks
//!   are calendar days (same wall-clock time). Now is first truncated to the
//!   whole second, so results print without fractions.
//! * a time alone, read as the [`Time`](super::EntityKind::Time) kind reads
//!   it (next occurrence, am or pm, whichever comes first);
//! * a day part: a date ("tomorrow", "next Tuesday", "December 3rd") and/or
//!   a part of the day ("tomorrow morning", "tonight", "this evening", "in
//!   the morning"), with a time before or after it, with or without "at" /
//!   "on" between: "tomorrow at 7", "at 7 tomorrow", "7 pm on Monday",
//!   "tonight at 8", "tomorrow at 7:30 in the evening".
//!
//! The decisions:
//!
//! * A date alone is not an instant ("tomorrow" is a [`Date`](super::EntityKind::Date));
//!   a part of the day alone gets a default time: morning 09:00, afternoon
//!   15:00, evening 19:00, night 21:00. "in the morning" without a date is
//!   the next 09:00.
//! * A bare hour 1–12 on today (including "tonight", "this evening" without
//!   their own placement) is whichever of am/pm comes first after now; on
//!   any other day it follows the fixed rule in [`super::time`]: 6–11 am,
//!   12 noon, 1–5 pm ("tomorrow at 7" is 07:00, "tomorrow at 3" is 15:00).
//!   A part of the day places it ("tonight at 8" is 20:00).
//! * A day said as "the next such day" (a bare weekday, "the 5th",
//!   "December 3rd") moves to its following occurrence when the instant has
//!   already passed: "Monday at 7 am" said on a Monday at 8:00 is next
//!   Monday. A fixed day ("today", "tomorrow", "next Monday", a date with a
//!   year) never moves, even if the result is in the past.
//! * Beside a day, a time that is a lone number word needs "at": "at one
//!   tomorrow" and "tomorrow at three" are times, "one monday" is rejected
//!   (it reads as "some Monday"); "3 tomorrow" and "three pm tomorrow" pass.
//! * "midnight" is the end of the day it is said with: "tonight at
//!   midnight" and "tomorrow at midnight" are 00:00 of the day after.
//!
//! A time on a day is built as a civil date-time and placed in the zone with
//! jiff's compatible rule (a skipped time moves forward, a repeated one
//! takes the first), so "tomorrow at 7" stays 07:00 across a change.

use jiff::{SignedDuration, Span, Timestamp, Zoned};

use super::date::{self, DateExpr};
use super::duration;
use super::time::{self, at_minutes, next_occurrence, Bare, Period, TimeExpr};

/// A day and/or part of the day, as said.
#[derive(Debug, Clone, Copy)]
struct DayPart {
    date: Option<DateExpr>,
    period: Option<Period>,
}

/// Reads "tomorrow", "tonight", "monday evening", "in the morning",
/// "december 3rd at night".
fn day_part(w: &[&str]) -> Option<DayPart> {
    let today = Some(DateExpr::Offset(0));
    let with = |date, period| Some(DayPart { date, period });
    match w {
        ["tonight"] => return with(today, Some(Period::Night)),
        ["this", p] => {
            if let Some(p @ (Period::Morning | Period::Afternoon | Period::Evening)) =
                singular_period(p)
            {
                return with(today, Some(p));
            }
        }
        ["in", "the", p] => {
            return match singular_period(p)? {
                Period::Night => None,
                p => with(None, Some(p)),
            }
        }
        ["at", "night"] => return with(None, Some(Period::Night)),
        _ => {}
    }
    let (head, period) = split_period(w);
    with(Some(date::parse_expr(head)?), period)
}

/// Splits a trailing part of the day off a date: "tomorrow morning",
/// "monday in the evening", "friday at night".
fn split_period<'a, 'w>(w: &'a [&'w str]) -> (&'a [&'w str], Option<Period>) {
    match w {
        [head @ .., "at", "night"] if !head.is_empty() => (head, Some(Period::Night)),
        [head @ .., "in", "the", p] if !head.is_empty() && singular_period(p).is_some() => {
            (head, singular_period(p))
        }
        [head @ .., p] if !head.is_empty() && singular_period(p).is_some() => {
            (head, singular_period(p))
        }
        _ => (w, None),
    }
}

/// A singular part-of-the-day word.
fn singular_period(w: &str) -> Option<Period> {
    match w {
        "morning" | "afternoon" | "evening" | "night" => Period::from_word(w),
        _ => None,
    }
}

/// "in 20 minutes", "in an hour and a half", "5 minutes from now".
fn offset(w: &[&str], now: &Zoned) -> Option<Zoned> {
    let dur = match w {
        ["in", rest @ .., "time"] => duration::parse(rest)?,
        ["in", rest @ ..] => duration::parse(rest)?,
        [rest @ .., "from", "now"] => duration::parse(rest)?,
        _ => return None,
    };
    let days = dur.days.trunc();
    let seconds = ((dur.days - days) * 86_400.0 + dur.seconds).round();
    // Past these the instant is off jiff's calendar anyway.
    if days > 4e6 || seconds > 4e14 {
        return None;
    }
    let base = Timestamp::from_second(now.timestamp().as_second())
        .ok()?
        .to_zoned(now.time_zone().clone());
    base.checked_add(Span::new().try_days(days as i64).ok()?)
        .ok()?
        .checked_add(SignedDuration::from_secs(seconds as i64))
        .ok()
}

/// The instant for a day part with an optional time.
fn resolve(part: DayPart, time: Option<TimeExpr>, now: &Zoned) -> Option<Zoned> {
    let Some(expr) = part.date else {
        // A part of the day without a date: its next occurrence.
        let (cands, n) = match time {
            Some(t) => t.minutes(part.period, Bare::Either)?,
            None => ([part.period?.default_minutes(), 0], 1),
        };
        return next_occurrence(now, &cands[..n]);
    };
    if time.is_none() && part.period.is_none() {
        return None;
    }
    let today = now.date();
    let first = on_day(expr, today, part.period, time, now)?;
    if first <= *now && expr.rolls() {
        return on_day(expr, today.tomorrow().ok()?, part.period, time, now);
    }
    Some(first)
}

/// The instant on the day `expr` names from `reference`.
fn on_day(
    expr: DateExpr,
    reference: jiff::civil::Date,
    period: Option<Period>,
    time: Option<TimeExpr>,
    now: &Zoned,
) -> Option<Zoned> {
    let day = expr.resolve_day(reference)?;
    let tz = now.time_zone();
    let bare = if day == now.date() {
        Bare::Either
    } else {
        Bare::Fixed
    };
    let (cands, n) = match time {
        Some(t) => t.minutes(period, bare)?,
        None => ([period?.default_minutes(), 0], 1),
    };
    let mut latest = None;
    for &m in &cands[..n] {
        let instant = at_minutes(day, m, tz)?;
        if n == 1 || instant > *now {
            return Some(instant);
        }
        latest = Some(instant);
    }
    // Both readings have passed today: the later one, as said.
    latest
}

/// Whether `w` can start a date-time phrase.
pub(crate) fn can_start(w: &str) -> bool {
    time::can_start(w) || date::can_start(w) || matches!(w, "tonight" | "at")
}

/// The whole span as an instant, after one optional "at"/"on"/"for".
pub(crate) fn parse(w: &[&str], now: &Zoned) -> Option<Zoned> {
    // Remember a leading "at": it is what makes "at one tomorrow" a time.
    let (w, lead_at) = match w {
        ["at", rest @ ..] => (super::after_lead(rest)?, true),
        ["on" | "for", rest @ ..] => (super::after_lead(rest)?, false),
        _ => (w, false),
    };
    if !can_start(w.first()?) {
        return None;
    }
    if let Some(z) = offset(w, now) {
        return Some(z);
    }
    if let Some(z) = time::parse(w, now) {
        return Some(z);
    }
    if let Some(part) = day_part(w) {
        return resolve(part, None, now);
    }
    for k in 1..w.len() {
        let (left, right) = w.split_at(k);
        // "tomorrow at 7", "tonight 8 pm".
        if let Some(part) = day_part(left) {
            let (right, at) = match right {
                ["at", rest @ ..] => (rest, true),
                _ => (right, false),
            };
            if at || time::clear_without_at(right) {
                if let Some(t) = time::parse_expr(right) {
                    return resolve(part, Some(t), now);
                }
            }
        }
        // "7 tomorrow", "noon on monday".
        if lead_at || time::clear_without_at(left) {
            if let Some(t) = time::parse_expr(left) {
                let right = match right {
                    ["on", rest @ ..] => rest,
                    _ => right,
                };
                if let Some(part) = day_part(right) {
                    return resolve(part, Some(t), now);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    /// Goes through the public entry point, which strips a leading "at".
    fn at(now: &str, s: &str) -> Option<String> {
        let ctx = crate::entity::Context {
            now: now.parse().unwrap(),
        };
        let w: Vec<&str> = s.split_whitespace().collect();
        let v = crate::entity::parse(crate::entity::EntityKind::DateTime, &w, &ctx)?;
        Some(v.as_str().unwrap().to_owned())
    }

    // A Wednesday morning in Paris.
    const NOW: &str = "2026-11-25T08:00:00+01:00[Europe/Paris]";

    #[test]
    fn offsets_from_now() {
        assert_eq!(
            at(NOW, "in twenty minutes").unwrap(),
            "2026-11-25T08:20:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "in an hour and a half").unwrap(),
            "2026-11-25T09:30:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "in 2 hours").unwrap(),
            "2026-11-25T10:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "in 5 minutes time").unwrap(),
            "2026-11-25T08:05:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "10 seconds from now").unwrap(),
            "2026-11-25T08:00:10+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "in 3 days").unwrap(),
            "2026-11-28T08:00:00+01:00[Europe/Paris]"
        );
        // Now's fraction of a second is dropped.
        let now = "2026-11-25T08:00:05.75+01:00[Europe/Paris]";
        assert_eq!(
            at(now, "in a minute").unwrap(),
            "2026-11-25T08:01:05+01:00[Europe/Paris]"
        );
    }

    #[test]
    fn offsets_across_daylight_saving() {
        // Paris springs forward at 02:00 on 2026-03-29.
        let now = "2026-03-29T01:30:00+01:00[Europe/Paris]";
        assert_eq!(
            at(now, "in 2 hours").unwrap(),
            "2026-03-29T04:30:00+02:00[Europe/Paris]"
        );
        // A calendar day keeps the wall clock time (23 real hours).
        let now = "2026-03-28T09:00:00+01:00[Europe/Paris]";
        assert_eq!(
            at(now, "in a day").unwrap(),
            "2026-03-29T09:00:00+02:00[Europe/Paris]"
        );
        assert_eq!(
            at(now, "in 24 hours").unwrap(),
            "2026-03-29T10:00:00+02:00[Europe/Paris]"
        );
        // New York falls back at 02:00 on 2026-11-01.
        let now = "2026-11-01T00:30:00-04:00[America/New_York]";
        assert_eq!(
            at(now, "in 2 hours").unwrap(),
            "2026-11-01T01:30:00-05:00[America/New_York]"
        );
    }

    #[test]
    fn days_with_times() {
        assert_eq!(
            at(NOW, "tomorrow at 7").unwrap(),
            "2026-11-26T07:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "tomorrow at 3").unwrap(),
            "2026-11-26T15:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "at 7 tomorrow").unwrap(),
            "2026-11-26T07:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "7 pm tomorrow").unwrap(),
            "2026-11-26T19:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "tomorrow 7 pm").unwrap(),
            "2026-11-26T19:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "tomorrow at 7:30 in the evening").unwrap(),
            "2026-11-26T19:30:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "next tuesday at noon").unwrap(),
            "2026-12-01T12:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "noon on friday").unwrap(),
            "2026-11-27T12:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "december 3rd at 5 pm").unwrap(),
            "2026-12-03T17:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "tomorrow at midnight").unwrap(),
            "2026-11-27T00:00:00+01:00[Europe/Paris]"
        );
    }

    #[test]
    fn today_reads_bare_hours_against_now() {
        assert_eq!(
            at(NOW, "today at 7").unwrap(),
            "2026-11-25T19:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "today at 9").unwrap(),
            "2026-11-25T09:00:00+01:00[Europe/Paris]"
        );
        // Both passed: the later one, in the past, as said.
        let late = "2026-11-25T21:00:00+01:00[Europe/Paris]";
        assert_eq!(
            at(late, "today at 7").unwrap(),
            "2026-11-25T19:00:00+01:00[Europe/Paris]"
        );
        // A bare weekday that is today moves on a week once passed.
        assert_eq!(
            at(NOW, "wednesday at 7").unwrap(),
            "2026-11-25T19:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "wednesday at 7 am").unwrap(),
            "2026-12-02T07:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(late, "wednesday at 7").unwrap(),
            "2026-12-02T07:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "the 25th at 7 am").unwrap(),
            "2026-12-25T07:00:00+01:00[Europe/Paris]"
        );
        // A fixed day does not move.
        assert_eq!(
            at(NOW, "today at 7 am").unwrap(),
            "2026-11-25T07:00:00+01:00[Europe/Paris]"
        );
    }

    #[test]
    fn parts_of_the_day() {
        assert_eq!(
            at(NOW, "tonight at 8").unwrap(),
            "2026-11-25T20:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "tonight").unwrap(),
            "2026-11-25T21:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "tonight at 12").unwrap(),
            "2026-11-26T00:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "tonight at 1").unwrap(),
            "2026-11-26T01:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "this evening at 7").unwrap(),
            "2026-11-25T19:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "at 7 this evening").unwrap(),
            "2026-11-25T19:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "tomorrow morning").unwrap(),
            "2026-11-26T09:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "tomorrow morning at 6").unwrap(),
            "2026-11-26T06:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "at 7 tomorrow morning").unwrap(),
            "2026-11-26T07:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "tomorrow evening at 6").unwrap(),
            "2026-11-26T18:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "tomorrow night").unwrap(),
            "2026-11-26T21:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "friday afternoon").unwrap(),
            "2026-11-27T15:00:00+01:00[Europe/Paris]"
        );
        // Without a date, the next occurrence of the default time.
        assert_eq!(
            at(NOW, "in the morning").unwrap(),
            "2026-11-25T09:00:00+01:00[Europe/Paris]"
        );
        let late = "2026-11-25T21:00:00+01:00[Europe/Paris]";
        assert_eq!(
            at(late, "in the morning").unwrap(),
            "2026-11-26T09:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "in the evening").unwrap(),
            "2026-11-25T19:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "in the morning at 7").unwrap(),
            "2026-11-26T07:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(
            at(NOW, "tomorrow in the evening").unwrap(),
            "2026-11-26T19:00:00+01:00[Europe/Paris]"
        );
    }

    #[test]
    fn times_across_daylight_saving() {
        // "tomorrow at 7" keeps 07:00 local across the spring change.
        let now = "2026-03-28T22:00:00+01:00[Europe/Paris]";
        assert_eq!(
            at(now, "tomorrow at 7").unwrap(),
            "2026-03-29T07:00:00+02:00[Europe/Paris]"
        );
        // 02:30 does not exist that night: compatible moves it to 03:30.
        assert_eq!(
            at(now, "tomorrow at 2:30 am").unwrap(),
            "2026-03-29T03:30:00+02:00[Europe/Paris]"
        );
        // New York's repeated 01:30 takes the first (daylight) one.
        let now = "2026-10-31T22:00:00-04:00[America/New_York]";
        assert_eq!(
            at(now, "tomorrow at 1:30 am").unwrap(),
            "2026-11-01T01:30:00-04:00[America/New_York]"
        );
    }

    #[test]
    fn rejects() {
        for s in [
            "",
            "tomorrow",
            "monday",
            "this weekend at 7",
            "next week at 7",
            "tomorrow at",
            "at",
            "in",
            "in the",
            "tomorrow at 25:00",
            "tomorrow morning at 7 pm",
            "this evening at 7 am",
            "in a few minutes",
            "in 5 minutes please",
            "tomorrow at 7 please",
            "seven thirty tomorrow tomorrow",
            "this night",
            "in the night",
            "tomorrow at 7 tomorrow",
            "in a trillion weeks",
            "99999999999999999 seconds from now",
            "the",
            "one monday",
            "tomorrow three",
            "at",
            "on at 7",
        ] {
            assert_eq!(at(NOW, s), None, "{s:?}");
        }
    }
}
