//! Naming another device by voice: which of the household's devices a
//! request means, and how an answer says its name.
//!
//! "Set a timer for 5 minutes on the kitchen speaker" carries the name as
//! said in the `device` slot ("kitchen"); the runtime puts the household's
//! devices in [`Turn::devices`]. A spoken name means the device whose name is
//! the same once both are lower-cased, read without punctuation, and stripped
//! of a leading "the" and a trailing "speaker" or "device": "Kitchen", "the
//! kitchen" and "kitchen speaker" all mean a device named "kitchen" (or
//! "Kitchen speaker"). Nothing looser: a near miss is answered, not guessed,
//! because a guessed timer rings in the wrong room. The words are English,
//! like the grammar that fills the slot.

use hark_core::skill::{SkillError, Turn};
use hark_core::{Device, DeviceId, SlotName, SlotValue};

use crate::slots;

/// Where a request asks for something to ring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target<'a> {
    /// On the device that heard it: no device was named, or that one was.
    Here,
    /// On another device of the household.
    Other(&'a Device),
    /// A name none of the household's devices has, as said.
    Unknown(String),
}

impl Target<'_> {
    /// The device for an effect: `None` is the turn's own.
    pub fn device_id(&self) -> Option<DeviceId> {
        match self {
            Target::Other(device) => Some(device.id.clone()),
            Target::Here | Target::Unknown(_) => None,
        }
    }
}

/// Whether `intent` names a device, so that its turn needs the household's
/// devices (a plain "set a timer" reads none).
pub fn named(intent: &hark_core::Intent) -> bool {
    intent.slots.contains_key(&SlotName::new("device"))
}

/// The device the turn's `device` slot names, if it names one.
pub fn target<'a>(turn: &Turn<'a>) -> Result<Target<'a>, SkillError> {
    let slot = "device";
    let Some(value) = turn.intent.slots.get(&SlotName::new(slot)) else {
        return Ok(Target::Here);
    };
    let SlotValue::String(said) = value else {
        return Err(slots::invalid_slot(slot, value, "a device's name"));
    };
    let wanted = key(said);
    // "On the speaker": the one that heard it.
    if wanted.is_empty() {
        return Ok(Target::Here);
    }
    // Names are unique in a household, but two may share a key ("kitchen"
    // and "kitchen speaker"): the one said in full wins.
    let said_in_full = words(said);
    let found = turn
        .devices
        .iter()
        .find(|d| words(&d.name) == said_in_full)
        .or_else(|| turn.devices.iter().find(|d| key(&d.name) == wanted));
    Ok(match found {
        Some(device) if device.id == turn.device.id => Target::Here,
        Some(device) => Target::Other(device),
        None => Target::Unknown(said.trim().to_string()),
    })
}

/// A device's name as an answer says it after "on the": "kitchen speaker"
/// for a device named "kitchen", and a name that already ends in "speaker" or
/// "device" as it is.
pub fn spoken(device: &Device) -> String {
    let name = device.name.trim();
    match words(name).last().map(String::as_str) {
        Some("speaker" | "device") => name.to_string(),
        _ => format!("{name} speaker"),
    }
}

/// Lower-case words, punctuation read as spaces, without a leading "the".
fn words(name: &str) -> Vec<String> {
    let lower = name.to_lowercase();
    let mut words: Vec<String> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect();
    if words.first().is_some_and(|w| w == "the") {
        words.remove(0);
    }
    words
}

/// The words that identify a name: without "the" and "speaker"/"device".
fn key(name: &str) -> Vec<String> {
    let mut words = words(name);
    if words
        .last()
        .is_some_and(|w| w == "speaker" || w == "device")
    {
        words.pop();
    }
    words
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::testing::{intent, Home};

    const NOW: &str = "2026-11-25T07:00:00Z";

    fn named(said: serde_json::Value) -> Result<Option<String>, String> {
        let home = Home::new("Europe/Paris");
        let intent = intent("HassStartTimer", json!({ "device": said }));
        let turn = home.turn(&intent, NOW);
        match target(&turn).map_err(|e| e.code.to_string())? {
            Target::Here => Ok(None),
            Target::Other(device) => Ok(Some(device.id.to_string())),
            Target::Unknown(name) => Err(name),
        }
    }

    #[test]
    fn names_match_ignoring_case_the_and_speaker() {
        // The test home has "kitchen" (where turns are heard), "Bedroom"
        // and "Living-room speaker".
        for said in [
            "bedroom",
            "Bedroom",
            "the bedroom",
            "bedroom speaker",
            "bedroom device",
        ] {
            assert_eq!(named(json!(said)), Ok(Some("dev_bedroom".into())), "{said}");
        }
        for said in ["living room", "living-room", "the living room speaker"] {
            assert_eq!(named(json!(said)), Ok(Some("dev_living".into())), "{said}");
        }
    }

    #[test]
    fn the_device_that_heard_it_or_none_rings_here() {
        let home = Home::new("Europe/Paris");
        let none = intent("HassStartTimer", json!({}));
        assert_eq!(target(&home.turn(&none, NOW)), Ok(Target::Here));
        assert_eq!(named(json!("kitchen speaker")), Ok(None));
        assert_eq!(named(json!("speaker")), Ok(None));
    }

    #[test]
    fn unknown_names_are_kept_as_said_and_bad_shapes_refused() {
        assert_eq!(named(json!(" garage ")), Err("garage".into()));
        assert_eq!(named(json!("bed room")), Err("bed room".into()));
        assert_eq!(named(json!(7)), Err("slot_invalid".into()));
    }

    #[test]
    fn answers_name_a_speaker() {
        let home = Home::new("Europe/Paris");
        let intent = intent("HassStartTimer", json!({}));
        let turn = home.turn(&intent, NOW);
        let said: Vec<String> = turn.devices.iter().map(spoken).collect();
        assert_eq!(
            said,
            ["kitchen speaker", "Bedroom speaker", "Living-room speaker"]
        );
    }
}
