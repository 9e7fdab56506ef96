//! From a sentence to what hark says: hark-nlu's built-in English grammar
//! parses, the built-in registry answers. This checks that the slots the
//! grammar really produces (and their raw words) are the ones the skills
//! read, which hand-built turns cannot.

use std::fmt::Write as _;

use hark_core::skill::Turn;
use hark_core::{Device, DeviceId, Household, HouseholdId, SessionId};
use hark_nlu::{builtin, entity, Matcher, ParseContext};
use hark_skills::Registry;
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// Parses and answers each sentence at `now` in `zone`, one line each.
fn conversation(zone: &str, now: &str, sentences: &[&str]) -> String {
    let matcher = Matcher::new(&builtin::grammar("en").unwrap()).unwrap();
    let registry = Registry::builtin().unwrap();
    let now: Timestamp = now.parse().unwrap();
    let created_at: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    let household = Household {
        id: HouseholdId::new("h1"),
        name: "Home".into(),
        time_zone: zone.into(),
        location: None,
        units: Default::default(),
        created_at,
    };
    let device = |id: &str, name: &str| Device {
        id: DeviceId::new(id),
        household: household.id.clone(),
        name: name.into(),
        created_at,
    };
    // Every turn is heard by the kitchen.
    let devices = [
        device("kitchen", "kitchen"),
        device("dev_bedroom", "bedroom"),
        device("dev_living", "living room"),
    ];
    let session = SessionId::new("s1");
    let context = ParseContext::new(entity::Context {
        now: now.to_zoned(TimeZone::get(zone).unwrap()),
    });
    let mut out = format!(
        "{zone}, {}\n",
        context.entities.now.strftime("%A %Y-%m-%d %H:%M:%S %:z")
    );
    for sentence in sentences {
        let parsed = matcher
            .parse(sentence, &context)
            .unwrap_or_else(|| panic!("{sentence:?} did not parse"));
        let intent = parsed.intent;
        let skill = registry
            .skill_for(&intent.name)
            .unwrap_or_else(|| panic!("no skill for {}", intent.name));
        let turn = Turn {
            intent: &intent,
            household: &household,
            device: &devices[0],
            session: &session,
            now,
            language: "en",
            confirmed: false,
            timers: &[],
            scheduled: &[],
            ringing: &[],
            devices: &devices,
            lists: &[],
            player: None,
            media: &[],
            weather: None,
        };
        let answer = skill.handle(&turn).unwrap();
        let effects = if answer.effects.is_empty() {
            String::new()
        } else {
            format!(" {:?}", answer.effects)
        };
        writeln!(out, "{sentence}\n  → {:?}{effects}", answer.speech).unwrap();
    }
    out
}

#[test]
fn the_corpus_questions_about_time_and_date() {
    // The corpus's reference instant: Wednesday 2026-11-25, 08:00 in Paris.
    insta::assert_snapshot!(conversation(
        "Europe/Paris",
        "2026-11-25T07:00:00Z",
        &[
            "what time is it",
            "What's the time?",
            "what's the date",
            "what day is it today",
            "what's the date tomorrow",
            "what day was yesterday",
            "what day of the week is december 25th",
            "what day does the 5th of december fall on",
            "what date is it on saturday",
            "what is the date on friday",
            "what date is next friday",
            "what day was last Sunday",
            "what date is friday the 13th",
            "what day is it on christmas",
            "what day of the week is February 29th",
            "what day of the week was December 25th 2025",
            "what day is it in 3 days",
            "what date is it a week from today",
            "what's the date this weekend",
            "what's the date next week",
        ],
    ));
}

#[test]
fn conversation_intents() {
    insta::assert_snapshot!(conversation(
        "Europe/Paris",
        "2026-11-25T07:00:00Z",
        &[
            "help",
            "what can you do",
            "stop",
            "be quiet",
            "never mind",
            "yes",
            "no thanks",
        ],
    ));
}

#[test]
fn around_midnight_on_new_years_eve_in_new_york() {
    insta::assert_snapshot!(conversation(
        "America/New_York",
        "2027-01-01T04:59:30Z",
        &[
            "what time is it",
            "what's the date",
            "what's the date tomorrow"
        ],
    ));
    insta::assert_snapshot!(conversation(
        "America/New_York",
        "2027-01-01T05:00:00Z",
        &[
            "what time is it",
            "what's the date",
            "what day was yesterday"
        ],
    ));
}

#[test]
fn naming_another_device() {
    insta::assert_snapshot!(conversation(
        "Europe/Paris",
        "2026-11-25T07:00:00Z",
        &[
            "set a timer for 5 minutes on the kitchen speaker",
            "set a timer for 5 minutes on the bedroom speaker",
            "set a pasta timer for 8 minutes in the living room",
            "set a pasta timer in the bedroom",
            "set a timer for 5 minutes in the garage",
            "wake me up at 7 am in the bedroom",
            "set an alarm for 6:30 on the bedroom speaker",
            "set an alarm for 7 every weekday on the garage speaker",
            "remind me to call mum at 6 on the living room speaker",
            "remind me to put the kettle on in 10 minutes",
        ],
    ));
}

#[test]
fn every_alarm_sound_can_be_said() {
    // The grammar's list of sounds is hark-core's ALARM_SOUNDS, said: a sound
    // added to one and not the other fails here.
    let matcher = Matcher::new(&builtin::grammar("en").unwrap()).unwrap();
    let now: Timestamp = "2026-11-25T07:00:00Z".parse().unwrap();
    let context = ParseContext::new(entity::Context {
        now: now.to_zoned(TimeZone::UTC),
    });
    for sound in hark_core::skill::ALARM_SOUNDS {
        let sentence = format!("set an alarm for 7 with {sound}");
        let parsed = matcher
            .parse(&sentence, &context)
            .unwrap_or_else(|| panic!("{sentence:?} did not parse"));
        assert_eq!(
            parsed.intent.slots.get("sound").and_then(|v| v.as_str()),
            Some(sound),
            "{sentence}"
        );
    }
    let unknown = matcher.parse("set an alarm for 7 with trumpets", &context);
    assert!(
        unknown.is_none_or(|parsed| !parsed.intent.slots.contains_key("sound")),
        "an unknown sound is not a sound"
    );
}
