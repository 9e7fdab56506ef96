//! Yes and no when hark asked nothing.
//!
//! While a question is pending, the dialogue layer reads "yes" and "no" as its
//! answer and never routes them here. So this skill only ever hears a yes or
//! no out of the blue (the question timed out, or the user answered a
//! question from another device), and says politely that there is nothing to
//! answer, rather than "Sorry, I didn't understand": it did understand.

use hark_core::skill::{Outcome, Skill, SkillError, Turn};

use crate::responses::{Localized, ResponseFile, Spec};
use crate::slots;
use crate::Error;

const SPEC: Spec = &[("yes_unasked", &[]), ("no_unasked", &[])];

const FILES: &[ResponseFile] = &[(
    "en",
    "confirm/responses/en.yaml",
    include_str!("responses/en.yaml"),
)];

/// The skill for yes and no outside a question.
#[derive(Debug, Clone)]
pub struct Confirm {
    responses: Localized,
}

impl Confirm {
    /// The skill's name.
    pub const NAME: &'static str = "confirm";

    /// Builds the skill, checking its response files.
    pub fn new() -> Result<Self, Error> {
        Ok(Self {
            responses: Localized::new(Self::NAME, SPEC, FILES)?,
        })
    }
}

impl Skill for Confirm {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn intents(&self) -> &[&'static str] {
        &["HarkYes", "HarkNo"]
    }

    fn handle(&self, turn: &Turn<'_>) -> Result<Outcome, SkillError> {
        let r = self.responses.get(turn.language);
        let key = match turn.intent.name.as_str() {
            "HarkYes" => "yes_unasked",
            "HarkNo" => "no_unasked",
            _ => return Err(slots::unsupported(Self::NAME, turn.intent)),
        };
        Ok(Outcome::say(r.render(key, &[])))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{ask, intent};
    use hark_core::skill::Next;
    use serde_json::json;

    fn answer(name: &str) -> Outcome {
        ask(
            &Confirm::new().unwrap(),
            "Europe/Paris",
            "2026-11-25T08:00:00Z",
            &intent(name, json!({})),
        )
    }

    #[test]
    fn yes_with_nothing_to_confirm() {
        let out = answer("HarkYes");
        assert_eq!(out.speech, "There's nothing to confirm right now.");
        assert!(out.effects.is_empty());
        assert_eq!(out.next, Next::End);
    }

    #[test]
    fn no_with_nothing_to_cancel() {
        let out = answer("HarkNo");
        assert_eq!(out.speech, "There's nothing to cancel right now.");
        assert!(out.effects.is_empty());
        assert_eq!(out.next, Next::End);
    }
}
