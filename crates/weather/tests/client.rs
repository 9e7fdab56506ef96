//! Geocoding, forecasts, the cache and every way the service can fail.

use std::sync::Arc;
use std::time::Duration;

use hark_core::weather::{Condition, Units};
use hark_core::{Location, ManualClock};
use hark_weather::testing::{closed_port, Answer, Replay, FORECAST_PARIS};
use hark_weather::{Client, Settings, WeatherError};
use jiff::civil::date;
use jiff::{SignedDuration, Timestamp};

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(
        "2026-11-25T07:00:00Z".parse::<Timestamp>().unwrap(),
    ))
}

fn client_for(url: &str, clock: Arc<ManualClock>) -> Client {
    Client::new(
        Settings {
            forecast_url: format!("{url}/v1/forecast"),
            geocoding_url: format!("{url}/v1/search"),
            timeout: Duration::from_millis(500),
            ..Settings::default()
        },
        clock,
    )
}

fn paris() -> Location {
    Location {
        name: "Paris".into(),
        latitude: 48.8566,
        longitude: 2.3522,
    }
}

#[test]
fn geocodes_a_name_and_finds_nothing_for_an_unknown_one() {
    let server = Replay::open_meteo();
    let client = client_for(&server.url(), clock());
    let lyon = client.geocode("Lyon").unwrap().expect("Lyon is on the map");
    assert_eq!(lyon.name, "Lyon");
    assert!((lyon.latitude - 45.748).abs() < 0.01, "{lyon:?}");
    assert_eq!(lyon.country.as_deref(), Some("France"));
    assert_eq!(lyon.admin1.as_deref(), Some("Auvergne-Rhône-Alpes"));
    assert_eq!(lyon.timezone.as_deref(), Some("Europe/Paris"));
    let asked = &server.requests()[0];
    assert_eq!(asked.path, "/v1/search");
    assert_eq!(asked.param("name"), "Lyon");
    assert_eq!(asked.param("language"), "en");

    assert_eq!(client.geocode("Atlantis").unwrap(), None);
    assert_eq!(client.geocode("   ").unwrap(), None);
    assert_eq!(server.count("/v1/search"), 2, "a blank name asks nothing");
}

#[test]
fn reads_a_metric_forecast() {
    let server = Replay::open_meteo();
    let client = client_for(&server.url(), clock());
    let forecast = client
        .forecast(&paris(), Units::Metric, "Europe/Paris")
        .unwrap();
    assert_eq!(forecast.place, "Paris");
    assert_eq!(forecast.units, Units::Metric);
    assert_eq!(forecast.current.temperature, 6.4);
    assert_eq!(forecast.current.apparent_temperature, 3.9);
    assert_eq!(forecast.current.condition, Condition::Overcast);
    assert_eq!(forecast.current.humidity, 81.0);
    assert_eq!(forecast.current.wind_speed, 14.2);
    assert_eq!(forecast.days.len(), 16);
    let thursday = forecast.day(date(2026, 11, 26)).unwrap();
    assert_eq!(thursday.condition, Condition::Rain);
    assert_eq!(thursday.precipitation_probability, Some(90.0));
    assert_eq!(thursday.precipitation_sum, 8.6);
    assert_eq!((thursday.min, thursday.max), (6.8, 10.3));
    assert_eq!(forecast.hours.len(), 16 * 24);
    assert_eq!(forecast.hours_of(date(2026, 11, 26), 6, 12).count(), 6);

    let asked = &server.requests()[0];
    assert_eq!(asked.path, "/v1/forecast");
    assert_eq!(asked.param("latitude"), "48.86", "rounded to 0.01°");
    assert_eq!(asked.param("longitude"), "2.35");
    assert_eq!(asked.param("timezone"), "Europe/Paris");
    assert_eq!(asked.param("forecast_days"), "16");
    assert!(asked.param("current").contains("weather_code"));
    assert!(asked
        .param("daily")
        .contains("precipitation_probability_max"));
    assert_eq!(asked.param("temperature_unit"), "", "metric is the default");
}

#[test]
fn asks_for_imperial_units() {
    let server = Replay::open_meteo();
    let client = client_for(&server.url(), clock());
    let forecast = client
        .forecast(&paris(), Units::Imperial, "Europe/Paris")
        .unwrap();
    assert_eq!(forecast.units, Units::Imperial);
    assert_eq!(forecast.current.temperature, 43.5);
    let asked = &server.requests()[0];
    assert_eq!(asked.param("temperature_unit"), "fahrenheit");
    assert_eq!(asked.param("wind_speed_unit"), "mph");
    assert_eq!(asked.param("precipitation_unit"), "inch");
}

#[test]
fn answers_again_from_the_cache_until_it_expires() {
    let server = Replay::open_meteo();
    let clock = clock();
    let client = client_for(&server.url(), clock.clone());
    client
        .forecast(&paris(), Units::Metric, "Europe/Paris")
        .unwrap();
    // A few metres away, the same forecast: no second request.
    let nearby = Location {
        name: "Home".into(),
        latitude: 48.8571,
        longitude: 2.3519,
    };
    let again = client
        .forecast(&nearby, Units::Metric, "Europe/Paris")
        .unwrap();
    assert_eq!(
        again.place, "Home",
        "the cached forecast carries the name asked for"
    );
    assert_eq!(server.count("/v1/forecast"), 1);
    // Other units are another forecast.
    client
        .forecast(&paris(), Units::Imperial, "Europe/Paris")
        .unwrap();
    assert_eq!(server.count("/v1/forecast"), 2);
    // Fifteen minutes on, it is asked again.
    clock.advance(SignedDuration::from_mins(15));
    client
        .forecast(&paris(), Units::Metric, "Europe/Paris")
        .unwrap();
    assert_eq!(server.count("/v1/forecast"), 3);

    // Places are kept for a day, names compared without case; so is "no such place".
    client.geocode("Lyon").unwrap();
    client.geocode(" lyon ").unwrap();
    client.geocode("Atlantis").unwrap();
    client.geocode("atlantis").unwrap();
    assert_eq!(server.count("/v1/search"), 2);
    clock.advance(SignedDuration::from_hours(23));
    client.geocode("LYON").unwrap();
    assert_eq!(server.count("/v1/search"), 2);
    clock.advance(SignedDuration::from_hours(1));
    client.geocode("Lyon").unwrap();
    assert_eq!(server.count("/v1/search"), 3);
}

#[test]
fn a_closed_port_is_unreachable() {
    let client = client_for(&closed_port(), clock());
    let error = client.forecast(&paris(), Units::Metric, "UTC").unwrap_err();
    assert!(
        matches!(error, WeatherError::Unreachable { .. }),
        "{error:?}"
    );
    let error = client.geocode("Lyon").unwrap_err();
    assert!(
        matches!(error, WeatherError::Unreachable { .. }),
        "{error:?}"
    );
}

#[test]
fn a_server_that_never_answers_times_out() {
    let server = Replay::start(|_| Answer::Hang);
    let client = client_for(&server.url(), clock());
    let error = client.forecast(&paris(), Units::Metric, "UTC").unwrap_err();
    assert_eq!(
        error,
        WeatherError::Timeout {
            url: format!("{}/v1/forecast", server.url()),
            millis: 500
        }
    );
    assert!(
        error.to_string().ends_with("no answer within 500 ms"),
        "{error}"
    );
    let error = client.geocode("Lyon").unwrap_err();
    assert!(matches!(error, WeatherError::Timeout { .. }), "{error:?}");
    // Nothing was cached: a working server is asked next time.
    assert_eq!(server.count("/v1/forecast"), 1);
}

#[test]
fn an_error_status_carries_open_meteos_reason() {
    let server = Replay::start(|request| match request.path.as_str() {
        "/v1/search" => Answer::Json(503, "<html>busy</html>".into()),
        _ => Answer::Json(400, hark_weather::testing::ERROR_BAD_REQUEST.into()),
    });
    let client = client_for(&server.url(), clock());
    let error = client.forecast(&paris(), Units::Metric, "UTC").unwrap_err();
    let WeatherError::Status { status, reason, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(*status, 400);
    assert!(
        reason.as_deref().unwrap().starts_with("Latitude must be"),
        "{reason:?}"
    );
    let error = client.geocode("Lyon").unwrap_err();
    assert!(
        matches!(
            error,
            WeatherError::Status {
                status: 503,
                reason: None,
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn malformed_answers_are_refused() {
    let truncated = FORECAST_PARIS[..FORECAST_PARIS.len() / 2].to_string();
    let short_column = FORECAST_PARIS.replacen(
        "\"precipitation_probability_max\": [10,",
        "\"precipitation_probability_max\": [",
        1,
    );
    assert_ne!(short_column, FORECAST_PARIS, "the fixture has the column");
    let bad_date = FORECAST_PARIS.replacen("\"2026-11-27\"", "\"2026-11-32\"", 1);
    let no_daily = r#"{"current": {"time": "2026-11-25T08:00", "temperature_2m": 1.0}}"#;
    for (what, body) in [
        ("truncated", truncated),
        ("a short column", short_column),
        ("a bad date", bad_date),
        ("no daily", no_daily.to_string()),
        ("not JSON", "Service Unavailable".to_string()),
    ] {
        let server = Replay::start(move |_| Answer::Json(200, body.clone()));
        let client = client_for(&server.url(), clock());
        let error = client.forecast(&paris(), Units::Metric, "UTC").unwrap_err();
        assert!(
            matches!(error, WeatherError::Malformed { .. }),
            "{what}: {error:?}"
        );
    }
    let server = Replay::start(|_| {
        Answer::Json(
            200,
            r#"{"results": [{"name": "Nowhere", "latitude": 123.0, "longitude": 0.0}]}"#.into(),
        )
    });
    let client = client_for(&server.url(), clock());
    let error = client.geocode("Nowhere").unwrap_err();
    assert!(matches!(error, WeatherError::Malformed { .. }), "{error:?}");
}
