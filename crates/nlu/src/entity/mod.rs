//! Entity parsers: turn the words of a slot into a normalized value.
//!
//! Each parser reads a span of normalized tokens (see [`crate::text`]: lower
//! case, punctuation stripped, hyphens split, contractions expanded, "7pm"
//! split into "7" "pm") and either accepts the *whole* span, giving a value, or
//! rejects it. The matcher tries spans of up to [`MAX_WORDS`] tokens, so a
//! parser never has to search inside a sentence.
//!
//! Relative values ("tomorrow", "in twenty minutes", "next Friday") resolve
//! against [`Context::now`], which carries the household's time zone, so that
//! daylight-saving changes are handled by the zone rules.
//!
//! Values are JSON, normalized:
//!
//! | kind         | value                                                        |
//! |--------------|--------------------------------------------------------------|
//! | `number`     | a number: `25`, `1.5` (integers print without a fraction)    |
//! | `ordinal`    | a positive integer: `23`                                     |
//! | `duration`   | total seconds: `330`, `2.5`; zero is rejected                |
//! | `time`       | an instant, `2026-11-26T07:30:00+01:00[Europe/Paris]`        |
//! | `date`       | `"2026-11-26"`, or `{"start": ..., "end": ...}` (inclusive)  |
//! | `datetime`   | an instant, as for `time`                                    |
//! | `recurrence` | `{"weekdays": ["monday", ...], "time": "07:00" or null}`     |
//!
//! Instants are printed as [`jiff::Zoned`] displays them. Each kind is two
//! steps: *reading* the words into an expression (no clock involved), then
//! *resolving* the expression against now. The rules for what people leave
//! unsaid are documented where they are applied:
//!
//! * a bare hour ("half past seven"), in `time.rs`: alone or today,
//!   whichever of am/pm comes first after now; on another day or in a rule,
//!   6–11 am, 12 noon, 1–5 pm. A time alone is always strictly in the future.
//! * open days ("Monday", "next Friday", "the 5th", "December 3rd") and
//!   ranges ("this weekend"), in `date.rs`.
//! * combinations, offsets ("in 2 hours" is elapsed time, "in 3 days" is
//!   calendar days) and default times for parts of the day, in `datetime.rs`.
//! * repeating rules, in `recurrence.rs`.
//!
//! One optional leading connector is accepted where templates might or might
//! not include it: "at"/"for" before a time, "on"/"for" before a date, and
//! "at"/"on"/"for" before a date-time. So `at {time}` and `{time}` both
//! match "at 7". Only one: a connector followed by another ("on in 10
//! minutes") is no entity, so "put the kettle on in 10 minutes" keeps its
//! "on" in the free text before it.
//!
//! Every parser first checks that the first word can start its kind, so most
//! spans the matcher tries are rejected after a few string comparisons;
//! parsing works on borrowed slices and only building the returned value
//! allocates. Spans longer than [`MAX_WORDS`] are rejected without being
//! read.

use jiff::Zoned;
use serde_json::Value;

mod date;
mod datetime;
mod duration;
mod number;
mod recurrence;
mod time;

/// The longest span, in tokens, that any entity parser accepts.
pub const MAX_WORDS: usize = 12;

/// What relative values resolve against.
#[derive(Debug, Clone)]
pub struct Context {
    /// The current instant in the household's time zone.
    pub now: Zoned,
}

/// The kinds of entity hark can parse; each is usable as a slot list in templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    /// A cardinal number: "twenty five", "25", "a dozen", "one and a half", "2.5".
    Number,
    /// An ordinal: "first", "5th", "twenty third".
    Ordinal,
    /// A length of time, in seconds: "five and a half minutes", "an hour and 15 minutes".
    Duration,
    /// A time of day, resolved to its next occurrence: "7:30", "half past seven in the evening", "noon".
    Time,
    /// A calendar date or date range: "tomorrow", "next Tuesday", "on the 5th", "this weekend".
    Date,
    /// An instant: a time, a date with a time, or a relative time ("in twenty minutes").
    DateTime,
    /// A repeating rule: "every weekday", "on Mondays and Wednesdays", "every day at 7".
    Recurrence,
}

impl EntityKind {
    /// Every kind, in a fixed order.
    pub const ALL: [EntityKind; 7] = [
        EntityKind::Number,
        EntityKind::Ordinal,
        EntityKind::Duration,
        EntityKind::Time,
        EntityKind::Date,
        EntityKind::DateTime,
        EntityKind::Recurrence,
    ];

    /// The name templates use for this kind's list, e.g. `{duration}`.
    pub fn name(self) -> &'static str {
        match self {
            EntityKind::Number => "number",
            EntityKind::Ordinal => "ordinal",
            EntityKind::Duration => "duration",
            EntityKind::Time => "time",
            EntityKind::Date => "date",
            EntityKind::DateTime => "datetime",
            EntityKind::Recurrence => "recurrence",
        }
    }

    /// The kind a list name refers to, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// Parses the whole span `words` as an entity of `kind`.
///
/// Returns `None` unless every word belongs to the entity. Spans longer than
/// [`MAX_WORDS`] are rejected outright, which bounds the work per call.
pub fn parse(kind: EntityKind, words: &[&str], ctx: &Context) -> Option<Value> {
    if words.is_empty() || words.len() > MAX_WORDS {
        return None;
    }
    match kind {
        EntityKind::Number => json_number(number::cardinal(words)?),
        EntityKind::Ordinal => Some(Value::from(number::ordinal(words)?)),
        EntityKind::Duration => json_number(duration::parse(words)?.total_seconds()),
        EntityKind::Time => {
            let words = strip_lead(words, &["at", "for"])?;
            Some(Value::String(time::parse(words, &ctx.now)?.to_string()))
        }
        EntityKind::Date => {
            let words = strip_lead(words, &["on", "for"])?;
            // A possessive date: "tomorrow's weather", "this week's forecast".
            if let Some(stem) = words.last().and_then(|w| w.strip_suffix("'s")) {
                let mut plain = words.to_vec();
                *plain.last_mut()? = stem;
                return Some(date::parse(&plain, ctx.now.date())?.to_json());
            }
            Some(date::parse(words, ctx.now.date())?.to_json())
        }
        EntityKind::DateTime => Some(Value::String(datetime::parse(words, &ctx.now)?.to_string())),
        EntityKind::Recurrence => recurrence::parse(words),
    }
}

/// A calendar day no year has, named in `words` ("set an alarm for february
/// 30th" names "february 30th"), as said; so that a sentence nothing
/// understood can be answered "there is no February 30th" rather than "I
/// didn't understand".
pub fn impossible_date(words: &[&str]) -> Option<String> {
    date::impossible_day(words)
}

/// Whether `word` names a month ("february", "feb").
pub fn is_month(word: &str) -> bool {
    date::month(word).is_some()
}

/// The value of a span read as a plain number, when it is one.
pub fn parse_number(words: &[&str]) -> Option<f64> {
    if words.len() > MAX_WORDS {
        return None;
    }
    number::cardinal(words)
}

/// `words` without one optional leading connector from `lead` ("at 7" and
/// "7" are the same time), so templates may write `at {time}` or `{time}`.
/// `None` when nothing would be left.
fn strip_lead<'a, 'w>(words: &'a [&'w str], lead: &[&str]) -> Option<&'a [&'w str]> {
    match words {
        [first, rest @ ..] if lead.contains(first) => after_lead(rest),
        _ => (!words.is_empty()).then_some(words),
    }
}

/// What follows a stripped connector, unless it is empty or starts with
/// another one: "on in 10 minutes" is no instant, so "remind me to put the
/// kettle on in 10 minutes" keeps its "on" in the task.
fn after_lead<'a, 'w>(rest: &'a [&'w str]) -> Option<&'a [&'w str]> {
    match rest.first() {
        Some(&("at" | "on" | "for" | "in")) | None => None,
        Some(_) => Some(rest),
    }
}

/// A JSON number: an integer when the value is whole and exactly
/// representable, a float otherwise.
fn json_number(v: f64) -> Option<Value> {
    if !v.is_finite() {
        return None;
    }
    // 2^53: beyond it an f64 no longer holds every integer.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if v.fract() == 0.0 && v.abs() <= EXACT {
        return Some(Value::from(v as i64));
    }
    serde_json::Number::from_f64(v).map(Value::Number)
}

#[cfg(test)]
mod snapshot_tests;

#[cfg(test)]
mod tests;
