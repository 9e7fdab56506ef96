//! `hark timers`, `hark alarms`, `hark reminders`: the household's timers,
//! alarms and reminders, through a running server's API.

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
    /// Cancel a reminder by its id.
    Cancel {
        /// The reminder's id (from `hark reminders list`).
        id: String,
    },
}

/// One call to a `/v1/<kind>` endpoint: GET (list), POST (create) or DELETE.
enum Call {
    List,
    Create(Value),
    Cancel(String),
}

pub fn timers(settings: &Settings, command: Option<TimersCommand>) -> Result<()> {
    let config = settings.config()?;
    let call = match command.unwrap_or(TimersCommand::List) {
        TimersCommand::List => Call::List,
        TimersCommand::Start { seconds, name } => {
            Call::Create(json!({"seconds": seconds, "name": name, "device": config.device}))
        }
        TimersCommand::Cancel { id } => Call::Cancel(id),
    };
    run(settings, "timers", call)
}

pub fn alarms(settings: &Settings, command: Option<AlarmsCommand>) -> Result<()> {
    let config = settings.config()?;
    let call = match command.unwrap_or(AlarmsCommand::List) {
        AlarmsCommand::List => Call::List,
        AlarmsCommand::Set { at, label } => {
            Call::Create(json!({"at": at, "label": label, "device": config.device}))
        }
        AlarmsCommand::Cancel { id } => Call::Cancel(id),
    };
    run(settings, "alarms", call)
}

pub fn reminders(settings: &Settings, command: Option<RemindersCommand>) -> Result<()> {
    let config = settings.config()?;
    let call = match command.unwrap_or(RemindersCommand::List) {
        RemindersCommand::List => Call::List,
        RemindersCommand::Add { at, text } => {
            Call::Create(json!({"at": at, "text": text, "device": config.device}))
        }
        RemindersCommand::Cancel { id } => Call::Cancel(id),
    };
    run(settings, "reminders", call)
}

fn run(settings: &Settings, kind: &str, call: Call) -> Result<()> {
    let config = settings.config()?;
    let token = crate::ask::token(&config)?;
    let base = format!("{}/v1/{kind}", config.server.trim_end_matches('/'));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(10)))
        .http_status_as_error(false)
        .build()
        .into();
    let auth = format!("Bearer {token}");
    let response = match call {
        Call::List => agent.get(&base).header("Authorization", &auth).call(),
        Call::Create(body) => agent
            .post(&base)
            .header("Authorization", &auth)
            .send_json(body),
        Call::Cancel(id) => agent
            .delete(&format!("{base}/{id}"))
            .header("Authorization", &auth)
            .call(),
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
    let print = |timer: &Value| {
        println!(
            "{}\t{}\t{}\t{}\t{}",
            timer["id"].as_str().unwrap_or_default(),
            ["name", "label", "text"]
                .iter()
                .find_map(|k| timer[*k].as_str())
                .unwrap_or("-"),
            timer["state"].as_str().unwrap_or_default(),
            timer["due_at"].as_str().unwrap_or_default(),
            timer["device"].as_str().unwrap_or_default(),
        )
    };
    match answer.as_array() {
        Some(timers) => timers.iter().for_each(print),
        None => print(&answer),
    }
    Ok(())
}
