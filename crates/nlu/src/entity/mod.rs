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
//! Values are JSON, normalized: numbers as numbers, durations in seconds,
//! instants as ISO 8601 local date-times with offset and zone
//! (`2026-11-26T07:30:00+01:00[Europe/Paris]`), dates as `YYYY-MM-DD`.

use jiff::Zoned;
use serde_json::Value;

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
/// Returns `None` unless every word belongs to the entity.
pub fn parse(kind: EntityKind, words: &[&str], ctx: &Context) -> Option<Value> {
    let _ = (kind, words, ctx);
    None
}

/// The value of a span read as a plain number, when it is one.
pub fn parse_number(words: &[&str]) -> Option<f64> {
    let _ = words;
    None
}
