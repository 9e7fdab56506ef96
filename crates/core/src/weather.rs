//! The weather as a skill sees it: what the runtime found for the place and
//! days a request asks about, or why it found nothing.
//!
//! A [`Forecast`] is already in the household's [`Units`] and its days and
//! hours are local to the household's time zone, so the skill only compares
//! dates and says numbers. Conditions arrive as WMO weather codes (the ones
//! Open-Meteo reports) and are read once here into a [`Condition`], so no
//! skill has to know the code table.

use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};

/// How many days ahead a forecast reaches, today included: Open-Meteo's limit.
pub const FORECAST_DAYS: i64 = 16;

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

/// The units a household hears numbers in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Units {
    /// Degrees Celsius, kilometres per hour, millimetres.
    #[default]
    Metric,
    /// Degrees Fahrenheit, miles per hour, inches.
    Imperial,
}

impl Units {
    /// The stored and configured name: `metric` or `imperial`.
    pub fn as_str(self) -> &'static str {
        match self {
            Units::Metric => "metric",
            Units::Imperial => "imperial",
        }
    }

    /// Reads [`Units::as_str`]'s names back; `None` for anything else.
    pub fn parse(name: &str) -> Option<Units> {
        match name.trim().to_ascii_lowercase().as_str() {
            "metric" => Some(Units::Metric),
            "imperial" => Some(Units::Imperial),
            _ => None,
        }
    }
}

impl std::fmt::Display for Units {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place's weather now and in the days ahead, in the household's units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    /// The place, as people say it ("Lyon").
    pub place: String,
    /// The units of every number below.
    pub units: Units,
    /// The conditions now.
    pub current: Current,
    /// Today and the days after, in order, each a local date.
    pub days: Vec<Day>,
    /// Hour by hour over the same days, in order, local times; for parts of a
    /// day ("tomorrow morning"). May be empty.
    #[serde(default)]
    pub hours: Vec<Hour>,
}

impl Forecast {
    /// The day `date`, if the forecast reaches it.
    pub fn day(&self, date: Date) -> Option<&Day> {
        self.days.iter().find(|d| d.date == date)
    }

    /// The hours of `date` from `from` (inclusive) to `to` (exclusive), as
    /// hours of the day, 0 to 24.
    pub fn hours_of(&self, date: Date, from: i8, to: i8) -> impl Iterator<Item = &Hour> {
        self.hours
            .iter()
            .filter(move |h| h.time.date() == date && (from..to).contains(&h.time.hour()))
    }
}

/// The conditions at the time of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Current {
    /// When they were observed or modelled, local time.
    pub time: DateTime,
    /// Air temperature.
    pub temperature: f64,
    /// What it feels like.
    pub apparent_temperature: f64,
    /// The sky.
    pub condition: Condition,
    /// Wind speed, 10 m above ground.
    pub wind_speed: f64,
    /// Relative humidity, percent.
    pub humidity: f64,
    /// Rain, showers and snow of the last interval (mm or inches).
    pub precipitation: f64,
}

/// One day's forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Day {
    /// The local date.
    pub date: Date,
    /// The lowest temperature.
    pub min: f64,
    /// The highest temperature.
    pub max: f64,
    /// The day's most significant weather.
    pub condition: Condition,
    /// The highest chance of rain or snow in any hour, percent; `None` where
    /// the model gives none.
    pub precipitation_probability: Option<f64>,
    /// Rain, showers and snow over the day (mm or inches).
    pub precipitation_sum: f64,
    /// The strongest wind.
    pub wind_max: f64,
}

/// One hour's forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hour {
    /// The local time the hour starts.
    pub time: DateTime,
    /// Air temperature.
    pub temperature: f64,
    /// The sky.
    pub condition: Condition,
    /// The chance of rain or snow, percent.
    pub precipitation_probability: Option<f64>,
}

/// The weather of a WMO code, as people name it. Ordered as the codes are,
/// which is roughly by severity: of a day's hours, the greatest is the one to
/// tell (as Open-Meteo's daily code is the day's most severe).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// A code outside the table (the least of all).
    Unknown,
    /// 0.
    Clear,
    /// 1.
    MainlyClear,
    /// 2.
    PartlyCloudy,
    /// 3.
    Overcast,
    /// 45, 48 (rime fog).
    Fog,
    /// 51, 53, 55.
    Drizzle,
    /// 56, 57.
    FreezingDrizzle,
    /// 61, 63 (slight, moderate).
    Rain,
    /// 65.
    HeavyRain,
    /// 66, 67.
    FreezingRain,
    /// 71, 73, 77 (snow grains).
    Snow,
    /// 75.
    HeavySnow,
    /// 80, 81, 82.
    RainShowers,
    /// 85, 86.
    SnowShowers,
    /// 95.
    Thunderstorm,
    /// 96, 99.
    ThunderstormWithHail,
}

impl Condition {
    /// The condition of a WMO weather interpretation code.
    pub fn from_wmo(code: u16) -> Condition {
        match code {
            0 => Condition::Clear,
            1 => Condition::MainlyClear,
            2 => Condition::PartlyCloudy,
            3 => Condition::Overcast,
            45 | 48 => Condition::Fog,
            51 | 53 | 55 => Condition::Drizzle,
            56 | 57 => Condition::FreezingDrizzle,
            61 | 63 => Condition::Rain,
            65 => Condition::HeavyRain,
            66 | 67 => Condition::FreezingRain,
            71 | 73 | 77 => Condition::Snow,
            75 => Condition::HeavySnow,
            80..=82 => Condition::RainShowers,
            85 | 86 => Condition::SnowShowers,
            95 => Condition::Thunderstorm,
            96 | 99 => Condition::ThunderstormWithHail,
            _ => Condition::Unknown,
        }
    }

    /// Whether it means rain of some kind (an umbrella's weather).
    pub fn is_rain(self) -> bool {
        matches!(
            self,
            Condition::Drizzle
                | Condition::FreezingDrizzle
                | Condition::Rain
                | Condition::HeavyRain
                | Condition::FreezingRain
                | Condition::RainShowers
                | Condition::Thunderstorm
                | Condition::ThunderstormWithHail
        )
    }

    /// Whether it means snow.
    pub fn is_snow(self) -> bool {
        matches!(
            self,
            Condition::Snow | Condition::HeavySnow | Condition::SnowShowers
        )
    }

    /// Whether it means a thunderstorm.
    pub fn is_storm(self) -> bool {
        matches!(
            self,
            Condition::Thunderstorm | Condition::ThunderstormWithHail
        )
    }

    /// Whether the sky is clear or nearly so.
    pub fn is_sunny(self) -> bool {
        matches!(self, Condition::Clear | Condition::MainlyClear)
    }

    /// Whether the sky is mostly covered (without rain or snow).
    pub fn is_cloudy(self) -> bool {
        matches!(
            self,
            Condition::PartlyCloudy | Condition::Overcast | Condition::Fog
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_wmo_table() {
        assert_eq!(Condition::from_wmo(0), Condition::Clear);
        assert_eq!(Condition::from_wmo(48), Condition::Fog);
        assert_eq!(Condition::from_wmo(63), Condition::Rain);
        assert_eq!(Condition::from_wmo(81), Condition::RainShowers);
        assert_eq!(Condition::from_wmo(99), Condition::ThunderstormWithHail);
        assert_eq!(Condition::from_wmo(4), Condition::Unknown);
        assert!(Condition::from_wmo(53).is_rain());
        assert!(!Condition::from_wmo(73).is_rain());
        assert!(Condition::from_wmo(86).is_snow());
        assert!(Condition::Rain > Condition::Overcast);
        assert!(Condition::Unknown < Condition::Clear);
    }

    #[test]
    fn units_read_back_their_names() {
        for units in [Units::Metric, Units::Imperial] {
            assert_eq!(Units::parse(units.as_str()), Some(units));
        }
        assert_eq!(Units::parse(" Imperial "), Some(Units::Imperial));
        assert_eq!(Units::parse("kelvin"), None);
        assert_eq!(Units::default(), Units::Metric);
    }
}
