//! Snapshot tables: many phrases per kind through the public [`parse`], at a
//! fixed now, so that a change in any rule shows up as a reviewable diff.
//!
//! Each table is plain text, one `phrase => value` line per phrase (`-` when
//! rejected), because a reviewer reads these by eye. Every value in the
//! stored snapshots was checked by hand against the rules in the module docs.

use super::{parse, Context, EntityKind};

/// Wednesday 25 November 2026, 08:00 in Paris (UTC+1, no DST).
const NOW: &str = "2026-11-25T08:00:00+01:00[Europe/Paris]";

fn table(kind: EntityKind, now: &str, phrases: &[&str]) -> String {
    let ctx = Context {
        now: now.parse().unwrap(),
    };
    let mut out = format!("now: {now}\n");
    for phrase in phrases {
        let words = crate::text::words(phrase);
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let value = parse(kind, &words, &ctx).map_or_else(|| "-".to_owned(), |v| v.to_string());
        out.push_str(&format!("{phrase:<42} => {value}\n"));
    }
    out
}

#[test]
fn numbers() {
    insta::assert_snapshot!(table(
        EntityKind::Number,
        NOW,
        &[
            "zero",
            "seven",
            "twenty five",
            "twenty-five",
            "25",
            "2.5",
            "1/2",
            "a dozen",
            "half a dozen",
            "two dozen",
            "a couple",
            "one and a half",
            "two hundred and three",
            "a hundred",
            "one thousand two hundred",
            "twelve hundred",
            "a million",
            "two point five",
            "minus five",
            "negative 3",
            "three quarters",
            "oh",
            "five five",
            "seven thirty",
            "a few",
            "the",
            "5th",
            "twenty five please",
        ],
    ));
}

#[test]
fn ordinals() {
    insta::assert_snapshot!(table(
        EntityKind::Ordinal,
        NOW,
        &[
            "first",
            "second",
            "third",
            "5th",
            "21st",
            "twenty third",
            "thirty-first",
            "one hundredth",
            "one hundred and first",
            "five",
            "the first",
            "0th",
            "first please",
        ],
    ));
}

#[test]
fn durations() {
    insta::assert_snapshot!(table(
        EntityKind::Duration,
        NOW,
        &[
            "five minutes",
            "five and a half minutes",
            "an hour and 15 minutes",
            "90 seconds",
            "half an hour",
            "an hour and a half",
            "a minute and a half",
            "1 hour 30 minutes",
            "two hours, ten minutes and five seconds",
            "quarter of an hour",
            "three quarters of an hour",
            "1.5 hours",
            "5 mins",
            "10 secs",
            "2 hrs",
            "a day",
            "3 days",
            "a week",
            "2.5 seconds",
            "a couple of minutes",
            "twenty-five minutes",
            "a few minutes",
            "five minutes please",
            "minutes",
            "0 seconds",
            "5 minutes 2 hours",
            "1 hour 30",
        ],
    ));
}

#[test]
fn times_in_the_morning() {
    insta::assert_snapshot!(table(EntityKind::Time, NOW, TIMES));
}

#[test]
fn times_in_the_evening() {
    // The same phrases at 20:00: bare hours move to the next morning.
    insta::assert_snapshot!(table(
        EntityKind::Time,
        "2026-11-25T20:00:00+01:00[Europe/Paris]",
        TIMES
    ));
}

const TIMES: &[&str] = &[
    "7:30",
    "7",
    "at 7",
    "seven",
    "seven thirty",
    "7 30",
    "7pm",
    "7:30am",
    "7 p.m.",
    "8",
    "8:00",
    "half past seven",
    "half past seven in the evening",
    "quarter to eight",
    "quarter past 8",
    "ten to six",
    "twenty past nine in the morning",
    "noon",
    "midday",
    "midnight",
    "seven o'clock",
    "7 o'clock in the morning",
    "19:45",
    "07:30",
    "12 am",
    "12 pm",
    "10 at night",
    "for 6 am",
    "25:00",
    "7:75",
    "7:99",
    "13 pm",
    "thirteen pm",
    "tonight at 8",
    "seven please",
];

#[test]
fn dates() {
    insta::assert_snapshot!(table(
        EntityKind::Date,
        NOW,
        &[
            "today",
            "tomorrow",
            "the day after tomorrow",
            "yesterday",
            "monday",
            "on monday",
            "wednesday",
            "next tuesday",
            "next wednesday",
            "this friday",
            "last friday",
            "on the 5th",
            "the fifth",
            "the 25th",
            "december 3rd",
            "3rd of december",
            "december the third",
            "dec 3",
            "december 3 2027",
            "november 24th",
            "february 29th",
            "christmas",
            "new year's day",
            "this weekend",
            "next weekend",
            "in 3 days",
            "in a week",
            "next week",
            "this week",
            "next month",
            "february 30th",
            "in 2 hours",
            "tomorrow please",
            "the",
        ],
    ));
}

#[test]
fn date_times() {
    insta::assert_snapshot!(table(
        EntityKind::DateTime,
        NOW,
        &[
            "half past seven",
            "in twenty minutes",
            "in an hour and a half",
            "in 2 hours",
            "in 3 days",
            "20 minutes from now",
            "tomorrow at 7",
            "tomorrow at 3",
            "at 7 tomorrow",
            "next tuesday at noon",
            "tonight at 8",
            "this evening at 7",
            "tomorrow morning",
            "tomorrow at 7:30 in the evening",
            "on december 3rd at 5 pm",
            "on monday at 7",
            "wednesday at 7 am",
            "today at 7",
            "in the morning",
            "tonight",
            "tomorrow at midnight",
            "tomorrow",
            "this weekend at 7",
            "in a few minutes",
            "tomorrow at 7 please",
        ],
    ));
}

#[test]
fn recurrences() {
    insta::assert_snapshot!(table(
        EntityKind::Recurrence,
        NOW,
        &[
            "every day",
            "daily",
            "every weekday",
            "weekdays",
            "on weekdays",
            "every weekend",
            "on weekends",
            "on mondays and wednesdays",
            "every monday",
            "mondays",
            "every monday and friday at 7",
            "every day at 7",
            "every day at 3",
            "every morning at 6:30",
            "every night at 10",
            "every other day",
            "every weekday morning",
            "on monday",
            "every day please",
        ],
    ));
}
