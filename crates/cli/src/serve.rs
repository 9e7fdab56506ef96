//! `hark serve`: the assistant service.

use std::sync::Arc;

use anyhow::{Context as _, Result};
use hark_core::{Clock, OffsetClock, SystemClock};
use hark_server::{Bootstrap, Config, Server};
use tokio::net::TcpListener;

use crate::settings::Settings;

pub fn run(settings: &Settings) -> Result<()> {
    let config = settings.config()?;
    crate::logging::init(&config.log)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(config))
}

async fn serve(config: Config) -> Result<()> {
    let (server, bootstrap) = Server::open(
        &config,
        hark_skills::builtin().context("loading the built-in skills")?,
        clock(&config),
    )
    .await
    .context("starting hark")?;
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("listening on {}", config.listen))?;
    let address = listener.local_addr()?;
    println!(
        "hark is listening on http://{address} (database: {})",
        server.store.backend_name()
    );
    let ask = ask_command(&config, address);
    if let Some(first) = &bootstrap {
        print_bootstrap(first, &format!("http://{address}"), &ask);
    } else {
        println!("Talk to it: {ask} \"what time is it\"");
    }
    use std::io::Write;
    std::io::stdout().flush()?;
    hark_server::serve(server, listener, shutdown()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// The system's clock, or, for a rehearsal or a test, the system's clock moved by
/// `clock_offset_ms`.
fn clock(config: &Config) -> Arc<dyn Clock> {
    if config.clock_offset_ms == 0 {
        return Arc::new(SystemClock);
    }
    let clock = OffsetClock::new(jiff::SignedDuration::from_millis(config.clock_offset_ms));
    tracing::warn!(
        offset_ms = config.clock_offset_ms,
        now = %clock.now(),
        "the clock is moved by clock_offset_ms: timers, alarms and answers use this time, not the real one"
    );
    Arc::new(clock)
}

/// `hark ask` with the options this server needs when they are not the defaults.
fn ask_command(config: &Config, address: std::net::SocketAddr) -> String {
    let defaults = Config::default();
    let mut command = "hark ask".to_string();
    let url = format!("http://{address}");
    if url != defaults.server {
        command.push_str(&format!(" --server {url}"));
    }
    if config.data_dir != defaults.data_dir {
        command.push_str(&format!(" --data-dir {}", config.data_dir.display()));
    }
    command
}

fn print_bootstrap(first: &Bootstrap, url: &str, ask: &str) {
    println!();
    println!(
        "First start: created the household \"{}\" ({}), time zone {}.",
        first.household.name, first.household.id, first.household.time_zone
    );
    println!(
        "Its device \"{}\" has the id {}.",
        first.device.name, first.device.id
    );
    println!("Admin token (shown once; keep it secret): {}", first.token);
    if let Some(path) = &first.saved_to {
        println!(
            "It is saved in {} for `hark ask` on this machine.",
            path.display()
        );
    }
    println!();
    println!("Talk to it:");
    println!("  {ask} \"what time is it\"");
    println!(
        "  curl -s {url}/v1/converse -H 'Authorization: Bearer {}' -H 'Content-Type: application/json' -d '{{\"text\": \"what time is it\", \"device\": \"{}\"}}'",
        first.token, first.device.name
    );
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
