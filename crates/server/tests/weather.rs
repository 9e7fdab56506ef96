//! The weather through `/v1/converse`, against a local server that replays
//! Open-Meteo's documented answers (the household is in Paris, the clock at
//! Wednesday 2026-11-25, 08:00 there): current conditions, a named place,
//! the weekend, imperial units, a place that does not exist, and a service
//! that is down, hangs or answers nonsense.

use hark_weather::testing::{closed_port, Answer, Replay};
use serde_json::json;

use crate::timers::{say_on, start_with, Running};

/// The server with the weather service at `url`, a short deadline, and a
/// household in Paris.
fn start(name: &str, url: &str) -> Running {
    let r = start_with(&format!("weather-{name}"), |config| {
        config.weather_forecast_url = format!("{url}/v1/forecast");
        config.weather_geocoding_url = format!("{url}/v1/search");
        config.weather_timeout_ms = 300;
    });
    let (status, household) = r.call(
        "PATCH",
        "/v1/household",
        Some(json!({
            "time_zone": "Europe/Paris",
            "location": {"name": "Paris", "latitude": 48.8566, "longitude": 2.3522}
        })),
    );
    assert_eq!(status, 200, "{household}");
    assert_eq!(household["units"], "metric");
    r
}

fn speech(r: &Running, text: &str) -> String {
    let answer = say_on(r, "default", text, None);
    answer["speech"].as_str().unwrap_or_default().to_string()
}

#[test]
fn the_weather_at_home_now() {
    let service = Replay::open_meteo();
    let r = start("now", &service.url());
    assert_eq!(
        speech(&r, "what's the weather like"),
        "It's 6 degrees and overcast in Paris, and it feels like 4 degrees, with wind at 14 \
         kilometers per hour and 81% humidity."
    );
    let asked = &service.requests()[0];
    assert_eq!(asked.path, "/v1/forecast");
    assert_eq!(asked.param("latitude"), "48.86");
    assert_eq!(asked.param("timezone"), "Europe/Paris");
}

#[test]
fn will_it_rain_in_lyon_tomorrow() {
    let service = Replay::open_meteo();
    let r = start("lyon", &service.url());
    assert_eq!(
        speech(&r, "will it rain in Lyon tomorrow"),
        "Yes, rain is likely in Lyon tomorrow, with an 80% chance."
    );
    assert_eq!(service.requests()[0].param("name"), "Lyon");
    assert_eq!(service.requests()[1].param("latitude"), "45.75");
    assert_eq!(
        speech(&r, "what's the weather in Lyon on saturday"),
        "On Saturday in Lyon, expect clear skies, with a high of 6 degrees and a low of minus 2 \
         degrees."
    );
}

#[test]
fn how_cold_this_weekend_and_an_umbrella_today() {
    let service = Replay::open_meteo();
    let r = start("weekend", &service.url());
    assert_eq!(
        speech(&r, "how cold will it be this weekend"),
        "This weekend in Paris, it'll be between minus 3 degrees and 5 degrees."
    );
    assert_eq!(
        speech(&r, "do I need an umbrella"),
        "No, you shouldn't need one: rain isn't expected in Paris today."
    );
    assert_eq!(
        speech(&r, "do I need an umbrella tomorrow"),
        "Yes, take an umbrella: there's a 90% chance of rain in Paris tomorrow."
    );
    assert_eq!(
        speech(&r, "what's the weather on december 25th"),
        "I can only forecast 16 days ahead, and December 25th is too far away."
    );
}

#[test]
fn an_imperial_household_hears_fahrenheit_and_miles() {
    let service = Replay::open_meteo();
    let r = start("imperial", &service.url());
    let (status, household) = r.call("PATCH", "/v1/household", Some(json!({"units": "imperial"})));
    assert_eq!(status, 200, "{household}");
    assert_eq!(household["units"], "imperial");
    assert_eq!(household["location"]["name"], "Paris", "the rest is kept");
    assert_eq!(
        speech(&r, "what's the weather"),
        "It's 44 degrees and overcast in Paris, and it feels like 39 degrees, with wind at 9 \
         miles per hour and 81% humidity."
    );
    assert_eq!(
        service.requests()[0].param("temperature_unit"),
        "fahrenheit"
    );
    let (status, refused) = r.call("PATCH", "/v1/household", Some(json!({"units": "kelvin"})));
    assert_eq!(status, 400, "{refused}");
}

#[test]
fn a_place_that_does_not_exist() {
    let service = Replay::open_meteo();
    let r = start("atlantis", &service.url());
    assert_eq!(
        speech(&r, "what's the weather in Atlantis"),
        "I couldn't find a place called Atlantis."
    );
    assert_eq!(service.count("/v1/forecast"), 0);
}

#[test]
fn a_household_without_a_location_is_told_how_to_set_it() {
    let service = Replay::open_meteo();
    let r = start("nowhere", &service.url());
    let (status, _) = r.call("PATCH", "/v1/household", Some(json!({"location": null})));
    assert_eq!(status, 200);
    let answer = speech(&r, "what's the weather");
    assert!(
        answer.starts_with("I don't know where home is yet. Set the household's location"),
        "{answer}"
    );
    assert!(service.requests().is_empty());
    // A named place still works.
    assert!(speech(&r, "will it rain in Lyon tomorrow").starts_with("Yes"));
}

#[test]
fn a_service_that_is_down_is_said_in_one_sentence() {
    let r = start("down", &closed_port());
    assert_eq!(
        speech(&r, "what's the weather"),
        "I can't reach the weather service right now."
    );
    assert_eq!(
        speech(&r, "will it rain in Lyon tomorrow"),
        "I can't reach the weather service right now."
    );
}

#[test]
fn a_service_that_never_answers_does_not_hang_the_conversation() {
    // It accepts and reads each request but never answers: only the
    // configured deadline (300 ms) lets these turns complete.
    let service = Replay::start(|_| Answer::Hang);
    let r = start("hang", &service.url());
    assert_eq!(
        speech(&r, "do I need an umbrella"),
        "I can't reach the weather service right now."
    );
    assert_eq!(
        speech(&r, "what's the weather in Lyon"),
        "I can't reach the weather service right now."
    );
    assert_eq!(service.count("/v1/forecast"), 1);
    assert_eq!(service.count("/v1/search"), 1);
}

#[test]
fn a_second_question_is_answered_from_the_cache() {
    let service = Replay::open_meteo();
    let r = start("cache", &service.url());
    speech(&r, "what's the weather");
    speech(&r, "do I need an umbrella");
    speech(&r, "how cold will it be this weekend");
    assert_eq!(service.count("/v1/forecast"), 1);
    speech(&r, "will it rain in Lyon tomorrow");
    speech(&r, "what's the weather in lyon");
    assert_eq!(service.count("/v1/search"), 1);
    assert_eq!(service.count("/v1/forecast"), 2);
    // A quarter of an hour later the forecast is asked for again.
    r.advance(15 * 60);
    speech(&r, "what's the weather");
    assert_eq!(service.count("/v1/forecast"), 3);
}

#[test]
fn a_malformed_answer_is_the_service_unavailable() {
    let service = Replay::start(|request| match request.path.as_str() {
        "/v1/forecast" => Answer::Json(200, r#"{"current": {"time": "yesterday"}"#.into()),
        _ => hark_weather::testing::open_meteo(request),
    });
    let r = start("malformed", &service.url());
    assert_eq!(
        speech(&r, "what's the weather"),
        "I can't reach the weather service right now."
    );
    // The turn after it is answered as usual (nothing was cached).
    assert_eq!(
        speech(&r, "what's the weather"),
        "I can't reach the weather service right now."
    );
    assert_eq!(service.count("/v1/forecast"), 2);
}
