//! The help skill: what hark can do, in one breath.
//!
//! `HarkHelp` answers with a short spoken list (timers, alarms, reminders,
//! weather, music, lists, the time) and one example to try. The list is a
//! response, not generated from the registered skills: what a skill is called
//! in code is not how to tell a person about it, and a spoken list has to be
//! short and ordered by what people use most.

use hark_core::skill::{Outcome, Skill, SkillError, Turn};

use crate::responses::{Localized, ResponseFile, Spec};
use crate::slots;
use crate::Error;

const SPEC: Spec = &[("help", &[])];

const FILES: &[ResponseFile] = &[(
    "en",
    "help/responses/en.yaml",
    include_str!("responses/en.yaml"),
)];

/// The help skill.
#[derive(Debug, Clone)]
pub struct Help {
    responses: Localized,
}

impl Help {
    /// The skill's name.
    pub const NAME: &'static str = "help";

    /// Builds the skill, checking its response files.
    pub fn new() -> Result<Self, Error> {
        Ok(Self {
            responses: Localized::new(Self::NAME, SPEC, FILES)?,
        })
    }
}

impl Skill for Help {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn intents(&self) -> &[&'static str] {
        &["HarkHelp"]
    }

    fn handle(&self, turn: &Turn<'_>) -> Result<Outcome, SkillError> {
        if turn.intent.name.as_str() != "HarkHelp" {
            return Err(slots::unsupported(Self::NAME, turn.intent));
        }
        let r = self.responses.get(turn.language);
        Ok(Outcome::say(r.render("help", &[])))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{ask, intent};
    use hark_core::skill::Next;
    use serde_json::json;

    #[test]
    fn lists_what_hark_does() {
        let out = ask(
            &Help::new().unwrap(),
            "Europe/Paris",
            "2026-11-25T08:00:00Z",
            &intent("HarkHelp", json!({})),
        );
        insta::assert_snapshot!(out.speech, @"I can set timers, alarms and reminders, and tell you the time and the date. Try saying: set a pasta timer for 8 minutes.");
        // Only what the built-in skills do today: no promise of weather yet.
        for topic in ["timers", "alarms", "reminders", "time", "date"] {
            assert!(out.speech.contains(topic), "{topic}");
        }
        assert!(!out.speech.contains("weather"));
        assert!(out.effects.is_empty());
        assert_eq!(out.next, Next::End);
    }

    #[test]
    fn refuses_other_intents() {
        let home = crate::testing::Home::new("UTC");
        let i = intent("HarkStop", json!({}));
        let err = Help::new()
            .unwrap()
            .handle(&home.turn(&i, "2026-11-25T08:00:00Z"))
            .unwrap_err();
        assert_eq!(err.code, "intent_unsupported");
    }
}
