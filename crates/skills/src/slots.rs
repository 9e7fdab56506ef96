//! Reading slot values into types, and the errors skills share.
//!
//! Slots arrive as JSON in the shapes docs/intents.md lists; each reader here
//! accepts exactly that shape and nothing looser. A value of the wrong shape
//! is a [`SkillError`] with code `slot_invalid` rather than a guess: a wrong
//! answer about a date is worse than an apology.

use hark_core::skill::SkillError;
use hark_core::{Intent, SlotName, SlotValue};
use jiff::civil::Date;

/// A `date` slot: one day, or an inclusive range of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSlot {
    /// `"2026-11-26"`.
    Day(Date),
    /// `{"start": "2026-11-28", "end": "2026-11-29"}`, start not after end.
    Range(Date, Date),
}

/// The `slot` of `intent` as text, trimmed; `None` when it was not said, is empty, or is not
/// text.
pub fn text(intent: &Intent, slot: &str) -> Option<String> {
    intent
        .slots
        .get(&SlotName::new(slot))
        .and_then(SlotValue::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
}

/// The `slot` of `intent` read as a date, `None` when it was not said.
pub fn date(intent: &Intent, slot: &str) -> Result<Option<DateSlot>, SkillError> {
    let Some(value) = intent.slots.get(&SlotName::new(slot)) else {
        return Ok(None);
    };
    let day = |v: &SlotValue| v.as_str().and_then(|s| s.parse::<Date>().ok());
    let parsed = match value {
        SlotValue::String(_) => day(value).map(DateSlot::Day),
        SlotValue::Object(range) => match (range.get("start"), range.get("end")) {
            (Some(start), Some(end)) if range.len() == 2 => match (day(start), day(end)) {
                (Some(start), Some(end)) if start <= end => Some(DateSlot::Range(start, end)),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    };
    parsed
        .map(Some)
        .ok_or_else(|| invalid_slot(slot, value, "a date \"YYYY-MM-DD\" or {\"start\", \"end\"}"))
}

/// The error for a slot whose value has the wrong shape.
pub fn invalid_slot(slot: &str, value: &SlotValue, expected: &str) -> SkillError {
    SkillError {
        code: "slot_invalid",
        message: format!("slot `{slot}` is {value}, expected {expected}"),
    }
}

/// The error for an intent routed to a skill that does not claim it.
pub fn unsupported(skill: &str, intent: &Intent) -> SkillError {
    SkillError {
        code: "intent_unsupported",
        message: format!("skill `{skill}` does not handle `{}`", intent.name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::intent;
    use jiff::civil::date as d;
    use serde_json::json;

    #[test]
    fn reads_days_and_ranges() {
        let i = intent("X", json!({"date": "2026-11-26"}));
        assert_eq!(
            date(&i, "date").unwrap(),
            Some(DateSlot::Day(d(2026, 11, 26)))
        );
        let i = intent(
            "X",
            json!({"date": {"start": "2026-11-28", "end": "2026-11-29"}}),
        );
        assert_eq!(
            date(&i, "date").unwrap(),
            Some(DateSlot::Range(d(2026, 11, 28), d(2026, 11, 29)))
        );
        assert_eq!(date(&intent("X", json!({})), "date").unwrap(), None);
    }

    #[test]
    fn refuses_other_shapes() {
        for bad in [
            json!("tomorrow"),
            json!("2026-02-30"),
            json!(20261126),
            json!({"start": "2026-11-29", "end": "2026-11-28"}),
            json!({"start": "2026-11-28"}),
            json!({"start": "2026-11-28", "end": "2026-11-29", "step": 1}),
            json!(["2026-11-28"]),
        ] {
            let err = date(&intent("X", json!({ "date": bad })), "date").unwrap_err();
            assert_eq!(err.code, "slot_invalid", "{bad}");
        }
    }
}
