//! The timer skill: start, find, cancel, pause, resume, change and ask about
//! the household's timers.
//!
//! The skill does no I/O: the runtime gives it the household's running and
//! paused timers ([`Turn::timers`]) and applies the effects it returns
//! ([`Effect::StartTimer`], [`Effect::CancelTimer`], ...) durably before the
//! answer is spoken. Which timer a sentence means: the one it names ("the
//! pasta timer"), or the one of that length ("the 5 minute timer"), or the
//! only one there is; the device's own timers count first. With several and
//! no name, the skill asks which, and the answer is read as a name. A new
//! timer rings on the device that heard it, or on the one the request names
//! ([`crate::devices`]); an unknown name starts nothing.

use hark_core::skill::{Effect, Expect, Needs, Outcome, Skill, SkillError, TimerView, Turn};
use hark_core::{Intent, SlotName};

use crate::devices::{self, Target as Place};
use crate::responses::{Localized, ResponseFile, Responses, Spec};
use crate::slots;
use crate::Error;

const SPEC: Spec = &[
    ("started", &["title", "duration"]),
    ("started_on", &["title", "duration", "device"]),
    ("unknown_device", &["device"]),
    ("ask_length", &[]),
    ("too_short", &[]),
    ("too_long", &[]),
    ("none", &[]),
    ("no_such", &["a_what"]),
    ("which", &["count"]),
    ("left", &["duration", "what"]),
    ("left_paused", &["what", "duration"]),
    ("cancelled", &["title"]),
    ("cancelled_all", &["count"]),
    ("paused", &["title"]),
    ("already_paused", &["what"]),
    ("resumed", &["title"]),
    ("not_paused", &["what"]),
    ("added", &["duration", "what"]),
    ("removed", &["duration", "what"]),
    ("ask_change", &[]),
    ("stopped_ringing", &[]),
];

const FILES: &[ResponseFile] = &[(
    "en",
    "timer/responses/en.yaml",
    include_str!("responses/en.yaml"),
)];

/// The longest timer (the scheduler's limit too).
const MAX_SECONDS: i64 = 24 * 3600;

/// The timer skill.
#[derive(Debug, Clone)]
pub struct Timer {
    responses: Localized,
}

impl Timer {
    /// The skill's name.
    pub const NAME: &'static str = "timer";

    /// Builds the skill, checking its response files.
    pub fn new() -> Result<Self, Error> {
        Ok(Self {
            responses: Localized::new(Self::NAME, SPEC, FILES)?,
        })
    }
}

/// "timer" or "pasta timer".
fn what(timer: Option<&TimerView>, name: Option<&str>) -> String {
    match timer.and_then(|t| t.name.as_deref()).or(name) {
        Some(name) => format!("{name} timer"),
        None => "timer".to_string(),
    }
}

/// "a pasta timer", "an eggs timer", "an 8 minutes timer".
fn with_article(noun: &str) -> String {
    let vowel_sound = noun
        .chars()
        .next()
        .is_some_and(|c| "aeiouAEIOU8".contains(c))
        || noun.starts_with("11 ")
        || noun.starts_with("18 ");
    format!("{} {noun}", if vowel_sound { "an" } else { "a" })
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "4 minutes and 20 seconds", "1 hour and 5 minutes", "30 seconds".
pub fn spoken_duration(seconds: i64) -> String {
    let seconds = seconds.max(0);
    let parts: Vec<String> = [
        (seconds / 3600, "hour"),
        (seconds % 3600 / 60, "minute"),
        (seconds % 60, "second"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, unit)| format!("{n} {unit}{}", if n == 1 { "" } else { "s" }))
    .collect();
    match parts.as_slice() {
        [] => "0 seconds".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "Stop the timer" or "cancel the pasta timer" while a timer rings on this
/// device means the ringing one: it is stopped, and nothing is said.
fn stop_ringing(turn: &Turn<'_>, r: &Responses) -> Option<Outcome> {
    if !matches!(
        turn.intent.name.as_str(),
        "HassCancelTimer" | "HassCancelAllTimers"
    ) {
        return None;
    }
    let name = slots::text(turn.intent, "name");
    let effects: Vec<Effect> = turn
        .ringing
        .iter()
        .filter(|ring| ring.kind == "timer")
        .filter(|ring| {
            name.as_deref().is_none_or(|name| {
                ring.name
                    .as_deref()
                    .is_some_and(|ringing| ringing.eq_ignore_ascii_case(name))
            })
        })
        .map(|ring| Effect::StopRinging {
            id: ring.id.clone(),
        })
        .collect();
    if effects.is_empty() {
        return None;
    }
    let mut out = Outcome::say(r.render("stopped_ringing", &[]));
    out.effects = effects;
    Some(out)
}

pub(crate) fn seconds_slot(intent: &Intent) -> Result<Option<i64>, SkillError> {
    match intent.slots.get(&SlotName::new("seconds")) {
        None => Ok(None),
        Some(value) => value
            .as_f64()
            .filter(|s| s.is_finite())
            .map(|s| Some(s.round() as i64))
            .ok_or_else(|| SkillError {
                code: "slot_invalid",
                message: format!("seconds is not a number: {value}"),
            }),
    }
}

/// Which timer the sentence means, or what to say instead.
enum Target<'a> {
    One(&'a TimerView),
    Say(String),
    AskWhich(String),
}

fn find<'a>(turn: &Turn<'a>, r: &Responses, by_length: bool) -> Result<Target<'a>, SkillError> {
    let timers = turn.timers;
    if let Some(name) = slots::text(turn.intent, "name") {
        let wanted = name.to_lowercase();
        let found = timers.iter().find(|t| {
            t.name
                .as_deref()
                .is_some_and(|n| n.to_lowercase() == wanted)
        });
        return Ok(match found {
            Some(timer) => Target::One(timer),
            None => Target::Say(r.render(
                "no_such",
                &[("a_what", &with_article(&what(None, Some(&name))))],
            )),
        });
    }
    if by_length {
        if let Some(seconds) = seconds_slot(turn.intent)? {
            return Ok(match timers.iter().find(|t| t.length_secs == seconds) {
                Some(timer) => Target::One(timer),
                None => Target::Say(r.render(
                    "no_such",
                    &[(
                        "a_what",
                        &with_article(&format!("{} timer", spoken_duration(seconds))),
                    )],
                )),
            });
        }
    }
    let mine: Vec<&TimerView> = timers
        .iter()
        .filter(|t| t.device == turn.device.id)
        .collect();
    Ok(match (timers, mine.as_slice()) {
        ([], _) => Target::Say(r.render("none", &[])),
        ([only], _) => Target::One(only),
        (_, [only]) => Target::One(only),
        (all, _) => Target::AskWhich(r.render("which", &[("count", &all.len().to_string())])),
    })
}

impl Skill for Timer {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn intents(&self) -> &[&'static str] {
        &[
            "HassStartTimer",
            "HassCancelTimer",
            "HassCancelAllTimers",
            "HassIncreaseTimer",
            "HassDecreaseTimer",
            "HassPauseTimer",
            "HassUnpauseTimer",
            "HassTimerStatus",
        ]
    }

    fn needs(&self, intent: &Intent) -> Needs {
        let name = intent.name.as_str();
        Needs {
            timers: true,
            // "Stop the timer" means the ringing one, if one rings.
            ringing: matches!(name, "HassCancelTimer" | "HassCancelAllTimers"),
            devices: name == "HassStartTimer" && crate::devices::named(intent),
            ..Needs::default()
        }
    }

    fn handle(&self, turn: &Turn<'_>) -> Result<Outcome, SkillError> {
        let r = self.responses.get(turn.language);
        let intent = turn.intent;
        let ask_name = |speech: String| {
            Outcome::ask(
                speech,
                intent.clone(),
                Expect::Slot {
                    slot: SlotName::new("name"),
                    entity: None,
                },
            )
        };
        if let Some(out) = stop_ringing(turn, r) {
            return Ok(out);
        }
        match intent.name.as_str() {
            "HassStartTimer" => {
                let place = devices::target(turn)?;
                if let Place::Unknown(said) = &place {
                    return Ok(Outcome::say(
                        r.render("unknown_device", &[("device", said)]),
                    ));
                }
                let Some(seconds) = seconds_slot(intent)? else {
                    let expect = Expect::Slot {
                        slot: SlotName::new("seconds"),
                        entity: Some("duration".into()),
                    };
                    return Ok(Outcome::ask(
                        r.render("ask_length", &[]),
                        intent.clone(),
                        expect,
                    ));
                };
                if seconds < 1 {
                    return Ok(Outcome::say(r.render("too_short", &[])));
                }
                if seconds > MAX_SECONDS {
                    return Ok(Outcome::say(r.render("too_long", &[])));
                }
                let name = slots::text(intent, "name");
                let title = capitalized(&what(None, name.as_deref()));
                let duration = spoken_duration(seconds);
                let speech = match &place {
                    Place::Other(device) => r.render(
                        "started_on",
                        &[
                            ("title", &title),
                            ("duration", &duration),
                            ("device", &devices::spoken(device)),
                        ],
                    ),
                    _ => r.render("started", &[("title", &title), ("duration", &duration)]),
                };
                let mut out = Outcome::say(speech);
                out.effects.push(Effect::StartTimer {
                    seconds,
                    name,
                    device: place.device_id(),
                });
                Ok(out)
            }
            "HassCancelAllTimers" => {
                if turn.timers.is_empty() {
                    return Ok(Outcome::say(r.render("none", &[])));
                }
                let mut out = if let [only] = turn.timers {
                    Outcome::say(r.render(
                        "cancelled",
                        &[("title", &capitalized(&what(Some(only), None)))],
                    ))
                } else {
                    Outcome::say(r.render(
                        "cancelled_all",
                        &[("count", &turn.timers.len().to_string())],
                    ))
                };
                out.effects.extend(
                    turn.timers
                        .iter()
                        .map(|t| Effect::CancelTimer { id: t.id.clone() }),
                );
                Ok(out)
            }
            name => {
                let by_length = name == "HassCancelTimer";
                let timer = match find(turn, r, by_length)? {
                    Target::One(timer) => timer,
                    Target::Say(speech) => return Ok(Outcome::say(speech)),
                    Target::AskWhich(speech) => return Ok(ask_name(speech)),
                };
                let what_ = what(Some(timer), None);
                let what_cap = capitalized(&what_);
                let id = timer.id.clone();
                let (speech, effect) = match name {
                    "HassTimerStatus" if timer.paused => (
                        r.render(
                            "left_paused",
                            &[
                                ("what", &what_),
                                ("duration", &spoken_duration(timer.remaining_secs)),
                            ],
                        ),
                        None,
                    ),
                    "HassTimerStatus" => (
                        capitalized(&r.render(
                            "left",
                            &[
                                ("duration", &spoken_duration(timer.remaining_secs)),
                                ("what", &what_),
                            ],
                        )),
                        None,
                    ),
                    "HassCancelTimer" => (
                        r.render("cancelled", &[("title", &what_cap)]),
                        Some(Effect::CancelTimer { id }),
                    ),
                    "HassPauseTimer" if timer.paused => {
                        (r.render("already_paused", &[("what", &what_)]), None)
                    }
                    "HassPauseTimer" => (
                        r.render("paused", &[("title", &what_cap)]),
                        Some(Effect::PauseTimer { id }),
                    ),
                    "HassUnpauseTimer" if !timer.paused => {
                        (r.render("not_paused", &[("what", &what_)]), None)
                    }
                    "HassUnpauseTimer" => (
                        r.render("resumed", &[("title", &what_cap)]),
                        Some(Effect::ResumeTimer { id }),
                    ),
                    "HassIncreaseTimer" | "HassDecreaseTimer" => {
                        let Some(seconds) = seconds_slot(intent)? else {
                            let expect = Expect::Slot {
                                slot: SlotName::new("seconds"),
                                entity: Some("duration".into()),
                            };
                            return Ok(Outcome::ask(
                                r.render("ask_change", &[]),
                                intent.clone(),
                                expect,
                            ));
                        };
                        let increase = name == "HassIncreaseTimer";
                        let key = if increase { "added" } else { "removed" };
                        let speech = r.render(
                            key,
                            &[("duration", &spoken_duration(seconds)), ("what", &what_)],
                        );
                        (
                            speech,
                            Some(Effect::AdjustTimer {
                                id,
                                seconds: if increase { seconds } else { -seconds },
                            }),
                        )
                    }
                    _ => return Err(slots::unsupported(Self::NAME, intent)),
                };
                let mut out = Outcome::say(speech);
                out.effects.extend(effect);
                Ok(out)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use hark_core::skill::Next;
    use hark_core::{DeviceId, IntentName, SessionId};
    use serde_json::json;

    use super::*;
    use crate::testing::{intent, Home};

    fn view(
        id: &str,
        name: Option<&str>,
        device: &str,
        remaining: i64,
        length: i64,
        paused: bool,
    ) -> TimerView {
        TimerView {
            id: id.into(),
            name: name.map(String::from),
            device: DeviceId::new(device),
            remaining_secs: remaining,
            length_secs: length,
            paused,
        }
    }

    fn say(timers: &[TimerView], name: &str, slots: serde_json::Value) -> Outcome {
        let home = Home::new("Europe/Paris");
        let intent = intent(name, slots);
        let mut turn = home.turn_in(&intent, "2026-11-25T08:00:00Z", "en");
        turn.timers = timers;
        Timer::new().unwrap().handle(&turn).unwrap()
    }

    #[test]
    fn starting_names_the_timer_and_its_length() {
        let out = say(
            &[],
            "HassStartTimer",
            json!({"seconds": 480, "name": "pasta"}),
        );
        assert_eq!(out.speech, "Pasta timer set for 8 minutes.");
        assert_eq!(
            out.effects,
            vec![Effect::StartTimer {
                seconds: 480,
                name: Some("pasta".into()),
                device: None,
            }]
        );
        let out = say(&[], "HassStartTimer", json!({"seconds": 5400}));
        assert_eq!(out.speech, "Timer set for 1 hour and 30 minutes.");
    }

    #[test]
    fn a_timer_rings_on_the_device_the_request_names() {
        let out = say(
            &[],
            "HassStartTimer",
            json!({"seconds": 300, "device": "bedroom"}),
        );
        assert_eq!(
            out.speech,
            "Timer set for 5 minutes on the Bedroom speaker."
        );
        assert_eq!(
            out.effects,
            vec![Effect::StartTimer {
                seconds: 300,
                name: None,
                device: Some(DeviceId::new("dev_bedroom")),
            }]
        );
        // The device that heard it, named: as if none were.
        let out = say(
            &[],
            "HassStartTimer",
            json!({"seconds": 300, "device": "Kitchen"}),
        );
        assert_eq!(out.speech, "Timer set for 5 minutes.");
        assert_eq!(
            out.effects,
            vec![Effect::StartTimer {
                seconds: 300,
                name: None,
                device: None,
            }]
        );
    }

    #[test]
    fn an_unknown_device_starts_nothing() {
        let out = say(
            &[],
            "HassStartTimer",
            json!({"seconds": 300, "name": "pasta", "device": "garage"}),
        );
        assert_eq!(out.speech, "I don't know a device called garage.");
        assert!(out.effects.is_empty() && out.next == Next::End);
        // Said before the length is asked for, not after.
        let out = say(&[], "HassStartTimer", json!({"device": "garage"}));
        assert_eq!(out.speech, "I don't know a device called garage.");
    }

    #[test]
    fn a_timer_without_a_length_asks_for_one() {
        let out = say(&[], "HassStartTimer", json!({}));
        assert_eq!(out.speech, "For how long?");
        assert!(out.effects.is_empty());
        let Next::Ask {
            expect: Expect::Slot { slot, entity },
            ..
        } = out.next
        else {
            panic!("a question")
        };
        assert_eq!(
            (slot.as_str(), entity.as_deref()),
            ("seconds", Some("duration"))
        );
    }

    #[test]
    fn lengths_out_of_bounds_change_nothing() {
        for seconds in [0, -5, 400 * 86_400] {
            let out = say(&[], "HassStartTimer", json!({ "seconds": seconds }));
            assert!(out.effects.is_empty(), "{seconds}");
        }
    }

    #[test]
    fn stop_the_timer_while_one_rings_stops_the_ringing_one() {
        let home = Home::new("Europe/Paris");
        let ringing = [
            hark_core::skill::RingingView {
                id: "tmr_a.1".into(),
                kind: "timer".into(),
                name: Some("pasta".into()),
                label: None,
            },
            hark_core::skill::RingingView {
                id: "alm_b.1".into(),
                kind: "alarm".into(),
                name: None,
                label: None,
            },
        ];
        let running = [view("t1", Some("eggs"), "kitchen", 260, 480, false)];
        let answer = |slots| {
            let intent = intent("HassCancelTimer", slots);
            let mut turn = home.turn(&intent, "2026-11-25T08:00:00Z");
            turn.timers = &running;
            turn.ringing = &ringing;
            Timer::new().unwrap().handle(&turn).unwrap()
        };
        let stop = vec![Effect::StopRinging {
            id: "tmr_a.1".into(),
        }];
        for slots in [json!({}), json!({"name": "Pasta"})] {
            let out = answer(slots);
            assert_eq!((out.speech.as_str(), &out.effects), ("", &stop));
        }
        // Another timer by name is the running one, cancelled as usual.
        let out = answer(json!({"name": "eggs"}));
        assert_eq!(out.effects, vec![Effect::CancelTimer { id: "t1".into() }]);
    }

    #[test]
    fn status_and_cancel_find_the_timer_by_name_or_length() {
        let timers = [
            view("t1", Some("pasta"), "dev_home", 260, 480, false),
            view("t2", None, "dev_other", 600, 900, true),
        ];
        assert_eq!(
            say(&timers, "HassTimerStatus", json!({"name": "Pasta"})).speech,
            "4 minutes and 20 seconds left on the pasta timer."
        );
        let out = say(&timers, "HassCancelTimer", json!({"seconds": 900}));
        assert_eq!(out.effects, vec![Effect::CancelTimer { id: "t2".into() }]);
        let out = say(&timers, "HassCancelTimer", json!({"name": "eggs"}));
        assert_eq!(out.speech, "You don't have an eggs timer.");
        assert_eq!(
            say(&timers, "HassCancelTimer", json!({"name": "pasta"}))
                .effects
                .len(),
            1
        );
        let out = say(&timers, "HassCancelTimer", json!({"seconds": 300}));
        assert_eq!(out.speech, "You don't have a 5 minutes timer.");
        assert!(out.effects.is_empty());
        assert_eq!(
            say(&[], "HassCancelTimer", json!({})).speech,
            "You don't have any timers."
        );
    }

    #[test]
    fn several_timers_and_no_name_ask_which() {
        let timers = [
            view("t1", Some("pasta"), "dev_a", 60, 60, false),
            view("t2", Some("eggs"), "dev_b", 60, 60, false),
        ];
        let out = say(&timers, "HassPauseTimer", json!({}));
        assert_eq!(out.speech, "You have 2 timers. Which one?");
        assert!(matches!(out.next, Next::Ask { .. }));
    }

    #[test]
    fn pause_resume_change_and_cancel_all() {
        let timers = [view("t1", None, "dev_home", 100, 300, false)];
        assert_eq!(
            say(&timers, "HassPauseTimer", json!({})).effects,
            vec![Effect::PauseTimer { id: "t1".into() }]
        );
        assert_eq!(
            say(&timers, "HassUnpauseTimer", json!({})).speech,
            "The timer isn't paused."
        );
        let out = say(&timers, "HassIncreaseTimer", json!({"seconds": 60}));
        assert_eq!(
            (out.speech.as_str(), out.effects),
            (
                "Added 1 minute to the timer.",
                vec![Effect::AdjustTimer {
                    id: "t1".into(),
                    seconds: 60
                }]
            )
        );
        let out = say(&timers, "HassDecreaseTimer", json!({"seconds": 30}));
        assert_eq!(
            out.effects,
            vec![Effect::AdjustTimer {
                id: "t1".into(),
                seconds: -30
            }]
        );
        let two = [timers[0].clone(), view("t2", None, "dev_x", 5, 5, false)];
        let out = say(&two, "HassCancelAllTimers", json!({}));
        assert_eq!(out.speech, "Cancelled all 2 timers.");
        assert_eq!(out.effects.len(), 2);
        let _ = (IntentName::new("x"), SessionId::new("y"));
    }

    #[test]
    fn spoken_durations() {
        assert_eq!(spoken_duration(1), "1 second");
        assert_eq!(spoken_duration(260), "4 minutes and 20 seconds");
        assert_eq!(spoken_duration(3723), "1 hour, 2 minutes and 3 seconds");
        assert_eq!(spoken_duration(7200), "2 hours");
    }
}
