//! Open-Meteo's JSON, as its documentation describes it, read into hark's
//! types.
//!
//! The forecast arrives column-wise: `daily.time` lists the dates and each
//! variable is an array of the same length (`null` where the model has no
//! value). Columns of different lengths, times that do not parse, or a
//! missing variable that was asked for make the whole answer malformed: a
//! wrong forecast is worse than none. A day or hour without temperatures ends
//! the series there (the far end of a forecast can be cut short).

use hark_core::weather::{Condition, Current, Day, Forecast, Hour, Units};
use jiff::civil::{Date, DateTime};
use serde::Deserialize;

use crate::Place;

/// The current variables asked for.
pub(crate) const CURRENT: &str =
    "temperature_2m,relative_humidity_2m,apparent_temperature,precipitation,weather_code,wind_speed_10m";
/// The daily variables asked for.
pub(crate) const DAILY: &str = "weather_code,temperature_2m_max,temperature_2m_min,precipitation_sum,precipitation_probability_max,wind_speed_10m_max";
/// The hourly variables asked for.
pub(crate) const HOURLY: &str = "temperature_2m,precipitation_probability,weather_code";

#[derive(Deserialize)]
struct Search {
    /// Absent when nothing matched.
    #[serde(default)]
    results: Vec<SearchResult>,
}

#[derive(Deserialize)]
struct SearchResult {
    name: String,
    latitude: f64,
    longitude: f64,
    country: Option<String>,
    admin1: Option<String>,
    timezone: Option<String>,
}

/// The places of a geocoding answer, best first.
pub(crate) fn places(body: &str) -> Result<Vec<Place>, String> {
    let search: Search = serde_json::from_str(body).map_err(|e| e.to_string())?;
    search
        .results
        .into_iter()
        .map(|r| {
            let valid = (-90.0..=90.0).contains(&r.latitude)
                && (-180.0..=180.0).contains(&r.longitude)
                && !r.name.trim().is_empty();
            if !valid {
                return Err(format!(
                    "a place {:?} at {}, {} is not on Earth",
                    r.name, r.latitude, r.longitude
                ));
            }
            Ok(Place {
                name: r.name,
                latitude: r.latitude,
                longitude: r.longitude,
                country: r.country,
                admin1: r.admin1,
                timezone: r.timezone,
            })
        })
        .collect()
}

/// Open-Meteo's `reason` in an error answer (`{"error": true, "reason": "..."}`).
pub(crate) fn reason(body: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Failure {
        reason: String,
    }
    serde_json::from_str::<Failure>(body).ok().map(|f| f.reason)
}

#[derive(Deserialize)]
struct Answer {
    current: CurrentColumns,
    daily: DailyColumns,
    hourly: HourlyColumns,
}

#[derive(Deserialize)]
struct CurrentColumns {
    time: String,
    temperature_2m: f64,
    relative_humidity_2m: f64,
    apparent_temperature: f64,
    precipitation: f64,
    weather_code: u16,
    wind_speed_10m: f64,
}

#[derive(Deserialize)]
struct DailyColumns {
    time: Vec<String>,
    weather_code: Vec<Option<u16>>,
    temperature_2m_max: Vec<Option<f64>>,
    temperature_2m_min: Vec<Option<f64>>,
    precipitation_sum: Vec<Option<f64>>,
    precipitation_probability_max: Vec<Option<f64>>,
    wind_speed_10m_max: Vec<Option<f64>>,
}

#[derive(Deserialize)]
struct HourlyColumns {
    time: Vec<String>,
    temperature_2m: Vec<Option<f64>>,
    precipitation_probability: Vec<Option<f64>>,
    weather_code: Vec<Option<u16>>,
}

/// A forecast answer, for the place called `place`, asked for in `units`.
pub(crate) fn forecast(body: &str, place: &str, units: Units) -> Result<Forecast, String> {
    let answer: Answer = serde_json::from_str(body).map_err(|e| e.to_string())?;
    let c = answer.current;
    let current = Current {
        time: datetime(&c.time)?,
        temperature: c.temperature_2m,
        apparent_temperature: c.apparent_temperature,
        condition: Condition::from_wmo(c.weather_code),
        wind_speed: c.wind_speed_10m,
        humidity: c.relative_humidity_2m,
        precipitation: c.precipitation,
    };

    let d = answer.daily;
    let n = d.time.len();
    same_length(
        "daily",
        n,
        &[
            d.weather_code.len(),
            d.temperature_2m_max.len(),
            d.temperature_2m_min.len(),
            d.precipitation_sum.len(),
            d.precipitation_probability_max.len(),
            d.wind_speed_10m_max.len(),
        ],
    )?;
    let mut days = Vec::with_capacity(n);
    for i in 0..n {
        let (Some(min), Some(max)) = (d.temperature_2m_min[i], d.temperature_2m_max[i]) else {
            break;
        };
        let date = date(&d.time[i])?;
        if days.last().is_some_and(|last: &Day| last.date >= date) {
            return Err(format!("daily.time is out of order at {date}"));
        }
        days.push(Day {
            date,
            min,
            max,
            condition: d.weather_code[i].map_or(Condition::Unknown, Condition::from_wmo),
            precipitation_probability: d.precipitation_probability_max[i],
            precipitation_sum: d.precipitation_sum[i].unwrap_or(0.0),
            wind_max: d.wind_speed_10m_max[i].unwrap_or(0.0),
        });
    }
    if days.is_empty() {
        return Err("the forecast has no day".to_string());
    }

    let h = answer.hourly;
    same_length(
        "hourly",
        h.time.len(),
        &[
            h.temperature_2m.len(),
            h.precipitation_probability.len(),
            h.weather_code.len(),
        ],
    )?;
    let mut hours = Vec::with_capacity(h.time.len());
    for i in 0..h.time.len() {
        let Some(temperature) = h.temperature_2m[i] else {
            break;
        };
        hours.push(Hour {
            time: datetime(&h.time[i])?,
            temperature,
            condition: h.weather_code[i].map_or(Condition::Unknown, Condition::from_wmo),
            precipitation_probability: h.precipitation_probability[i],
        });
    }

    Ok(Forecast {
        place: place.to_string(),
        units,
        current,
        days,
        hours,
    })
}

fn same_length(what: &str, n: usize, others: &[usize]) -> Result<(), String> {
    match others.iter().find(|&&len| len != n) {
        Some(len) => Err(format!(
            "{what} has {n} times but a variable with {len} values"
        )),
        None => Ok(()),
    }
}

fn date(text: &str) -> Result<Date, String> {
    text.parse()
        .map_err(|e| format!("{text:?} is not a date: {e}"))
}

/// `2026-11-25T08:00`, local time (Open-Meteo's ISO 8601 without seconds).
fn datetime(text: &str) -> Result<DateTime, String> {
    text.parse()
        .map_err(|e| format!("{text:?} is not a local time: {e}"))
}
