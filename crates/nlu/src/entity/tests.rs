//! Tests of the public entry points: connectors, value shapes, clock edge
//! cases (daylight saving, midnight, leap days, year ends) and robustness.

use super::*;
use serde_json::json;

fn ctx(now: &str) -> Context {
    Context {
        now: now.parse().unwrap(),
    }
}

fn p(kind: EntityKind, now: &str, text: &str) -> Option<Value> {
    let words = crate::text::words(text);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    parse(kind, &words, &ctx(now))
}

const NOW: &str = "2026-11-25T08:00:00+01:00[Europe/Paris]";

#[test]
fn kind_names_round_trip() {
    for kind in EntityKind::ALL {
        assert_eq!(EntityKind::from_name(kind.name()), Some(kind));
    }
    assert_eq!(
        EntityKind::from_name("datetime"),
        Some(EntityKind::DateTime)
    );
    assert_eq!(EntityKind::from_name("nope"), None);
}

#[test]
fn numbers_are_integers_when_whole() {
    assert_eq!(p(EntityKind::Number, NOW, "twenty-five"), Some(json!(25)));
    assert!(p(EntityKind::Number, NOW, "25").unwrap().is_i64());
    assert!(p(EntityKind::Number, NOW, "1.5").unwrap().is_f64());
    assert_eq!(p(EntityKind::Duration, NOW, "an hour"), Some(json!(3600)));
    assert!(p(EntityKind::Duration, NOW, "2.5 seconds")
        .unwrap()
        .is_f64());
    assert_eq!(parse_number(&["one", "and", "a", "half"]), Some(1.5));
    assert_eq!(parse_number(&[]), None);
    assert_eq!(json_number(f64::NAN), None);
    assert_eq!(json_number(f64::INFINITY), None);
    assert_eq!(json_number(1e300), Some(json!(1e300)));
    assert_eq!(json_number(-0.0), Some(json!(0)));
}

#[test]
fn leading_connectors_are_optional_and_kind_specific() {
    let t = |s| p(EntityKind::Time, NOW, s);
    assert!(t("7 pm").is_some());
    assert_eq!(t("at 7 pm"), t("7 pm"));
    assert_eq!(t("for 7 pm"), t("7 pm"));
    assert_eq!(t("on 7 pm"), None);
    assert_eq!(t("at"), None);
    assert_eq!(t("at at 7"), None);
    let d = |s| p(EntityKind::Date, NOW, s);
    assert!(d("monday").is_some());
    assert_eq!(d("on monday"), d("monday"));
    assert_eq!(d("for tomorrow"), d("tomorrow"));
    assert_eq!(d("at monday"), None);
    let dt = |s| p(EntityKind::DateTime, NOW, s);
    assert!(dt("monday at 7").is_some());
    assert_eq!(dt("on monday at 7"), dt("monday at 7"));
    assert_eq!(dt("at 7 on monday"), dt("monday at 7"));
    assert_eq!(dt("for tomorrow at 7"), dt("tomorrow at 7"));
    assert_eq!(dt("at one tomorrow"), dt("tomorrow at 1"));
}

/// "Remind me to put the kettle on in 10 minutes": the "on" belongs to the
/// task, so a connector followed by another one is no entity.
#[test]
fn one_connector_not_two() {
    let dt = |s| p(EntityKind::DateTime, NOW, s);
    assert!(dt("in 10 minutes").is_some());
    assert!(dt("in the morning").is_some());
    for twice in [
        "on in 10 minutes",
        "on in the morning",
        "for in 10 minutes",
        "on at 6",
        "at on monday",
    ] {
        assert_eq!(dt(twice), None, "{twice}");
    }
    assert_eq!(p(EntityKind::Date, NOW, "on in 2 days"), None);
    assert_eq!(p(EntityKind::Time, NOW, "for at 7"), None);
}

#[test]
fn time_across_spring_forward() {
    // Paris skips 02:00-03:00 on 2026-03-29; "2:30" tonight is 03:30.
    let now = "2026-03-29T01:00:00+01:00[Europe/Paris]";
    assert_eq!(
        p(EntityKind::Time, now, "2:30 am"),
        Some(json!("2026-03-29T03:30:00+02:00[Europe/Paris]"))
    );
    assert_eq!(
        p(EntityKind::Time, now, "7 am"),
        Some(json!("2026-03-29T07:00:00+02:00[Europe/Paris]"))
    );
    // New York skips 02:00-03:00 on 2026-03-08.
    let now = "2026-03-07T23:00:00-05:00[America/New_York]";
    assert_eq!(
        p(EntityKind::Time, now, "2:30 am"),
        Some(json!("2026-03-08T03:30:00-04:00[America/New_York]"))
    );
    assert_eq!(
        p(EntityKind::DateTime, now, "in 4 hours"),
        Some(json!("2026-03-08T04:00:00-04:00[America/New_York]"))
    );
}

#[test]
fn time_across_fall_back() {
    // New York repeats 01:00-02:00 on 2026-11-01; 01:30 is the first one.
    let now = "2026-11-01T00:10:00-04:00[America/New_York]";
    assert_eq!(
        p(EntityKind::Time, now, "1:30 am"),
        Some(json!("2026-11-01T01:30:00-04:00[America/New_York]"))
    );
    // Paris repeats 02:00-03:00 on 2026-10-25; "in 2 hours" is elapsed.
    let now = "2026-10-25T01:30:00+02:00[Europe/Paris]";
    assert_eq!(
        p(EntityKind::DateTime, now, "in 2 hours"),
        Some(json!("2026-10-25T02:30:00+01:00[Europe/Paris]"))
    );
    assert_eq!(
        p(EntityKind::DateTime, now, "tomorrow at 7"),
        Some(json!("2026-10-26T07:00:00+01:00[Europe/Paris]"))
    );
}

#[test]
fn midnight_and_noon() {
    let now = "2026-11-25T23:59:30+01:00[Europe/Paris]";
    assert_eq!(
        p(EntityKind::Time, now, "midnight"),
        Some(json!("2026-11-26T00:00:00+01:00[Europe/Paris]"))
    );
    // Exactly now is not "next": 12:00:00 said at 12:00:00 is tomorrow.
    let now = "2026-11-25T12:00:00+01:00[Europe/Paris]";
    assert_eq!(
        p(EntityKind::Time, now, "noon"),
        Some(json!("2026-11-26T12:00:00+01:00[Europe/Paris]"))
    );
    assert_eq!(
        p(EntityKind::Time, now, "12 pm"),
        Some(json!("2026-11-26T12:00:00+01:00[Europe/Paris]"))
    );
    // Same minute, a few seconds later: the bare 12 becomes midnight.
    let now = "2026-11-25T12:00:20+01:00[Europe/Paris]";
    assert_eq!(
        p(EntityKind::Time, now, "12:00"),
        Some(json!("2026-11-26T00:00:00+01:00[Europe/Paris]"))
    );
}

#[test]
fn next_friday_on_a_friday() {
    let fri = "2026-11-27T10:00:00+01:00[Europe/Paris]";
    assert_eq!(
        p(EntityKind::Date, fri, "next friday"),
        Some(json!("2026-12-04"))
    );
    assert_eq!(
        p(EntityKind::Date, fri, "friday"),
        Some(json!("2026-11-27"))
    );
    assert_eq!(
        p(EntityKind::DateTime, fri, "next friday at 9"),
        Some(json!("2026-12-04T09:00:00+01:00[Europe/Paris]"))
    );
}

#[test]
fn leap_days_and_year_ends() {
    let feb28 = "2028-02-28T10:00:00+01:00[Europe/Paris]";
    assert_eq!(
        p(EntityKind::Date, feb28, "tomorrow"),
        Some(json!("2028-02-29"))
    );
    assert_eq!(
        p(EntityKind::Date, feb28, "february 29th"),
        Some(json!("2028-02-29"))
    );
    assert_eq!(
        p(EntityKind::Date, feb28, "in 2 days"),
        Some(json!("2028-03-01"))
    );
    let feb29 = "2028-02-29T10:00:00+01:00[Europe/Paris]";
    assert_eq!(
        p(EntityKind::Date, feb29, "february 29th"),
        Some(json!("2028-02-29"))
    );
    assert_eq!(
        p(EntityKind::Date, feb29, "the 29th"),
        Some(json!("2028-02-29"))
    );
    let mar1 = "2028-03-01T10:00:00+01:00[Europe/Paris]";
    assert_eq!(
        p(EntityKind::Date, mar1, "february 29th"),
        Some(json!("2032-02-29"))
    );
    let dec31 = "2026-12-31T22:00:00+01:00[Europe/Paris]";
    assert_eq!(
        p(EntityKind::Date, dec31, "january 2nd"),
        Some(json!("2027-01-02"))
    );
    assert_eq!(
        p(EntityKind::Date, dec31, "tomorrow"),
        Some(json!("2027-01-01"))
    );
    assert_eq!(
        p(EntityKind::DateTime, dec31, "in 3 hours"),
        Some(json!("2027-01-01T01:00:00+01:00[Europe/Paris]"))
    );
    assert_eq!(
        p(EntityKind::Time, dec31, "7"),
        Some(json!("2027-01-01T07:00:00+01:00[Europe/Paris]"))
    );
}

#[test]
fn spans_must_be_whole() {
    for kind in EntityKind::ALL {
        assert_eq!(parse(kind, &[], &ctx(NOW)), None, "{kind:?}");
    }
    assert_eq!(p(EntityKind::Duration, NOW, "five minutes please"), None);
    assert!(p(EntityKind::Duration, NOW, "five minutes").is_some());
    let long = ["one"; MAX_WORDS + 1];
    assert_eq!(parse(EntityKind::Number, &long, &ctx(NOW)), None);
    // Eleven words is still read.
    let words = crate::text::words("an hour and a half and five minutes and ten seconds");
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    assert_eq!(words.len(), 11);
    assert_eq!(
        parse(EntityKind::Duration, &words, &ctx(NOW)),
        Some(json!(5710))
    );
}

/// Throws every kind at spans of words drawn from a vocabulary of the
/// parsers' own keywords and junk, at ordinary and extreme nows; none may
/// panic, and every accepted value must have its kind's shape.
#[test]
fn never_panics_on_word_salad() {
    const VOCAB: &[&str] = &[
        "",
        "a",
        "an",
        "and",
        "the",
        "at",
        "on",
        "for",
        "in",
        "of",
        "to",
        "past",
        "half",
        "quarter",
        "quarters",
        "three",
        "twelve",
        "twenty",
        "one",
        "hundred",
        "thousand",
        "trillion",
        "point",
        "minus",
        "dozen",
        "couple",
        "7",
        "07",
        "12",
        "0",
        "24",
        "99",
        "7:30",
        "23:59",
        "0:00",
        "2.5",
        "1/2",
        "1/0",
        "5th",
        "31st",
        "0th",
        "am",
        "pm",
        "p",
        "m",
        "o'clock",
        "noon",
        "midnight",
        "morning",
        "evening",
        "night",
        "tonight",
        "this",
        "next",
        "last",
        "every",
        "other",
        "day",
        "days",
        "week",
        "weeks",
        "hours",
        "minutes",
        "seconds",
        "from",
        "now",
        "time",
        "today",
        "tomorrow",
        "monday",
        "fridays",
        "weekend",
        "weekdays",
        "december",
        "february",
        "29th",
        "30th",
        "2027",
        "9999",
        "christmas",
        "new",
        "year's",
        "daily",
        "99999999999999999999",
        "999999999999999999",
        "é",
        "%",
    ];
    // The ends of jiff's range are included so that every date step that
    // can overflow is exercised.
    let nows = [
        NOW,
        "2026-03-29T01:59:59+01:00[Europe/Paris]",
        "2026-11-01T01:30:00-05:00[America/New_York]",
        "9999-12-30T21:00:00+00:00[UTC]",
        "-009999-01-03T00:00:00+00:00[UTC]",
    ];
    let ctxs: Vec<Context> = nows.iter().map(|n| ctx(n)).collect();
    // A fixed linear congruential generator: the same salad every run.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize
    };
    let mut accepted = 0;
    for _ in 0..4000 {
        let len = 1 + next() % MAX_WORDS;
        let words: Vec<&str> = (0..len).map(|_| VOCAB[next() % VOCAB.len()]).collect();
        for c in &ctxs {
            for kind in EntityKind::ALL {
                let Some(v) = parse(kind, &words, c) else {
                    continue;
                };
                accepted += 1;
                let ok = match kind {
                    EntityKind::Number | EntityKind::Duration => v.is_number(),
                    EntityKind::Ordinal => v.as_u64().is_some_and(|n| n >= 1),
                    EntityKind::Time | EntityKind::DateTime => {
                        v.as_str().is_some_and(|s| s.parse::<Zoned>().is_ok())
                    }
                    EntityKind::Date => v.is_string() || v.get("start").is_some(),
                    EntityKind::Recurrence => v.get("weekdays").is_some(),
                };
                assert!(ok, "{kind:?} {words:?} gave {v}");
            }
        }
    }
    // The salad is not all rejected, so the shape checks did run.
    assert!(accepted > 100, "{accepted}");
}
