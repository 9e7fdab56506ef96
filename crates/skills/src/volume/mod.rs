//! The volume skill: the turn's device's volume, from 0 to 100, and mute.
//!
//! The runtime passes the device's player ([`Turn::player`]: its volume and
//! whether it is muted; a device that never played is at 50) and applies
//! [`MediaEffect::Volume`] and [`MediaEffect::Mute`], telling the device.
//!
//! * `HassSetVolume` (`volume`, a percentage) sets it; setting unmutes.
//! * `HassSetVolumeRelative` (`volume_step`: `up`, `down`, or a signed
//!   number of points) moves it by [`DEFAULT_STEP`] or the number, within 0
//!   to 100; already at the end, the answer says so and nothing changes.
//! * `HassMediaPlayerMute`, `HassMediaPlayerUnmute` and `HarkGetVolume`
//!   ("what's the volume").

use hark_core::media::{MediaEffect, PlayerView};
use hark_core::skill::{Effect, Needs, Outcome, Skill, SkillError, Turn};
use hark_core::{Intent, SlotName};

use crate::responses::{Localized, ResponseFile, Spec};
use crate::{slots, Error};

const SPEC: Spec = &[
    ("volume", &["level"]),
    ("muted", &[]),
    ("already_muted", &[]),
    ("unmuted", &["level"]),
    ("not_muted", &["level"]),
    ("already_max", &[]),
    ("already_min", &[]),
    ("out_of_range", &[]),
];

const FILES: &[ResponseFile] = &[(
    "en",
    "volume/responses/en.yaml",
    include_str!("responses/en.yaml"),
)];

/// How far "turn it up" moves the volume, in points of 100.
pub const DEFAULT_STEP: i64 = 10;
/// A device's volume before anyone set it.
pub const DEFAULT_VOLUME: u8 = 50;

/// The volume skill.
#[derive(Debug, Clone)]
pub struct Volume {
    responses: Localized,
}

impl Volume {
    /// The skill's name.
    pub const NAME: &'static str = "volume";

    /// Builds the skill, checking its response files.
    pub fn new() -> Result<Self, Error> {
        Ok(Self {
            responses: Localized::new(Self::NAME, SPEC, FILES)?,
        })
    }
}

/// The `volume_step` slot in points: `up`, `down` or a signed number.
fn step(intent: &Intent) -> Result<i64, SkillError> {
    let Some(value) = intent.slots.get(&SlotName::new("volume_step")) else {
        return Ok(DEFAULT_STEP);
    };
    let parsed = match value {
        serde_json::Value::String(s) => match s.as_str() {
            "up" => Some(DEFAULT_STEP),
            "down" => Some(-DEFAULT_STEP),
            other => other.trim().parse::<i64>().ok(),
        },
        serde_json::Value::Number(n) => n.as_f64().map(|n| n.round() as i64),
        _ => None,
    };
    parsed.ok_or_else(|| slots::invalid_slot("volume_step", value, "up, down or a number"))
}

impl Skill for Volume {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn intents(&self) -> &[&'static str] {
        &[
            "HassSetVolume",
            "HassSetVolumeRelative",
            "HassMediaPlayerMute",
            "HassMediaPlayerUnmute",
            "HarkGetVolume",
        ]
    }

    fn needs(&self, _intent: &Intent) -> Needs {
        Needs {
            player: true,
            ..Needs::default()
        }
    }

    fn handle(&self, turn: &Turn<'_>) -> Result<Outcome, SkillError> {
        let r = self.responses.get(turn.language);
        let (level, muted) = turn
            .player
            .map_or((DEFAULT_VOLUME, false), |p: &PlayerView| {
                (p.volume, p.muted)
            });
        let set = |to: u8| {
            let mut out = Outcome::say(r.render("volume", &[("level", &to.to_string())]));
            out.effects
                .push(Effect::Media(MediaEffect::Volume { level: to }));
            out
        };
        let mute = |speech: String, to: bool| {
            let mut out = Outcome::say(speech);
            out.effects
                .push(Effect::Media(MediaEffect::Mute { muted: to }));
            out
        };
        let shown = level.to_string();
        Ok(match turn.intent.name.as_str() {
            "HassSetVolume" => {
                let value = turn.intent.slots.get(&SlotName::new("volume"));
                match value.and_then(|v| v.as_f64()).map(f64::round) {
                    Some(to) if (0.0..=100.0).contains(&to) => set(to as u8),
                    Some(_) => Outcome::say(r.render("out_of_range", &[])),
                    None => {
                        let value = value.cloned().unwrap_or_default();
                        return Err(slots::invalid_slot("volume", &value, "a number 0 to 100"));
                    }
                }
            }
            "HassSetVolumeRelative" => {
                let by = step(turn.intent)?;
                let to = (i64::from(level) + by).clamp(0, 100) as u8;
                match (by > 0, to == level && !muted) {
                    (true, true) => Outcome::say(r.render("already_max", &[])),
                    (false, true) => Outcome::say(r.render("already_min", &[])),
                    _ => set(to),
                }
            }
            "HassMediaPlayerMute" => match muted {
                true => Outcome::say(r.render("already_muted", &[])),
                false => mute(r.render("muted", &[]), true),
            },
            "HassMediaPlayerUnmute" => match muted {
                true => mute(r.render("unmuted", &[("level", &shown)]), false),
                false => Outcome::say(r.render("not_muted", &[("level", &shown)])),
            },
            "HarkGetVolume" => match muted {
                true => Outcome::say(r.render("muted", &[])),
                false => Outcome::say(r.render("volume", &[("level", &shown)])),
            },
            _ => return Err(slots::unsupported(Self::NAME, turn.intent)),
        })
    }
}

#[cfg(test)]
mod tests {
    use hark_core::media::{MediaEffect, PlayState, PlayerView};
    use hark_core::skill::{Effect, Outcome, Skill};
    use serde_json::json;

    use super::Volume;
    use crate::testing::{intent, Home};

    fn at(volume: u8, muted: bool) -> Home {
        let mut home = Home::new("UTC");
        home.player = Some(PlayerView {
            state: PlayState::Stopped,
            current: None,
            index: 0,
            queue_len: 0,
            shuffle: false,
            volume,
            muted,
        });
        home
    }

    fn run(home: &Home, name: &str, slots: serde_json::Value) -> Outcome {
        let i = intent(name, slots);
        Volume::new()
            .unwrap()
            .handle(&home.turn(&i, "2026-03-02T09:00:00Z"))
            .unwrap()
    }

    fn effects(out: &Outcome) -> Vec<MediaEffect> {
        out.effects
            .iter()
            .map(|e| match e {
                Effect::Media(m) => m.clone(),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn sets_the_volume() {
        let out = run(&at(50, false), "HassSetVolume", json!({"volume": 70}));
        assert_eq!(out.speech, "Volume 70.");
        assert_eq!(effects(&out), [MediaEffect::Volume { level: 70 }]);
        let out = run(&at(50, false), "HassSetVolume", json!({"volume": 170}));
        assert_eq!(out.speech, "The volume goes from 0 to 100.");
        assert!(out.effects.is_empty());
    }

    #[test]
    fn moves_the_volume_by_a_step_within_its_range() {
        let home = at(50, false);
        let out = run(&home, "HassSetVolumeRelative", json!({"volume_step": "up"}));
        assert_eq!(
            (out.speech.as_str(), effects(&out)),
            ("Volume 60.", vec![MediaEffect::Volume { level: 60 }])
        );
        let out = run(
            &home,
            "HassSetVolumeRelative",
            json!({"volume_step": "down"}),
        );
        assert_eq!(out.speech, "Volume 40.");
        let out = run(&home, "HassSetVolumeRelative", json!({"volume_step": -20}));
        assert_eq!(out.speech, "Volume 30.");
        let out = run(&home, "HassSetVolumeRelative", json!({}));
        assert_eq!(out.speech, "Volume 60.");
        let out = run(
            &at(95, false),
            "HassSetVolumeRelative",
            json!({"volume_step": 20}),
        );
        assert_eq!(out.speech, "Volume 100.");
        let out = run(
            &at(100, false),
            "HassSetVolumeRelative",
            json!({"volume_step": "up"}),
        );
        assert_eq!(out.speech, "The volume is already at its maximum.");
        assert!(out.effects.is_empty());
        let out = run(
            &at(0, false),
            "HassSetVolumeRelative",
            json!({"volume_step": "down"}),
        );
        assert_eq!(out.speech, "The volume is already at its lowest.");
        let i = intent("HassSetVolumeRelative", json!({"volume_step": "loud"}));
        let err = Volume::new()
            .unwrap()
            .handle(&home.turn(&i, "2026-03-02T09:00:00Z"))
            .unwrap_err();
        assert_eq!(err.code, "slot_invalid");
    }

    #[test]
    fn mute_unmute_and_what_the_volume_is() {
        let out = run(&at(70, false), "HassMediaPlayerMute", json!({}));
        assert_eq!(
            (out.speech.as_str(), effects(&out)),
            ("Muted.", vec![MediaEffect::Mute { muted: true }])
        );
        assert_eq!(
            run(&at(70, true), "HassMediaPlayerMute", json!({})).speech,
            "It's already muted."
        );
        let out = run(&at(70, true), "HassMediaPlayerUnmute", json!({}));
        assert_eq!(
            (out.speech.as_str(), effects(&out)),
            (
                "Unmuted. Volume 70.",
                vec![MediaEffect::Mute { muted: false }]
            )
        );
        assert_eq!(
            run(&at(70, false), "HarkGetVolume", json!({})).speech,
            "Volume 70."
        );
        assert_eq!(
            run(&at(70, true), "HarkGetVolume", json!({})).speech,
            "Muted."
        );
        // A device that never played.
        let home = Home::new("UTC");
        assert_eq!(run(&home, "HarkGetVolume", json!({})).speech, "Volume 50.");
    }
}
