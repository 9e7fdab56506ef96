//! The weather as a skill sees it: what the runtime found for the place and
//! days a request asks about, or why it found nothing.

use serde::{Deserialize, Serialize};

/// What the runtime found before the weather skill answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WeatherReport {
    /// The forecast for the place.
    Forecast(Forecast),
    /// The place named is not on the map.
    NoSuchPlace {
        /// The name as said.
        name: String,
    },
    /// No place was named and the household has no location.
    NoLocation,
    /// The weather service did not answer in time, or answered nonsense.
    Unavailable,
}

/// A place's weather now and in the days ahead, in the household's units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    /// The place, as people say it ("Lyon").
    pub place: String,
}
