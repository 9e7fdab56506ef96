//! `hark timers`, `hark alarms`, `hark reminders`, `hark ringing`, `hark
//! missed`: the household's timers, alarms and reminders, what rings now and
//! what was missed, through a running server's API. Each prints one line per
//! item: id, name (or label, or text), state, due time, device.

use anyhow::{anyhow, bail, Context as _, Result};
use clap::Subcommand;
use serde_json::{json, Value};

use crate::settings::Settings;

#[derive(Debug, Subcommand)]
pub enum TimersCommand {
    /// List the household's timers.
    List,
    /// Start a timer on the configured device.
    Start {
        /// Its length in seconds.
        seconds: u64,
        /// Its name ("pasta").
        #[arg(long)]
        name: Option<String>,
    },
    /// Pause a running timer.
    Pause {
        /// The timer's id (from `hark timers list`).
        id: String,
    },
    /// Resume a paused timer.
    Resume {
        /// The timer's id.
        id: String,
    },
    /// Add time to a timer (a negative number removes it).
    Add {
        /// The timer's id.
        id: String,
        /// Seconds to add, e.g. 60 or -30.
        #[arg(allow_hyphen_values = true)]
        seconds: i64,
    },
    /// Cancel a timer by its id.
    Cancel {
        /// The timer's id (from `hark timers list`).
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AlarmsCommand {
    /// List the household's alarms.
    List,
    /// Set an alarm on the configured device, once.
    Set {
        /// When: an RFC 3339 date-time, e.g. 2026-11-26T07:00:00+01:00.
        at: String,
        /// Its label ("gym").
        #[arg(long)]
        label: Option<String>,
        /// Its sound: chimes, beeps, birdsong, bells or harp.
        #[arg(long)]
        sound: Option<String>,
    },
    /// Move an alarm to another time (a weekly one: its next occurrence).
    Move {
        /// The alarm's id (from `hark alarms list`).
        id: String,
        /// When: an RFC 3339 date-time.
        at: String,
    },
    /// Cancel an alarm by its id.
    Cancel {
        /// The alarm's id (from `hark alarms list`).
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum RemindersCommand {
    /// List the household's reminders.
    List,
    /// Add a reminder on the configured device.
    Add {
        /// When: an RFC 3339 date-time.
        at: String,
        /// What to say then.
        text: String,
    },
    /// Move a reminder to another time.
    Move {
        /// The reminder's id (from `hark reminders list`).
        id: String,
        /// When: an RFC 3339 date-time.
        at: String,
    },
    /// Cancel a reminder by its id.
    Cancel {
        /// The reminder's id (from `hark reminders list`).
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum RingingCommand {
    /// List what rings now in the household.
    List,
    /// Stop a ringing timer, alarm or reminder.
    Stop {
        /// Its ringing id (from `hark ringing list`).
        id: String,
    },
    /// Snooze it: it rings again later.
    Snooze {
        /// Its ringing id.
        id: String,
        /// For how long, in seconds (9 minutes if not given).
        #[arg(long)]
        seconds: Option<i64>,
    },
}

/// One call to the API: a method, a path under `/v1/`, and maybe a body.
struct Call {
    method: &'static str,
    path: String,
    body: Option<Value>,
}

impl Call {
    fn get(path: impl Into<String>) -> Call {
        Call {
            method: "GET",
            path: path.into(),
            body: None,
        }
    }

    fn with(method: &'static str, path: impl Into<String>, body: Value) -> Call {
        Call {
            method,
            path: path.into(),
            body: Some(body),
        }
    }

    fn delete(path: impl Into<String>) -> Call {
        Call {
            method: "DELETE",
            path: path.into(),
            body: None,
        }
    }
}

pub fn timers(settings: &Settings, command: Option<TimersCommand>) -> Result<()> {
    let config = settings.config()?;
    let call = match command.unwrap_or(TimersCommand::List) {
        TimersCommand::List => Call::get("timers"),
        TimersCommand::Start { seconds, name } => Call::with(
            "POST",
            "timers",
            json!({"seconds": seconds, "name": name, "device": config.device}),
        ),
        TimersCommand::Pause { id } => {
            Call::with("PATCH", format!("timers/{id}"), json!({"paused": true}))
        }
        TimersCommand::Resume { id } => {
            Call::with("PATCH", format!("timers/{id}"), json!({"paused": false}))
        }
        TimersCommand::Add { id, seconds } => Call::with(
            "PATCH",
            format!("timers/{id}"),
            json!({"add_seconds": seconds}),
        ),
        TimersCommand::Cancel { id } => Call::delete(format!("timers/{id}")),
    };
    run(settings, call)
}

pub fn alarms(settings: &Settings, command: Option<AlarmsCommand>) -> Result<()> {
    let config = settings.config()?;
    let call = match command.unwrap_or(AlarmsCommand::List) {
        AlarmsCommand::List => Call::get("alarms"),
        AlarmsCommand::Set { at, label, sound } => Call::with(
            "POST",
            "alarms",
            json!({"at": at, "label": label, "sound": sound, "device": config.device}),
        ),
        AlarmsCommand::Move { id, at } => {
            Call::with("PATCH", format!("alarms/{id}"), json!({"at": at}))
        }
        AlarmsCommand::Cancel { id } => Call::delete(format!("alarms/{id}")),
    };
    run(settings, call)
}

pub fn reminders(settings: &Settings, command: Option<RemindersCommand>) -> Result<()> {
    let config = settings.config()?;
    let call = match command.unwrap_or(RemindersCommand::List) {
        RemindersCommand::List => Call::get("reminders"),
        RemindersCommand::Add { at, text } => Call::with(
            "POST",
            "reminders",
            json!({"at": at, "text": text, "device": config.device}),
        ),
        RemindersCommand::Move { id, at } => {
            Call::with("PATCH", format!("reminders/{id}"), json!({"at": at}))
        }
        RemindersCommand::Cancel { id } => Call::delete(format!("reminders/{id}")),
    };
    run(settings, call)
}

pub fn ringing(settings: &Settings, command: Option<RingingCommand>) -> Result<()> {
    let call = match command.unwrap_or(RingingCommand::List) {
        RingingCommand::List => Call::get("ringing"),
        RingingCommand::Stop { id } => Call::with("POST", format!("ringing/{id}/stop"), json!({})),
        RingingCommand::Snooze { id, seconds } => Call::with(
            "POST",
            format!("ringing/{id}/snooze"),
            json!({"seconds": seconds}),
        ),
    };
    run(settings, call)
}

pub fn missed(settings: &Settings) -> Result<()> {
    run(settings, Call::get("missed"))
}

fn run(settings: &Settings, call: Call) -> Result<()> {
    let config = settings.config()?;
    let token = crate::ask::token(&config)?;
    let url = format!("{}/v1/{}", config.server.trim_end_matches('/'), call.path);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(10)))
        .http_status_as_error(false)
        .build()
        .into();
    let auth = format!("Bearer {token}");
    let response = match (call.method, call.body) {
        ("GET", _) => agent.get(&url).header("Authorization", &auth).call(),
        ("DELETE", _) => agent.delete(&url).header("Authorization", &auth).call(),
        ("PATCH", body) => agent
            .patch(&url)
            .header("Authorization", &auth)
            .send_json(body.unwrap_or_default()),
        (_, body) => agent
            .post(&url)
            .header("Authorization", &auth)
            .send_json(body.unwrap_or_default()),
    };
    let mut response = response.map_err(|e| {
        anyhow!(
            "cannot reach hark at {}: {e} (is `hark serve` running?)",
            config.server
        )
    })?;
    let status = response.status();
    let answer: Value = response
        .body_mut()
        .read_json()
        .context("reading the server's answer")?;
    if !status.is_success() {
        let code = answer["error"]["code"].as_str().unwrap_or("unknown");
        let message = answer["error"]["message"].as_str().unwrap_or_default();
        bail!("{code}: {message}");
    }
    match answer.as_array() {
        Some(items) => items.iter().for_each(print),
        None => print(&answer),
    }
    Ok(())
}

/// One item (or one ringing or missed occurrence) on one line.
fn print(item: &Value) {
    let text = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| item[*k].as_str())
            .unwrap_or("-")
            .to_string()
    };
    println!(
        "{}\t{}\t{}\t{}\t{}",
        text(&["id"]),
        text(&["name", "label", "text"]),
        text(&["state", "ended_by", "outcome"]),
        text(&["due_at"]),
        text(&["device"]),
    )
}
