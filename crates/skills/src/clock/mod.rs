//! The clock skill: the time and the date, in the household's time zone.
//!
//! `HassGetCurrentTime` answers with the time of day, "It's 7:05 AM." (see
//! [`crate::spoken`] for how times are said: 12-hour, "noon", "midnight").
//! The instant comes from the turn and is placed in the household's zone by
//! the zone's rules, so the answer is right on daylight-saving days too.
//!
//! `HassGetCurrentDate` answers with today's date, "Today is Wednesday,
//! November 25th.", or, when hark's grammar filled its `date` slot, with the
//! day asked about. The parser has already resolved "Friday" or "Christmas"
//! to a date; how the answer is phrased depends on what the user named, which
//! the slot's raw words tell (the value alone cannot: "Saturday" and
//! "November 28th" resolve to the same day):
//!
//! * yesterday, today, tomorrow (and the days either side) are called so,
//!   whatever words named them, with the full date: "Tomorrow is Thursday,
//!   November 26th.";
//! * a weekday gets its date: "Saturday is November 28th.", "Last Sunday was
//!   November 22nd.", "Wednesday next week is December 2nd.";
//! * a date gets its weekday: "December 25th is a Friday.";
//! * a weekday with a day of the month gets the next date having both: "The
//!   next Friday the 13th is August 13th, 2027.";
//! * anything else ("in 3 days", or no raw words at all, as when a slot comes
//!   from Home Assistant) gets the full date: "That's Saturday, November
//!   28th.";
//! * ranges say what they are when they are a weekend, a week or a month:
//!   "This weekend is Saturday, November 28th to Sunday, November 29th.",
//!   "Next month is December."
//!
//! Days before today are spoken in the past tense, and the year is said
//! whenever it is not the current one (once for a range within one year).

use hark_core::skill::{Outcome, Skill, SkillError, Turn};
use hark_core::SlotName;
use jiff::civil::{Date, Weekday};
use jiff::Zoned;

use crate::responses::{Localized, ResponseFile, Responses, Spec};
use crate::slots::{self, DateSlot};
use crate::spoken::{self, SpokenTime};
use crate::Error;

/// The keys of the clock's responses and the placeholders each one takes.
const SPEC: Spec = &[
    ("time", &["time"]),
    ("noon", &[]),
    ("midnight", &[]),
    ("today", &["date"]),
    ("tomorrow", &["date"]),
    ("yesterday", &["date"]),
    ("day_after_tomorrow", &["date"]),
    ("day_before_yesterday", &["date"]),
    ("day_is", &["date"]),
    ("day_was", &["date"]),
    ("weekday_is", &["weekday", "date"]),
    ("weekday_next_week", &["weekday", "date"]),
    ("weekday_last", &["weekday", "date"]),
    ("date_is", &["date", "weekday"]),
    ("date_was", &["date", "weekday"]),
    ("weekday_and_day", &["weekday", "day", "date"]),
    ("this_weekend", &["start", "end"]),
    ("next_weekend", &["start", "end"]),
    ("this_week", &["start", "end"]),
    ("next_week", &["start", "end"]),
    ("this_month", &["month"]),
    ("next_month", &["month"]),
    ("range_is", &["start", "end"]),
    ("range_was", &["start", "end"]),
];

const FILES: &[ResponseFile] = &[(
    "en",
    "clock/responses/en.yaml",
    include_str!("responses/en.yaml"),
)];

/// The clock skill.
#[derive(Debug, Clone)]
pub struct Clock {
    responses: Localized,
}

impl Clock {
    /// The skill's name.
    pub const NAME: &'static str = "clock";

    /// Builds the skill, checking its response files.
    pub fn new() -> Result<Self, Error> {
        Ok(Self {
            responses: Localized::new(Self::NAME, SPEC, FILES)?,
        })
    }
}

impl Skill for Clock {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn intents(&self) -> &[&'static str] {
        &["HassGetCurrentTime", "HassGetCurrentDate"]
    }

    fn handle(&self, turn: &Turn<'_>) -> Result<Outcome, SkillError> {
        let r = self.responses.get(turn.language);
        let now = turn.now.to_zoned(turn.household.tz());
        let speech = match turn.intent.name.as_str() {
            "HassGetCurrentTime" => time(r, &now),
            "HassGetCurrentDate" => {
                let said = turn
                    .intent
                    .raw
                    .get(&SlotName::new("date"))
                    .map(String::as_str);
                match slots::date(turn.intent, "date")? {
                    None => day(r, now.date(), now.date(), said),
                    Some(DateSlot::Day(d)) => day(r, now.date(), d, said),
                    Some(DateSlot::Range(start, end)) => range(r, now.date(), start, end, said),
                }
            }
            _ => return Err(slots::unsupported(Self::NAME, turn.intent)),
        };
        Ok(Outcome::say(speech))
    }
}

/// "It's 7:05 AM."
fn time(r: &Responses, now: &Zoned) -> String {
    match spoken::time(now.time()) {
        SpokenTime::Noon => r.render("noon", &[]),
        SpokenTime::Midnight => r.render("midnight", &[]),
        SpokenTime::Clock(t) => r.render("time", &[("time", &t)]),
    }
}

/// What the words of a date slot named, read from its raw text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Named {
    /// A weekday alone: "Saturday", "next Friday".
    Weekday,
    /// A date: "December 25th", "the 5th", "Christmas", "Friday December 25th".
    Date,
    /// A weekday and a day of the month, no month: "Friday the 13th".
    WeekdayAndDay,
    /// Anything else: "in 3 days", "a week from today", or no words.
    Other,
}

/// Lower-case words of `said`, without punctuation.
fn words(said: &str) -> Vec<String> {
    said.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn named(said: Option<&str>) -> Named {
    const WEEKDAYS: &[&str] = &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    // Month names (and the abbreviations the date parser reads) and fixed
    // holidays name a month.
    const MONTHS: &[&str] = &[
        "january",
        "jan",
        "february",
        "feb",
        "march",
        "mar",
        "april",
        "apr",
        "may",
        "june",
        "jun",
        "july",
        "jul",
        "august",
        "aug",
        "september",
        "sep",
        "sept",
        "october",
        "oct",
        "november",
        "nov",
        "december",
        "dec",
        "christmas",
        "halloween",
        "valentine's",
        "valentines",
        "new",
    ];
    const ORDINALS: &[&str] = &[
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
        "thirtieth",
    ];
    let Some(said) = said else {
        return Named::Other;
    };
    let words = words(said);
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    // "5th", "22nd": digits with an ordinal suffix. Bare digits are not
    // enough: "in 3 days" has one.
    let has_day = has(ORDINALS)
        || words.iter().any(|w| {
            let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            !digits.is_empty()
                && digits.chars().all(|c| c.is_ascii_digit())
                && matches!(&w[digits.len()..], "st" | "nd" | "rd" | "th")
        });
    match (has(WEEKDAYS), has(MONTHS), has_day) {
        (_, true, _) => Named::Date,
        (true, false, true) => Named::WeekdayAndDay,
        (true, false, false) => Named::Weekday,
        (false, false, true) => Named::Date,
        (false, false, false) => Named::Other,
    }
}

/// The answer about one day, `date`, asked `today`.
fn day(r: &Responses, today: Date, date: Date, said: Option<&str>) -> String {
    let with_year = date.year() != today.year();
    let full = spoken::full_date(date, with_year);
    let short = spoken::month_day(date, with_year);
    let weekday = spoken::weekday(date.weekday());
    let offset = (date - today).get_days();
    let past = date < today;
    match offset {
        0 => return r.render("today", &[("date", &full)]),
        1 => return r.render("tomorrow", &[("date", &full)]),
        -1 => return r.render("yesterday", &[("date", &full)]),
        _ => {}
    }
    match named(said) {
        Named::Weekday if past && offset >= -7 => {
            r.render("weekday_last", &[("weekday", weekday), ("date", &short)])
        }
        Named::Weekday if (2..=6).contains(&offset) => {
            r.render("weekday_is", &[("weekday", weekday), ("date", &short)])
        }
        Named::Weekday if (7..=13).contains(&offset) => r.render(
            "weekday_next_week",
            &[("weekday", weekday), ("date", &short)],
        ),
        Named::WeekdayAndDay if !past => r.render(
            "weekday_and_day",
            &[
                ("weekday", weekday),
                ("day", &spoken::ordinal(date.day().into())),
                ("date", &short),
            ],
        ),
        Named::Date => {
            let key = if past { "date_was" } else { "date_is" };
            r.render(key, &[("date", &short), ("weekday", weekday)])
        }
        _ => match offset {
            2 => r.render("day_after_tomorrow", &[("date", &full)]),
            -2 => r.render("day_before_yesterday", &[("date", &full)]),
            _ if past => r.render("day_was", &[("date", &full)]),
            _ => r.render("day_is", &[("date", &full)]),
        },
    }
}

/// Which range a pair of days is, for its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RangeName {
    ThisWeekend,
    NextWeekend,
    ThisWeek,
    NextWeek,
    ThisMonth,
    NextMonth,
}

/// Names the range `start..=end` asked `today`, from the words said when
/// there are any ("this week" on a Saturday is the same two days as "this
/// weekend"), else from its shape.
fn range_name(today: Date, start: Date, end: Date, said: Option<&str>) -> Option<RangeName> {
    let days = (end - start).get_days();
    let ahead = (start - today).get_days();
    let weekend = start.weekday() == Weekday::Saturday && days == 1;
    let whole_week = start.weekday() == Weekday::Monday && days == 6;
    let to_sunday = end.weekday() == Weekday::Sunday && days < 7;
    let whole_month = start.day() == 1 && end == start.last_of_month();
    let this_month = start == today && end == today.last_of_month();
    let next_month = whole_month && Some(start) == today.last_of_month().tomorrow().ok();
    let words = said.map(words).unwrap_or_default();
    let said_word = |w: &str| words.iter().any(|x| x == w);
    enum Kind {
        Weekend,
        Week,
        Month,
    }
    let kind = if said_word("weekend") {
        Kind::Weekend
    } else if said_word("week") {
        Kind::Week
    } else if said_word("month") {
        Kind::Month
    } else if weekend {
        Kind::Weekend
    } else if whole_week || (start == today && to_sunday) {
        Kind::Week
    } else if this_month || next_month {
        Kind::Month
    } else {
        return None;
    };
    // Check the days fit the name, whatever was said, so that a name never
    // contradicts the dates spoken after it.
    Some(match kind {
        Kind::Weekend if weekend && (0..=5).contains(&ahead) => RangeName::ThisWeekend,
        Kind::Weekend if weekend && (6..=12).contains(&ahead) => RangeName::NextWeekend,
        Kind::Week if start == today && to_sunday => RangeName::ThisWeek,
        Kind::Week if whole_week && (1..=7).contains(&ahead) => RangeName::NextWeek,
        Kind::Month if this_month => RangeName::ThisMonth,
        Kind::Month if next_month => RangeName::NextMonth,
        _ => return None,
    })
}

/// The answer about the days `start..=end`, asked `today`.
fn range(r: &Responses, today: Date, start: Date, end: Date, said: Option<&str>) -> String {
    if start == end {
        return day(r, today, start, said);
    }
    let with_year = |d: Date| d.year() != today.year();
    // The year once, at the end, when both days share it: "Monday, January
    // 4th to Sunday, January 10th, 2027".
    let first = spoken::full_date(start, with_year(start) && start.year() != end.year());
    let last = spoken::full_date(end, with_year(end));
    let span = [("start", first.as_str()), ("end", last.as_str())];
    match range_name(today, start, end, said) {
        Some(RangeName::ThisWeekend) => r.render("this_weekend", &span),
        Some(RangeName::NextWeekend) => r.render("next_weekend", &span),
        Some(RangeName::ThisWeek) => r.render("this_week", &span),
        Some(RangeName::NextWeek) => r.render("next_week", &span),
        Some(RangeName::ThisMonth) => r.render(
            "this_month",
            &[("month", &spoken::month_of(start, with_year(start)))],
        ),
        Some(RangeName::NextMonth) => r.render(
            "next_month",
            &[("month", &spoken::month_of(start, with_year(start)))],
        ),
        None if end < today => r.render("range_was", &span),
        None => r.render("range_is", &span),
    }
}

#[cfg(test)]
mod tests;
