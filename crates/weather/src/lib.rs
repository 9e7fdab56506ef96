//! hark's weather service client: Open-Meteo's forecast and geocoding APIs.
//!
//! [`Client::geocode`] turns a place's name into coordinates
//! (`/v1/search?name=...`), and [`Client::forecast`] fetches a place's
//! current conditions and 16 days of daily and hourly forecast
//! (`/v1/forecast`), in a household's [`Units`] and time zone, read into
//! [`hark_core::weather::Forecast`]. Open-Meteo needs no API key.
//!
//! The key decision: a question about the weather must never hang the
//! conversation. Every request has one short deadline for everything
//! (connecting included, [`Settings::timeout`], 2 s by default), and every
//! failure is one [`WeatherError`] the caller turns into a one-sentence
//! apology. Answers are cached ([`Settings::forecast_ttl`] per rounded
//! coordinates, units and zone; [`Settings::geocoding_ttl`] per name, a "no
//! such place" included) in bounded maps, so a follow-up question costs no
//! request; expiry is read from the injected [`Clock`], not the wall clock.
//!
//! The client is blocking (ureq): an async caller runs it on a blocking
//! thread (`tokio::task::spawn_blocking`). Plain `http://` base URLs always
//! work (tests point them at a local server, see the `testing` feature);
//! `https://`, which the real service needs, takes the `tls` feature.

#![deny(missing_docs)]

mod cache;
mod openmeteo;
#[cfg(feature = "testing")]
pub mod testing;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hark_core::weather::{Forecast, Units};
use hark_core::{Clock, Location};
use jiff::SignedDuration;

use crate::cache::Cache;

/// Open-Meteo's forecast endpoint.
pub const FORECAST_URL: &str = "https://api.open-meteo.com/v1/forecast";
/// Open-Meteo's geocoding endpoint.
pub const GEOCODING_URL: &str = "https://geocoding-api.open-meteo.com/v1/search";

/// The largest response read, in bytes; a 16-day hourly forecast is about 20 kB.
const MAX_BODY_BYTES: u64 = 2 * 1024 * 1024;

/// How the client reaches the service and how long it keeps answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The forecast endpoint ([`FORECAST_URL`]).
    pub forecast_url: String,
    /// The geocoding endpoint ([`GEOCODING_URL`]).
    pub geocoding_url: String,
    /// The deadline of one request, from connecting to the last byte.
    pub timeout: Duration,
    /// How long a forecast is reused.
    pub forecast_ttl: SignedDuration,
    /// How long a place's coordinates (or its absence) are reused.
    pub geocoding_ttl: SignedDuration,
    /// At most this many forecasts and this many places are kept.
    pub cache_entries: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            forecast_url: FORECAST_URL.to_string(),
            geocoding_url: GEOCODING_URL.to_string(),
            timeout: Duration::from_secs(2),
            forecast_ttl: SignedDuration::from_mins(15),
            geocoding_ttl: SignedDuration::from_hours(24),
            cache_entries: 256,
        }
    }
}

/// Why the weather service gave no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeatherError {
    /// The service could not be reached (refused, no route, unknown host, TLS).
    #[error("{url}: unreachable: {message}")]
    Unreachable {
        /// The endpoint.
        url: String,
        /// The cause.
        message: String,
    },
    /// The service did not answer within [`Settings::timeout`].
    #[error("{url}: no answer within {millis} ms")]
    Timeout {
        /// The endpoint.
        url: String,
        /// The deadline, in milliseconds.
        millis: u128,
    },
    /// The service answered with an error status.
    #[error("{url}: HTTP {status}{}", reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default())]
    Status {
        /// The endpoint.
        url: String,
        /// The HTTP status.
        status: u16,
        /// Open-Meteo's `reason`, when it gave one.
        reason: Option<String>,
    },
    /// The answer is not what Open-Meteo's documentation describes.
    #[error("{url}: malformed answer: {message}")]
    Malformed {
        /// The endpoint.
        url: String,
        /// What is wrong.
        message: String,
    },
}

/// A place found by name.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Its name ("Lyon").
    pub name: String,
    /// Degrees north.
    pub latitude: f64,
    /// Degrees east.
    pub longitude: f64,
    /// Its country ("France").
    pub country: Option<String>,
    /// Its first-level region ("Auvergne-Rhône-Alpes").
    pub admin1: Option<String>,
    /// Its IANA time zone.
    pub timezone: Option<String>,
}

impl Place {
    /// The place as a [`Location`].
    pub fn location(&self) -> Location {
        Location {
            name: self.name.clone(),
            latitude: self.latitude,
            longitude: self.longitude,
        }
    }
}

/// What a forecast is cached by: coordinates to 0.01° (about a kilometre),
/// units and zone.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ForecastKey {
    latitude: i32,
    longitude: i32,
    units: Units,
    time_zone: String,
}

/// Open-Meteo's forecast and geocoding, with a deadline and a cache. Safe to
/// share between threads.
pub struct Client {
    agent: ureq::Agent,
    settings: Settings,
    clock: Arc<dyn Clock>,
    forecasts: Mutex<Cache<ForecastKey, Forecast>>,
    places: Mutex<Cache<String, Option<Place>>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client with `settings`, whose caches expire by `clock`.
    pub fn new(settings: Settings, clock: Arc<dyn Clock>) -> Client {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(settings.timeout))
            .timeout_connect(Some(settings.timeout))
            .http_status_as_error(false)
            .user_agent(concat!("hark/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        let entries = settings.cache_entries.max(1);
        Client {
            agent,
            forecasts: Mutex::new(Cache::new(entries)),
            places: Mutex::new(Cache::new(entries)),
            settings,
            clock,
        }
    }

    /// The settings it was made with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The best match for `name`, `None` when there is none. Names are
    /// compared without case or surrounding spaces; an empty name finds nothing
    /// without asking.
    pub fn geocode(&self, name: &str) -> Result<Option<Place>, WeatherError> {
        let name = name.trim();
        if name.is_empty() {
            return Ok(None);
        }
        let key = name.to_lowercase();
        let now = self.clock.now();
        if let Some(found) = lock(&self.places).get(&key, now) {
            return Ok(found);
        }
        let url = &self.settings.geocoding_url;
        let request = self
            .agent
            .get(url)
            .query("name", name)
            .query("count", "1")
            .query("language", "en")
            .query("format", "json");
        let body = self.fetch(url, request)?;
        let found = openmeteo::places(&body)
            .map_err(|message| malformed(url, message))?
            .into_iter()
            .next();
        lock(&self.places).insert(key, found.clone(), now, now + self.settings.geocoding_ttl);
        Ok(found)
    }

    /// The weather at `location`: now, and the next
    /// [`hark_core::weather::FORECAST_DAYS`] days by day and by hour, in
    /// `units`, dates and hours local to `time_zone` (an IANA name).
    pub fn forecast(
        &self,
        location: &Location,
        units: Units,
        time_zone: &str,
    ) -> Result<Forecast, WeatherError> {
        let key = ForecastKey {
            latitude: (location.latitude * 100.0).round() as i32,
            longitude: (location.longitude * 100.0).round() as i32,
            units,
            time_zone: time_zone.to_string(),
        };
        let now = self.clock.now();
        if let Some(mut forecast) = lock(&self.forecasts).get(&key, now) {
            forecast.place = location.name.clone();
            return Ok(forecast);
        }
        let url = &self.settings.forecast_url;
        let mut request = self
            .agent
            .get(url)
            .query(
                "latitude",
                format!("{:.2}", f64::from(key.latitude) / 100.0),
            )
            .query(
                "longitude",
                format!("{:.2}", f64::from(key.longitude) / 100.0),
            )
            .query("current", openmeteo::CURRENT)
            .query("daily", openmeteo::DAILY)
            .query("hourly", openmeteo::HOURLY)
            .query("timezone", time_zone)
            .query(
                "forecast_days",
                hark_core::weather::FORECAST_DAYS.to_string(),
            );
        if units == Units::Imperial {
            request = request
                .query("temperature_unit", "fahrenheit")
                .query("wind_speed_unit", "mph")
                .query("precipitation_unit", "inch");
        }
        let body = self.fetch(url, request)?;
        let forecast = openmeteo::forecast(&body, &location.name, units)
            .map_err(|message| malformed(url, message))?;
        lock(&self.forecasts).insert(key, forecast.clone(), now, now + self.settings.forecast_ttl);
        Ok(forecast)
    }

    /// Sends `request` and reads its body, every failure made a [`WeatherError`].
    fn fetch(
        &self,
        url: &str,
        request: ureq::RequestBuilder<ureq::typestate::WithoutBody>,
    ) -> Result<String, WeatherError> {
        let mut response = request.call().map_err(|e| self.failed(url, e))?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES)
            .read_to_string()
            .map_err(|e| self.failed(url, e));
        if status != 200 {
            let reason = body.ok().and_then(|b| openmeteo::reason(&b));
            return Err(WeatherError::Status {
                url: url.to_string(),
                status,
                reason,
            });
        }
        body
    }

    fn failed(&self, url: &str, error: ureq::Error) -> WeatherError {
        let timed_out = match &error {
            ureq::Error::Timeout(_) => true,
            ureq::Error::Io(e) => matches!(
                e.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            ),
            _ => false,
        };
        if timed_out {
            return WeatherError::Timeout {
                url: url.to_string(),
                millis: self.settings.timeout.as_millis(),
            };
        }
        match error {
            ureq::Error::BodyExceedsLimit(limit) => {
                malformed(url, format!("the answer is larger than {limit} bytes"))
            }
            ureq::Error::Protocol(e) => malformed(url, e.to_string()),
            other => WeatherError::Unreachable {
                url: url.to_string(),
                message: other.to_string(),
            },
        }
    }
}

fn malformed(url: &str, message: String) -> WeatherError {
    WeatherError::Malformed {
        url: url.to_string(),
        message,
    }
}

/// The cache behind a lock; a panic while it was held left it consistent
/// (each method is one map operation), so a poisoned lock is used as is.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
