//! The stop skill: "stop" and "never mind" when no conversation is under way.
//!
//! The dialogue layer ends any session on these intents itself; this skill is
//! what answers when there was none.
//!
//! * `HarkStop` ("stop", "be quiet") silences the device with
//!   [`Effect::StopDevice`], stops whatever rings on it (as "stop the alarm"
//!   does, see the ringing skill), and says nothing: after "stop", any word
//!   from the speaker is one too many. The empty answer is a response like any
//!   other, so a language may choose a word.
//! * `HassNevermind` ("never mind", "cancel") says "OK." and ends the session.
//!   It stops nothing: dropping a question is not silencing an alarm.

use hark_core::skill::{Effect, Needs, Outcome, Skill, SkillError, Turn};

use crate::responses::{Localized, ResponseFile, Spec};
use crate::slots;
use crate::Error;

const SPEC: Spec = &[("stopped", &[]), ("nevermind", &[])];

const FILES: &[ResponseFile] = &[(
    "en",
    "stop/responses/en.yaml",
    include_str!("responses/en.yaml"),
)];

/// The stop skill.
#[derive(Debug, Clone)]
pub struct Stop {
    responses: Localized,
}

impl Stop {
    /// The skill's name.
    pub const NAME: &'static str = "stop";

    /// Builds the skill, checking its response files.
    pub fn new() -> Result<Self, Error> {
        Ok(Self {
            responses: Localized::new(Self::NAME, SPEC, FILES)?,
        })
    }
}

impl Skill for Stop {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn intents(&self) -> &[&'static str] {
        &["HarkStop", "HassNevermind"]
    }

    fn needs(&self, intent: &hark_core::Intent) -> Needs {
        Needs {
            ringing: intent.name.as_str() == "HarkStop",
            ..Needs::default()
        }
    }

    fn handle(&self, turn: &Turn<'_>) -> Result<Outcome, SkillError> {
        let r = self.responses.get(turn.language);
        match turn.intent.name.as_str() {
            "HarkStop" => {
                let mut out = Outcome::say(r.render("stopped", &[]));
                out.effects = crate::ringing::stop_all(turn);
                out.effects.push(Effect::StopDevice);
                Ok(out)
            }
            "HassNevermind" => Ok(Outcome::say(r.render("nevermind", &[]))),
            _ => Err(slots::unsupported(Self::NAME, turn.intent)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{ask, intent};
    use hark_core::skill::Next;
    use serde_json::json;

    fn stop(name: &str) -> Outcome {
        ask(
            &Stop::new().unwrap(),
            "Europe/Paris",
            "2026-11-25T08:00:00Z",
            &intent(name, json!({})),
        )
    }

    #[test]
    fn stop_silences_the_device_without_a_word() {
        let out = stop("HarkStop");
        assert_eq!(out.speech, "");
        assert_eq!(out.effects, [Effect::StopDevice]);
        assert_eq!(out.next, Next::End);
    }

    #[test]
    fn stop_also_stops_what_rings_on_the_device() {
        let home = crate::testing::Home::new("Europe/Paris");
        let intent = intent("HarkStop", json!({}));
        let mut turn = home.turn(&intent, "2026-11-25T08:00:00Z");
        let ringing = [hark_core::skill::RingingView {
            id: "tmr_pasta.1".into(),
            kind: "timer".into(),
            name: Some("pasta".into()),
            label: None,
        }];
        turn.ringing = &ringing;
        let out = Stop::new().unwrap().handle(&turn).unwrap();
        assert_eq!(out.speech, "");
        assert_eq!(
            out.effects,
            [
                Effect::StopRinging {
                    id: "tmr_pasta.1".into()
                },
                Effect::StopDevice
            ]
        );
    }

    #[test]
    fn nevermind_says_ok_and_ends_the_session() {
        let out = stop("HassNevermind");
        assert_eq!(out.speech, "OK.");
        assert!(out.effects.is_empty());
        assert_eq!(out.next, Next::End);
    }
}
