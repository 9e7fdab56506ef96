//! The ringing skill: "stop the alarm" and "snooze" for whatever rings on the
//! device that heard it: an alarm, a timer or a reminder.
//!
//! The runtime passes what rings on the turn's device ([`Turn::ringing`]) and
//! applies the effects ([`Effect::StopRinging`], [`Effect::SnoozeRinging`]).
//! Only the device's own rings are in the turn, so "stop" in the kitchen never
//! silences the bedroom. A bare "stop" (`HarkStop`) stops them too: that is the
//! stop skill's, which adds the same effects.
//!
//! * `HarkStopAlarm` ("stop the alarm", "I'm awake") stops every ring on the
//!   device and says nothing.
//! * `HarkSnoozeAlarm` ("snooze", "5 more minutes") snoozes them: each rings
//!   again after the length said, or [`DEFAULT_SNOOZE_SECS`] (9 minutes). A
//!   snooze lasts from one minute to one day; outside that, the answer says so
//!   and nothing changes.
//! * [`MISSED_INTENT`], which only the runtime gives, says what was missed on
//!   this device ("You missed your wake up alarm at 7 AM today."): each of up
//!   to two, or how many and the last one.

use hark_core::skill::{
    Effect, MissedView, Needs, Outcome, Skill, SkillError, Turn, DEFAULT_SNOOZE_SECS, MISSED_INTENT,
};
use hark_core::SlotName;

use crate::responses::{Localized, ResponseFile, Responses, Spec};
use crate::timer::{seconds_slot, spoken_duration};
use crate::{slots, Error};

const SPEC: Spec = &[
    ("stopped", &[]),
    ("snoozed", &["length"]),
    ("snooze_out_of_range", &[]),
    ("nothing_ringing", &[]),
    ("missed", &["what", "when"]),
    ("missed_reminder", &["when", "task"]),
    ("missed_many", &["count", "what", "when"]),
];

const FILES: &[ResponseFile] = &[(
    "en",
    "ringing/responses/en.yaml",
    include_str!("responses/en.yaml"),
)];

/// The shortest and longest snooze.
const SNOOZE_SECS: std::ops::RangeInclusive<i64> = 60..=24 * 3600;

/// The ringing skill.
#[derive(Debug, Clone)]
pub struct Ringing {
    responses: Localized,
}

impl Ringing {
    /// The skill's name.
    pub const NAME: &'static str = "ringing";

    /// Builds the skill, checking its response files.
    pub fn new() -> Result<Self, Error> {
        Ok(Self {
            responses: Localized::new(Self::NAME, SPEC, FILES)?,
        })
    }
}

/// The effects that stop everything ringing in `turn` (none if nothing rings).
pub fn stop_all(turn: &Turn<'_>) -> Vec<Effect> {
    turn.ringing
        .iter()
        .map(|ring| Effect::StopRinging {
            id: ring.id.clone(),
        })
        .collect()
}

impl Skill for Ringing {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn intents(&self) -> &[&'static str] {
        &["HarkStopAlarm", "HarkSnoozeAlarm", MISSED_INTENT]
    }

    fn needs(&self, intent: &hark_core::Intent) -> Needs {
        Needs {
            ringing: intent.name.as_str() != MISSED_INTENT,
            ..Needs::default()
        }
    }

    fn handle(&self, turn: &Turn<'_>) -> Result<Outcome, SkillError> {
        let r = self.responses.get(turn.language);
        if turn.intent.name.as_str() == MISSED_INTENT {
            return Ok(Outcome::say(missed(turn, r)?));
        }
        if turn.ringing.is_empty() {
            return Ok(Outcome::say(r.render("nothing_ringing", &[])));
        }
        match turn.intent.name.as_str() {
            "HarkStopAlarm" => {
                let mut out = Outcome::say(r.render("stopped", &[]));
                out.effects = stop_all(turn);
                Ok(out)
            }
            "HarkSnoozeAlarm" => {
                let seconds = seconds_slot(turn.intent)?.unwrap_or(DEFAULT_SNOOZE_SECS);
                if !SNOOZE_SECS.contains(&seconds) {
                    return Ok(Outcome::say(r.render("snooze_out_of_range", &[])));
                }
                let length = spoken_duration(seconds);
                let mut out = Outcome::say(r.render("snoozed", &[("length", &length)]));
                out.effects = turn
                    .ringing
                    .iter()
                    .map(|ring| Effect::SnoozeRinging {
                        id: ring.id.clone(),
                        seconds,
                    })
                    .collect();
                Ok(out)
            }
            _ => Err(slots::unsupported(Self::NAME, turn.intent)),
        }
    }
}

/// What to say of the missed items in the turn's `missed` slot.
fn missed(turn: &Turn<'_>, r: &Responses) -> Result<String, SkillError> {
    let value = turn
        .intent
        .slots
        .get(&SlotName::new("missed"))
        .cloned()
        .unwrap_or_default();
    let missed: Vec<MissedView> = serde_json::from_value(value).map_err(|e| SkillError {
        code: "slot_invalid",
        message: format!("missed is not a list of missed items: {e}"),
    })?;
    let one = |item: &MissedView| {
        let when = crate::alarm::when(item.due, turn);
        match (item.kind.as_str(), &item.text) {
            ("reminder", Some(task)) => {
                r.render("missed_reminder", &[("when", &when), ("task", task)])
            }
            _ => r.render("missed", &[("what", &what(item)), ("when", &when)]),
        }
    };
    Ok(match missed.as_slice() {
        [] => String::new(),
        [a] => one(a),
        [a, b] => format!("{} {}", one(a), one(b)),
        [.., last] => r.render(
            "missed_many",
            &[
                ("count", &missed.len().to_string()),
                ("what", &what(last)),
                ("when", &crate::alarm::when(last.due, turn)),
            ],
        ),
    })
}

/// "wake up alarm", "alarm", "pasta timer", "timer", "reminder".
fn what(item: &MissedView) -> String {
    let kind = item.kind.as_str();
    match item.name.as_deref().or(item.label.as_deref()) {
        Some(name) if name.to_lowercase().ends_with(kind) => name.to_string(),
        Some(name) if kind != "reminder" => format!("{name} {kind}"),
        _ => kind.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use hark_core::skill::RingingView;
    use serde_json::json;

    use super::*;
    use crate::testing::{intent, Home};

    fn ring(id: &str) -> RingingView {
        RingingView {
            id: id.into(),
            kind: "alarm".into(),
            name: None,
            label: Some("wake up".into()),
        }
    }

    fn answer(name: &str, slots: serde_json::Value, ringing: &[RingingView]) -> Outcome {
        let home = Home::new("Europe/Berlin");
        let intent = intent(name, slots);
        let mut turn = home.turn(&intent, "2026-11-25T06:00:00Z");
        turn.ringing = ringing;
        Ringing::new().unwrap().handle(&turn).unwrap()
    }

    #[test]
    fn stop_silences_every_ring_on_the_device_without_a_word() {
        let out = answer("HarkStopAlarm", json!({}), &[ring("a.1"), ring("b.3")]);
        assert_eq!(out.speech, "");
        assert_eq!(
            out.effects,
            vec![
                Effect::StopRinging { id: "a.1".into() },
                Effect::StopRinging { id: "b.3".into() }
            ]
        );
    }

    #[test]
    fn snooze_defaults_to_nine_minutes_and_takes_a_length() {
        let out = answer("HarkSnoozeAlarm", json!({}), &[ring("a.1")]);
        assert_eq!(out.speech, "Snoozed for 9 minutes.");
        assert_eq!(
            out.effects,
            vec![Effect::SnoozeRinging {
                id: "a.1".into(),
                seconds: 540
            }]
        );
        let out = answer("HarkSnoozeAlarm", json!({"seconds": 300}), &[ring("a.1")]);
        assert_eq!(out.speech, "Snoozed for 5 minutes.");
    }

    #[test]
    fn a_snooze_too_short_or_too_long_changes_nothing() {
        for seconds in [0, 30, 2 * 86_400] {
            let out = answer(
                "HarkSnoozeAlarm",
                json!({"seconds": seconds}),
                &[ring("a.1")],
            );
            assert_eq!(
                out.speech,
                "I can snooze for between one minute and one day."
            );
            assert!(out.effects.is_empty(), "{seconds}");
        }
    }

    fn missed_said(items: serde_json::Value) -> Outcome {
        let home = Home::new("Europe/Berlin");
        let intent = intent(MISSED_INTENT, json!({ "missed": items }));
        // 08:30 in Berlin.
        let turn = home.turn(&intent, "2026-11-25T07:30:00Z");
        Ringing::new().unwrap().handle(&turn).unwrap()
    }

    #[test]
    fn what_was_missed_is_told_by_name_and_local_time() {
        let wake = json!({"kind": "alarm", "label": "wake up", "due": "2026-11-25T06:00:00Z"});
        let pasta = json!({"kind": "timer", "name": "pasta", "due": "2026-11-24T18:40:00Z"});
        let call = json!({"kind": "reminder", "text": "call mum", "due": "2026-11-23T17:00:00Z"});
        let plain = json!({"kind": "alarm", "label": "Gym alarm", "due": "2026-11-25T05:30:00Z"});
        assert_eq!(
            missed_said(json!([wake])).speech,
            "You missed your wake up alarm at 7 AM today."
        );
        assert_eq!(
            missed_said(json!([pasta, call])).speech,
            "You missed your pasta timer at 7:40 PM yesterday. \
             You missed a reminder at 6 PM on Monday: call mum."
        );
        assert_eq!(
            missed_said(json!([pasta, call, plain])).speech,
            "You missed 3 alarms, timers and reminders; the last was your Gym alarm at 6:30 AM today."
        );
        let out = missed_said(json!([]));
        assert_eq!((out.speech.as_str(), out.effects.len()), ("", 0));
    }

    #[test]
    fn a_malformed_missed_list_is_an_error_not_a_guess() {
        let home = Home::new("Europe/Berlin");
        let intent = intent(MISSED_INTENT, json!({ "missed": [{"kind": "alarm"}] }));
        let turn = home.turn(&intent, "2026-11-25T07:30:00Z");
        assert!(Ringing::new().unwrap().handle(&turn).is_err());
    }

    #[test]
    fn with_nothing_ringing_it_says_so_and_changes_nothing() {
        for name in ["HarkStopAlarm", "HarkSnoozeAlarm"] {
            let out = answer(name, json!({}), &[]);
            assert_eq!(out.speech, "Nothing is ringing right now.");
            assert!(out.effects.is_empty());
        }
    }
}
