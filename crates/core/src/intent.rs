//! What an utterance means: an intent name with its slots.
//!
//! Intent and slot names follow Home Assistant's intent schema where it has one
//! (`HassStartTimer`, slot `minutes`), so hark can serve Home Assistant and read
//! its sentence files; intents Home Assistant lacks are named `Hark*`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::name_type;

name_type!(
    /// The name of an intent, such as `HassStartTimer` or `HarkSetAlarm`.
    IntentName
);
name_type!(
    /// The name of a slot of an intent, such as `minutes` or `item`.
    SlotName
);

/// A slot's normalized value, as it appears in the JSON the parser writes.
///
/// Kept as JSON so that a list value may be any JSON value (Home Assistant's
/// lists put numbers, strings and objects in `out`), while entity parsers
/// produce numbers (durations in seconds) and ISO 8601 strings.
pub type SlotValue = serde_json::Value;

/// A recognized intent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Intent {
    /// Which intent.
    pub name: IntentName,
    /// Normalized slot values.
    pub slots: BTreeMap<SlotName, SlotValue>,
    /// The words of the utterance each slot matched, as spoken.
    pub raw: BTreeMap<SlotName, String>,
    /// How sure the parser is, from 0 to 1.
    pub confidence: f64,
    /// Which parser understood it.
    #[serde(default)]
    pub stage: Stage,
}

/// Which of hark's parsers understood an utterance: the templates first, and the trained
/// model when no template matched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// A sentence template (or the dialogue, or hark itself).
    #[default]
    Templates,
    /// A model trained from examples.
    Trained,
}
