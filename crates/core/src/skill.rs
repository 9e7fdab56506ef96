//! The skill seam: what a skill is given and what it gives back.
//!
//! A skill turns one recognized intent into an [`Outcome`]: what to say, what
//! should change (effects, which the runtime applies durably), and whether the
//! conversation goes on. A skill does no I/O of its own and never reads the
//! wall clock: the time comes in the [`Turn`]. That keeps every skill testable
//! with a manual clock and no server.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::lists::{ListEffect, ListView};
use crate::media::{MediaEffect, MediaMatch, PlayerView};
use crate::weather::WeatherReport;
use crate::{Device, DeviceId, Household, Intent, IntentName, SessionId, SlotName};

/// How long "snooze" lasts when no length is said: 9 minutes, the length most alarm clocks
/// have used since mechanical ones.
pub const DEFAULT_SNOOZE_SECS: i64 = 9 * 60;

/// The sounds an alarm can ring with, by name; a device plays each its own
/// way, and rings with the first when an alarm names none.
pub const ALARM_SOUNDS: [&str; 5] = ["chimes", "beeps", "birdsong", "bells", "harp"];

/// Everything a skill knows about the turn it answers.
#[derive(Debug, Clone, Copy)]
pub struct Turn<'a> {
    /// What was understood.
    pub intent: &'a Intent,
    /// Whose request it is.
    pub household: &'a Household,
    /// Which device it came from.
    pub device: &'a Device,
    /// The dialogue session.
    pub session: &'a SessionId,
    /// The current instant (from the injected clock).
    pub now: Timestamp,
    /// The language to answer in, such as `en`.
    pub language: &'a str,
    /// Whether the user has just confirmed this intent (after [`Expect::Confirmation`]).
    pub confirmed: bool,
    /// The household's running and paused timers, for the skills that need
    /// them (the runtime reads them from the store before a timer intent).
    pub timers: &'a [TimerView],
    /// The household's pending alarms and reminders, for the skills that
    /// need them.
    pub scheduled: &'a [ScheduledView],
    /// What rings now on the turn's device, oldest first (the runtime reads
    /// it before "stop" and "snooze").
    pub ringing: &'a [RingingView],
    /// The household's devices, for a request that names one ("set a timer
    /// on the kitchen speaker"); the runtime reads them only then.
    pub devices: &'a [Device],
    /// The household's lists, for the list skill.
    pub lists: &'a [ListView],
    /// The turn's device's player, for the media and volume skills.
    pub player: Option<&'a PlayerView>,
    /// What the music library holds that matches the request, best first.
    pub media: &'a [MediaMatch],
    /// The weather for the place and days asked about.
    pub weather: Option<&'a WeatherReport>,
}

/// The intent the runtime hands to the skills, never the grammar, to tell
/// what was missed on a device at the next interaction there: its slot
/// `missed` is a list of [`MissedView`]. The skill that claims it answers with
/// the sentence to add to the reply.
pub const MISSED_INTENT: &str = "HarkMissed";

/// A timer, alarm or reminder that was missed: it came due while hark was
/// down, or rang until its limit with nobody to stop it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissedView {
    /// `timer`, `alarm` or `reminder`.
    pub kind: String,
    /// A timer's name.
    pub name: Option<String>,
    /// An alarm's label.
    pub label: Option<String>,
    /// A reminder's text.
    pub text: Option<String>,
    /// When it was due.
    pub due: Timestamp,
}

/// A timer, alarm or reminder ringing on the turn's device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RingingView {
    /// The ringing occurrence's id, for effects that end it.
    pub id: String,
    /// What rings: `timer`, `alarm` or `reminder`.
    pub kind: String,
    /// A timer's name ("pasta").
    pub name: Option<String>,
    /// An alarm's label ("gym").
    pub label: Option<String>,
}

/// A pending alarm or reminder, as a skill sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduledView {
    /// Its id, for effects that change it.
    pub id: String,
    /// A reminder (else an alarm).
    pub reminder: bool,
    /// An alarm's label ("gym").
    pub label: Option<String>,
    /// A reminder's text.
    pub text: Option<String>,
    /// When it rings next.
    pub due: Timestamp,
    /// A weekly alarm's rule (`{"weekdays": [...], "time": "HH:MM"}`).
    pub weekly: Option<serde_json::Value>,
}

/// A running or paused timer, as a skill sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimerView {
    /// Its id, for effects that change it.
    pub id: String,
    /// Its name ("pasta"), if it has one.
    pub name: Option<String>,
    /// The device it rings on.
    pub device: DeviceId,
    /// Whole seconds left (rounded up, so a running timer never says 0).
    pub remaining_secs: i64,
    /// Its whole length in seconds.
    pub length_secs: i64,
    /// Whether it is paused.
    pub paused: bool,
}

/// What a skill answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// What to say, in the turn's language.
    pub speech: String,
    /// Changes for the runtime to apply, in order.
    pub effects: Vec<Effect>,
    /// Whether the conversation goes on.
    pub next: Next,
}

impl Outcome {
    /// An answer that ends the conversation.
    pub fn say(speech: impl Into<String>) -> Self {
        Self {
            speech: speech.into(),
            effects: Vec::new(),
            next: Next::End,
        }
    }

    /// A question; the user's next words answer it.
    pub fn ask(speech: impl Into<String>, pending: Intent, expect: Expect) -> Self {
        Self {
            speech: speech.into(),
            effects: Vec::new(),
            next: Next::Ask { pending, expect },
        }
    }
}

/// Whether the conversation ends or waits for an answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Next {
    /// The session ends.
    End,
    /// The skill asked something; `pending` is completed by the answer and
    /// handled again.
    Ask {
        /// The intent as far as it is known.
        pending: Intent,
        /// What the answer should be.
        expect: Expect,
    },
}

/// What answer a question expects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Expect {
    /// A value for one slot, read by the named entity parser or list
    /// (`duration`, `datetime`, ...), or as free text when `entity` is `None`.
    Slot {
        /// The slot the answer fills.
        slot: SlotName,
        /// The entity kind that reads it.
        entity: Option<String>,
    },
    /// Yes or no.
    Confirmation,
}

/// A change a skill asks the runtime to make durably before the answer is
/// given. Skills that change state (timers, alarms, lists) add their variants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Effect {
    /// Stop whatever the device is doing now (speaking, ringing, playing).
    StopDevice,
    /// Start a timer.
    StartTimer {
        /// Its length.
        seconds: i64,
        /// Its name, if it has one.
        name: Option<String>,
        /// The device it rings on; `None` is the turn's device.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        device: Option<DeviceId>,
    },
    /// Cancel a timer.
    CancelTimer {
        /// Which (a [`TimerView::id`]).
        id: String,
    },
    /// Pause a running timer.
    PauseTimer {
        /// Which.
        id: String,
    },
    /// Resume a paused timer.
    ResumeTimer {
        /// Which.
        id: String,
    },
    /// Set an alarm: once at `at`, or by the weekly rule `every`.
    SetAlarm {
        /// When, once.
        at: Option<Timestamp>,
        /// Or a weekly rule, read in the household's zone.
        every: Option<serde_json::Value>,
        /// Its label.
        label: Option<String>,
        /// The device it rings on; `None` is the turn's device.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        device: Option<DeviceId>,
        /// Its sound, one of [`ALARM_SOUNDS`]; `None` is the device's default.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sound: Option<String>,
    },
    /// Add a reminder.
    AddReminder {
        /// When.
        at: Timestamp,
        /// What to say then.
        text: String,
        /// The device that says it; `None` is the turn's device.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        device: Option<DeviceId>,
    },
    /// Cancel an alarm or reminder.
    CancelScheduled {
        /// Which (a [`ScheduledView::id`]).
        id: String,
    },
    /// Stop a ringing timer, alarm or reminder.
    StopRinging {
        /// Which (a [`RingingView::id`]).
        id: String,
    },
    /// Snooze a ringing timer, alarm or reminder: it rings again later.
    SnoozeRinging {
        /// Which (a [`RingingView::id`]).
        id: String,
        /// In how many seconds.
        seconds: i64,
    },
    /// Add time to a timer (negative: remove it).
    AdjustTimer {
        /// Which.
        id: String,
        /// Seconds to add.
        seconds: i64,
    },
    /// Change a list.
    List(ListEffect),
    /// Change the device's player or a playlist.
    Media(MediaEffect),
}

/// Why a skill could not answer; the user hears a short apology, the log
/// gets the cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillError {
    /// A stable code, such as `slot_missing`.
    pub code: &'static str,
    /// What went wrong, for the log.
    pub message: String,
}

impl std::fmt::Display for SkillError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for SkillError {}

/// What of the household a turn's skill needs to see, read by the runtime
/// before [`Skill::handle`]; nothing by default, so a turn that needs nothing
/// reads nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Needs {
    /// [`Turn::timers`].
    pub timers: bool,
    /// [`Turn::scheduled`].
    pub scheduled: bool,
    /// [`Turn::ringing`].
    pub ringing: bool,
    /// [`Turn::devices`].
    pub devices: bool,
    /// [`Turn::lists`].
    pub lists: bool,
    /// [`Turn::player`].
    pub player: bool,
    /// [`Turn::media`]: a search of the library for the intent's slots.
    pub media: bool,
    /// [`Turn::weather`]: the forecast for the intent's place and date.
    pub weather: bool,
}

/// A skill: turns intents into outcomes.
pub trait Skill: Send + Sync {
    /// Its name, for logs and metrics.
    fn name(&self) -> &'static str;
    /// The intents it handles.
    fn intents(&self) -> &[&'static str];
    /// What the turn of `intent` needs to see (see [`Needs`]).
    fn needs(&self, intent: &Intent) -> Needs {
        let _ = intent;
        Needs::default()
    }

    /// Answers one turn.
    fn handle(&self, turn: &Turn<'_>) -> Result<Outcome, SkillError>;
}

/// Whether `skill` handles `intent`.
pub fn handles(skill: &dyn Skill, intent: &IntentName) -> bool {
    skill.intents().contains(&intent.as_str())
}
