//! The weather skill, from sentences parsed by the real grammar to what is
//! said, over a hand-made forecast for Paris from Wednesday 2026-11-25: dry
//! and grey today, rain on Thursday, a cold weekend with snow on Sunday.

use std::fmt::Write as _;

use hark_core::skill::Turn;
use hark_core::weather::{Condition, Current, Day, Forecast, Hour, Units, WeatherReport};
use hark_core::{Device, DeviceId, Household, HouseholdId, SessionId};
use hark_nlu::{builtin, entity, Matcher, ParseContext};
use hark_skills::Registry;
use jiff::civil::{date, Date};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

const NOW: &str = "2026-11-25T07:00:00Z";

/// (condition, min, max, chance of rain)
const DAYS: [(Condition, f64, f64, f64); 16] = [
    (Condition::Overcast, 4.2, 9.1, 10.0),
    (Condition::Rain, 6.8, 10.3, 90.0),
    (Condition::PartlyCloudy, 2.1, 7.5, 25.0),
    (Condition::MainlyClear, -1.6, 4.8, 5.0),
    (Condition::Snow, -2.9, 3.2, 40.0),
    (Condition::Overcast, 1.0, 6.0, 15.0),
    (Condition::Rain, 3.3, 8.4, 70.0),
    (Condition::RainShowers, 4.1, 9.0, 65.0),
    (Condition::PartlyCloudy, 2.8, 7.7, 20.0),
    (Condition::Fog, 1.9, 6.1, 10.0),
    (Condition::Overcast, 3.0, 7.0, 30.0),
    (Condition::Rain, 4.6, 8.8, 75.0),
    (Condition::MainlyClear, 0.2, 5.5, 5.0),
    (Condition::Clear, -1.1, 4.9, 0.0),
    (Condition::PartlyCloudy, 0.9, 6.3, 15.0),
    (Condition::Rain, 5.0, 9.4, 85.0),
];

fn forecast(units: Units) -> Forecast {
    let start = date(2026, 11, 25);
    let convert = |c: f64| match units {
        Units::Metric => c,
        Units::Imperial => c * 9.0 / 5.0 + 32.0,
    };
    let day = |i: usize| -> Date { start.checked_add((i as i64).days()).unwrap() };
    Forecast {
        place: "Paris".into(),
        units,
        current: Current {
            time: start.at(8, 0, 0, 0),
            temperature: convert(6.4),
            apparent_temperature: convert(3.9),
            condition: Condition::Overcast,
            wind_speed: 14.2,
            humidity: 81.0,
            precipitation: 0.0,
        },
        days: DAYS
            .iter()
            .enumerate()
            .map(|(i, &(condition, min, max, chance))| Day {
                date: day(i),
                min: convert(min),
                max: convert(max),
                condition,
                precipitation_probability: Some(chance),
                precipitation_sum: if chance > 50.0 { 4.0 } else { 0.0 },
                wind_max: 20.0,
            })
            .collect(),
        // Thursday morning is dry, its afternoon wet.
        hours: (0..16 * 24)
            .map(|h| {
                let (condition, min, max, chance) = DAYS[h / 24];
                let hour = (h % 24) as i8;
                let wet = chance > 50.0 && hour >= 12;
                Hour {
                    time: day(h / 24).at(hour, 0, 0, 0),
                    temperature: convert(min + (max - min) * f64::from(hour.min(15)) / 15.0),
                    condition: if wet || chance <= 50.0 {
                        condition
                    } else {
                        Condition::Overcast
                    },
                    precipitation_probability: Some(if wet || chance <= 50.0 {
                        chance
                    } else {
                        10.0
                    }),
                }
            })
            .collect(),
    }
}

/// Parses and answers each sentence with `report`, one line each.
fn conversation(report: &WeatherReport, sentences: &[&str]) -> String {
    let matcher = Matcher::new(&builtin::grammar("en").unwrap()).unwrap();
    let registry = Registry::builtin().unwrap();
    let now: Timestamp = NOW.parse().unwrap();
    let household = Household {
        id: HouseholdId::new("h1"),
        name: "Home".into(),
        time_zone: "Europe/Paris".into(),
        location: None,
        units: Units::Metric,
        created_at: now,
    };
    let device = Device {
        id: DeviceId::new("kitchen"),
        household: household.id.clone(),
        name: "kitchen".into(),
        created_at: now,
    };
    let session = SessionId::new("s1");
    let context = ParseContext::new(entity::Context {
        now: now.to_zoned(TimeZone::get("Europe/Paris").unwrap()),
    });
    let mut out = String::new();
    for sentence in sentences {
        let parsed = matcher
            .parse(sentence, &context)
            .unwrap_or_else(|| panic!("{sentence:?} did not parse"));
        let intent = parsed.intent;
        assert_eq!(intent.name.as_str(), "HassGetWeather", "{sentence}");
        let skill = registry.skill_for(&intent.name).unwrap();
        assert!(skill.needs(&intent).weather);
        let turn = Turn {
            intent: &intent,
            household: &household,
            device: &device,
            session: &session,
            now,
            language: "en",
            confirmed: false,
            timers: &[],
            scheduled: &[],
            ringing: &[],
            devices: &[],
            lists: &[],
            player: None,
            media: &[],
            weather: Some(report),
        };
        let answer = skill.handle(&turn).unwrap();
        writeln!(out, "{sentence}\n  → {}", answer.speech).unwrap();
    }
    out
}

fn say(report: &WeatherReport, sentence: &str) -> String {
    let line = conversation(report, &[sentence]);
    line.split_once("→ ").unwrap().1.trim_end().to_string()
}

#[test]
fn the_current_weather() {
    let report = WeatherReport::Forecast(forecast(Units::Metric));
    assert_eq!(
        say(&report, "what's the weather like"),
        "It's 6 degrees and overcast in Paris, and it feels like 4 degrees, with wind at 14 \
         kilometers per hour and 81% humidity."
    );
    assert_eq!(
        say(&report, "how cold is it outside"),
        "It's 6 degrees in Paris right now, and it feels like 4 degrees."
    );
}

#[test]
fn a_days_forecast_and_its_rain() {
    let report = WeatherReport::Forecast(forecast(Units::Metric));
    assert_eq!(
        say(&report, "what's the weather tomorrow"),
        "Tomorrow in Paris, expect rain, with a high of 10 degrees and a low of 7 degrees, and \
         a 90% chance of rain."
    );
    assert_eq!(
        say(&report, "will it rain tomorrow"),
        "Yes, rain is likely in Paris tomorrow, with a 90% chance."
    );
    assert_eq!(
        say(&report, "will it rain tomorrow morning"),
        "No, rain isn't expected in Paris tomorrow morning."
    );
    assert_eq!(
        say(&report, "will it rain on friday"),
        "Maybe: there's a 25% chance of rain in Paris on Friday."
    );
    assert_eq!(
        say(&report, "do I need an umbrella"),
        "No, you shouldn't need one: rain isn't expected in Paris today."
    );
    assert_eq!(
        say(&report, "do I need an umbrella tomorrow"),
        "Yes, take an umbrella: there's a 90% chance of rain in Paris tomorrow."
    );
}

#[test]
fn the_weekend_and_beyond() {
    let report = WeatherReport::Forecast(forecast(Units::Metric));
    assert_eq!(
        say(&report, "how cold will it be this weekend"),
        "This weekend in Paris, it'll be between minus 3 degrees and 5 degrees."
    );
    assert_eq!(
        say(&report, "will it snow this weekend"),
        "Yes, expect snow in Paris this weekend."
    );
    assert_eq!(
        say(&report, "what's the weather on december 25th"),
        "I can only forecast 16 days ahead, and December 25th is too far away."
    );
}

#[test]
fn in_imperial_units() {
    let report = WeatherReport::Forecast(forecast(Units::Imperial));
    assert_eq!(
        say(&report, "how warm is it"),
        "It's 44 degrees in Paris right now, and it feels like 39 degrees."
    );
    let current = say(&report, "what's the weather");
    assert!(current.contains("14 miles per hour"), "{current}");
}

#[test]
fn when_there_is_no_forecast() {
    assert_eq!(
        say(
            &WeatherReport::NoSuchPlace {
                name: "Atlantis".into()
            },
            "what's the weather in atlantis"
        ),
        "I couldn't find a place called Atlantis."
    );
    assert_eq!(
        say(&WeatherReport::Unavailable, "will it rain tomorrow"),
        "I can't reach the weather service right now."
    );
    let no_location = say(&WeatherReport::NoLocation, "what's the weather");
    assert!(
        no_location.contains("household's location"),
        "{no_location}"
    );
}

#[test]
fn the_usual_phrasings() {
    let report = WeatherReport::Forecast(forecast(Units::Metric));
    insta::assert_snapshot!(conversation(
        &report,
        &[
            "what's the weather",
            "what's the weather like today",
            "what's the forecast for tomorrow",
            "how's the weather looking this weekend",
            "what's the weather on saturday",
            "what's the weather next week",
            "what will the weather be like tomorrow afternoon",
            "what's the weather tonight",
            "is it raining",
            "will it rain today",
            "will it rain this afternoon",
            "is it going to rain on tuesday",
            "any chance of rain this weekend",
            "should I bring an umbrella tomorrow",
            "do I need a coat",
            "should I wear shorts tomorrow",
            "do I need sunscreen on thursday",
            "is it sunny",
            "will it be windy tomorrow",
            "will there be fog on december 4th",
            "will there be thunderstorms",
            "how hot will it be tomorrow",
            "is it humid",
            "what's the weather on sunday morning",
            "what's the weather in two weeks",
        ],
    ));
}
