//! Test fixtures: a household in a given zone, and turns built by hand at a
//! fixed instant, so no test reads the wall clock.

use hark_core::lists::ListView;
use hark_core::media::{MediaMatch, PlayerView};
use hark_core::skill::{Outcome, Skill, Turn};
use hark_core::weather::WeatherReport;
use hark_core::{Device, DeviceId, Household, HouseholdId, Intent, IntentName, SessionId};
use jiff::Timestamp;
use serde_json::Value;

/// An intent with `slots` (a JSON object) and no raw words.
pub(crate) fn intent(name: &str, slots: Value) -> Intent {
    said(name, slots, serde_json::json!({}))
}

/// An intent with `slots` and the `raw` words each slot matched.
pub(crate) fn said(name: &str, slots: Value, raw: Value) -> Intent {
    Intent {
        name: IntentName::new(name),
        slots: serde_json::from_value(slots).expect("slots are a JSON object"),
        raw: serde_json::from_value(raw).expect("raw is an object of strings"),
        confidence: 1.0,
        stage: Default::default(),
    }
}

/// A household in one time zone, with one session and three devices: the
/// kitchen, which hears every turn, the bedroom and the living room.
pub(crate) struct Home {
    household: Household,
    devices: Vec<Device>,
    session: SessionId,
    /// The household's lists, for list turns.
    pub(crate) lists: Vec<ListView>,
    /// The kitchen's player, for media turns.
    pub(crate) player: Option<PlayerView>,
    /// What the library holds that matches, for media turns.
    pub(crate) media: Vec<MediaMatch>,
    /// The weather found, for weather turns.
    pub(crate) weather: Option<WeatherReport>,
}

impl Home {
    /// A household in `zone` (an IANA name).
    pub(crate) fn new(zone: &str) -> Self {
        let created_at: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let id = HouseholdId::new("h1");
        let device = |key: &str, name: &str| Device {
            id: DeviceId::new(key),
            household: id.clone(),
            name: name.into(),
            created_at,
        };
        Self {
            devices: vec![
                device("kitchen", "kitchen"),
                device("dev_bedroom", "Bedroom"),
                device("dev_living", "Living-room speaker"),
            ],
            household: Household {
                id: id.clone(),
                name: "Home".into(),
                time_zone: zone.into(),
                location: None,
                units: Default::default(),
                created_at,
            },
            session: SessionId::new("s1"),
            lists: Vec::new(),
            player: None,
            media: Vec::new(),
            weather: None,
        }
    }

    /// A turn at `now` (RFC 3339), in English.
    pub(crate) fn turn<'a>(&'a self, intent: &'a Intent, now: &str) -> Turn<'a> {
        self.turn_in(intent, now, "en")
    }

    /// A turn at `now` (RFC 3339), in `language`.
    pub(crate) fn turn_in<'a>(
        &'a self,
        intent: &'a Intent,
        now: &str,
        language: &'a str,
    ) -> Turn<'a> {
        Turn {
            intent,
            household: &self.household,
            device: &self.devices[0],
            session: &self.session,
            now: now.parse().expect("an RFC 3339 instant"),
            language,
            confirmed: false,
            timers: &[],
            scheduled: &[],
            ringing: &[],
            devices: &self.devices,
            lists: &self.lists,
            player: self.player.as_ref(),
            media: &self.media,
            weather: self.weather.as_ref(),
        }
    }
}

/// What `skill` answers to `intent` at `now` in `zone`; panics on an error.
pub(crate) fn ask(skill: &dyn Skill, zone: &str, now: &str, intent: &Intent) -> Outcome {
    let home = Home::new(zone);
    skill
        .handle(&home.turn(intent, now))
        .unwrap_or_else(|e| panic!("{} at {now} in {zone}: {e}", intent.name))
}
