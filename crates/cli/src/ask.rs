//! `hark ask "what time is it"`: one conversation turn, against a running
//! server or (`--local`) in this process on the data folder.

use std::sync::Arc;

use anyhow::{anyhow, bail, Context as _, Result};
use clap::Args;
use hark_core::{SessionId, SystemClock};
use hark_server::{credentials_file, Config, Server};
use serde_json::{json, Value};

use crate::settings::Settings;

#[derive(Debug, Args)]
pub struct AskArgs {
    /// What to say.
    #[arg(required = true, num_args = 1..)]
    text: Vec<String>,
    /// Answer a question hark asked: the session it gave.
    #[arg(long)]
    session: Option<String>,
    /// Run the whole pipeline here, on the data folder, without a server.
    #[arg(long)]
    local: bool,
    /// Print the API's JSON answer instead of the spoken text.
    #[arg(long)]
    json: bool,
}

pub fn run(settings: &Settings, args: AskArgs) -> Result<()> {
    let config = settings.config()?;
    let text = args.text.join(" ");
    let answer = if args.local {
        local(&config, &text, args.session.as_deref())?
    } else {
        remote(&config, &text, args.session.as_deref())?
    };
    if args.json {
        println!("{answer}");
    } else {
        println!("{}", answer["speech"].as_str().unwrap_or_default());
        if answer["expects_reply"] == true {
            let session = answer["session"].as_str().unwrap_or_default();
            eprintln!("(hark is waiting for your answer: hark ask --session {session} \"...\")");
        }
    }
    Ok(())
}

/// The token from the configuration, else the one saved at first start.
pub fn token(config: &Config) -> Result<String> {
    if let Some(token) = &config.token {
        return Ok(token.clone());
    }
    let path = credentials_file(config);
    let text = std::fs::read_to_string(&path).map_err(|_| {
        anyhow!("no token: pass --token, set HARK_TOKEN, or start `hark serve` once with this data folder ({})", config.data_dir.display())
    })?;
    let table: toml::Table = text
        .parse()
        .with_context(|| format!("reading {}", path.display()))?;
    table
        .get("token")
        .and_then(|t| t.as_str())
        .map(String::from)
        .ok_or_else(|| anyhow!("{} has no token", path.display()))
}

fn remote(config: &Config, text: &str, session: Option<&str>) -> Result<Value> {
    let token = token(config)?;
    let url = format!("{}/v1/converse", config.server.trim_end_matches('/'));
    let mut body = json!({"text": text, "device": config.device});
    if let Some(session) = session {
        body["session"] = json!(session);
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(10)))
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent
        .post(&url)
        .header("Authorization", &format!("Bearer {token}"))
        .send_json(&body)
        .map_err(|e| {
            anyhow!(
                "cannot reach hark at {}: {e} (is `hark serve` running?)",
                config.server
            )
        })?;
    let status = response.status();
    let answer: Value = response
        .body_mut()
        .read_json()
        .with_context(|| format!("reading the answer from {url}"))?;
    if !status.is_success() {
        let code = answer["error"]["code"].as_str().unwrap_or("unknown");
        let message = answer["error"]["message"].as_str().unwrap_or_default();
        bail!("the server answered {status}: {code}: {message}");
    }
    Ok(answer)
}

fn local(config: &Config, text: &str, session: Option<&str>) -> Result<Value> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let (server, _) = Server::open(
            config,
            hark_skills::builtin().context("loading the built-in skills")?,
            Arc::new(SystemClock),
        )
        .await?;
        let household = match &config.token {
            Some(token) => {
                let info = server
                    .store
                    .authenticate(token)
                    .await?
                    .ok_or_else(|| anyhow!("the token is unknown or revoked"))?;
                server.store.household(&info.household).await?
            }
            None => server.store.households().await?.into_iter().next(),
        }
        .ok_or_else(|| anyhow!("the data folder has no household"))?;
        let device = server
            .store
            .device_by_name(&household.id, &config.device)
            .await?
            .ok_or_else(|| {
                anyhow!(
                    "the household has no device named '{}' (hark device add {0})",
                    config.device
                )
            })?;
        let session = session.map(SessionId::new);
        let reply = server
            .turn(&household, &device, text, session.as_ref())
            .await;
        Ok(reply.to_json())
    })
}
