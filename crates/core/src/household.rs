//! Households and their devices.
//!
//! Every request belongs to exactly one household, through its token; nothing
//! a household owns is ever read or changed on behalf of another.

use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::weather::Units;
use crate::{DeviceId, HouseholdId};

/// A household: its time zone and location shape every answer about time and
/// weather.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Household {
    /// Its id.
    pub id: HouseholdId,
    /// A name people recognize ("Home").
    pub name: String,
    /// IANA time zone name, such as `Europe/Paris`.
    pub time_zone: String,
    /// Where it is, for the weather.
    pub location: Option<Location>,
    /// The units it hears the weather in (metric unless set).
    #[serde(default)]
    pub units: Units,
    /// When it was created.
    pub created_at: Timestamp,
}

impl Household {
    /// The household's time zone; UTC if its name is unknown to this system
    /// (names are checked when set, so this only happens when the system's
    /// zone database lost one).
    pub fn tz(&self) -> TimeZone {
        TimeZone::get(&self.time_zone).unwrap_or(TimeZone::UTC)
    }
}

/// A place on Earth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// Its name, as people say it ("Lyon").
    pub name: String,
    /// Degrees north.
    pub latitude: f64,
    /// Degrees east.
    pub longitude: f64,
}

/// A device of a household: a speaker, a satellite, a browser, the CLI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// Its id.
    pub id: DeviceId,
    /// The household it belongs to.
    pub household: HouseholdId,
    /// Its name, unique within the household ("kitchen").
    pub name: String,
    /// When it was added.
    pub created_at: Timestamp,
}
