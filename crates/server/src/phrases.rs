//! What the dialogue layer says itself, per language.
//!
//! Skills keep their own responses; these are the few sentences the runtime
//! needs when no skill answers (nothing understood, a question not answered,
//! a skill that failed). They live in `responses/<language>.yaml` beside this
//! file, embedded at build time; a language without a file speaks English.

use serde::Deserialize;

/// The dialogue layer's sentences in one language.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phrases {
    /// Acknowledges "never mind" and "stop" during a conversation.
    pub ok: String,
    /// After "no" to a confirmation.
    pub declined: String,
    /// When an answer does not fit the question.
    pub ask_again: String,
    /// When answers kept not fitting.
    pub gave_up: String,
    /// When no intent matched.
    pub not_understood: String,
    /// When spoken audio held no speech.
    pub heard_nothing: String,
    /// When no intent matched and the sentence names a day no year has;
    /// `{date}` is that day as said ("February 30th").
    pub no_such_date: String,
    /// When an intent has no skill yet.
    pub cannot_yet: String,
    /// When a skill failed.
    pub failed: String,
    /// When the room's music player (its MPD) does not answer; `{device}` is the device's
    /// name ("kitchen").
    pub player_unreachable: String,
}

const FILES: &[(&str, &str)] = &[("en", include_str!("responses/en.yaml"))];

impl Phrases {
    /// The phrases of `language`, or English.
    pub fn for_language(language: &str) -> Self {
        let text = FILES
            .iter()
            .find(|(l, _)| *l == language)
            .unwrap_or(&FILES[0])
            .1;
        serde_yaml::from_str(text).expect("the embedded responses are checked by a test")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_file_parses_and_says_something() {
        for (language, _) in FILES {
            let phrases = Phrases::for_language(language);
            assert!(!phrases.not_understood.is_empty() && !phrases.ok.is_empty());
        }
        assert_eq!(Phrases::for_language("xx"), Phrases::for_language("en"));
    }
}
