//! Repeating rules: "every weekday", "on Mondays and Wednesdays", "every day
//! at 7", "every night at 10".
//!
//! A rule is a set of weekdays plus an optional time of day, as
//! `{"weekdays": ["monday", ...], "time": "HH:MM" | null}`; "every other
//! day" and "every 3 days" add `"interval_days"`. The value describes the
//! rule, not an instant, so nothing here reads the clock.
//!
//! The decisions:
//!
//! * A singular weekday needs "every"/"each" ("every Monday"); otherwise the
//!   plural is needed ("Mondays", "on Mondays"), since "on Monday" is one
//!   date. Weekdays are listed Monday first, whatever order they were said
//!   in, and a day said twice is rejected.
//! * With no now to compare against, a bare hour 1–12 follows the fixed rule
//!   of [`super::time`]: 6–11 am, 12 noon, 1–5 pm ("every day at 7" is 07:00,
//!   "every day at 3" is 15:00). A part of the day places it: "every night
//!   at 10" is 22:00.
//! * A part of the day without a time gets its default time ("every
//!   morning" is 09:00, evening 19:00, night 21:00, afternoon 15:00); with
//!   neither, the time is null and the skill may ask for one.
//! * A time after midnight "at night" ("every Monday night at 1") is given
//!   as 01:00 on the listed days; the shift to the next calendar day is not
//!   represented.

use serde_json::{json, Value};

use super::date::weekday;
use super::number::cardinal;
use super::time::{self, Bare, Period, DAY};

/// Monday to Sunday, as bits 0 to 6 of a mask.
const ALL: u8 = 0b111_1111;
const WEEKDAYS: u8 = 0b001_1111;
const WEEKEND: u8 = 0b110_0000;
const NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// The days of a rule, before its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Schedule {
    days: u8,
    period: Option<Period>,
    interval: Option<u32>,
}

/// A weekday name, and whether it was plural ("mondays").
fn day_word(w: &str) -> Option<(u8, bool)> {
    let (name, plural) = match w.strip_suffix('s') {
        Some(name) => (name, true),
        None => (w, false),
    };
    let bit = 1 << weekday(name)?.to_monday_zero_offset();
    Some((bit, plural))
}

/// "monday and friday", "mondays wednesdays and fridays", "monday and
/// every friday"; singular names only when `singular` is allowed.
fn day_list(w: &[&str], singular: bool) -> Option<u8> {
    let mut mask = 0u8;
    let mut want_day = true;
    let mut i = 0;
    while i < w.len() {
        if want_day {
            let (bit, plural) = day_word(w[i])?;
            if (!plural && !singular) || mask & bit != 0 {
                return None;
            }
            mask |= bit;
            want_day = false;
        } else {
            // Between days: "and", or nothing (commas are gone); "and every".
            if w[i] == "and" {
                i += 1;
                if singular && w.get(i) == Some(&"every") {
                    i += 1;
                }
                want_day = true;
                continue;
            }
            want_day = true;
            continue;
        }
        i += 1;
    }
    (!want_day && mask != 0).then_some(mask)
}

/// Splits a trailing part of the day off: "monday morning", "weekday
/// mornings", "mondays in the evening", "fridays at night". The flag says
/// whether the word was plural, which makes a rule of "sunday mornings".
fn split_period<'a, 'w>(w: &'a [&'w str]) -> (&'a [&'w str], Option<Period>, bool) {
    match w {
        [head @ .., "at", "night"] if !head.is_empty() => (head, Some(Period::Night), false),
        [head @ .., "in", "the", p] if !head.is_empty() => match singular_period(p) {
            Some(p) => (head, Some(p), false),
            None => (w, None, false),
        },
        [head @ .., p] if !head.is_empty() => match Period::from_word(p) {
            Some(period) => (head, Some(period), p.ends_with('s')),
            None => (w, None, false),
        },
        _ => (w, None, false),
    }
}

/// The days part of a rule: "every day", "on weekdays", "every monday
/// morning", "every other day".
fn schedule(w: &[&str]) -> Option<Schedule> {
    let plain = |days, period| {
        Some(Schedule {
            days,
            period,
            interval: None,
        })
    };
    match w {
        ["daily"] | ["everyday"] => return plain(ALL, None),
        ["nightly"] => return plain(ALL, Some(Period::Night)),
        _ => {}
    }
    let (every, rest) = match w {
        ["every" | "each", rest @ ..] => (true, rest),
        ["on", rest @ ..] => (false, rest),
        _ => (false, w),
    };
    if every {
        match rest {
            ["day"] | ["single", "day"] => return plain(ALL, None),
            ["other", "day"] => {
                return Some(Schedule {
                    days: ALL,
                    period: None,
                    interval: Some(2),
                })
            }
            [n @ .., "days"] if !n.is_empty() => {
                let n = cardinal(n)?;
                if n.fract() != 0.0 || !(1.0..=365.0).contains(&n) {
                    return None;
                }
                return Some(Schedule {
                    days: ALL,
                    period: None,
                    interval: (n >= 2.0).then_some(n as u32),
                });
            }
            // "every morning", "every night".
            [p] => {
                if let Some(
                    p @ (Period::Morning | Period::Afternoon | Period::Evening | Period::Night),
                ) = singular_period(p)
                {
                    return plain(ALL, Some(p));
                }
            }
            _ => {}
        }
    }
    let (days, period, plural_period) = split_period(rest);
    // "every monday", "mondays", "monday mornings" repeat; "monday" and "on
    // monday morning" are one date.
    let singular = every || plural_period;
    let mask = match days {
        ["weekday" | "weekend"] if !singular => return None,
        ["weekday" | "weekdays"] => WEEKDAYS,
        ["weekend" | "weekends"] => WEEKEND,
        ["day"] if every => ALL,
        _ => day_list(days, singular)?,
    };
    plain(mask, period)
}

/// A singular part-of-the-day word.
fn singular_period(w: &str) -> Option<Period> {
    match w {
        "morning" | "afternoon" | "evening" | "night" => Period::from_word(w),
        _ => None,
    }
}

/// The rule's time as "HH:MM".
fn clock(minutes: i32) -> String {
    let m = minutes.rem_euclid(DAY);
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// Builds the JSON value.
fn value(s: Schedule, time: Option<String>) -> Value {
    let weekdays: Vec<&str> = (0..7)
        .filter(|i| s.days & (1 << i) != 0)
        .map(|i| NAMES[i])
        .collect();
    let mut v = json!({ "weekdays": weekdays, "time": time });
    if let Some(n) = s.interval {
        v["interval_days"] = json!(n);
    }
    v
}

/// The schedule `s` with the time said as `w` ("7", "6:30 pm").
fn with_time(s: Schedule, w: &[&str]) -> Option<Value> {
    let w = match w {
        ["at", rest @ ..] => rest,
        _ => w,
    };
    let expr = time::parse_expr(w)?;
    let (cands, n) = expr.minutes(s.period, Bare::Fixed)?;
    if n != 1 {
        return None;
    }
    Some(value(s, Some(clock(cands[0]))))
}

/// Whether `w` can start a recurrence phrase.
fn can_start(w: &str) -> bool {
    matches!(
        w,
        "every"
            | "each"
            | "on"
            | "daily"
            | "everyday"
            | "nightly"
            | "weekday"
            | "weekdays"
            | "weekend"
            | "weekends"
            | "at"
    ) || day_word(w).is_some()
        || time::can_start(w)
}

/// The whole span as a recurrence rule.
pub(crate) fn parse(w: &[&str]) -> Option<Value> {
    if !can_start(w.first()?) {
        return None;
    }
    if let Some(s) = schedule(w) {
        let time = s.period.map(|p| clock(p.default_minutes()));
        return Some(value(s, time));
    }
    for k in 1..w.len() {
        let (left, right) = w.split_at(k);
        // "every day at 7".
        if let Some(s) = schedule(left) {
            if let Some(v) = with_time(s, right) {
                return Some(v);
            }
        }
        // "at 7 every day".
        if let Some(s) = schedule(right) {
            if let Some(v) = with_time(s, left) {
                return Some(v);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule as "days|time", days as two-letter names.
    fn rule(s: &str) -> Option<String> {
        let v = parse(&s.split_whitespace().collect::<Vec<_>>())?;
        let days: Vec<&str> = v["weekdays"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| &d.as_str().unwrap()[..2])
            .collect();
        let time = v["time"].as_str().unwrap_or("-");
        let mut out = format!("{}|{}", days.join(","), time);
        if let Some(n) = v.get("interval_days") {
            out.push_str(&format!("|every {n} days"));
        }
        Some(out)
    }

    const ALL7: &str = "mo,tu,we,th,fr,sa,su";

    #[test]
    fn days() {
        assert_eq!(rule("every day").unwrap(), format!("{ALL7}|-"));
        assert_eq!(rule("daily").unwrap(), format!("{ALL7}|-"));
        assert_eq!(rule("each day").unwrap(), format!("{ALL7}|-"));
        assert_eq!(rule("every weekday").unwrap(), "mo,tu,we,th,fr|-");
        assert_eq!(rule("weekdays").unwrap(), "mo,tu,we,th,fr|-");
        assert_eq!(rule("on weekdays").unwrap(), "mo,tu,we,th,fr|-");
        assert_eq!(rule("every weekend").unwrap(), "sa,su|-");
        assert_eq!(rule("on weekends").unwrap(), "sa,su|-");
        assert_eq!(rule("every monday").unwrap(), "mo|-");
        assert_eq!(rule("mondays").unwrap(), "mo|-");
        assert_eq!(rule("on mondays and wednesdays").unwrap(), "mo,we|-");
        assert_eq!(rule("every friday and monday").unwrap(), "mo,fr|-");
        assert_eq!(
            rule("every monday wednesday and friday").unwrap(),
            "mo,we,fr|-"
        );
        assert_eq!(rule("every monday and every friday").unwrap(), "mo,fr|-");
        assert_eq!(
            rule("every other day").unwrap(),
            format!("{ALL7}|-|every 2 days")
        );
        assert_eq!(
            rule("every 3 days").unwrap(),
            format!("{ALL7}|-|every 3 days")
        );
        assert_eq!(rule("every 1 days").unwrap(), format!("{ALL7}|-"));
    }

    #[test]
    fn times() {
        assert_eq!(rule("every day at 7").unwrap(), format!("{ALL7}|07:00"));
        assert_eq!(rule("every day at 3").unwrap(), format!("{ALL7}|15:00"));
        assert_eq!(rule("every day at 7 pm").unwrap(), format!("{ALL7}|19:00"));
        assert_eq!(rule("at 7 every day").unwrap(), format!("{ALL7}|07:00"));
        assert_eq!(rule("7 am daily").unwrap(), format!("{ALL7}|07:00"));
        assert_eq!(rule("every monday and friday at 7").unwrap(), "mo,fr|07:00");
        assert_eq!(
            rule("every morning at 6:30").unwrap(),
            format!("{ALL7}|06:30")
        );
        assert_eq!(rule("every night at 10").unwrap(), format!("{ALL7}|22:00"));
        assert_eq!(rule("every night at 12").unwrap(), format!("{ALL7}|00:00"));
        assert_eq!(rule("every evening at 6").unwrap(), format!("{ALL7}|18:00"));
        assert_eq!(rule("weekdays at 19:45").unwrap(), "mo,tu,we,th,fr|19:45");
        assert_eq!(
            rule("every weekday morning at 7").unwrap(),
            "mo,tu,we,th,fr|07:00"
        );
        assert_eq!(
            rule("weekday mornings at 7").unwrap(),
            "mo,tu,we,th,fr|07:00"
        );
        assert_eq!(rule("on mondays at half past seven").unwrap(), "mo|07:30");
        assert_eq!(rule("every monday at night").unwrap(), "mo|21:00");
        assert_eq!(
            rule("every other day at 8").unwrap(),
            format!("{ALL7}|08:00|every 2 days")
        );
    }

    #[test]
    fn parts_of_the_day_alone() {
        assert_eq!(rule("every morning").unwrap(), format!("{ALL7}|09:00"));
        assert_eq!(rule("every night").unwrap(), format!("{ALL7}|21:00"));
        assert_eq!(rule("nightly").unwrap(), format!("{ALL7}|21:00"));
        assert_eq!(rule("every monday evening").unwrap(), "mo|19:00");
        assert_eq!(rule("sunday mornings").unwrap(), "su|09:00");
    }

    #[test]
    fn rejects() {
        for s in [
            "",
            "every",
            "on",
            "monday",
            "on monday",
            "on monday morning",
            "every monday monday",
            "mondays and mondays",
            "every day please",
            "every day at",
            "every day at 25:00",
            "every morning at 7 pm",
            "every few days",
            "every 1.5 days",
            "every 0 days",
            "every hour",
            "every mondayy",
            "weekday",
            "mondays and",
            "and mondays",
            "every week",
            "every day every day",
            "at 7",
            "7",
            "every day at 7 at 8",
            "every monday and",
            "every 1000 days",
        ] {
            assert_eq!(rule(s), None, "{s:?}");
        }
    }
}
