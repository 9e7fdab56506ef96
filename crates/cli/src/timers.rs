//! `hark timers`: the household's timers, through a running server's API.

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

pub fn run(settings: &Settings, command: Option<TimersCommand>) -> Result<()> {
    let config = settings.config()?;
    let token = crate::ask::token(&config)?;
    let base = format!("{}/v1/timers", config.server.trim_end_matches('/'));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(10)))
        .http_status_as_error(false)
        .build()
        .into();
    let auth = format!("Bearer {token}");
    let response = match command.unwrap_or(TimersCommand::List) {
        TimersCommand::List => agent.get(&base).header("Authorization", &auth).call(),
        TimersCommand::Start { seconds, name } => agent
            .post(&base)
            .header("Authorization", &auth)
            .send_json(json!({"seconds": seconds, "name": name, "device": config.device})),
        TimersCommand::Cancel { id } => agent
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
            timer["name"].as_str().unwrap_or("-"),
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
