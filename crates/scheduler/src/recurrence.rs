//! Weekly alarm rules, and their next occurrence in a household's zone.
//!
//! A rule is a set of weekdays and a local time of day, in hark-nlu's recurrence shape:
//! `{"weekdays": ["monday", ...], "time": "HH:MM"}`. Its occurrences are local date-times, made
//! instants by the zone's rules (jiff), never by adding 24 hours, so an alarm at 07:00 stays at
//! 07:00 across a daylight-saving change.
//!
//! **The DST rule.** A local time that a change skips or repeats is resolved as jiff's
//! "compatible" disambiguation (RFC 5545's, and most calendars'):
//!
//! - *Skipped* (spring forward: 02:30 in Europe/Berlin on the last Sunday of March, when clocks
//!   jump from 02:00 to 03:00): the alarm rings at the same wall-clock distance after the jump,
//!   03:30 local. It rings that day, late by the hour that never existed, rather than not at all.
//! - *Repeated* (fall back: 02:30 happens twice on the last Sunday of October): the alarm rings
//!   once, at the first 02:30 (summer time). The next occurrence is the first local 02:30 that is
//!   *after* the one that rang, which is the next listed day's, not the second 02:30.

use std::fmt;

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde_json::{json, Value};

use crate::SchedulerError;

const NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// An alarm's weekly rule: some weekdays, one local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recurrence {
    /// Monday to Sunday as bits 0 to 6; never empty.
    days: u8,
    time: Time,
}

impl Recurrence {
    /// A rule for these weekdays at this local time (seconds and below are dropped: alarms ring
    /// on the minute). [`SchedulerError::Invalid`] if no weekday is given.
    pub fn new(weekdays: &[Weekday], time: Time) -> Result<Recurrence, SchedulerError> {
        let days = weekdays
            .iter()
            .fold(0u8, |days, day| days | 1 << day.to_monday_zero_offset());
        if days == 0 {
            return Err(SchedulerError::Invalid(
                "an alarm rule needs at least one day of the week".into(),
            ));
        }
        let time = Time::new(time.hour(), time.minute(), 0, 0)
            .map_err(|e| SchedulerError::Invalid(format!("not a time of day: {e}")))?;
        Ok(Recurrence { days, time })
    }

    /// Reads hark-nlu's recurrence value. Refused, with a reason: a missing or empty weekday
    /// list, an unknown weekday, a missing time (`null`: the skill should have asked for one),
    /// a time that is not `HH:MM`, and rules every N days (`interval_days` other than 1), which
    /// alarms do not support yet.
    pub fn from_json(value: &Value) -> Result<Recurrence, SchedulerError> {
        let invalid = |message: &str| SchedulerError::Invalid(message.to_owned());
        let object = value
            .as_object()
            .ok_or_else(|| invalid("an alarm rule must be a JSON object"))?;
        match object.get("interval_days") {
            None | Some(Value::Null) => {}
            Some(days) if days.as_u64() == Some(1) => {}
            Some(_) => return Err(invalid("alarms every few days are not supported yet")),
        }
        let names = object
            .get("weekdays")
            .and_then(Value::as_array)
            .ok_or_else(|| invalid("an alarm rule needs a list of weekdays"))?;
        let mut weekdays = Vec::with_capacity(names.len());
        for name in names {
            let day = name
                .as_str()
                .and_then(|name| NAMES.iter().position(|known| *known == name))
                .ok_or_else(|| {
                    SchedulerError::Invalid(format!("{name} is not a day of the week"))
                })?;
            weekdays.push(Weekday::from_monday_zero_offset(day as i8).expect("0 to 6"));
        }
        let time = match object.get("time") {
            None | Some(Value::Null) => {
                return Err(invalid("an alarm rule needs a time of day"));
            }
            Some(Value::String(text)) => parse_time(text)?,
            Some(other) => {
                return Err(SchedulerError::Invalid(format!(
                    "an alarm rule's time must be \"HH:MM\", not {other}"
                )))
            }
        };
        Recurrence::new(&weekdays, time)
    }

    /// The rule as hark-nlu writes it (weekdays Monday first), for storing.
    pub fn to_json(&self) -> Value {
        let weekdays: Vec<&str> = (0..7)
            .filter(|day| self.days & 1 << day != 0)
            .map(|day| NAMES[day])
            .collect();
        json!({"weekdays": weekdays, "time": format!("{:02}:{:02}", self.time.hour(), self.time.minute())})
    }

    /// The local time of day it rings at.
    pub fn time(&self) -> Time {
        self.time
    }

    /// Whether it rings on this weekday.
    pub fn has(&self, day: Weekday) -> bool {
        self.days & 1 << day.to_monday_zero_offset() != 0
    }

    /// The first occurrence strictly after `after`, read in `zone` by the DST rule in this
    /// module's documentation.
    pub fn next_after(
        &self,
        after: Timestamp,
        zone: &TimeZone,
    ) -> Result<Timestamp, SchedulerError> {
        let start: Date = after.to_zoned(zone.clone()).date();
        // Eight days cover a whole week from any starting day, even when the start day's own
        // occurrence has already passed.
        for offset in 0..=8 {
            let date = start
                .checked_add(offset.days())
                .map_err(|e| SchedulerError::Invalid(format!("no next occurrence: {e}")))?;
            if !self.has(date.weekday()) {
                continue;
            }
            let at = date
                .to_datetime(self.time)
                .to_zoned(zone.clone())
                .map_err(|e| SchedulerError::Invalid(format!("no next occurrence: {e}")))?
                .timestamp();
            if at > after {
                return Ok(at);
            }
        }
        unreachable!("a non-empty weekly rule occurs within eight days")
    }
}

impl fmt::Display for Recurrence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

fn parse_time(text: &str) -> Result<Time, SchedulerError> {
    let bad = || SchedulerError::Invalid(format!("{text:?} is not a time of day (\"HH:MM\")"));
    let (hour, minute) = text.split_once(':').ok_or_else(bad)?;
    if hour.len() != 2 || minute.len() != 2 {
        return Err(bad());
    }
    let hour: i8 = hour.parse().map_err(|_| bad())?;
    let minute: i8 = minute.parse().map_err(|_| bad())?;
    Time::new(hour, minute, 0, 0).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn daily(time: &str) -> Recurrence {
        Recurrence::from_json(&json!({"weekdays": NAMES, "time": time})).unwrap()
    }

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    /// The occurrences after `from`, as local times with their offsets.
    fn occurrences(rule: Recurrence, zone: &str, from: &str, n: usize) -> Vec<String> {
        let zone = TimeZone::get(zone).unwrap();
        let mut after = at(from);
        let mut out = Vec::new();
        for _ in 0..n {
            after = rule.next_after(after, &zone).unwrap();
            out.push(
                after
                    .to_zoned(zone.clone())
                    .strftime("%F %T%:z")
                    .to_string(),
            );
        }
        out
    }

    #[test]
    fn berlin_spring_forward_rings_after_the_gap() {
        // 2026-03-29: 02:00 CET becomes 03:00 CEST.
        assert_eq!(
            occurrences(daily("02:30"), "Europe/Berlin", "2026-03-27T12:00:00Z", 4),
            [
                "2026-03-28 02:30:00+01:00",
                "2026-03-29 03:30:00+02:00",
                "2026-03-30 02:30:00+02:00",
                "2026-03-31 02:30:00+02:00",
            ]
        );
    }

    #[test]
    fn berlin_fall_back_rings_once_at_the_first() {
        // 2026-10-25: 03:00 CEST becomes 02:00 CET; 02:30 happens twice.
        assert_eq!(
            occurrences(daily("02:30"), "Europe/Berlin", "2026-10-23T12:00:00Z", 4),
            [
                "2026-10-24 02:30:00+02:00",
                "2026-10-25 02:30:00+02:00",
                "2026-10-26 02:30:00+01:00",
                "2026-10-27 02:30:00+01:00",
            ]
        );
    }

    #[test]
    fn new_york_change_days() {
        // 2026-03-08 spring forward at 02:00; 2026-11-01 fall back at 02:00.
        assert_eq!(
            occurrences(
                daily("02:30"),
                "America/New_York",
                "2026-03-07T12:00:00Z",
                3
            ),
            [
                "2026-03-08 03:30:00-04:00",
                "2026-03-09 02:30:00-04:00",
                "2026-03-10 02:30:00-04:00",
            ]
        );
        assert_eq!(
            occurrences(
                daily("01:30"),
                "America/New_York",
                "2026-10-31T12:00:00Z",
                3
            ),
            [
                "2026-11-01 01:30:00-04:00",
                "2026-11-02 01:30:00-05:00",
                "2026-11-03 01:30:00-05:00",
            ]
        );
    }

    #[test]
    fn weekdays_only() {
        let rule =
            Recurrence::from_json(&json!({"weekdays": ["monday", "friday"], "time": "07:00"}))
                .unwrap();
        // 2026-01-01 is a Thursday.
        assert_eq!(
            occurrences(rule, "UTC", "2026-01-01T08:00:00Z", 3),
            [
                "2026-01-02 07:00:00+00:00",
                "2026-01-05 07:00:00+00:00",
                "2026-01-09 07:00:00+00:00",
            ]
        );
        // Exactly at an occurrence: the next one.
        assert_eq!(
            occurrences(rule, "UTC", "2026-01-02T07:00:00Z", 1),
            ["2026-01-05 07:00:00+00:00"]
        );
        assert_eq!(
            rule.to_json(),
            json!({"weekdays": ["monday", "friday"], "time": "07:00"})
        );
    }

    #[test]
    fn bad_rules_say_why() {
        let cases = [
            (json!({"weekdays": [], "time": "07:00"}), "at least one day"),
            (json!({"time": "07:00"}), "list of weekdays"),
            (
                json!({"weekdays": ["monday"], "time": null}),
                "needs a time",
            ),
            (json!({"weekdays": ["monday"]}), "needs a time"),
            (
                json!({"weekdays": ["funday"], "time": "07:00"}),
                "not a day",
            ),
            (
                json!({"weekdays": ["monday"], "time": "25:00"}),
                "not a time",
            ),
            (json!({"weekdays": ["monday"], "time": "7"}), "not a time"),
            (
                json!({"weekdays": ["monday"], "time": "07:00", "interval_days": 2}),
                "every few days",
            ),
            (json!("daily"), "JSON object"),
        ];
        for (value, expected) in cases {
            let error = Recurrence::from_json(&value).unwrap_err().to_string();
            assert!(error.contains(expected), "{value}: {error}");
        }
    }
}
