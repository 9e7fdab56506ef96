//! The clock skill against tables of (zone, instant, intent, slots), each
//! answer reviewed by eye in its snapshot.

use std::fmt::Write as _;

use hark_core::skill::{Next, Skill};
use serde_json::{json, Value};

use super::*;
use crate::testing::{ask, intent, said, Home};

/// One row per question: the answer, after the zone and instant.
fn table(rows: &[(&str, &str, &str, Value, Value)]) -> String {
    let clock = Clock::new().unwrap();
    let mut out = String::new();
    for (zone, now, name, slots, raw) in rows {
        let i = said(name, slots.clone(), raw.clone());
        let answer = ask(&clock, zone, now, &i);
        assert!(answer.effects.is_empty());
        assert_eq!(answer.next, Next::End);
        let local = now
            .parse::<jiff::Timestamp>()
            .unwrap()
            .to_zoned(jiff::tz::TimeZone::get(zone).unwrap());
        let asked = match raw.get("date") {
            Some(words) => format!("{name} {slots} {words}"),
            None if slots.as_object().is_some_and(|s| !s.is_empty()) => {
                format!("{name} {slots}")
            }
            None => name.to_string(),
        };
        writeln!(
            out,
            "{zone} {now} ({} {})\n  {asked}\n  → {}",
            local.strftime("%a %Y-%m-%d %H:%M:%S"),
            local.strftime("%:z"),
            answer.speech
        )
        .unwrap();
    }
    out
}

fn time(
    zone: &'static str,
    now: &'static str,
) -> (&'static str, &'static str, &'static str, Value, Value) {
    (zone, now, "HassGetCurrentTime", json!({}), json!({}))
}

#[test]
fn time_of_day() {
    insta::assert_snapshot!(table(&[
        time("Europe/Paris", "2026-11-25T06:05:00Z"),
        time("Europe/Paris", "2026-11-25T06:05:59Z"),
        time("Europe/Paris", "2026-11-25T07:00:00Z"),
        time("Europe/Paris", "2026-11-25T10:59:59Z"),
        time("Europe/Paris", "2026-11-25T11:00:00Z"),
        time("Europe/Paris", "2026-11-25T11:00:59Z"),
        time("Europe/Paris", "2026-11-25T11:01:00Z"),
        time("Europe/Paris", "2026-11-25T11:45:00Z"),
        time("Europe/Paris", "2026-11-25T12:00:00Z"),
        time("Europe/Paris", "2026-11-25T18:30:00Z"),
        time("Europe/Paris", "2026-11-25T22:59:00Z"),
        time("Europe/Paris", "2026-11-25T23:00:00Z"),
        time("Europe/Paris", "2026-11-25T23:09:00Z"),
        time("Europe/Paris", "2026-11-25T23:30:00Z"),
        time("Europe/Paris", "2026-11-26T00:00:00Z"),
        time("UTC", "2026-12-31T23:59:59Z"),
        time("UTC", "2027-01-01T00:00:00Z"),
        time("Pacific/Auckland", "2026-12-31T11:00:00Z"),
        time("Asia/Kolkata", "2026-11-25T06:30:00Z"),
        time("Asia/Kathmandu", "2026-11-25T00:00:00Z"),
        time("America/Los_Angeles", "2026-11-26T07:59:00Z"),
    ]));
}

#[test]
fn time_on_daylight_saving_days() {
    insta::assert_snapshot!(table(&[
        // Paris springs forward at 01:00 UTC: 01:59 CET, then 03:00 CEST.
        time("Europe/Paris", "2026-03-29T00:30:00Z"),
        time("Europe/Paris", "2026-03-29T00:59:00Z"),
        time("Europe/Paris", "2026-03-29T01:00:00Z"),
        time("Europe/Paris", "2026-03-29T01:30:00Z"),
        time("Europe/Paris", "2026-03-29T10:00:00Z"),
        // Paris falls back at 01:00 UTC: 02:59 CEST, then 02:00 CET again.
        time("Europe/Paris", "2026-10-25T00:00:00Z"),
        time("Europe/Paris", "2026-10-25T00:30:00Z"),
        time("Europe/Paris", "2026-10-25T00:59:00Z"),
        time("Europe/Paris", "2026-10-25T01:00:00Z"),
        time("Europe/Paris", "2026-10-25T01:30:00Z"),
        time("Europe/Paris", "2026-10-25T11:00:00Z"),
        // New York springs forward at 07:00 UTC (2 AM EST becomes 3 AM EDT).
        time("America/New_York", "2026-03-08T06:59:00Z"),
        time("America/New_York", "2026-03-08T07:00:00Z"),
        time("America/New_York", "2026-03-08T16:00:00Z"),
        // And falls back at 06:00 UTC (2 AM EDT becomes 1 AM EST).
        time("America/New_York", "2026-11-01T05:30:00Z"),
        time("America/New_York", "2026-11-01T06:00:00Z"),
        time("America/New_York", "2026-11-01T06:30:00Z"),
        time("America/New_York", "2026-11-01T17:00:00Z"),
        // Lord Howe Island moves by half an hour, at 2 AM local.
        time("Australia/Lord_Howe", "2026-10-03T15:29:00Z"),
        time("Australia/Lord_Howe", "2026-10-03T15:30:00Z"),
    ]));
}

/// 08:00 on Wednesday, November 25th 2026, in Paris.
const WED: &str = "2026-11-25T07:00:00Z";

fn date(
    now: &'static str,
    day: Value,
    words: &'static str,
) -> (&'static str, &'static str, &'static str, Value, Value) {
    (
        "Europe/Paris",
        now,
        "HassGetCurrentDate",
        json!({ "date": day }),
        json!({ "date": words }),
    )
}

fn today(
    zone: &'static str,
    now: &'static str,
) -> (&'static str, &'static str, &'static str, Value, Value) {
    (zone, now, "HassGetCurrentDate", json!({}), json!({}))
}

#[test]
fn todays_date() {
    insta::assert_snapshot!(table(&[
        today("Europe/Paris", WED),
        // The household's day, not UTC's.
        today("Europe/Paris", "2026-11-25T22:59:59Z"),
        today("Europe/Paris", "2026-11-25T23:00:00Z"),
        today("America/Los_Angeles", "2026-11-26T07:59:59Z"),
        today("America/Los_Angeles", "2026-11-26T08:00:00Z"),
        // Daylight-saving days.
        today("Europe/Paris", "2026-03-28T23:30:00Z"),
        today("Europe/Paris", "2026-10-24T22:30:00Z"),
        today("America/New_York", "2026-11-01T04:30:00Z"),
        // Year rollover: Paris is in 2027 while UTC is not.
        today("Europe/Paris", "2026-12-31T22:59:00Z"),
        today("Europe/Paris", "2026-12-31T23:00:00Z"),
        // Leap day, and the days either side.
        today("UTC", "2028-02-28T12:00:00Z"),
        today("UTC", "2028-02-29T12:00:00Z"),
        today("UTC", "2028-03-01T12:00:00Z"),
        // Ordinals across a month.
        today("UTC", "2026-12-01T12:00:00Z"),
        today("UTC", "2026-12-02T12:00:00Z"),
        today("UTC", "2026-12-03T12:00:00Z"),
        today("UTC", "2026-12-04T12:00:00Z"),
        today("UTC", "2026-12-11T12:00:00Z"),
        today("UTC", "2026-12-12T12:00:00Z"),
        today("UTC", "2026-12-13T12:00:00Z"),
        today("UTC", "2026-12-21T12:00:00Z"),
        today("UTC", "2026-12-22T12:00:00Z"),
        today("UTC", "2026-12-23T12:00:00Z"),
        today("UTC", "2026-12-31T12:00:00Z"),
    ]));
}

#[test]
fn a_given_day() {
    insta::assert_snapshot!(table(&[
        // Counted from today.
        date(WED, json!("2026-11-25"), "today"),
        date(WED, json!("2026-11-26"), "tomorrow"),
        date(WED, json!("2026-11-24"), "yesterday"),
        date(WED, json!("2026-11-27"), "the day after tomorrow"),
        date(WED, json!("2026-11-23"), "day before yesterday"),
        date(WED, json!("2026-11-28"), "in 3 days"),
        date(WED, json!("2026-12-02"), "a week from today"),
        date(WED, json!("2026-12-09"), "in two weeks"),
        // Named by weekday.
        date(WED, json!("2026-11-28"), "on Saturday"),
        date(WED, json!("2026-11-27"), "next friday"),
        date(WED, json!("2026-11-26"), "Thursday"),
        date(WED, json!("2026-11-25"), "wednesday"),
        date(WED, json!("2026-12-02"), "next Wednesday"),
        date(WED, json!("2026-12-04"), "Friday next week"),
        date(WED, json!("2026-11-22"), "last Sunday"),
        date(WED, json!("2026-11-18"), "last wednesday"),
        date(WED, json!("2026-11-24"), "last Tuesday"),
        // Named by date.
        date(WED, json!("2026-12-25"), "December 25th"),
        date(WED, json!("2026-12-05"), "the 5th of December"),
        date(WED, json!("2026-12-05"), "on the 5th"),
        date(WED, json!("2026-12-24"), "the twenty fourth"),
        date(WED, json!("2026-12-01"), "December 1"),
        date(WED, json!("2026-12-25"), "on christmas"),
        date(WED, json!("2027-01-01"), "new year's day"),
        date(WED, json!("2026-11-25"), "the 25th"),
        date(WED, json!("2025-12-25"), "December 25th 2025"),
        date(WED, json!("2028-02-29"), "February 29th"),
        date(WED, json!("2026-12-25"), "Friday December 25th"),
        // A weekday with a day of the month.
        date(WED, json!("2027-08-13"), "Friday the 13th"),
        date(WED, json!("2026-12-21"), "Monday the twenty first"),
    ]));
}

#[test]
fn a_given_day_without_its_words() {
    // A `date` from Home Assistant, or filled by the dialogue, may come
    // without raw words: the full date then answers any question.
    let day = |now: &'static str, d: &str| {
        (
            "Europe/Paris",
            now,
            "HassGetCurrentDate",
            json!({ "date": d }),
            json!({}),
        )
    };
    insta::assert_snapshot!(table(&[
        day(WED, "2026-11-25"),
        day(WED, "2026-11-26"),
        day(WED, "2026-11-24"),
        day(WED, "2026-11-27"),
        day(WED, "2026-11-23"),
        day(WED, "2026-12-25"),
        day(WED, "2026-11-01"),
        day(WED, "2027-03-01"),
    ]));
}

#[test]
fn days_across_the_new_year_and_leap_day() {
    // 2026-12-31 is a Thursday; 08:00 in Paris.
    const NYE: &str = "2026-12-31T07:00:00Z";
    // 2027-01-01, 08:00 in Paris.
    const NYD: &str = "2027-01-01T07:00:00Z";
    insta::assert_snapshot!(table(&[
        date(NYE, json!("2027-01-01"), "tomorrow"),
        date(NYE, json!("2027-01-02"), "Saturday"),
        date(NYE, json!("2027-01-04"), "the 4th"),
        date(NYE, json!("2026-12-25"), "last Friday"),
        date(NYD, json!("2026-12-31"), "yesterday"),
        date(NYD, json!("2026-12-30"), "the day before yesterday"),
        date(NYD, json!("2026-12-27"), "last Sunday"),
        date(NYD, json!("2027-12-25"), "Christmas"),
        date("2028-02-28T07:00:00Z", json!("2028-02-29"), "tomorrow"),
        date("2028-03-01T07:00:00Z", json!("2028-02-29"), "yesterday"),
        date("2028-02-26T07:00:00Z", json!("2028-02-29"), "Tuesday"),
        date("2028-02-26T07:00:00Z", json!("2028-03-01"), "in 4 days"),
    ]));
}

#[test]
fn ranges_of_days() {
    // 2026-11-28 is a Saturday, 2026-11-29 a Sunday, 2026-12-28 a Monday.
    const SAT: &str = "2026-11-28T07:00:00Z";
    const SUN: &str = "2026-11-29T07:00:00Z";
    let span = |a: &str, b: &str| json!({"start": a, "end": b});
    insta::assert_snapshot!(table(&[
        date(WED, span("2026-11-28", "2026-11-29"), "this weekend"),
        date(WED, span("2026-12-05", "2026-12-06"), "next weekend"),
        date(WED, span("2026-11-25", "2026-11-29"), "this week"),
        date(WED, span("2026-11-30", "2026-12-06"), "next week"),
        date(WED, span("2026-11-25", "2026-11-30"), "this month"),
        date(WED, span("2026-12-01", "2026-12-31"), "next month"),
        // Said on a Saturday, "this week" and "this weekend" are the same days.
        date(SAT, span("2026-11-28", "2026-11-29"), "this weekend"),
        date(SAT, span("2026-11-28", "2026-11-29"), "this week"),
        date(SAT, span("2026-12-05", "2026-12-06"), "next weekend"),
        // On a Sunday, "this weekend" is today alone.
        date(SUN, span("2026-11-29", "2026-11-29"), "this weekend"),
        date(SUN, span("2026-12-05", "2026-12-06"), "next weekend"),
        date(SUN, span("2026-11-30", "2026-12-06"), "next week"),
        // Across the new year.
        date(
            "2026-12-28T07:00:00Z",
            span("2026-12-28", "2027-01-03"),
            "this week"
        ),
        date(
            "2026-12-30T07:00:00Z",
            span("2027-01-04", "2027-01-10"),
            "next week"
        ),
        date(
            "2026-12-30T07:00:00Z",
            span("2027-01-01", "2027-01-31"),
            "next month"
        ),
        // A leap February.
        date(
            "2028-01-15T07:00:00Z",
            span("2028-02-01", "2028-02-29"),
            "next month"
        ),
        // The first of a month: "this month" is the whole month.
        date(
            "2026-12-01T07:00:00Z",
            span("2026-12-01", "2026-12-31"),
            "this month"
        ),
        // Words that do not fit the days are not repeated.
        date(WED, span("2026-11-26", "2026-12-01"), "this weekend"),
        // No words: named by shape where it has one.
        (
            "Europe/Paris",
            WED,
            "HassGetCurrentDate",
            json!({"date": span("2026-11-28", "2026-11-29")}),
            json!({}),
        ),
        (
            "Europe/Paris",
            WED,
            "HassGetCurrentDate",
            json!({"date": span("2026-11-26", "2026-12-01")}),
            json!({}),
        ),
        (
            "Europe/Paris",
            WED,
            "HassGetCurrentDate",
            json!({"date": span("2026-11-02", "2026-11-08")}),
            json!({}),
        ),
    ]));
}

#[test]
fn a_malformed_date_is_an_error_not_a_guess() {
    let clock = Clock::new().unwrap();
    let home = Home::new("Europe/Paris");
    for bad in [json!("tomorrow"), json!(3), json!({"start": "2026-11-28"})] {
        let i = intent("HassGetCurrentDate", json!({ "date": bad }));
        let err = clock.handle(&home.turn(&i, WED)).unwrap_err();
        assert_eq!(err.code, "slot_invalid", "{bad}");
    }
}

#[test]
fn other_intents_are_refused() {
    let clock = Clock::new().unwrap();
    let home = Home::new("Europe/Paris");
    let i = intent("HassStartTimer", json!({}));
    let err = clock.handle(&home.turn(&i, WED)).unwrap_err();
    assert_eq!(err.code, "intent_unsupported");
}

#[test]
fn an_unknown_language_answers_in_english() {
    let clock = Clock::new().unwrap();
    let home = Home::new("Europe/Paris");
    let i = intent("HassGetCurrentTime", json!({}));
    for language in ["en", "en-GB", "de", "xx"] {
        let out = clock.handle(&home.turn_in(&i, WED, language)).unwrap();
        assert_eq!(out.speech, "It's 8 AM.", "{language}");
    }
}

#[test]
fn an_unknown_zone_answers_in_utc() {
    // Household::tz falls back to UTC; the answer follows it.
    let out = ask(
        &Clock::new().unwrap(),
        "Mars/Olympus_Mons",
        WED,
        &intent("HassGetCurrentTime", json!({})),
    );
    assert_eq!(out.speech, "It's 7 AM.");
}

#[test]
fn what_the_words_named() {
    assert_eq!(named(None), Named::Other);
    assert_eq!(named(Some("tomorrow")), Named::Other);
    assert_eq!(named(Some("in 3 days")), Named::Other);
    assert_eq!(named(Some("a week from tomorrow")), Named::Other);
    assert_eq!(named(Some("on Saturday")), Named::Weekday);
    assert_eq!(named(Some("Friday next week")), Named::Weekday);
    assert_eq!(named(Some("December 3rd")), Named::Date);
    assert_eq!(named(Some("the 22nd")), Named::Date);
    assert_eq!(named(Some("the third")), Named::Date);
    assert_eq!(named(Some("3 Dec 2027")), Named::Date);
    assert_eq!(named(Some("Valentine's Day")), Named::Date);
    assert_eq!(named(Some("new year's eve")), Named::Date);
    assert_eq!(named(Some("Friday, December 25th")), Named::Date);
    assert_eq!(named(Some("friday the 13th")), Named::WeekdayAndDay);
    assert_eq!(named(Some("Monday the twenty first")), Named::WeekdayAndDay);
}
