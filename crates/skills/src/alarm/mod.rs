//! The alarm and reminder skill: set, list and cancel alarms (once or weekly)
//! and reminders, which speak their text when they ring.
//!
//! Like the timer skill it does no I/O: the runtime passes the household's
//! pending alarms and reminders ([`Turn::scheduled`]) and applies the effects
//! ([`Effect::SetAlarm`], [`Effect::AddReminder`], [`Effect::CancelScheduled`]).
//! Times come from the entity parsers already resolved in the household's
//! zone; a weekly rule without a time asks for one. Stopping and snoozing
//! what rings is the ringing skill's.
//! A new alarm or reminder rings on the device that heard it, or on the one
//! the request names ([`crate::devices`]); an unknown name sets nothing.

use hark_core::skill::{Effect, Expect, Needs, Outcome, ScheduledView, Skill, SkillError, Turn};
use hark_core::{Intent, SlotName};
use jiff::civil::Weekday;
use jiff::{Timestamp, Zoned};
use serde_json::Value;

use crate::devices::{self, Target as Place};
use crate::responses::{Localized, ResponseFile, Responses, Spec};
use crate::spoken::{self, SpokenTime};
use crate::{slots, Error};

const SPEC: Spec = &[
    ("alarm_set", &["title", "when"]),
    ("with_sound", &["sound"]),
    ("alarm_set_on", &["title", "when", "device"]),
    ("unknown_device", &["device"]),
    ("ask_alarm_time", &[]),
    ("ask_rule_time", &[]),
    ("rule_unsupported", &[]),
    ("no_alarms", &[]),
    ("one_alarm", &["when"]),
    ("alarms", &["count", "list"]),
    ("alarm_cancelled", &["title", "when"]),
    ("alarms_cancelled", &["count"]),
    ("which_alarm", &["count"]),
    ("no_such_alarm", &[]),
    ("reminder_set", &["task", "when"]),
    ("reminder_set_on", &["task", "when", "device"]),
    ("ask_task", &[]),
    ("ask_reminder_time", &[]),
    ("repeat_unsupported", &[]),
    ("no_reminders", &[]),
    ("one_reminder", &["item"]),
    ("reminders", &["count", "list"]),
    ("reminder_cancelled", &["task"]),
    ("reminders_cancelled", &["count"]),
    ("which_reminder", &["count"]),
    ("no_such_reminder", &[]),
];

const FILES: &[ResponseFile] = &[(
    "en",
    "alarm/responses/en.yaml",
    include_str!("responses/en.yaml"),
)];

/// The alarm and reminder skill.
#[derive(Debug, Clone)]
pub struct Alarm {
    responses: Localized,
}

impl Alarm {
    /// The skill's name.
    pub const NAME: &'static str = "alarm";

    /// Builds the skill, checking its response files.
    pub fn new() -> Result<Self, Error> {
        Ok(Self {
            responses: Localized::new(Self::NAME, SPEC, FILES)?,
        })
    }
}

/// A `datetime` or `time` slot: a zoned ISO date-time.
fn instant_slot(intent: &Intent, name: &str) -> Result<Option<Zoned>, SkillError> {
    match slots::text(intent, name) {
        None => Ok(None),
        Some(text) => text.parse::<Zoned>().map(Some).map_err(|e| SkillError {
            code: "slot_invalid",
            message: format!("{name} {text:?}: {e}"),
        }),
    }
}

fn clock(time: jiff::civil::Time) -> String {
    match spoken::time(time) {
        SpokenTime::Noon => "noon".to_string(),
        SpokenTime::Midnight => "midnight".to_string(),
        SpokenTime::Clock(text) => text,
    }
}

/// "7 AM today", "6:30 AM tomorrow", "9 PM on Friday", "8 AM on December 3rd";
/// for a time gone by, "7 AM yesterday", "7 AM on Monday".
pub(crate) fn when(due: Timestamp, turn: &Turn<'_>) -> String {
    let zone = turn.household.tz();
    let local = due.to_zoned(zone.clone());
    let today = turn.now.to_zoned(zone).date();
    let days = (local.date() - today).get_days();
    let day = match days {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        -1 => "yesterday".to_string(),
        2..=6 | -6..=-2 => format!("on {}", spoken::weekday(local.weekday())),
        _ => format!(
            "on {}",
            spoken::month_day(local.date(), local.year() != today.year())
        ),
    };
    format!("{} {day}", clock(local.time()))
}

const WEEK: [(&str, Weekday); 7] = [
    ("monday", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
];

/// "every day", "every weekday", "every Monday and Wednesday".
fn every(rule: &Value) -> String {
    let days: Vec<&str> = rule["weekdays"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let names: Vec<&str> = WEEK
        .iter()
        .filter(|(name, _)| days.contains(name))
        .map(|(_, day)| spoken::weekday(*day))
        .collect();
    match days.len() {
        7 => "every day".to_string(),
        5 if !days.contains(&"saturday") && !days.contains(&"sunday") => {
            "every weekday".to_string()
        }
        2 if days.contains(&"saturday") && days.contains(&"sunday") => {
            "every weekend day".to_string()
        }
        _ => format!(
            "every {}",
            and_list(&names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        ),
    }
}

fn rule_when(rule: &Value) -> String {
    let time = rule["time"]
        .as_str()
        .and_then(|t| t.parse::<jiff::civil::Time>().ok());
    match time {
        Some(time) => format!("{} {}", clock(time), every(rule)),
        None => every(rule),
    }
}

fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [init @ .., last] => format!("{}, and {last}", init.join(", ")),
    }
}

fn alarm_when(alarm: &ScheduledView, turn: &Turn<'_>) -> String {
    match &alarm.weekly {
        Some(rule) => rule_when(rule),
        None => when(alarm.due, turn),
    }
}

fn title(label: Option<&str>) -> String {
    match label {
        Some(label) => {
            let mut chars = label.chars();
            let first: String = chars
                .next()
                .map(|c| c.to_uppercase().collect())
                .unwrap_or_default();
            format!("{first}{} alarm", chars.as_str())
        }
        None => "Alarm".to_string(),
    }
}

/// A device name that none of the household's devices has: nothing is set.
fn unknown_device(r: &Responses, said: &str) -> Outcome {
    Outcome::say(r.render("unknown_device", &[("device", said)]))
}

fn ask(speech: String, intent: &Intent, slot: &str, entity: Option<&str>) -> Outcome {
    Outcome::ask(
        speech,
        intent.clone(),
        Expect::Slot {
            slot: SlotName::new(slot),
            entity: entity.map(String::from),
        },
    )
}

impl Alarm {
    fn set_alarm(&self, turn: &Turn<'_>, r: &Responses) -> Result<Outcome, SkillError> {
        let intent = turn.intent;
        let place = devices::target(turn)?;
        if let Place::Unknown(said) = &place {
            return Ok(unknown_device(r, said));
        }
        let label = slots::text(intent, "label");
        let sound = slots::text(intent, "sound");
        let set = |when: &str| {
            let title = title(label.as_deref());
            let said = match &place {
                Place::Other(device) => r.render(
                    "alarm_set_on",
                    &[
                        ("title", &title),
                        ("when", when),
                        ("device", &devices::spoken(device)),
                    ],
                ),
                _ => r.render("alarm_set", &[("title", &title), ("when", when)]),
            };
            match &sound {
                Some(sound) => format!("{said} {}", r.render("with_sound", &[("sound", sound)])),
                None => said,
            }
        };
        if let Some(at) = instant_slot(intent, "datetime")? {
            let due = at.timestamp();
            let mut out = Outcome::say(set(&when(due, turn)));
            out.effects.push(Effect::SetAlarm {
                at: Some(due),
                every: None,
                label,
                device: place.device_id(),
                sound: sound.clone(),
            });
            return Ok(out);
        }
        if let Some(rule) = intent.slots.get(&SlotName::new("recurrence")) {
            if rule.get("interval_days").is_some_and(|v| !v.is_null()) {
                return Ok(Outcome::say(r.render("rule_unsupported", &[])));
            }
            let mut rule = rule.clone();
            if rule["time"].is_null() {
                match instant_slot(intent, "time")? {
                    Some(time) => {
                        rule["time"] = Value::String(time.time().strftime("%H:%M").to_string())
                    }
                    None => {
                        return Ok(ask(
                            r.render("ask_rule_time", &[]),
                            intent,
                            "time",
                            Some("time"),
                        ))
                    }
                }
            }
            let mut out = Outcome::say(set(&rule_when(&rule)));
            out.effects.push(Effect::SetAlarm {
                at: None,
                every: Some(rule),
                label,
                device: place.device_id(),
                sound: sound.clone(),
            });
            return Ok(out);
        }
        Ok(ask(
            r.render("ask_alarm_time", &[]),
            intent,
            "datetime",
            Some("datetime"),
        ))
    }

    fn set_reminder(&self, turn: &Turn<'_>, r: &Responses) -> Result<Outcome, SkillError> {
        let intent = turn.intent;
        let place = devices::target(turn)?;
        if let Place::Unknown(said) = &place {
            return Ok(unknown_device(r, said));
        }
        if intent.slots.contains_key(&SlotName::new("recurrence")) {
            return Ok(Outcome::say(r.render("repeat_unsupported", &[])));
        }
        let Some(task) = slots::text(intent, "task") else {
            return Ok(ask(r.render("ask_task", &[]), intent, "task", None));
        };
        let at = match instant_slot(intent, "datetime")? {
            Some(at) => at.timestamp(),
            None => {
                match slots::text(intent, "date").and_then(|d| d.parse::<jiff::civil::Date>().ok())
                {
                    // A day without a time: nine in the morning, in the household's zone.
                    Some(date) => date
                        .at(9, 0, 0, 0)
                        .to_zoned(turn.household.tz())
                        .map_err(|e| SkillError {
                            code: "slot_invalid",
                            message: e.to_string(),
                        })?
                        .timestamp(),
                    None => {
                        return Ok(ask(
                            r.render("ask_reminder_time", &[]),
                            intent,
                            "datetime",
                            Some("datetime"),
                        ))
                    }
                }
            }
        };
        let when = when(at, turn);
        let speech = match &place {
            Place::Other(device) => r.render(
                "reminder_set_on",
                &[
                    ("task", &task),
                    ("when", &when),
                    ("device", &devices::spoken(device)),
                ],
            ),
            _ => r.render("reminder_set", &[("task", &task), ("when", &when)]),
        };
        let mut out = Outcome::say(speech);
        out.effects.push(Effect::AddReminder {
            at,
            text: task,
            device: place.device_id(),
        });
        Ok(out)
    }

    fn list(&self, turn: &Turn<'_>, r: &Responses, reminders: bool) -> Outcome {
        let items: Vec<&ScheduledView> = turn
            .scheduled
            .iter()
            .filter(|s| s.reminder == reminders)
            .collect();
        let describe = |item: &&ScheduledView| {
            if reminders {
                format!(
                    "{} at {}",
                    item.text.as_deref().unwrap_or_default(),
                    when(item.due, turn)
                )
            } else {
                alarm_when(item, turn)
            }
        };
        let (none, one, many) = if reminders {
            ("no_reminders", "one_reminder", "reminders")
        } else {
            ("no_alarms", "one_alarm", "alarms")
        };
        match items.as_slice() {
            [] => Outcome::say(r.render(none, &[])),
            [only] => {
                let placeholder = if reminders { "item" } else { "when" };
                Outcome::say(r.render(one, &[(placeholder, &describe(only))]))
            }
            all => {
                let list = and_list(&all.iter().map(describe).collect::<Vec<_>>());
                Outcome::say(r.render(many, &[("count", &all.len().to_string()), ("list", &list)]))
            }
        }
    }

    fn cancel(
        &self,
        turn: &Turn<'_>,
        r: &Responses,
        reminders: bool,
    ) -> Result<Outcome, SkillError> {
        let intent = turn.intent;
        let items: Vec<&ScheduledView> = turn
            .scheduled
            .iter()
            .filter(|s| s.reminder == reminders)
            .collect();
        let (none, all_key, which, no_such) = if reminders {
            (
                "no_reminders",
                "reminders_cancelled",
                "which_reminder",
                "no_such_reminder",
            )
        } else {
            (
                "no_alarms",
                "alarms_cancelled",
                "which_alarm",
                "no_such_alarm",
            )
        };
        if items.is_empty() {
            return Ok(Outcome::say(r.render(none, &[])));
        }
        if intent.slots.get(&SlotName::new("all")) == Some(&Value::Bool(true)) {
            let mut out = Outcome::say(r.render(all_key, &[("count", &items.len().to_string())]));
            out.effects.extend(
                items
                    .iter()
                    .map(|i| Effect::CancelScheduled { id: i.id.clone() }),
            );
            return Ok(out);
        }
        let wanted_text =
            slots::text(intent, if reminders { "task" } else { "label" }).map(|t| t.to_lowercase());
        let wanted_at = instant_slot(intent, "datetime")?.map(|z| z.timestamp());
        let chosen: Vec<&&ScheduledView> = items
            .iter()
            .filter(|item| {
                let field = if reminders { &item.text } else { &item.label };
                let text_ok = wanted_text.as_ref().is_none_or(|w| {
                    field
                        .as_deref()
                        .is_some_and(|f| f.to_lowercase().contains(w.as_str()))
                });
                let time_ok =
                    wanted_at.is_none_or(|at| (item.due.as_second() - at.as_second()).abs() < 60);
                text_ok && time_ok
            })
            .collect();
        let asked_for_one = wanted_text.is_some() || wanted_at.is_some();
        let item = match chosen.as_slice() {
            [] => return Ok(Outcome::say(r.render(no_such, &[]))),
            [one] => **one,
            many if asked_for_one => *many[0],
            many => {
                let slot = if reminders { "task" } else { "label" };
                return Ok(ask(
                    r.render(which, &[("count", &many.len().to_string())]),
                    intent,
                    slot,
                    None,
                ));
            }
        };
        let speech = if reminders {
            r.render(
                "reminder_cancelled",
                &[("task", item.text.as_deref().unwrap_or_default())],
            )
        } else {
            r.render(
                "alarm_cancelled",
                &[
                    ("title", &title(item.label.as_deref())),
                    ("when", &alarm_when(item, turn)),
                ],
            )
        };
        let mut out = Outcome::say(speech);
        out.effects.push(Effect::CancelScheduled {
            id: item.id.clone(),
        });
        Ok(out)
    }
}

impl Skill for Alarm {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn intents(&self) -> &[&'static str] {
        &[
            "HarkSetAlarm",
            "HarkListAlarms",
            "HarkCancelAlarm",
            "HarkSetReminder",
            "HarkListReminders",
            "HarkCancelReminder",
        ]
    }

    fn needs(&self, intent: &Intent) -> Needs {
        let creates = matches!(intent.name.as_str(), "HarkSetAlarm" | "HarkSetReminder");
        Needs {
            scheduled: true,
            devices: creates && crate::devices::named(intent),
            ..Needs::default()
        }
    }

    fn handle(&self, turn: &Turn<'_>) -> Result<Outcome, SkillError> {
        let r = self.responses.get(turn.language);
        match turn.intent.name.as_str() {
            "HarkSetAlarm" => self.set_alarm(turn, r),
            "HarkListAlarms" => Ok(self.list(turn, r, false)),
            "HarkCancelAlarm" => self.cancel(turn, r, false),
            "HarkSetReminder" => self.set_reminder(turn, r),
            "HarkListReminders" => Ok(self.list(turn, r, true)),
            "HarkCancelReminder" => self.cancel(turn, r, true),
            _ => Err(slots::unsupported(Self::NAME, turn.intent)),
        }
    }
}

#[cfg(test)]
mod tests {
    use hark_core::skill::Next;
    use serde_json::json;

    use super::*;
    use crate::testing::{intent, Home};

    const NOW: &str = "2026-11-25T07:00:00Z"; // 08:00 in Paris, a Wednesday

    fn say(scheduled: &[ScheduledView], name: &str, slots: Value) -> Outcome {
        let home = Home::new("Europe/Paris");
        let intent = intent(name, slots);
        let mut turn = home.turn_in(&intent, NOW, "en");
        turn.scheduled = scheduled;
        Alarm::new().unwrap().handle(&turn).unwrap()
    }

    fn alarm(id: &str, label: Option<&str>, due: &str, weekly: Option<Value>) -> ScheduledView {
        ScheduledView {
            id: id.into(),
            reminder: false,
            label: label.map(String::from),
            text: None,
            due: due.parse().unwrap(),
            weekly,
        }
    }

    #[test]
    fn one_off_and_weekly_alarms_are_set_and_said() {
        let out = say(
            &[],
            "HarkSetAlarm",
            json!({"datetime": "2026-11-26T07:00:00+01:00[Europe/Paris]"}),
        );
        assert_eq!(out.speech, "Alarm set for 7 AM tomorrow.");
        assert_eq!(
            out.effects,
            vec![Effect::SetAlarm {
                at: Some("2026-11-26T06:00:00Z".parse().unwrap()),
                every: None,
                label: None,
                device: None,
                sound: None,
            }]
        );
        let rule = json!({"weekdays": ["monday", "tuesday", "wednesday", "thursday", "friday"], "time": "06:30"});
        let out = say(
            &[],
            "HarkSetAlarm",
            json!({"recurrence": rule, "label": "gym", "sound": "birdsong"}),
        );
        assert_eq!(
            out.speech,
            "Gym alarm set for 6:30 AM every weekday. It will ring with birdsong."
        );
        assert!(matches!(
            &out.effects[..],
            [Effect::SetAlarm { sound: Some(sound), .. }] if sound == "birdsong"
        ));
        let out = say(
            &[],
            "HarkSetAlarm",
            json!({"datetime": "2026-11-28T21:00:00+01:00[Europe/Paris]"}),
        );
        assert_eq!(out.speech, "Alarm set for 9 PM on Saturday.");
    }

    #[test]
    fn alarms_and_reminders_ring_on_the_device_the_request_names() {
        let out = say(
            &[],
            "HarkSetAlarm",
            json!({"datetime": "2026-11-26T07:00:00+01:00[Europe/Paris]", "device": "the bedroom"}),
        );
        assert_eq!(
            out.speech,
            "Alarm set for 7 AM tomorrow on the Bedroom speaker."
        );
        assert_eq!(
            out.effects,
            vec![Effect::SetAlarm {
                at: Some("2026-11-26T06:00:00Z".parse().unwrap()),
                every: None,
                label: None,
                device: Some(hark_core::DeviceId::new("dev_bedroom")),
                sound: None,
            }]
        );
        let rule = json!({"weekdays": ["saturday", "sunday"], "time": "09:00"});
        let out = say(
            &[],
            "HarkSetAlarm",
            json!({"recurrence": rule, "device": "living room"}),
        );
        assert_eq!(
            out.speech,
            "Alarm set for 9 AM every weekend day on the Living-room speaker."
        );
        let out = say(
            &[],
            "HarkSetReminder",
            json!({"task": "call mum", "datetime": "2026-11-25T18:00:00+01:00[Europe/Paris]", "device": "living room"}),
        );
        assert_eq!(
            out.speech,
            "OK, I'll remind you to call mum at 6 PM today on the Living-room speaker."
        );
        assert_eq!(
            out.effects,
            vec![Effect::AddReminder {
                at: "2026-11-25T17:00:00Z".parse().unwrap(),
                text: "call mum".into(),
                device: Some(hark_core::DeviceId::new("dev_living")),
            }]
        );
        // The device that heard it, named: as if none were.
        let out = say(
            &[],
            "HarkSetAlarm",
            json!({"datetime": "2026-11-26T07:00:00+01:00[Europe/Paris]", "device": "kitchen"}),
        );
        assert_eq!(out.speech, "Alarm set for 7 AM tomorrow.");
        assert!(matches!(
            out.effects.as_slice(),
            [Effect::SetAlarm { device: None, .. }]
        ));
    }

    #[test]
    fn an_unknown_device_sets_nothing() {
        for (intent, slots) in [
            (
                "HarkSetAlarm",
                json!({"datetime": "2026-11-26T07:00:00+01:00[Europe/Paris]", "device": "garage"}),
            ),
            ("HarkSetAlarm", json!({"device": "garage"})),
            (
                "HarkSetReminder",
                json!({"task": "call mum", "datetime": "2026-11-25T18:00:00+01:00[Europe/Paris]", "device": "garage"}),
            ),
        ] {
            let out = say(&[], intent, slots);
            assert_eq!(
                out.speech, "I don't know a device called garage.",
                "{intent}"
            );
            assert!(out.effects.is_empty() && out.next == Next::End, "{intent}");
        }
    }

    #[test]
    fn missing_times_are_asked_for() {
        let out = say(&[], "HarkSetAlarm", json!({}));
        assert_eq!(out.speech, "For what time?");
        assert!(matches!(out.next, Next::Ask { .. }) && out.effects.is_empty());
        let out = say(
            &[],
            "HarkSetAlarm",
            json!({"recurrence": {"weekdays": ["monday"], "time": null}}),
        );
        assert_eq!(out.speech, "At what time?");
        let out = say(
            &[],
            "HarkSetAlarm",
            json!({"recurrence": {"weekdays": ["monday"], "time": null}, "time": "2026-11-25T19:00:00+01:00[Europe/Paris]"}),
        );
        assert_eq!(out.speech, "Alarm set for 7 PM every Monday.");
        let out = say(
            &[],
            "HarkSetAlarm",
            json!({"recurrence": {"weekdays": [], "time": "07:00", "interval_days": 2}}),
        );
        assert_eq!(out.speech, "I can only repeat alarms on days of the week.");
        assert!(out.effects.is_empty());
    }

    #[test]
    fn listing_and_cancelling_alarms() {
        let alarms = [
            alarm("a1", None, "2026-11-26T06:00:00Z", None),
            alarm(
                "a2",
                Some("gym"),
                "2026-11-26T05:30:00Z",
                Some(json!({"weekdays": ["monday", "wednesday"], "time": "06:30"})),
            ),
        ];
        assert_eq!(
            say(&alarms, "HarkListAlarms", json!({})).speech,
            "You have 2 alarms: 7 AM tomorrow and 6:30 AM every Monday and Wednesday."
        );
        assert_eq!(
            say(&[], "HarkListAlarms", json!({})).speech,
            "You don't have any alarms."
        );
        let out = say(&alarms, "HarkCancelAlarm", json!({"label": "gym"}));
        assert_eq!(
            out.speech,
            "Gym alarm for 6:30 AM every Monday and Wednesday cancelled."
        );
        assert_eq!(
            out.effects,
            vec![Effect::CancelScheduled { id: "a2".into() }]
        );
        assert_eq!(
            say(&alarms, "HarkCancelAlarm", json!({})).speech,
            "You have 2 alarms. Which one?"
        );
        assert_eq!(
            say(&alarms, "HarkCancelAlarm", json!({"all": true}))
                .effects
                .len(),
            2
        );
        assert_eq!(
            say(&alarms, "HarkCancelAlarm", json!({"label": "school"})).speech,
            "You don't have an alarm like that."
        );
    }

    #[test]
    fn reminders_are_set_listed_and_cancelled() {
        let out = say(
            &[],
            "HarkSetReminder",
            json!({"task": "call mum", "datetime": "2026-11-25T18:00:00+01:00[Europe/Paris]"}),
        );
        assert_eq!(out.speech, "OK, I'll remind you to call mum at 6 PM today.");
        assert_eq!(
            out.effects,
            vec![Effect::AddReminder {
                at: "2026-11-25T17:00:00Z".parse().unwrap(),
                text: "call mum".into(),
                device: None,
            }]
        );
        let out = say(
            &[],
            "HarkSetReminder",
            json!({"task": "pick up the laundry", "date": "2026-11-30"}),
        );
        assert_eq!(
            out.speech,
            "OK, I'll remind you to pick up the laundry at 9 AM on Monday."
        );
        assert_eq!(
            say(&[], "HarkSetReminder", json!({"task": "buy milk"})).speech,
            "When should I remind you?"
        );
        assert_eq!(
            say(&[], "HarkSetReminder", json!({})).speech,
            "What should I remind you about?"
        );
        let reminder = ScheduledView {
            id: "r1".into(),
            reminder: true,
            label: None,
            text: Some("call mum".into()),
            due: "2026-11-25T17:00:00Z".parse().unwrap(),
            weekly: None,
        };
        assert_eq!(
            say(
                std::slice::from_ref(&reminder),
                "HarkListReminders",
                json!({})
            )
            .speech,
            "You have one reminder: call mum at 6 PM today."
        );
        let out = say(&[reminder], "HarkCancelReminder", json!({"task": "mum"}));
        assert_eq!(out.speech, "I won't remind you to call mum.");
        assert_eq!(
            out.effects,
            vec![Effect::CancelScheduled { id: "r1".into() }]
        );
    }
}
