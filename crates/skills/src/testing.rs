//! Test fixtures: intents built by hand.

use hark_core::{Intent, IntentName};
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
    }
}
