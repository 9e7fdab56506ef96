//! Logs to standard error, filtered like `RUST_LOG` (`info`, `hark_server=debug`).

use anyhow::{Context as _, Result};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::prelude::*;

pub fn init(filter: &str) -> Result<()> {
    let filter = std::env::var("RUST_LOG")
        .ok()
        .filter(|f| !f.is_empty())
        .unwrap_or_else(|| filter.to_string());
    let targets: Targets = filter
        .parse()
        .with_context(|| format!("log filter '{filter}'"))?;
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_target(false),
        )
        .with(targets)
        .try_init()
        .ok();
    Ok(())
}
