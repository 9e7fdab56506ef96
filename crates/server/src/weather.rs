//! The weather a turn asks about, read before the skill answers.
//!
//! When the understood intent's skill needs the weather, [`Weather::report`]
//! finds the place (the `location` slot through geocoding, else the
//! household's location) and fetches its forecast in the household's units
//! and time zone, so the forecast's days are the household's days, the ones
//! its "tomorrow" resolves to. The blocking client runs on tokio's blocking
//! threads.
//!
//! The key decision: this never fails a turn. Whatever goes wrong with the
//! service (refused, too slow, nonsense) becomes
//! [`WeatherReport::Unavailable`], which the skill says in one sentence; the
//! cause goes to the log. The client's own deadline (`weather_timeout_ms`)
//! bounds each request, so a question costs at most two of them (geocoding
//! and forecast), and answers are cached.

use std::sync::Arc;
use std::time::Duration;

use hark_core::weather::WeatherReport;
use hark_core::{Clock, Household, Intent, Location, SlotName};
use hark_weather::{Client, Settings, WeatherError};

use crate::Config;

/// The weather service, as the server uses it.
#[derive(Debug, Clone)]
pub struct Weather {
    client: Arc<Client>,
}

impl Weather {
    /// The client `config` describes, its caches expiring by `clock`.
    pub fn new(config: &Config, clock: Arc<dyn Clock>) -> Weather {
        let settings = Settings {
            forecast_url: config.weather_forecast_url.clone(),
            geocoding_url: config.weather_geocoding_url.clone(),
            timeout: Duration::from_millis(config.weather_timeout_ms.max(1)),
            ..Settings::default()
        };
        Weather {
            client: Arc::new(Client::new(settings, clock)),
        }
    }

    /// The weather `intent` asks about, for `household`.
    pub async fn report(&self, household: &Household, intent: &Intent) -> WeatherReport {
        let named = intent
            .slots
            .get(&SlotName::new("location"))
            .and_then(|value| value.as_str())
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_string);
        let location = match named {
            Some(name) => match self.geocode(&name).await {
                Ok(Some(location)) => location,
                Ok(None) => {
                    return WeatherReport::NoSuchPlace {
                        name: place_name(&name),
                    }
                }
                Err(error) => return unavailable(&error),
            },
            None => match &household.location {
                Some(location) => location.clone(),
                None => return WeatherReport::NoLocation,
            },
        };
        let client = self.client.clone();
        let units = household.units;
        let zone = household.time_zone.clone();
        let fetched =
            tokio::task::spawn_blocking(move || client.forecast(&location, units, &zone)).await;
        match fetched {
            Ok(Ok(forecast)) => WeatherReport::Forecast(forecast),
            Ok(Err(error)) => unavailable(&error),
            Err(error) => {
                tracing::error!(%error, "the weather request's thread failed");
                WeatherReport::Unavailable
            }
        }
    }

    async fn geocode(&self, name: &str) -> Result<Option<Location>, WeatherError> {
        let client = self.client.clone();
        let name = name.to_string();
        match tokio::task::spawn_blocking(move || client.geocode(&name)).await {
            Ok(found) => found.map(|place| place.map(|p| p.location())),
            Err(error) => Err(WeatherError::Unreachable {
                url: self.client.settings().geocoding_url.clone(),
                message: format!("the request's thread failed: {error}"),
            }),
        }
    }
}

fn unavailable(error: &WeatherError) -> WeatherReport {
    tracing::warn!(%error, "the weather service gave no answer");
    WeatherReport::Unavailable
}

/// A place's name as said, with capitals ("atlantis" → "Atlantis"), since
/// recognizers and keyboards often drop them.
fn place_name(said: &str) -> String {
    said.split_whitespace()
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_get_capitals() {
        assert_eq!(place_name("atlantis"), "Atlantis");
        assert_eq!(place_name(" new  york "), "New York");
        assert_eq!(place_name("McMurdo"), "McMurdo");
    }
}
