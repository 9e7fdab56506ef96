//! hark's built-in skills, each with what it says beside it.
//!
//! A skill turns one recognized intent into an outcome (see
//! [`hark_core::skill`]): it is handed the time in the turn, does no I/O and
//! returns effects for the runtime to apply. Each skill is one module, with
//! its response files under `<skill>/responses/<language>.yaml`:
//!
//! | module | skill | intents |
//! | --- | --- | --- |
//! | [`clock`] | the time and the date | `HassGetCurrentTime`, `HassGetCurrentDate` |
//! | [`help`] | what hark can do | `HarkHelp` |
//! | [`stop`] | stop, never mind | `HarkStop`, `HassNevermind` |
//! | [`confirm`] | yes or no when nothing was asked | `HarkYes`, `HarkNo` |
//! | [`timer`] | timers: start, status, cancel, pause, resume, add time | `HassStartTimer`, ... |
//! | [`alarm`] | alarms and reminders: set, list, cancel | `HarkSetAlarm`, `HarkSetReminder`, ... |
//! | [`ringing`] | stop or snooze what rings on this device | `HarkStopAlarm`, `HarkSnoozeAlarm` |
//! | [`media`] | play music from the library, control it, playlists | `HassMediaSearchAndPlay`, `HassMediaPause`, ... |
//! | [`volume`] | the device's volume and mute | `HassSetVolume`, `HarkGetVolume`, ... |
//! | [`lists`] | shopping, to-do and named lists: add, read, check off, remove, clear | `HassListAddItem`, ... |
//! | [`weather`] | current conditions and the forecast | `HassGetWeather` |
//!
//! The key decision: what a skill says lives in [`responses`] files, checked
//! against the keys and placeholders the skill fills when it is built, so a
//! translation is a file, not code, and a broken one fails the tests. The
//! pieces that are rules rather than sentences (how a time or a date is
//! said) are code, in [`spoken`].
//!
//! [`Registry`] finds the skill for an intent and refuses two skills that
//! claim the same one.

#![deny(missing_docs)]

use std::collections::BTreeMap;

use hark_core::skill::Skill;
use hark_core::IntentName;

pub mod alarm;
pub mod clock;
pub mod confirm;
pub mod devices;
mod error;
pub mod help;
pub mod lists;
pub mod media;
pub mod responses;
pub mod ringing;
pub mod slots;
pub mod spoken;
pub mod stop;
#[cfg(test)]
mod testing;
pub mod timer;
pub mod volume;
pub mod weather;

pub use error::Error;

/// Every built-in skill, each built and its response files checked.
///
/// The built-in files are checked by this crate's tests, so an error here
/// means a build that skipped them.
pub fn builtin() -> Result<Vec<Box<dyn Skill>>, Error> {
    Ok(vec![
        Box::new(clock::Clock::new()?),
        Box::new(help::Help::new()?),
        Box::new(stop::Stop::new()?),
        Box::new(confirm::Confirm::new()?),
        Box::new(timer::Timer::new()?),
        Box::new(alarm::Alarm::new()?),
        Box::new(ringing::Ringing::new()?),
        Box::new(media::Media::new()?),
        Box::new(volume::Volume::new()?),
        Box::new(lists::Lists::new()?),
        Box::new(weather::Weather::new()?),
    ])
}

/// Skills, found by the intent they handle.
pub struct Registry {
    skills: Vec<Box<dyn Skill>>,
    by_intent: BTreeMap<IntentName, usize>,
}

impl Registry {
    /// Registers `skills`; two skills may not claim the same intent, since
    /// which one answered would then depend on the order of this list.
    pub fn new(skills: Vec<Box<dyn Skill>>) -> Result<Self, Error> {
        let mut by_intent: BTreeMap<IntentName, usize> = BTreeMap::new();
        for (index, skill) in skills.iter().enumerate() {
            for &intent in skill.intents() {
                if let Some(&first) = by_intent.get(&IntentName::new(intent)) {
                    return Err(Error::DuplicateIntent {
                        intent: intent.to_string(),
                        first: skills[first].name(),
                        second: skill.name(),
                    });
                }
                by_intent.insert(IntentName::new(intent), index);
            }
        }
        Ok(Self { skills, by_intent })
    }

    /// The built-in skills.
    pub fn builtin() -> Result<Self, Error> {
        Self::new(builtin()?)
    }

    /// The skill that handles `intent`, if any.
    pub fn skill_for(&self, intent: &IntentName) -> Option<&dyn Skill> {
        self.by_intent
            .get(intent)
            .map(|&index| self.skills[index].as_ref())
    }

    /// The registered skills, in the order given.
    pub fn skills(&self) -> impl Iterator<Item = &dyn Skill> {
        self.skills.iter().map(AsRef::as_ref)
    }

    /// Every intent some skill handles, sorted.
    pub fn intents(&self) -> impl Iterator<Item = &IntentName> {
        self.by_intent.keys()
    }
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(
                self.by_intent
                    .iter()
                    .map(|(intent, &index)| (intent, self.skills[index].name())),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_response_file_is_valid() {
        // Each constructor checks its files; name the failing one.
        clock::Clock::new().unwrap();
        help::Help::new().unwrap();
        stop::Stop::new().unwrap();
        confirm::Confirm::new().unwrap();
        timer::Timer::new().unwrap();
        alarm::Alarm::new().unwrap();
        ringing::Ringing::new().unwrap();
        media::Media::new().unwrap();
        volume::Volume::new().unwrap();
        lists::Lists::new().unwrap();
        weather::Weather::new().unwrap();
        assert_eq!(builtin().unwrap().len(), 11);
    }

    #[test]
    fn no_two_builtin_skills_claim_the_same_intent() {
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for skill in builtin().unwrap() {
            let name = skill.name();
            for &intent in skill.intents() {
                if let Some(other) = seen.insert(intent, name) {
                    panic!("{intent} is claimed by {other} and {name}");
                }
            }
        }
        // And the registry agrees.
        Registry::builtin().unwrap();
    }

    #[test]
    fn finds_the_skill_for_an_intent() {
        let registry = Registry::builtin().unwrap();
        let name = |intent: &str| {
            registry
                .skill_for(&IntentName::new(intent))
                .map(|s| s.name())
        };
        assert_eq!(name("HassGetCurrentTime"), Some("clock"));
        assert_eq!(name("HassGetCurrentDate"), Some("clock"));
        assert_eq!(name("HarkHelp"), Some("help"));
        assert_eq!(name("HarkStop"), Some("stop"));
        assert_eq!(name("HassNevermind"), Some("stop"));
        assert_eq!(name("HarkYes"), Some("confirm"));
        assert_eq!(name("HarkNo"), Some("confirm"));
        assert_eq!(name("HassStartTimer"), Some("timer"));
        assert_eq!(name("HassTimerStatus"), Some("timer"));
        assert_eq!(name("HarkSetAlarm"), Some("alarm"));
        assert_eq!(name("HarkCancelReminder"), Some("alarm"));
        assert_eq!(name("HarkSnoozeAlarm"), Some("ringing"));
        assert_eq!(name(hark_core::skill::MISSED_INTENT), Some("ringing"));
        assert_eq!(name("HarkMediaShuffle"), Some("media"));
        assert_eq!(name("HassSetVolume"), Some("volume"));
        assert_eq!(registry.intents().count(), 47);
        assert_eq!(name("HassGetWeather"), Some("weather"));
        assert_eq!(name("HassListAddItem"), Some("lists"));
    }

    #[test]
    fn a_second_claim_on_an_intent_is_refused() {
        let skills: Vec<Box<dyn Skill>> = vec![
            Box::new(stop::Stop::new().unwrap()),
            Box::new(clock::Clock::new().unwrap()),
            Box::new(stop::Stop::new().unwrap()),
        ];
        let err = Registry::new(skills).unwrap_err();
        assert_eq!(
            err.to_string(),
            "intent `HarkStop` is claimed by both `stop` and `stop`"
        );
    }
}
