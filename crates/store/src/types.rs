//! The store's own records: what a token may do, what it is, and a change to a household.

use hark_core::weather::Units;
use hark_core::{Device, DeviceId, Household, HouseholdId, Location, TokenId};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// What a token may act as, always within its one household.
///
/// Serialized as `"admin"` or `{"device": "dev_..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Manages the household: its devices, its tokens, its settings.
    Admin,
    /// Speaks for one device of the household.
    Device(DeviceId),
}

/// What is known about a token, without its secret (only a hash of it is stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInfo {
    /// The public part of the token text.
    pub id: TokenId,
    /// The one household the token acts for.
    pub household: HouseholdId,
    /// A note for people ("kitchen speaker", "Alice's phone").
    pub label: String,
    /// What it may do.
    pub scope: Scope,
    /// When it was created (to the millisecond).
    pub created_at: Timestamp,
    /// When it was revoked; a revoked token no longer authenticates.
    pub revoked_at: Option<Timestamp>,
}

/// A change to a household's settings: `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HouseholdUpdate {
    /// A new name.
    pub name: Option<String>,
    /// A new IANA time zone name.
    pub time_zone: Option<String>,
    /// A new location (`Some(None)` clears it).
    pub location: Option<Option<Location>>,
    /// New weather units.
    pub units: Option<Units>,
}

/// What a new household starts with.
#[derive(Debug, Clone, Copy)]
pub struct NewHousehold<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its IANA time zone.
    pub time_zone: &'a str,
    /// Where it is.
    pub location: Option<&'a Location>,
    /// The name of its first device.
    pub device: &'a str,
    /// The label of its first admin token.
    pub token_label: &'a str,
}

/// A household created with its first device and admin token.
#[derive(Debug, Clone)]
pub struct Founded {
    /// The household.
    pub household: Household,
    /// Its first device.
    pub device: Device,
    /// Its admin token.
    pub token: TokenInfo,
    /// The token's secret text, shown once.
    pub secret: String,
}
